import assert from "node:assert/strict";
import type { PolicyArgs } from "@pulumi/aws/iam/policy";
import type { BucketPolicyArgs } from "@pulumi/aws/s3/bucketPolicy";

import {
    denyInsecureTransportPolicy,
    type PolicyDocument,
    type PolicyStatement,
    resultsBucketAccessPolicy,
    RESULTS_OBJECT_ACTIONS,
    RESULTS_S3_OPERATIONS,
} from "../components/storage/iam";

const BUCKET_ARN = "arn:aws:s3:::stone-prd-rh01-1a2b3c4d-tekton-results-logs";

function allStatements(doc: PolicyDocument): readonly PolicyStatement[] {
    assert.equal(doc.Version, "2012-10-17");
    return doc.Statement;
}

describe("storage IAM documents", () => {
    describe("resultsBucketAccessPolicy", () => {
        const doc = resultsBucketAccessPolicy(BUCKET_ARN);

        it("grants exactly the object actions Results' S3 log store uses", () => {
            const actions = allStatements(doc).flatMap((s) => s.Action);
            assert.deepEqual([...actions].sort(), ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"]);
        });

        it("maps each S3 call of tektoncd/results log/s3.go to its IAM action", () => {
            assert.deepEqual(RESULTS_S3_OPERATIONS, {
                CreateMultipartUpload: "s3:PutObject",
                UploadPart: "s3:PutObject",
                CompleteMultipartUpload: "s3:PutObject",
                AbortMultipartUpload: "s3:AbortMultipartUpload",
                GetObject: "s3:GetObject",
                DeleteObject: "s3:DeleteObject",
            });
            assert.deepEqual(RESULTS_OBJECT_ACTIONS, ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"]);
        });

        it("only allows, only on the bucket's objects, with no wildcard action or resource", () => {
            for (const statement of allStatements(doc)) {
                assert.equal(statement.Effect, "Allow");
                assert.equal(statement.Principal, undefined, "identity policies carry no principal");
                assert.equal(statement.Condition, undefined);
                assert.deepEqual(statement.Resource, [`${BUCKET_ARN}/*`]);
                for (const action of statement.Action) {
                    assert.ok(!action.includes("*"), `wildcard action ${action}`);
                    assert.match(action, /^s3:[A-Za-z]+$/);
                }
            }
        });

        it("grants nothing at bucket level (Results never lists the bucket or its uploads)", () => {
            const resources = allStatements(doc).flatMap((s) => s.Resource ?? []);
            assert.ok(!resources.includes(BUCKET_ARN));
            const actions = allStatements(doc).flatMap((s) => s.Action);
            for (const bucketAction of ["s3:ListBucket", "s3:ListBucketMultipartUploads", "s3:ListMultipartUploadParts"]) {
                assert.ok(!actions.includes(bucketAction), bucketAction);
            }
        });

        it("does not let the caller's array aliases leak between calls", () => {
            const first = resultsBucketAccessPolicy(BUCKET_ARN);
            first.Statement[0].Action.push("s3:*");
            assert.deepEqual(resultsBucketAccessPolicy(BUCKET_ARN).Statement[0].Action, [...RESULTS_OBJECT_ACTIONS]);
        });

        it("accepts other partitions and rejects anything but a bucket ARN", () => {
            assert.doesNotThrow(() => resultsBucketAccessPolicy("arn:aws-us-gov:s3:::my-bucket"));
            for (const bad of ["*", "my-bucket", "arn:aws:s3:::*", "arn:aws:s3:::my-bucket/*", "arn:aws:s3:::my-bucket/logs", ""]) {
                assert.throws(() => resultsBucketAccessPolicy(bad), /S3 bucket ARN/, bad);
            }
        });
    });

    describe("denyInsecureTransportPolicy", () => {
        it("denies every S3 action over plain HTTP for everyone, on the bucket and its objects", () => {
            assert.deepEqual(denyInsecureTransportPolicy(BUCKET_ARN), {
                Version: "2012-10-17",
                Statement: [
                    {
                        Sid: "DenyInsecureTransport",
                        Effect: "Deny",
                        Principal: "*",
                        Action: ["s3:*"],
                        Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`],
                        Condition: { Bool: { "aws:SecureTransport": "false" } },
                    },
                ],
            });
        });

        it("rejects a non-bucket ARN", () => {
            assert.throws(() => denyInsecureTransportPolicy("arn:aws:s3:::*"), /S3 bucket ARN/);
        });
    });

    it("returns documents the @pulumi/aws resources accept (checked by tsc)", () => {
        const iamPolicy: PolicyArgs["policy"] = resultsBucketAccessPolicy(BUCKET_ARN);
        const bucketPolicy: BucketPolicyArgs["policy"] = denyInsecureTransportPolicy(BUCKET_ARN);
        // And they survive the JSON round trip a `policy: JSON.stringify(doc)` argument takes.
        for (const doc of [iamPolicy, bucketPolicy]) {
            assert.deepEqual(JSON.parse(JSON.stringify(doc)), doc);
        }
    });
});
