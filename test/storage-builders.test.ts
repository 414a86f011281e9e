import * as assert from "node:assert/strict";
import {
    awsPartition, bucketArn, bucketLifecycleRules, databaseInstanceSettings, databaseParameters, kmsKeyUseStatement, parameterGroupFamily,
    resultsAccessPolicy, s3Endpoint, s3Host, type DatabaseSizing,
} from "../components/storage/builders";
import { smallestAutoscalingCeiling, storageAutoscalingProblem } from "../lib/aws-limits";
import { resultsBucketAccessPolicy } from "../components/storage/iam";

const SIZING: DatabaseSizing = {
    engineVersion: "17",
    instanceClass: "db.t4g.small",
    allocatedStorage: 20,
    maxAllocatedStorage: 50,
    multiAz: false,
    backupRetentionDays: 1,
    deletionProtection: false,
};
const KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const BUCKET_ARN = "arn:aws:s3:::stone-stg-rh01-c58277df-tekton-results-logs";

describe("storage builders (pure)", () => {
    it("derives the parameter group family from the major version only", () => {
        assert.equal(parameterGroupFamily("17"), "postgres17");
        assert.equal(parameterGroupFamily("18.1"), "postgres18");
        assert.throws(() => parameterGroupFamily("latest"), /not a PostgreSQL engine version/);
    });

    it("forces TLS in the parameter group", () => {
        assert.deepEqual(databaseParameters().map(({ name, value }) => [name, value]), [["rds.force_ssl", "1"]]);
    });

    it("builds ARNs, hosts and endpoints per partition", () => {
        assert.equal(awsPartition("us-east-1"), "aws");
        assert.equal(awsPartition("cn-north-1"), "aws-cn");
        assert.equal(awsPartition("us-gov-west-1"), "aws-us-gov");
        assert.equal(bucketArn("cn-north-1", "logs"), "arn:aws-cn:s3:::logs");
        assert.equal(s3Host("eu-west-1"), "s3.eu-west-1.amazonaws.com");
        assert.equal(s3Endpoint("cn-north-1"), "https://s3.cn-north-1.amazonaws.com.cn");
    });

    it("accepts an autoscaling ceiling only when it is at least 10% above the allocated storage", () => {
        const accepted: Array<[number, number]> = [[20, 22], [20, 50], [100, 110], [1000, 1100]];
        const refused: Array<[number, number]> = [[20, 21], [100, 100], [100, 50], [1000, 1099]];
        for (const [allocated, max] of accepted) {
            assert.equal(storageAutoscalingProblem(allocated, max), undefined, `${allocated}/${max}`);
        }
        for (const [allocated, max] of refused) {
            assert.match(storageAutoscalingProblem(allocated, max) ?? "", /at least 10% above/, `${allocated}/${max}`);
        }
        assert.equal(smallestAutoscalingCeiling(100), 110);
        assert.equal(smallestAutoscalingCeiling(21), 24);
    });

    it("keeps a final snapshot under the given identifier only when asked", () => {
        const kept = databaseInstanceSettings(SIZING, "db-final", true);
        assert.equal(kept.skipFinalSnapshot, false);
        assert.equal(kept.finalSnapshotIdentifier, "db-final");
        const skipped = databaseInstanceSettings(SIZING, "db-final", false);
        assert.equal(skipped.skipFinalSnapshot, true);
        assert.ok(!("finalSnapshotIdentifier" in skipped));
    });

    it("sets the customer KMS key for storage only when configured, and always encrypts", () => {
        const withKey = databaseInstanceSettings({ ...SIZING, kmsKeyArn: KMS_KEY }, "db-final", false);
        assert.equal(withKey.kmsKeyId, KMS_KEY);
        assert.equal(withKey.storageEncrypted, true);
        const withoutKey = databaseInstanceSettings(SIZING, "db-final", false);
        assert.ok(!("kmsKeyId" in withoutKey));
        assert.equal(withoutKey.storageEncrypted, true);
    });

    it("always expires logs, after the given days, besides aborting uploads and expiring old versions", () => {
        assert.deepEqual(bucketLifecycleRules(37).map((rule) => [rule.id, rule.expiration]), [
            ["abort-incomplete-multipart-uploads", undefined],
            ["expire-noncurrent-versions", undefined],
            ["expire-logs", { days: 37 }],
        ]);
    });

    it("lets the Results principal use the bucket's KMS key through S3 only, and only when there is one", () => {
        assert.deepEqual(resultsAccessPolicy(BUCKET_ARN, "us-east-1"), resultsBucketAccessPolicy(BUCKET_ARN));
        const withKey = resultsAccessPolicy(BUCKET_ARN, "us-east-1", KMS_KEY);
        assert.deepEqual(withKey.Statement.slice(0, -1), resultsBucketAccessPolicy(BUCKET_ARN).Statement);
        const kms = withKey.Statement[withKey.Statement.length - 1];
        assert.deepEqual(kms, kmsKeyUseStatement(KMS_KEY, "us-east-1"));
        assert.deepEqual([kms.Effect, kms.Action, kms.Resource], ["Allow", ["kms:Decrypt", "kms:GenerateDataKey"], [KMS_KEY]]);
        assert.deepEqual(kms.Condition, { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } });
        assert.deepEqual(kmsKeyUseStatement(KMS_KEY, "cn-north-1").Condition, { StringEquals: { "kms:ViaService": "s3.cn-north-1.amazonaws.com.cn" } });
    });
});
