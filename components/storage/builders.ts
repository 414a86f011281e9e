/**
 * Pure settings for the Tekton Results storage on AWS: what the RDS instance, its parameter group and the
 * bucket's lifecycle look like for a given sizing. `ResultsStorage` only wires them into resources.
 */
// Sub-module type imports: the package root would bring every service's declarations into each type check.
import type { InstanceArgs } from "@pulumi/aws/rds/instance";
import type * as awsInput from "@pulumi/aws/types/input";
import { performanceInsightsSupported } from "../../lib/aws-limits";
import { POLICY_VERSION, resultsBucketAccessPolicy, type PolicyDocument, type PolicyStatement } from "./iam";

/** Results' own database and role (RDS database names allow letters, digits and underscores only). */
export const RESULTS_DB_NAME = "tekton_results";
export const RESULTS_DB_USER = "tekton_results";
export const POSTGRES_PORT = 5432;
/** The CA that signs the instance's server certificate; its root is in the bundle Results verifies with. */
export const RDS_CA_CERT_IDENTIFIER = "rds-ca-rsa2048-g1";
/** Log types RDS PostgreSQL exports to CloudWatch. */
export const RDS_LOG_EXPORTS = ["postgresql", "upgrade"] as const;

/** Sizing and durability of the database, after environment defaults. */
export interface DatabaseSizing {
    readonly engineVersion: "17" | "18";
    readonly instanceClass: string;
    readonly allocatedStorage: number;
    readonly maxAllocatedStorage: number;
    readonly multiAz: boolean;
    readonly backupRetentionDays: number;
    readonly deletionProtection: boolean;
    readonly kmsKeyArn?: string;
}

/** Everything the stack decides about the storage: the database, its log retention, the log bucket's expiry. */
export interface StorageSettings extends DatabaseSizing {
    /** CloudWatch retention of the exported PostgreSQL logs. */
    readonly logRetentionDays: number;
    /** Expire archived logs after this many days (their records' retention plus a margin). */
    readonly logExpirationDays: number;
}

/** How closely RDS watches the database (issue 15); absent when observability is off. */
export interface DatabaseMonitoring {
    /** Enhanced Monitoring interval in seconds (1, 5, 10, 15, 30 or 60). */
    readonly monitoringIntervalSeconds: 1 | 5 | 10 | 15 | 30 | 60;
    /** Performance Insights retention: 7 (free), 731, or a multiple of 31. */
    readonly performanceInsightsRetentionDays: number;
}

/** The database engine; the monitoring builders need it for Performance Insights support. */
export const RESULTS_DB_ENGINE = "postgres";

/** `postgres17` for engine version 17: the parameter group family must match the major version. */
export function parameterGroupFamily(engineVersion: string): string {
    const major = engineVersion.split(".")[0];
    if (!/^[0-9]+$/.test(major)) {
        throw new Error(`not a PostgreSQL engine version: ${engineVersion}`);
    }
    return `postgres${major}`;
}

/** The parameters the database must run with: TLS required (the default only from PostgreSQL 15 on). */
export function databaseParameters(): awsInput.rds.ParameterGroupParameter[] {
    return [{ name: "rds.force_ssl", value: "1", applyMethod: "immediate" }];
}

/** AWS partition of a region, for ARNs built before the resources exist. */
export function awsPartition(region: string): string {
    if (region.startsWith("cn-")) {
        return "aws-cn";
    }
    if (region.startsWith("us-gov-")) {
        return "aws-us-gov";
    }
    return "aws";
}

/** ARN of a bucket by name: known in preview, unlike `bucket.arn`. */
export function bucketArn(region: string, bucketName: string): string {
    return `arn:${awsPartition(region)}:s3:::${bucketName}`;
}

/** Regional S3 host name (also the value of `kms:ViaService` for calls S3 makes to KMS). */
export function s3Host(region: string): string {
    return `s3.${region}.amazonaws.com${region.startsWith("cn-") ? ".cn" : ""}`;
}

/** Regional S3 endpoint Results talks to. */
export function s3Endpoint(region: string): string {
    return `https://${s3Host(region)}`;
}

/**
 * RDS instance arguments that follow from sizing and environment (everything but names, network and
 * password). Prod keeps a final snapshot under a deterministic identifier; dev skips it.
 */
export function databaseInstanceSettings(sizing: DatabaseSizing, finalSnapshotIdentifier: string, keepFinalSnapshot: boolean) {
    return {
        engine: RESULTS_DB_ENGINE,
        engineVersion: sizing.engineVersion,
        instanceClass: sizing.instanceClass,
        allocatedStorage: sizing.allocatedStorage,
        maxAllocatedStorage: sizing.maxAllocatedStorage,
        storageType: "gp3",
        storageEncrypted: true,
        ...(sizing.kmsKeyArn === undefined ? {} : { kmsKeyId: sizing.kmsKeyArn }),
        dbName: RESULTS_DB_NAME,
        username: RESULTS_DB_USER,
        port: POSTGRES_PORT,
        publiclyAccessible: false,
        multiAz: sizing.multiAz,
        backupRetentionPeriod: sizing.backupRetentionDays,
        backupWindow: "03:00-04:00",
        maintenanceWindow: "sun:04:30-sun:05:30",
        deletionProtection: sizing.deletionProtection,
        autoMinorVersionUpgrade: true,
        // A major upgrade is a planned change: it needs a new parameter group family anyway.
        allowMajorVersionUpgrade: false,
        copyTagsToSnapshot: true,
        enabledCloudwatchLogsExports: [...RDS_LOG_EXPORTS],
        caCertIdentifier: RDS_CA_CERT_IDENTIFIER,
        skipFinalSnapshot: !keepFinalSnapshot,
        ...(keepFinalSnapshot ? { finalSnapshotIdentifier } : {}),
    } satisfies Partial<InstanceArgs>;
}

/**
 * The RDS instance's monitoring arguments. Enhanced Monitoring (OS metrics every `monitoringIntervalSeconds`, published
 * by RDS through `roleArn`) satisfies Security Hub FSBP control RDS.6 ("Enhanced monitoring should be configured for RDS
 * DB instances"). Performance Insights (query load by wait, SQL and user) answers to no FSBP control; it is on because it
 * is what one opens when the latency alarms fire. It encrypts with the instance's storage CMK when there is one (a PI
 * key can never be changed once set), else with RDS's AWS-managed key. Classes RDS offers no PI on get none
 * (lib/aws-limits.ts: none for PostgreSQL). Without monitoring (observability off) both stay off explicitly.
 */
export function databaseMonitoringSettings<Arn>(monitoring: DatabaseMonitoring | undefined, sizing: DatabaseSizing, roleArn: Arn) {
    if (monitoring === undefined) {
        return { monitoringInterval: 0, performanceInsightsEnabled: false };
    }
    const insights = performanceInsightsSupported(RESULTS_DB_ENGINE, sizing.instanceClass)
        ? {
            performanceInsightsEnabled: true,
            performanceInsightsRetentionPeriod: monitoring.performanceInsightsRetentionDays,
            ...(sizing.kmsKeyArn === undefined ? {} : { performanceInsightsKmsKeyId: sizing.kmsKeyArn }),
        }
        : { performanceInsightsEnabled: false };
    return { monitoringInterval: monitoring.monitoringIntervalSeconds, monitoringRoleArn: roleArn, ...insights };
}

/**
 * An AWS-managed policy's ARN in the region's partition: the @pulumi/aws `iam.ManagedPolicy` enum spells every ARN in
 * the commercial partition (`arn:aws:`), which GovCloud and China do not accept.
 */
export function managedPolicyArn(commercialArn: string, region: string): string {
    return commercialArn.replace(/^arn:aws:/, `arn:${awsPartition(region)}:`);
}

/**
 * Lifecycle of the log bucket: abort stale multipart uploads (Results only aborts one when a part upload
 * fails), expire noncurrent versions, and expire logs. Results never deletes a log object when it ages out a
 * record: its retention job deletes database rows only (tektoncd/results v0.16.0 `pkg/retention`, see
 * docs/operator-facts-v0.77.1.md §3), so the bucket does it, a margin after the records.
 */
export function bucketLifecycleRules(logExpirationDays: number): awsInput.s3.BucketLifecycleConfigurationRule[] {
    return [
        { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } },
        { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 30 } },
        { id: "expire-logs", status: "Enabled", filter: {}, expiration: { days: logExpirationDays } },
    ];
}

/**
 * Use of the customer KMS key that encrypts the bucket, for S3 on the principal's behalf only: SSE-KMS
 * uploads (multipart included) need kms:GenerateDataKey and kms:Decrypt, downloads kms:Decrypt. With the
 * default key policy (which delegates to IAM) the grant must be in the identity policy.
 */
export function kmsKeyUseStatement(kmsKeyArn: string, region: string): PolicyStatement {
    return {
        Sid: "TektonResultsLogEncryptionKey",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: [kmsKeyArn],
        Condition: { StringEquals: { "kms:ViaService": s3Host(region) } },
    };
}

/** The Results IAM principal's whole policy: its bucket's objects, plus the bucket's KMS key when there is one. */
export function resultsAccessPolicy(bucketArn: string, region: string, kmsKeyArn?: string): PolicyDocument {
    const objects = resultsBucketAccessPolicy(bucketArn);
    return {
        Version: POLICY_VERSION,
        Statement: kmsKeyArn === undefined ? objects.Statement : [...objects.Statement, kmsKeyUseStatement(kmsKeyArn, region)],
    };
}
