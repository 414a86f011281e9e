/**
 * Results storage, the log bucket and the Results principal, through the render harness: the bucket is
 * private, encrypted, TLS-only and lifecycled; the Results user may touch its objects and nothing else; the
 * password and access key stay secret everywhere.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { s3BucketName } from "../components/storage/names";
import type { StackConfig } from "../stacks/config";
import { isKubernetesObject, loadStackSettings, renderStack, SECRET_MARK, writeRender, type RenderResult, type ResourceRecord } from "../render";
import { configOf, exampleRender, single } from "./harness";
import { bucketArnOf, input, OVERRIDES, STORAGE_TYPES as TYPES } from "./storage-records";

/** What Tekton Results' S3 log store calls (tektoncd/results pkg/api/server/v1alpha2/log/s3.go) needs, on its bucket's objects only. */
function objectStatement(bucketArn: string): Record<string, unknown> {
    return {
        Sid: "TektonResultsLogObjects",
        Effect: "Allow",
        Action: ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
        Resource: [`${bucketArn}/*`],
    };
}

for (const stack of ["dev", "prod"] as const) {
    describe(`results log bucket on AWS (${stack} stack)`, () => {
        let result: RenderResult;
        let config: StackConfig;
        let database: ResourceRecord;
        before(async () => {
            result = await exampleRender(stack);
            config = configOf(result);
            database = single(result, TYPES.instance);
        });

        it("makes the bucket private, owner-enforced, encrypted (AES256), versioned and lifecycled", () => {
            const bucket = single(result, TYPES.bucket);
            assert.equal(input(bucket, "bucket"), s3BucketName(config.clusterName));
            assert.equal(input(bucket, "forceDestroy"), false);
            for (const type of [TYPES.publicAccessBlock, TYPES.ownership, TYPES.encryption, TYPES.versioning, TYPES.lifecycle, TYPES.bucketPolicy]) {
                assert.ok(single(result, type).dependencies.includes(bucket.urn), `${type} is not attached to the bucket`);
            }
            const publicAccessBlock = single(result, TYPES.publicAccessBlock);
            for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
                assert.equal(input(publicAccessBlock, flag), true, flag);
            }
            assert.deepEqual(input(single(result, TYPES.ownership), "rule"), { objectOwnership: "BucketOwnerEnforced" });
            assert.equal(config.results.kmsKeyArn, undefined);
            assert.deepEqual(input(single(result, TYPES.encryption), "rules"), [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false }]);
            assert.deepEqual(input(single(result, TYPES.versioning), "versioningConfiguration"), { status: "Enabled" });
            // Every rule covers every object (an empty filter); logs expire a margin after their records' retention.
            const retention = config.resultsRetention;
            assert.equal(config.results.logExpirationDays, retention.defaultRetentionDays + retention.logExpirationMarginDays);
            assert.deepEqual(input(single(result, TYPES.lifecycle), "rules"), [
                { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } },
                { id: "expire-noncurrent-versions", status: "Enabled", filter: {}, noncurrentVersionExpiration: { noncurrentDays: 30 } },
                { id: "expire-logs", status: "Enabled", filter: {}, expiration: { days: retention.defaultRetentionDays + retention.logExpirationMarginDays } },
            ]);
        });

        it("denies every request to the bucket that does not use TLS, and grants nothing", () => {
            const bucketPolicy = single(result, TYPES.bucketPolicy);
            const arn = bucketArnOf(result);
            assert.deepEqual(JSON.parse(input<string>(bucketPolicy, "policy")), {
                Version: "2012-10-17",
                Statement: [{
                    Sid: "DenyInsecureTransport",
                    Effect: "Deny",
                    Principal: "*",
                    Action: ["s3:*"],
                    Resource: [arn, `${arn}/*`],
                    Condition: { Bool: { "aws:SecureTransport": "false" } },
                }],
            });
            assert.ok(bucketPolicy.dependencies.includes(single(result, TYPES.publicAccessBlock).urn));
        });

        it("grants the Results user exactly its bucket's objects, nothing account-wide", () => {
            const user = single(result, TYPES.user);
            const userPolicy = single(result, TYPES.userPolicy);
            assert.equal(input(userPolicy, "user"), input(user, "name"));
            assert.equal(input(single(result, TYPES.accessKey), "user"), input(user, "name"));
            assert.deepEqual(JSON.parse(input<string>(userPolicy, "policy")), { Version: "2012-10-17", Statement: [objectStatement(bucketArnOf(result))] });
        });

        it("keeps the password and the access key secret everywhere, including written files", () => {
            const password = single(result, TYPES.password);
            const accessKey = single(result, TYPES.accessKey);
            const length = input<number>(password, "length");
            assert.ok(length >= 8 && length <= 128, "RDS passwords are 8–128 characters");
            // RDS refuses / @ " and space; with special characters off none can occur.
            const special = input<boolean | undefined>(password, "special");
            const overrideSpecial = input<string | undefined>(password, "overrideSpecial");
            assert.ok(special === false || (overrideSpecial !== undefined && !/[/@" ]/.test(overrideSpecial)));
            assert.ok(password.additionalSecretOutputs.includes("result"));
            assert.ok(accessKey.additionalSecretOutputs.includes("secret"));
            assert.equal(input(database, "password"), SECRET_MARK);

            // In preview the values do not exist yet; what must hold is that every consumer receives them as
            // secrets (a leak through unsecret() would show as "(known after apply)" instead).
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "results-storage-"));
            writeRender(result, dir);
            const written = JSON.parse(fs.readFileSync(path.join(dir, "resources.json"), "utf8")) as ResourceRecord[];
            assert.equal(written.find((record) => record.urn === database.urn)?.inputs.password, SECRET_MARK);
            const consumers = written.filter((record) => isKubernetesObject(record)
                && (record.dependencies.includes(password.urn) || record.dependencies.includes(accessKey.urn)));
            assert.ok(consumers.length >= 2, "the Results DB and S3 Secrets consume the password and the key");
            for (const secret of consumers) {
                assert.equal(secret.inputs.kind, "Secret", `${secret.name} is not a Secret`);
                for (const field of ["data", "stringData"]) {
                    const value = secret.inputs[field];
                    const values = value !== null && typeof value === "object" ? Object.values(value) : [value];
                    assert.ok(values.every((item) => item === undefined || item === SECRET_MARK), `${secret.name}.${field} is not secret`);
                }
                const metadata = secret.inputs.metadata as { name: string; namespace: string };
                const file = fs.readdirSync(path.join(dir, "manifests")).find((name) => name.endsWith(`-Secret-${metadata.namespace}.${metadata.name}.yaml`));
                assert.ok(file, `no manifest written for ${secret.name}`);
                const manifestFile = YAML.parse(fs.readFileSync(path.join(dir, "manifests", file), "utf8")) as Record<string, unknown>;
                assert.ok([manifestFile.data, manifestFile.stringData].some((value) => value === SECRET_MARK));
            }
            for (const [key, value] of Object.entries(JSON.parse(fs.readFileSync(path.join(dir, "outputs.json"), "utf8")) as Record<string, unknown>)) {
                if (/password|secret/i.test(key)) assert.equal(value, SECRET_MARK, key);
            }
        });

    });
}

describe("results log bucket with overrides (prod, KMS, retention)", () => {
    let result: RenderResult;
    before(async () => {
        const prodResults = JSON.parse(loadStackSettings("prod").config["pipeline-service:results"] ?? "{}") as Record<string, unknown>;
        result = await renderStack("prod", {
            overrides: {
                "pipeline-service:results": { ...prodResults, kmsKeyArn: OVERRIDES.kmsKeyArn },
                "pipeline-service:resultsRetention": { defaultRetentionDays: OVERRIDES.retentionDays, logExpirationMarginDays: OVERRIDES.logMarginDays },
            },
        });
    });

    it("encrypts the bucket with the customer key and lets the Results user use it through S3 in its region only", () => {
        assert.deepEqual(input(single(result, TYPES.encryption), "rules"), [{
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: OVERRIDES.kmsKeyArn },
            bucketKeyEnabled: true,
        }]);
        assert.deepEqual(JSON.parse(input<string>(single(result, TYPES.userPolicy), "policy")), {
            Version: "2012-10-17",
            Statement: [objectStatement(bucketArnOf(result)), {
                Sid: "TektonResultsLogEncryptionKey",
                Effect: "Allow",
                Action: ["kms:Decrypt", "kms:GenerateDataKey"],
                Resource: [OVERRIDES.kmsKeyArn],
                Condition: { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } },
            }],
        });
    });

    it("expires logs the configured margin after the configured retention", () => {
        const rules = input<Record<string, unknown>[]>(single(result, TYPES.lifecycle), "rules");
        assert.deepEqual(rules.filter((rule) => rule.expiration !== undefined).map((rule) => rule.expiration), [{ days: OVERRIDES.retentionDays + OVERRIDES.logMarginDays }]);
        assert.equal(rules.length, 3);
    });
});
