/**
 * Pure IAM / S3 policy documents for Tekton Results storage.
 *
 * The builders take plain strings (call them inside `.apply` on resource outputs) and return plain
 * objects that are assignable to `aws.iam.PolicyDocument` and `aws.s3.PolicyDocument`, so they can
 * be passed to `aws.iam.Policy`, `aws.iam.Role.assumeRolePolicy` or `aws.s3.BucketPolicy` as they
 * are, or through `JSON.stringify`.
 */

/** IAM policy language version; the only one that supports policy variables and current features. */
export const POLICY_VERSION = "2012-10-17";

/** A principal as written in resource and trust policies. */
export type PolicyPrincipal =
    | "*"
    | { readonly AWS: string | string[] }
    | { readonly Service: string | string[] }
    | { readonly Federated: string | string[] };

/** One statement of an IAM or S3 bucket policy. */
export interface PolicyStatement {
    /** Statement id, unique within the document. */
    readonly Sid: string;
    /** Allow or deny. */
    readonly Effect: "Allow" | "Deny";
    /** Who the statement applies to (resource and trust policies only). */
    readonly Principal?: PolicyPrincipal;
    /** Actions, each `service:Action`. */
    readonly Action: string[];
    /** Resource ARNs (omitted in trust policies). */
    readonly Resource?: string[];
    /** `{ operator: { key: value } }`, e.g. `{ Bool: { "aws:SecureTransport": "false" } }`. */
    readonly Condition?: { readonly [operator: string]: { readonly [key: string]: string } };
}

/** A complete policy document. */
export interface PolicyDocument {
    /** Always {@link POLICY_VERSION}. */
    readonly Version: typeof POLICY_VERSION;
    /** The statements, in a stable order. */
    readonly Statement: PolicyStatement[];
}

/**
 * The S3 calls Tekton Results' log store makes and the IAM action each one needs.
 *
 * Source: tektoncd/results `pkg/api/server/v1alpha2/log/s3.go` — its `s3Client` interface is
 * exactly these six operations (logs are written as one multipart upload per log, read back with
 * GetObject and removed with DeleteObject). It never lists the bucket or its uploads.
 * Operation → action mapping: "Multipart upload API and permissions" in the S3 user guide
 * (CreateMultipartUpload, UploadPart and CompleteMultipartUpload are all authorised by
 * `s3:PutObject`; AbortMultipartUpload by `s3:AbortMultipartUpload`).
 */
export const RESULTS_S3_OPERATIONS: Readonly<Record<string, string>> = {
    CreateMultipartUpload: "s3:PutObject",
    UploadPart: "s3:PutObject",
    CompleteMultipartUpload: "s3:PutObject",
    AbortMultipartUpload: "s3:AbortMultipartUpload",
    GetObject: "s3:GetObject",
    DeleteObject: "s3:DeleteObject",
};

/** The object-level IAM actions Results needs, sorted and without duplicates. */
export const RESULTS_OBJECT_ACTIONS: readonly string[] = [...new Set(Object.values(RESULTS_S3_OPERATIONS))].sort();

function assertBucketArn(bucketArn: string): void {
    // arn:<partition>:s3:::<bucket> — no region/account, no key; a wildcard would widen the grant.
    if (!/^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucketArn)) {
        throw new Error(`expected an S3 bucket ARN (arn:aws:s3:::<bucket>), got "${bucketArn}"`);
    }
}

/**
 * Identity policy for the principal Results uses for S3 (its IAM user): the object
 * actions of {@link RESULTS_OBJECT_ACTIONS} on the bucket's objects and nothing else.
 *
 * There is deliberately no bucket-level statement: Results makes no bucket-level call. Without
 * `s3:ListBucket`, a GetObject on a missing key returns 403 instead of 404; Results reports either
 * as an internal error, so nothing is lost. If the bucket uses SSE-KMS with a customer key, the key
 * policy must additionally allow `kms:GenerateDataKey` and `kms:Decrypt` (SSE-S3 needs nothing).
 */
export function resultsBucketAccessPolicy(bucketArn: string): PolicyDocument {
    assertBucketArn(bucketArn);
    return {
        Version: POLICY_VERSION,
        Statement: [
            {
                Sid: "TektonResultsLogObjects",
                Effect: "Allow",
                Action: [...RESULTS_OBJECT_ACTIONS],
                Resource: [`${bucketArn}/*`],
            },
        ],
    };
}

/**
 * Bucket policy that refuses every request made over plain HTTP, for any principal, on the bucket
 * and its objects (AWS Security Hub control S3.5).
 */
export function denyInsecureTransportPolicy(bucketArn: string): PolicyDocument {
    assertBucketArn(bucketArn);
    return {
        Version: POLICY_VERSION,
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: ["s3:*"],
                Resource: [bucketArn, `${bucketArn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    };
}

/** The service principal RDS Enhanced Monitoring assumes its role as (RDS user guide, "Setting up and enabling Enhanced Monitoring"). */
export const RDS_MONITORING_PRINCIPAL = "monitoring.rds.amazonaws.com";

/** Trust policy of the Enhanced Monitoring role: only the RDS monitoring service may assume it. */
export function rdsMonitoringTrustPolicy(): PolicyDocument {
    return {
        Version: POLICY_VERSION,
        Statement: [
            {
                Sid: "RdsEnhancedMonitoring",
                Effect: "Allow",
                Principal: { Service: RDS_MONITORING_PRINCIPAL },
                Action: ["sts:AssumeRole"],
            },
        ],
    };
}
