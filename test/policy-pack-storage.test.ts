/**
 * The policy pack on the real runtime: each storage and secrets policy catching its violation.
 */
import assert from "node:assert/strict";
import { findKeyMaterial, parseGoDuration } from "../policy/secrets";
import type { ResourceRecord } from "../render";
import { find, mutate, T, without } from "./fixtures/policy-edits";
import { urnOf, withRecord, type EditableInputs } from "./fixtures/policy-records";
import { goodResources } from "./fixtures/policy-resources";
import { check, expectNoViolation, expectViolation } from "./policy-expect";

describe("results-db-hardened", () => {
    const policy = "results-db-hardened";
    const db = (change: (inputs: EditableInputs) => unknown): ResourceRecord[] => mutate(goodResources(), T.rdsInstance, "results-db", (r) => change(r.inputs));
    it("fails an unencrypted or public database", async () => {
        await expectViolation(db((i) => (i.storageEncrypted = false)), policy, /not encrypted at rest: set storageEncrypted: true/, { urn: urnOf(T.rdsInstance, "results-db") });
        await expectViolation(db((i) => (i.publiclyAccessible = true)), policy, /publicly accessible/);
    });
    it("fails without rds.force_ssl=1", async () => {
        const records = mutate(goodResources(), T.parameterGroup, "results-db", (r) => (r.inputs.parameters = [{ name: "rds.force_ssl", value: "0" }]));
        await expectViolation(records, policy, /does not force TLS/);
    });
    it("fails when no parameter group of the stack is attached", async () => {
        const records = mutate(goodResources(), T.rdsInstance, "results-db", (r) => ({ ...r, dependencies: [], inputs: { ...r.inputs, parameterGroupName: "default.postgres17" } }));
        await expectViolation(records, policy, /uses no parameter group of this stack/);
    });
    it("links the parameter group by name when no dependency is recorded", async () => {
        const named = mutate(
            mutate(goodResources(), T.parameterGroup, "results-db", (r) => void (r.inputs.name = "results-db-pg")),
            T.rdsInstance,
            "results-db",
            (r) => ({ ...r, dependencies: [], inputs: { ...r.inputs, parameterGroupName: "results-db-pg" } }),
        );
        await expectNoViolation(named, policy);
    });
});

describe("results-bucket-hardened", () => {
    const policy = "results-bucket-hardened";
    it("fails a public bucket (public-access block not all true)", async () => {
        const records = mutate(goodResources(), T.publicAccessBlock, "results-logs", (r) => (r.inputs.restrictPublicBuckets = false));
        await expectViolation(records, policy, /not fully blocked from public access/, { urn: urnOf(T.bucket, "results-logs") });
    });
    it("runs on a first preview, where the bucket's computed outputs (acl, encryption) are unknown", async () => {
        const records = mutate(goodResources(), T.publicAccessBlock, "results-logs", (r) => (r.inputs.ignorePublicAcls = false));
        assert.ok(find(records, T.bucket, "results-logs").unknownOutputs.includes("acl"), "the fixture models a first preview");
        const result = await check(records);
        assert.deepEqual(result.notRunInPreview, []);
        assert.deepEqual(result.violations.filter((v) => v.policy === policy).map((v) => v.level), ["mandatory"]);
    });
    it("fails without encryption", async () => {
        await expectViolation(without(goodResources(), T.bucketEncryption, "results-logs"), policy, /no default encryption/);
    });
    it("fails without a TLS-only bucket policy", async () => {
        const records = mutate(goodResources(), T.bucketPolicy, "results-logs", (r) => {
            const document = JSON.parse(r.inputs.policy as string) as { Statement: Array<Record<string, unknown>> };
            document.Statement[0] = { ...document.Statement[0], Effect: "Allow" };
            r.inputs.policy = JSON.stringify(document);
        });
        await expectViolation(records, policy, /accepts requests without TLS/);
    });
    it("keeps violations found before an unknown policy document, and reports the skip", async () => {
        const records = mutate(
            mutate(goodResources(), T.publicAccessBlock, "results-logs", (r) => (r.inputs.blockPublicAcls = false)),
            T.bucketPolicy,
            "results-logs",
            (r) => (r.inputs.policy = "(known after apply)"),
        );
        const result = await check(records);
        assert.ok(result.violations.some((v) => v.policy === policy && /not fully blocked/.test(v.message)));
        assert.ok(result.notRunInPreview.some((s) => s.policy === policy && s.urn === undefined && /\.policy/.test(s.message)));
    });
});

describe("external-secret-refresh", () => {
    const policy = "external-secret-refresh";
    const es = (change: (spec: EditableInputs) => unknown): ResourceRecord[] =>
        mutate(goodResources(), T.externalSecret, "pipelines-as-code-secret", (r) => change(r.inputs.spec));
    it("fails a 1h refresh interval, and the unset default", async () => {
        await expectViolation(es((spec) => (spec.refreshInterval = "1h")), policy, /refreshInterval is 1h, longer than 5m/);
        await expectViolation(es((spec) => delete spec.refreshInterval), policy, /1h0m0s \(the default\)/);
    });
    it("fails a one-shot refresh and a non-periodic refresh policy", async () => {
        await expectViolation(es((spec) => (spec.refreshInterval = "0")), policy, /syncs only once/);
        await expectViolation(es((spec) => (spec.refreshInterval = "1ns")), policy, /under 1s/);
        await expectViolation(es((spec) => (spec.refreshPolicy = "CreatedOnce")), policy, /refreshPolicy is CreatedOnce/);
    });
    it("fails deletionPolicy Delete", async () => {
        await expectViolation(es((spec) => (spec.target.deletionPolicy = "Delete")), policy, /deletionPolicy is Delete: set it to Retain/);
    });
    it("honours maxRefreshInterval from policy config", async () => {
        const hourly = es((spec) => (spec.refreshInterval = "1h"));
        await expectNoViolation(hourly, policy, { config: { [policy]: { maxRefreshInterval: "2h" } } });
        await expectViolation(es((spec) => (spec.refreshInterval = "90s")), policy, /longer than 1m/, { config: { [policy]: { maxRefreshInterval: "1m" } } });
    });
    it("parses Go durations", () => {
        assert.equal(parseGoDuration("5m"), 300_000);
        assert.equal(parseGoDuration("1h0m0s"), 3_600_000);
        assert.equal(parseGoDuration("1.5h"), 5_400_000);
        assert.equal(parseGoDuration("0"), 0);
        assert.equal(parseGoDuration("5 minutes"), undefined);
        assert.equal(parseGoDuration("5"), undefined);
    });
});

describe("no-key-material-outside-secrets", () => {
    const policy = "no-key-material-outside-secrets";
    // Synthetic, not a real key: the detector needs the PEM frame and a base64 body. The PEM types are
    // assembled so no private-key header stands in the source for secret scanners to trip on.
    const privateKeyType = ["PRIVATE", "KEY"].join(" ");
    const cosignKeyType = ["ENCRYPTED", "SIGSTORE", privateKeyType].join(" ");
    const fakePrivateKey = `-----BEGIN ${privateKeyType}-----\n${"MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg".repeat(2)}\n-----END ${privateKeyType}-----\n`;
    const fakeAwsSecret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    const configMap = (data: Record<string, string>, extra: Record<string, unknown> = {}): ResourceRecord[] =>
        withRecord(goodResources(), T.configMap, "leak", { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "leak", namespace: "default" }, data, ...extra });

    it("fails a private key in a ConfigMap, without echoing the key", async () => {
        const violation = await expectViolation(configMap({ "tls.key": fakePrivateKey }), policy, /PEM private key at data\.tls\.key/, { urn: urnOf(T.configMap, "leak") });
        assert.ok(!violation.message.includes("MIGHAgEA"), "the message must not contain key material");
    });
    it("fails a cosign encrypted private key in a custom resource and a base64-encoded PEM in binaryData", async () => {
        const cosignKey = fakePrivateKey.replace(/PRIVATE KEY/g, "ENCRYPTED SIGSTORE PRIVATE KEY");
        await expectViolation(withRecord(goodResources(), "kubernetes:example.com/v1:Thing", "thing", { spec: { key: cosignKey } }), policy, /PEM private key at spec\.key/);
        await expectViolation(configMap({}, { binaryData: { key: Buffer.from(fakePrivateKey).toString("base64") } }), policy, /PEM private key at binaryData\.key/);
    });
    it("fails a cosign password in an annotation and in a container env var", async () => {
        const annotated = mutate(goodResources(), T.configMap, "rds-root-crt", (r) => (r.inputs.metadata.annotations = { "example.com/cosign.password": "hunter2" }));
        await expectViolation(annotated, policy, /cosign password at metadata\.annotations\.example\.com\/cosign\.password/);
        const job = withRecord(goodResources(), "kubernetes:batch/v1:Job", "keygen", {
            spec: { template: { spec: { containers: [{ name: "cosign", env: [{ name: "COSIGN_PASSWORD", value: "hunter2" }] }] } } },
        });
        await expectViolation(job, policy, /cosign password at spec\.template\.spec\.containers\.0\.env\.0\.value/);
    });
    it("fails a cosign.password key in a ConfigMap even when the value is a redacted secret", async () => {
        await expectViolation(configMap({ "cosign.password": "[secret]" }), policy, /cosign password at data\.cosign\.password/);
    });
    it("fails an AWS secret access key in AWS tags and in a credentials file", async () => {
        const tagged = mutate(goodResources(), T.iamUser, "results-s3", (r) => (r.inputs.tags.aws_secret_access_key = fakeAwsSecret));
        await expectViolation(tagged, policy, /AWS secret access key at tags\.aws_secret_access_key/);
        await expectViolation(configMap({ credentials: `[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = ${fakeAwsSecret}\n` }), policy, /AWS secret access key at data\.credentials/);
    });
    it("allows key material in core/v1 Secret data, but not in a Secret's annotations", async () => {
        const inData = mutate(goodResources(), T.secret, "tekton-results-s3", (r) => (r.inputs.stringData = { S3_SECRET_ACCESS_KEY: fakeAwsSecret, "tls.key": fakePrivateKey }));
        await expectNoViolation(inData, policy);
        const inAnnotation = mutate(goodResources(), T.secret, "tekton-results-s3", (r) => (r.inputs.metadata.annotations = { key: fakePrivateKey }));
        await expectViolation(inAnnotation, policy, /PEM private key at metadata\.annotations\.key/);
    });
    it("does not flag public keys, certificates, env references or code that only names the PEM type", () => {
        assert.deepEqual(
            findKeyMaterial({
                pub: "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE8nXRh950IZbRj8Ra\n-----END PUBLIC KEY-----",
                cert: "-----BEGIN CERTIFICATE-----\nMIIEBjCCAu6gAwIBAgIJAMc0ZzaSUK51MA0GCSqGSIb3DQEBCwUAMIGPMQswCQYD\n-----END CERTIFICATE-----",
                code: `const pem = "-----BEGIN ${cosignKeyType}-----\\n" + body + "\\n-----END ${cosignKeyType}-----";`,
                script: "COSIGN_PASSWORD=$(cat /etc/signing-secrets/cosign.password) cosign sign",
                env: [{ name: "COSIGN_PASSWORD", valueFrom: { secretKeyRef: { name: "signing-secrets", key: "cosign.password" } } }],
            }),
            [],
        );
    });
});

describe("advisory production database policies", () => {
    const db = (change: (inputs: EditableInputs) => unknown): ResourceRecord[] => mutate(goodResources(), T.rdsInstance, "results-db", (r) => change(r.inputs));
    it("warn (advisory) about a single-AZ, unprotected or short-backup prod database", async () => {
        const multiAz = await expectViolation(db((i) => (i.multiAz = false)), "results-db-prod-multi-az", /set multiAz: true/);
        assert.equal(multiAz.level, "advisory");
        await expectViolation(db((i) => (i.deletionProtection = false)), "results-db-prod-deletion-protection", /set deletionProtection: true/);
        await expectViolation(db((i) => (i.backupRetentionPeriod = 3)), "results-db-prod-backup-retention", /keeps backups for 3 days: set backupRetentionPeriod to at least 7/);
    });
    it("ignore non-production databases", async () => {
        const dev = db((i) => Object.assign(i, { multiAz: false, deletionProtection: false, backupRetentionPeriod: 1, tags: { ...i.tags, environment: "dev" } }));
        const result = await check(dev);
        assert.deepEqual(result.violations.filter((v) => v.policy.startsWith("results-db-prod-")), []);
    });
    it("take the backup bound from policy config", async () => {
        await expectViolation(db((i) => (i.backupRetentionPeriod = 7)), "results-db-prod-backup-retention", /at least 14/, {
            config: { "results-db-prod-backup-retention": { minimumRetentionDays: 14 } },
        });
    });
});

describe("fixture sanity", () => {
    it("links bucket companions to the bucket only through dependencies (their bucket input is unknown)", () => {
        const records = goodResources();
        const block = find(records, T.publicAccessBlock, "results-logs");
        assert.equal(block.inputs.bucket, "(known after apply)");
        assert.deepEqual(block.dependencies, [urnOf(T.bucket, "results-logs")]);
    });
});

describe("results-s3-key-age", () => {
    const policy = "results-s3-key-age";
    const daysAgo = (days: number) => new Date(Date.now() - days * 24 * 3600 * 1000).toISOString();
    /** The fixture with its access key as a later preview has it: createDate from the engine's state. */
    const keyCreated = (createDate: string): ResourceRecord[] =>
        mutate(goodResources(), "aws:iam/accessKey:AccessKey", "results-s3", (r) => (r.inputs.createDate = createDate));

    it("fails a key older than 90 days, naming its age and the rotation step", async () => {
        const violation = await expectViolation(keyCreated(daysAgo(120)), policy, /^AccessKey results-s3 was created 120 days ago \(\d{4}-\d\d-\d\d\), more than 90: rotate it, one step per up: set results\.s3KeyRotation to its next state/, {
            urn: urnOf("aws:iam/accessKey:AccessKey", "results-s3"),
        });
        assert.equal(violation.level, "mandatory");
    });
    it("passes a young key, a key about to be created (no createDate yet), and an old key under a longer configured age", async () => {
        await expectNoViolation(keyCreated(daysAgo(30)), policy);
        await expectNoViolation(goodResources(), policy);
        await expectNoViolation(keyCreated(daysAgo(120)), policy, { config: { [policy]: { maxAgeDays: 200 } } });
    });
    it("is advisory in dev, through policy/config/dev.json", async () => {
        const violation = await expectViolation(keyCreated(daysAgo(400)), policy, /400 days ago/, { config: { [policy]: "advisory" } });
        assert.equal(violation.level, "advisory");
    });
});
