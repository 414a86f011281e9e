/**
 * Deterministic AWS resource names for one cluster's Tekton Results storage.
 *
 * Every name is derived from the cluster name alone (plus, for S3, an optional account id), so a
 * stack always computes the same names and two clusters never share one. Each AWS naming rule is
 * written down once as data (`awsNameRules` in lib/aws-name-rules.ts) with the document it comes from; the
 * same rules validate our output in tests and can validate foreign names in policies.
 *
 * Shape of a name: `<cluster>-<purpose>`, e.g. `stone-prd-rh01-tekton-results`. When the cluster
 * name cannot be used verbatim (it is too long, has characters AWS rejects or upper case, or starts
 * with something a rule forbids) the name becomes `<cluster, cut to fit>-<hash>-<purpose>`, where
 * `<hash>` is the first 8 hex digits of sha256 of the *full, original* cluster name. The hash keeps
 * two cluster names apart even when they differ only in the part that was cut or rewritten.
 */
import { createHash } from "node:crypto";
import { awsNameRules, type AwsNameKind } from "../../lib/aws-name-rules";

/** Length of the stable hash suffix, in hex digits. */
export const NAME_HASH_LENGTH = 8;

/** First {@link NAME_HASH_LENGTH} hex digits of sha256 over the parts (joined by NUL, so parts cannot run together). */
export function shortHash(...parts: readonly string[]): string {
    return createHash("sha256").update(parts.join("\0")).digest("hex").slice(0, NAME_HASH_LENGTH);
}

/**
 * Stem prefixes that some rule forbids at the start of a name (EC2 `sg-`, S3 `sthree-`,
 * `amzn-s3-demo-`; S3 `xn--` cannot survive slugging because hyphen runs collapse).
 * A stem starting with one of them gets `cluster-` in front, so every name kind starts the same way.
 */
const RESERVED_STEM_PREFIXES: readonly string[] = ["sg-", "sthree-", "amzn-s3-demo-"];

interface Stem {
    /** Lowercase letters/digits/single hyphens, starting with a letter. */
    readonly text: string;
    /** True when `text` is exactly the cluster name, so the name needs no hash to stay unique. */
    readonly verbatim: boolean;
}

/** The cluster name as a name stem every rule above accepts at the start of a name. */
function clusterStem(clusterName: string): Stem {
    if (clusterName.trim() === "") {
        throw new Error("cluster name must not be empty");
    }
    const slug = clusterName
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .replace(/^-+|-+$/g, "");
    const needsPrefix = !/^[a-z]/.test(slug) || RESERVED_STEM_PREFIXES.some((p) => slug.startsWith(p));
    const text = needsPrefix ? (slug === "" ? "cluster" : `cluster-${slug}`) : slug;
    return { text, verbatim: text === clusterName };
}

interface NameRequest {
    readonly clusterName: string;
    /** Fixed lowercase tail naming what the resource is for, e.g. `tekton-results`. */
    readonly purpose: string;
    readonly maxLength: number;
    /** Extra input mixed into the hash (e.g. an AWS account id for global S3 uniqueness). */
    readonly hashSalt?: string;
    /** Add the hash even when the plain name fits (S3 names are global across accounts). */
    readonly alwaysHash?: boolean;
}

function deriveName(request: NameRequest): string {
    const stem = clusterStem(request.clusterName);
    const plain = `${stem.text}-${request.purpose}`;
    if (!request.alwaysHash && stem.verbatim && plain.length <= request.maxLength) {
        return plain;
    }
    const hash =
        request.hashSalt === undefined
            ? shortHash(request.clusterName)
            : shortHash(request.clusterName, request.hashSalt);
    const budget = request.maxLength - request.purpose.length - hash.length - 2;
    if (budget < 1) {
        throw new Error(`purpose "${request.purpose}" leaves no room for the cluster name in ${request.maxLength} characters`);
    }
    // Cutting may leave a trailing hyphen; dropping it avoids "--" before the hash.
    const cut = stem.text.slice(0, budget).replace(/-+$/, "");
    return `${cut}-${hash}-${request.purpose}`;
}

const RESULTS = "tekton-results";

/** RDS DB instance identifier of the Results database, e.g. `stone-prd-rh01-tekton-results`. */
export function rdsInstanceIdentifier(clusterName: string): string {
    return deriveName({ clusterName, purpose: RESULTS, maxLength: awsNameRules.rdsInstanceIdentifier.maxLength });
}

/** Final snapshot taken when the Results database is deleted: `<instance identifier>-final` (≤ 69 of 255). */
export function rdsFinalSnapshotIdentifier(clusterName: string): string {
    return `${rdsInstanceIdentifier(clusterName)}-final`;
}

/** RDS DB subnet group of the Results database. */
export function rdsSubnetGroupName(clusterName: string): string {
    return deriveName({ clusterName, purpose: RESULTS, maxLength: awsNameRules.rdsSubnetGroupName.maxLength });
}

/**
 * RDS DB parameter group of the Results database. Pass the parameter group family (e.g.
 * `postgres17`) so that a major-version upgrade, which needs a new group, gets a new name and the
 * replacement can be created before the old group is deleted.
 */
export function rdsParameterGroupName(clusterName: string, family?: string): string {
    const familySlug = family?.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
    const purpose = familySlug ? `${RESULTS}-${familySlug}` : RESULTS;
    return deriveName({ clusterName, purpose, maxLength: awsNameRules.rdsParameterGroupName.maxLength });
}

/** Security group guarding the Results database. */
export function securityGroupName(clusterName: string): string {
    return deriveName({ clusterName, purpose: `${RESULTS}-db`, maxLength: awsNameRules.securityGroupName.maxLength });
}

/**
 * S3 bucket for Results logs, e.g. `stone-prd-rh01-1a2b3c4d-tekton-results-logs`. Bucket names are
 * global across all AWS accounts, so the hash is always present; pass the AWS account id to keep
 * equally named clusters in different accounts apart.
 */
export function s3BucketName(clusterName: string, accountId?: string): string {
    return deriveName({
        clusterName,
        purpose: `${RESULTS}-logs`,
        maxLength: awsNameRules.s3BucketName.maxLength,
        hashSalt: accountId,
        alwaysHash: true,
    });
}

/** IAM user whose access key Results uses for S3 (static-credential mode). */
export function iamUserName(clusterName: string): string {
    return deriveName({ clusterName, purpose: `${RESULTS}-s3`, maxLength: awsNameRules.iamUserName.maxLength });
}

/** The IAM user's inline policy granting Results access to its log bucket. */
export function iamPolicyName(clusterName: string): string {
    return deriveName({ clusterName, purpose: `${RESULTS}-s3`, maxLength: awsNameRules.iamPolicyName.maxLength });
}

/** IAM role RDS Enhanced Monitoring assumes to publish OS metrics to CloudWatch Logs (`RDSOSMetrics`). */
export function rdsMonitoringRoleName(clusterName: string): string {
    return deriveName({ clusterName, purpose: `${RESULTS}-rds-monitoring`, maxLength: awsNameRules.iamRoleName.maxLength });
}

/** Every name of one cluster, keyed like {@link awsNameRules}. */
export function resultsStorageNames(
    clusterName: string,
    options: { readonly parameterGroupFamily?: string; readonly accountId?: string } = {},
): Readonly<Record<AwsNameKind, string>> {
    return {
        rdsInstanceIdentifier: rdsInstanceIdentifier(clusterName),
        rdsFinalSnapshotIdentifier: rdsFinalSnapshotIdentifier(clusterName),
        rdsSubnetGroupName: rdsSubnetGroupName(clusterName),
        rdsParameterGroupName: rdsParameterGroupName(clusterName, options.parameterGroupFamily),
        securityGroupName: securityGroupName(clusterName),
        s3BucketName: s3BucketName(clusterName, options.accountId),
        iamUserName: iamUserName(clusterName),
        iamRoleName: rdsMonitoringRoleName(clusterName),
        iamPolicyName: iamPolicyName(clusterName),
    };
}
