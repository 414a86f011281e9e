/**
 * The Results storage records of a render, shared by the storage test files: type tokens, input access,
 * and the component's own children.
 */
import * as assert from "node:assert/strict";
import type { RenderResult, ResourceRecord } from "../render";
import { single } from "./harness";

export const STORAGE_TYPES = {
    component: "pipeline-service:storage:ResultsStorage",
    instance: "aws:rds/instance:Instance",
    subnetGroup: "aws:rds/subnetGroup:SubnetGroup",
    parameterGroup: "aws:rds/parameterGroup:ParameterGroup",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    password: "random:index/randomPassword:RandomPassword",
    bucket: "aws:s3/bucket:Bucket",
    publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    user: "aws:iam/user:User",
    userPolicy: "aws:iam/userPolicy:UserPolicy",
    accessKey: "aws:iam/accessKey:AccessKey",
    monitoringRole: "aws:iam/role:Role",
    monitoringPolicy: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    /** The S3 key rotation guard (components/storage/rotation.ts), a dynamic resource. */
    rotationGuard: "pulumi-nodejs:dynamic/pipeline-service:S3KeyRotationGuard",
} as const;

/** The AwsMonitoring component (components/observability/aws-alarms.ts) and what it registers. */
export const MONITORING_TYPES = {
    component: "pipeline-service:observability:AwsMonitoring",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    bucketMetric: "aws:s3/bucketMetric:BucketMetric",
} as const;

/** One recorded input of a resource. */
export function input<T>(record: ResourceRecord, key: string): T {
    return record.inputs[key] as T;
}

/** The children of the ResultsStorage component. */
export function storageResources(result: RenderResult): ResourceRecord[] {
    const component = single(result, STORAGE_TYPES.component);
    return result.resources.filter((record) => record.parent === component.urn);
}

/** The children of the AwsMonitoring component. */
export function monitoringResources(result: RenderResult): ResourceRecord[] {
    const component = single(result, MONITORING_TYPES.component);
    return result.resources.filter((record) => record.parent === component.urn);
}

/** The log bucket's ARN (both example stacks are in us-east-1: partition "aws"). */
export function bucketArnOf(result: RenderResult): string {
    assert.equal(result.settings.config["aws:region"], "us-east-1");
    return `arn:aws:s3:::${input<string>(single(result, STORAGE_TYPES.bucket), "bucket")}`;
}

/** A render of prod with a 63-character cluster name, PostgreSQL 18, a customer KMS key and log expiry. */
export const OVERRIDES = {
    /** 63 characters (the config maximum), starting with a digit so no AWS name can use it verbatim. */
    longCluster: `0${"stone-prd-rh01-".repeat(5)}`.slice(0, 62) + "z",
    kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    retentionDays: 400,
    logMarginDays: 14,
} as const;
