/**
 * Deterministic AWS resource names for one cluster's Tekton Results storage.
 *
 * Every name is derived from the cluster name alone (plus, for S3, an optional account id), so a
 * stack always computes the same names and two clusters never share one. Each AWS naming rule is
 * written down once as data ({@link awsNameRules}) with the document it comes from; the same rules
 * validate our output in tests and can validate foreign names in policies.
 *
 * Shape of a name: `<cluster>-<purpose>`, e.g. `stone-prd-rh01-tekton-results`. When the cluster
 * name cannot be used verbatim (it is too long, has characters AWS rejects or upper case, or starts
 * with something a rule forbids) the name becomes `<cluster, cut to fit>-<hash>-<purpose>`, where
 * `<hash>` is the first 8 hex digits of sha256 of the *full, original* cluster name. The hash keeps
 * two cluster names apart even when they differ only in the part that was cut or rewritten.
 */
import { createHash } from "node:crypto";

/** A documented AWS naming rule, checkable offline. */
export interface NameRule {
    /** What the name belongs to, for error messages (e.g. "RDS DB instance identifier"). */
    readonly subject: string;
    /** Where the rule is documented. */
    readonly source: string;
    /** Minimum length in characters. */
    readonly minLength: number;
    /** Maximum length in characters. */
    readonly maxLength: number;
    /** Allowed characters and overall shape (anchored). */
    readonly pattern: RegExp;
    /** Human-readable description of {@link pattern}. */
    readonly patternDescription: string;
    /** Prefixes a name must not start with (compared case-insensitively). */
    readonly forbiddenPrefixes?: readonly string[];
    /** Suffixes a name must not end with (compared case-insensitively). */
    readonly forbiddenSuffixes?: readonly string[];
    /** Substrings a name must not contain anywhere. */
    readonly forbiddenSubstrings?: readonly string[];
    /** Whole names that are reserved (compared case-insensitively). */
    readonly forbiddenNames?: readonly string[];
}

// RDS rules are the intersection of the RDS API reference and the Pulumi AWS provider's own
// validation (bridged from terraform-provider-aws internal/service/rds/validate.go), which only
// accepts lower case even where RDS itself would fold the case.
const rdsIdentifierRule = (subject: string, maxLength: number, source: string): NameRule => ({
    subject,
    source,
    minLength: 1,
    maxLength,
    pattern: /^[a-z][a-z0-9-]*$/,
    patternDescription: "lowercase letters, digits and hyphens, starting with a letter",
    forbiddenSuffixes: ["-"],
    forbiddenSubstrings: ["--"],
});

const iamNameRule = (subject: string, maxLength: number, source: string): NameRule => ({
    subject,
    source,
    minLength: 1,
    maxLength,
    pattern: /^[\w+=,.@-]+$/,
    patternDescription: "letters, digits and _+=,.@-",
});

/** The AWS naming rules this module's names must satisfy, keyed like the name functions. */
export const awsNameRules = {
    /** CreateDBInstance `DBInstanceIdentifier`: 1–63, letter first, no trailing hyphen or `--`. */
    rdsInstanceIdentifier: rdsIdentifierRule(
        "RDS DB instance identifier",
        63,
        "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
    ),
    /** DeleteDBInstance `FinalDBSnapshotIdentifier`: 1–255, otherwise the instance identifier rules. */
    rdsFinalSnapshotIdentifier: rdsIdentifierRule(
        "RDS final DB snapshot identifier",
        255,
        "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html",
    ),
    /** CreateDBSubnetGroup `DBSubnetGroupName`: ≤255, letter first, letters/digits/`._ -`, not `default`. */
    rdsSubnetGroupName: {
        subject: "RDS DB subnet group name",
        source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html",
        minLength: 1,
        maxLength: 255,
        pattern: /^[a-z][a-z0-9._ -]*$/,
        patternDescription: "lowercase letters, digits, periods, underscores, spaces and hyphens, starting with a letter",
        forbiddenNames: ["default"],
    },
    /** CreateDBParameterGroup `DBParameterGroupName`: 1–255, letter first, no trailing hyphen or `--`. */
    rdsParameterGroupName: rdsIdentifierRule(
        "RDS DB parameter group name",
        255,
        "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBParameterGroup.html",
    ),
    /** EC2 CreateSecurityGroup `GroupName`: ≤255, must not start with `sg-`, limited punctuation. */
    securityGroupName: {
        subject: "EC2 security group name",
        source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
        minLength: 1,
        maxLength: 255,
        pattern: /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/,
        patternDescription: "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*",
        forbiddenPrefixes: ["sg-"],
    },
    /**
     * S3 general purpose bucket: 3–63, lowercase letters/digits/hyphens, letter or digit at both
     * ends, reserved prefixes and suffixes. Periods are legal but we forbid them: they break TLS
     * for virtual-hosted-style requests and Transfer Acceleration.
     */
    s3BucketName: {
        subject: "S3 bucket name",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
        minLength: 3,
        maxLength: 63,
        pattern: /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
        patternDescription: "lowercase letters, digits and hyphens, starting and ending with a letter or digit",
        forbiddenPrefixes: ["xn--", "sthree-", "amzn-s3-demo-"],
        forbiddenSuffixes: ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"],
    },
    /** IAM CreateUser `UserName`: 1–64 of `[\w+=,.@-]`. */
    iamUserName: iamNameRule(
        "IAM user name",
        64,
        "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html",
    ),
    /** IAM CreatePolicy `PolicyName`: 1–128 of `[\w+=,.@-]`. */
    iamPolicyName: iamNameRule(
        "IAM policy name",
        128,
        "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html",
    ),
} as const satisfies Record<string, NameRule>;

/** Key of one rule in {@link awsNameRules}. */
export type AwsNameKind = keyof typeof awsNameRules;

/** Every way `name` breaks `rule`; empty when the name is valid. */
export function nameProblems(rule: NameRule, name: string): string[] {
    const problems: string[] = [];
    const lower = name.toLowerCase();
    if (name.length < rule.minLength || name.length > rule.maxLength) {
        problems.push(`length ${name.length} is outside ${rule.minLength}–${rule.maxLength}`);
    }
    if (!rule.pattern.test(name)) {
        problems.push(`must consist of ${rule.patternDescription}`);
    }
    for (const prefix of rule.forbiddenPrefixes ?? []) {
        if (lower.startsWith(prefix)) problems.push(`must not start with "${prefix}"`);
    }
    for (const suffix of rule.forbiddenSuffixes ?? []) {
        if (lower.endsWith(suffix)) problems.push(`must not end with "${suffix}"`);
    }
    for (const part of rule.forbiddenSubstrings ?? []) {
        if (name.includes(part)) problems.push(`must not contain "${part}"`);
    }
    for (const reserved of rule.forbiddenNames ?? []) {
        if (lower === reserved) problems.push(`"${reserved}" is reserved`);
    }
    return problems;
}

/** Whether `name` satisfies `rule`. */
export function isValidName(rule: NameRule, name: string): boolean {
    return nameProblems(rule, name).length === 0;
}

/** Throws an Error naming every problem when `name` breaks `rule`. */
export function assertValidName(rule: NameRule, name: string): void {
    const problems = nameProblems(rule, name);
    if (problems.length > 0) {
        throw new Error(`invalid ${rule.subject} "${name}" (${rule.source}): ${problems.join("; ")}`);
    }
}

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
        iamPolicyName: iamPolicyName(clusterName),
    };
}
