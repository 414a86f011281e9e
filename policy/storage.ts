/**
 * Policies on Tekton Results storage: the RDS PostgreSQL instance and the S3 log bucket.
 *
 * Argument names are those of @pulumi/aws 7 (`rds/instance.d.ts`: storageEncrypted, publiclyAccessible, multiAz,
 * deletionProtection, backupRetentionPeriod, parameterGroupName, tags; `rds/parameterGroup.d.ts`: parameters
 * [{name, value, applyMethod}]; `s3/bucketPublicAccessBlock.d.ts`: blockPublicAcls, blockPublicPolicy,
 * ignorePublicAcls, restrictPublicBuckets; `s3/bucketServerSideEncryptionConfiguration.d.ts`:
 * rules[].applyServerSideEncryptionByDefault.sseAlgorithm; `s3/bucketPolicy.d.ts`: policy, a JSON string or document).
 * RDS only defaults `rds.force_ssl` to 1 from PostgreSQL 15, so the parameter group must set it.
 */
import type { PolicyResource, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { asArray, asRecord, asString, describe, linkedResources, resourcesOfType, tektonConfigForm, TYPES } from "./resource-facts";

/** Whether the parameter group sets `rds.force_ssl` to 1. */
function forcesTls(parameterGroup: PolicyResource): boolean {
    return asArray(parameterGroup.props.parameters).some((raw) => {
        const parameter = asRecord(raw) ?? {};
        return parameter.name === "rds.force_ssl" && String(parameter.value) === "1";
    });
}

export const resultsDbHardened: StackValidationPolicy = {
    name: "results-db-hardened",
    description:
        "Checks whether every RDS instance (the Tekton Results database) is encrypted at rest, not publicly accessible, and forces " +
        "TLS through a parameter group of this stack that sets rds.force_ssl=1: Results stores every PipelineRun and TaskRun, and " +
        "its clients connect with sslmode verify-full.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const parameterGroups = resourcesOfType(args.resources, TYPES.rdsParameterGroup);
        for (const db of resourcesOfType(args.resources, TYPES.rdsInstance)) {
            const label = describe(db);
            if (db.props.storageEncrypted !== true) {
                reportViolation(`${label} is not encrypted at rest: set storageEncrypted: true.`, db.urn);
            }
            if (db.props.publiclyAccessible === true) {
                reportViolation(`${label} is publicly accessible: set publiclyAccessible: false (clients reach it from the cluster's VPC).`, db.urn);
            }
            const linked = linkedResources(db, parameterGroups, (group) => {
                const groupName = asString(group.props.name);
                return groupName !== undefined && groupName === asString(db.props.parameterGroupName);
            });
            if (linked.length === 0) {
                reportViolation(`${label} uses no parameter group of this stack: attach one (parameterGroupName) that sets rds.force_ssl=1.`, db.urn);
            } else if (!linked.some(forcesTls)) {
                reportViolation(`${label}'s parameter group does not force TLS: add the parameter {name: "rds.force_ssl", value: "1"}.`, db.urn);
            }
        }
    },
};

/** The four public-access switches, all of which must be true. */
const PUBLIC_ACCESS_SWITCHES = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;
/** Server-side encryption algorithms S3 accepts. */
const SSE_ALGORITHMS: readonly string[] = ["AES256", "aws:kms", "aws:kms:dsse"];

/** Whether a companion's `bucket` input names the bucket (fallback when no dependency links them). */
function namesBucket(companion: PolicyResource, bucket: PolicyResource): boolean {
    const target = asString(companion.props.bucket);
    return target !== undefined && (target === asString(bucket.props.bucket) || target === asString(bucket.props.id));
}

/** Companions of `type` that belong to `bucket`. */
function companionsOf(bucket: PolicyResource, all: readonly PolicyResource[], type: string): PolicyResource[] {
    const buckets = resourcesOfType(all, TYPES.bucket);
    return resourcesOfType(all, type).filter((companion) =>
        linkedResources(companion, buckets, (candidate) => namesBucket(companion, candidate)).some((b) => b.urn === bucket.urn),
    );
}

/** Whether a rule list sets default encryption with a known algorithm. */
function encryptsByDefault(rules: unknown): boolean {
    return asArray(rules).some((raw) => {
        const byDefault = asRecord(asRecord(raw)?.applyServerSideEncryptionByDefault);
        return SSE_ALGORITHMS.includes(asString(byDefault?.sseAlgorithm) ?? "");
    });
}

/** Whether a bucket policy document denies every request that does not use TLS. */
export function deniesInsecureTransport(document: unknown): boolean {
    const statements = asRecord(document)?.Statement;
    return (Array.isArray(statements) ? statements : [statements]).some((raw) => {
        const statement = asRecord(raw) ?? {};
        const principal = statement.Principal;
        const everyone = principal === "*" || asRecord(principal)?.AWS === "*";
        const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
        const allActions = actions.includes("s3:*") || actions.includes("*");
        const secureTransport = asRecord(asRecord(statement.Condition)?.Bool)?.["aws:SecureTransport"];
        const insecureOnly = secureTransport === "false" || secureTransport === false || (Array.isArray(secureTransport) && secureTransport.includes("false"));
        return statement.Effect === "Deny" && everyone && allActions && insecureOnly;
    });
}

/** Parses a bucket policy input (a JSON string or a document object); undefined when it is not valid JSON. */
function parsePolicyDocument(policy: unknown): unknown {
    if (typeof policy !== "string") {
        return policy;
    }
    try {
        return JSON.parse(policy) as unknown;
    } catch (error) {
        if (error instanceof SyntaxError) {
            return undefined;
        }
        throw error;
    }
}

export const resultsBucketHardened: StackValidationPolicy = {
    name: "results-bucket-hardened",
    description:
        "Checks whether every S3 bucket (Tekton Results logs) has a public-access block with all four switches true, default " +
        "server-side encryption, and a bucket policy that denies requests without TLS (aws:SecureTransport false): build logs " +
        "may contain anything a pipeline printed. It judges the separate BucketPublicAccessBlock, " +
        "BucketServerSideEncryptionConfiguration and BucketPolicy resources, whose inputs a first preview knows, never the " +
        "bucket's own computed outputs (acl, serverSideEncryptionConfiguration), which it does not.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const buckets = resourcesOfType(args.resources, TYPES.bucket);
        // First every check that reads no policy document (documents often embed ARNs unknown before apply; touching
        // one skips the rest of the policy, so it comes last).
        for (const bucket of buckets) {
            const label = describe(bucket);
            const blocks = companionsOf(bucket, args.resources, TYPES.bucketPublicAccessBlock);
            // ignorePublicAcls makes any ACL on the bucket or its objects inert, so the bucket's own acl need not be read.
            if (!blocks.some((block) => PUBLIC_ACCESS_SWITCHES.every((key) => block.props[key] === true))) {
                reportViolation(`${label} is not fully blocked from public access: add a BucketPublicAccessBlock with ${PUBLIC_ACCESS_SWITCHES.join(", ")} all true.`, bucket.urn);
            }
            if (!companionsOf(bucket, args.resources, TYPES.bucketEncryption).some((e) => encryptsByDefault(e.props.rules))) {
                reportViolation(`${label} has no default encryption: add a BucketServerSideEncryptionConfiguration with sseAlgorithm AES256 or aws:kms.`, bucket.urn);
            }
        }
        for (const bucket of buckets) {
            const policies = companionsOf(bucket, args.resources, TYPES.bucketPolicy);
            if (!policies.some((p) => deniesInsecureTransport(parsePolicyDocument(p.props.policy)))) {
                reportViolation(
                    `${describe(bucket)} accepts requests without TLS: add a BucketPolicy statement {Effect: "Deny", Principal: "*", Action: "s3:*", ` +
                        `Condition: {Bool: {"aws:SecureTransport": "false"}}} for the bucket and its objects.`,
                    bucket.urn,
                );
            }
        }
    },
};

/** Results' own default when the retention ConfigMap sets none (results v0.16.0 config-results-retention-policy.yaml). */
const RESULTS_DEFAULT_RETENTION_DAYS = 30;
const RETENTION_CONFIGMAP = "tekton-results-config-results-retention-policy";

export const resultsLogExpiryAfterRetention: StackValidationPolicy = {
    name: "results-log-expiry-after-retention",
    description:
        "Checks whether every S3 bucket's lifecycle expires objects after a finite number of days that is at least the Tekton " +
        "Results record retention (defaultRetention of its retention policy, 30 by default): the retention job deletes database " +
        "rows only, never log objects, so without the rule the bucket grows without bound, and with a shorter one logs vanish " +
        "while their records still point at them.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const configs = args.resources.filter((r) => tektonConfigForm(r.type) === "object");
        const retentionDays = Math.max(RESULTS_DEFAULT_RETENTION_DAYS, ...configs.map((config) => {
            const data = asRecord(asRecord(asRecord(asRecord(asRecord(asRecord(config.props.spec)?.result)?.options)?.configMaps)?.[RETENTION_CONFIGMAP])?.data);
            return Number(asString(data?.defaultRetention) ?? RESULTS_DEFAULT_RETENTION_DAYS);
        }));
        for (const bucket of resourcesOfType(args.resources, TYPES.bucket)) {
            const expirations = companionsOf(bucket, args.resources, TYPES.bucketLifecycle)
                .flatMap((lifecycle) => asArray(lifecycle.props.rules).map(asRecord))
                .filter((rule) => rule?.status === "Enabled")
                .map((rule) => asRecord(rule?.expiration)?.days)
                .filter((days): days is number => typeof days === "number");
            if (expirations.length === 0) {
                reportViolation(`${describe(bucket)} has no lifecycle rule that expires objects: add one after ${retentionDays} days (the Results retention) plus a margin.`, bucket.urn);
            } else if (Math.min(...expirations) < retentionDays) {
                reportViolation(`${describe(bucket)} expires objects after ${Math.min(...expirations)} days, before Results deletes their records (${retentionDays} days).`, bucket.urn);
            }
        }
    },
};

/** Whether the RDS instance belongs to a production stack: tag `environment: prod` (every AWS resource carries it). */
function isProdDatabase(args: ResourceValidationArgs): boolean {
    return args.type === TYPES.rdsInstance && asRecord(args.props.tags)?.environment === "prod";
}

export const resultsDbProdMultiAz: ResourceValidationPolicy = {
    name: "results-db-prod-multi-az",
    description: "Checks whether a production (tag environment: prod) Results database runs Multi-AZ, so one zone's outage does not stop Tekton Results.",
    enforcementLevel: "advisory",
    validateResource: (args, reportViolation) => {
        if (isProdDatabase(args) && args.props.multiAz !== true) {
            reportViolation("This production database is single-AZ: set multiAz: true.");
        }
    },
};

export const resultsDbProdDeletionProtection: ResourceValidationPolicy = {
    name: "results-db-prod-deletion-protection",
    description: "Checks whether a production (tag environment: prod) Results database has deletion protection, so the archive of every run cannot be deleted by accident.",
    enforcementLevel: "advisory",
    validateResource: (args, reportViolation) => {
        if (isProdDatabase(args) && args.props.deletionProtection !== true) {
            reportViolation("This production database can be deleted: set deletionProtection: true.");
        }
    },
};

/** Config of `results-db-prod-backup-retention`. */
export interface BackupRetentionConfig {
    /** Fewest days of automated backups a production database keeps (default 7). */
    readonly minimumRetentionDays: number;
}

export const resultsDbProdBackupRetention: ResourceValidationPolicy = {
    name: "results-db-prod-backup-retention",
    description: "Checks whether a production (tag environment: prod) Results database keeps automated backups for at least minimumRetentionDays (default 7), so a bad migration or deletion can be rolled back.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            minimumRetentionDays: { type: "integer", minimum: 1, maximum: 35, default: 7, description: "Fewest days of automated backups (RDS allows up to 35)." },
        },
    },
    validateResource: (args, reportViolation) => {
        if (!isProdDatabase(args)) {
            return;
        }
        const { minimumRetentionDays } = args.getConfig<BackupRetentionConfig>();
        const days = args.props.backupRetentionPeriod;
        if (typeof days !== "number" || days < minimumRetentionDays) {
            reportViolation(`This production database keeps backups for ${days === undefined ? "the provider default number of" : String(days)} days: set backupRetentionPeriod to at least ${minimumRetentionDays}.`);
        }
    },
};

/** Config of `results-s3-key-age`. */
export interface AccessKeyAgeConfig {
    /** Oldest an access key may be, in days. */
    readonly maxAgeDays: number;
}

const ACCESS_KEY = "aws:iam/accessKey:AccessKey";
const DAY_MS = 24 * 3600 * 1000;

export const resultsS3KeyAge: StackValidationPolicy = {
    name: "results-s3-key-age",
    description:
        "Checks whether every IAM access key of the stack (the one Tekton Results reads S3 with: its S3 client takes only a " +
        "static key) is younger than maxAgeDays (default 90; AWS Security Hub FSBP IAM.3). The age is the key's createDate " +
        "output from the engine's state: a key the preview is about to create has none yet and is new. Rotate by stepping " +
        "results.s3KeyRotation (advisory in dev through policy/config/dev.json).",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxAgeDays: { type: "integer", minimum: 1, maximum: 3650, default: 90, description: "Oldest an access key may be, in days." },
        },
    },
    validateStack: (args, reportViolation) => {
        const { maxAgeDays } = args.getConfig<AccessKeyAgeConfig>();
        for (const key of resourcesOfType(args.resources, ACCESS_KEY)) {
            // An unchanged key is a same step, whose new state keeps the old outputs even in preview (pulumi/pulumi
            // pkg/resource/deploy/step.go `SameStep.Apply`: s.new.Outputs = s.old.Outputs), createDate among them. A key
            // about to be created has it unknown: read through the property descriptor, which the runtime's props proxy
            // does not trap (@pulumi/policy proxy.js `proxyHelper` traps `get` alone), so a new key is skipped instead of
            // degrading the whole policy to "can't run during preview". The unknown sentinel parses as no date.
            const created = Date.parse(asString(Object.getOwnPropertyDescriptor(key.props, "createDate")?.value) ?? "");
            if (Number.isNaN(created)) {
                continue; // Not created yet (unknown in preview) or not reported: nothing to age.
            }
            const days = Math.floor((Date.now() - created) / DAY_MS);
            if (days > maxAgeDays) {
                reportViolation(
                    `${describe(key)} was created ${days} days ago (${new Date(created).toISOString().slice(0, 10)}), more than ${maxAgeDays}: ` +
                        "rotate it, one step per up: set results.s3KeyRotation to its next state (a → a-to-b → b → b-to-a → a; docs/operations.md, Rotate the Results S3 key).",
                    key.urn,
                );
            }
        }
    },
};

/** The policies of this area, in pack order. */
export const storagePolicies: readonly (ResourceValidationPolicy | StackValidationPolicy)[] = [
    resultsDbHardened,
    resultsBucketHardened,
    resultsLogExpiryAfterRetention,
    resultsDbProdMultiAz,
    resultsDbProdDeletionProtection,
    resultsDbProdBackupRetention,
    resultsS3KeyAge,
];
