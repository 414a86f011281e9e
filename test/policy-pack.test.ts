import assert from "node:assert/strict";
import { policies } from "../policy/policies";
import { findKeyMaterial, parseGoDuration } from "../policy/secrets";
import type { ResourceRecord } from "../render";
import { find, goodResources, mutate, T, urnOf, withRecord, without, type EditableInputs } from "./fixtures/policy-resources";
import { checkWithPack, type PackResult, type Violation } from "./policy-runtime";

interface CheckOptions {
    /** Policy config, as a `--policy-pack-config` file holds it. */
    readonly config?: Readonly<Record<string, unknown>>;
}

async function check(records: readonly ResourceRecord[], options?: CheckOptions): Promise<PackResult> {
    return checkWithPack(records, options?.config);
}

async function violationsOf(records: readonly ResourceRecord[], policy: string, options?: CheckOptions): Promise<Violation[]> {
    return (await check(records, options)).violations.filter((v) => v.policy === policy);
}

/** Asserts that `policy` reports (at least) one violation matching `message`, and that it is the only policy that fails when `only`. */
async function expectViolation(records: readonly ResourceRecord[], policy: string, message: RegExp, options?: CheckOptions & { readonly urn?: string }): Promise<Violation> {
    const found = await violationsOf(records, policy, options);
    const match = found.find((v) => message.test(v.message));
    assert.ok(match, `expected ${policy} to report ${message}; got ${JSON.stringify(found.map((v) => v.message))}`);
    if (options?.urn !== undefined) {
        assert.equal(match.urn, options.urn);
    }
    return match;
}

async function expectNoViolation(records: readonly ResourceRecord[], policy: string, options?: CheckOptions): Promise<void> {
    assert.deepEqual((await violationsOf(records, policy, options)).map((v) => v.message), []);
}

const tektonConfig = (records: readonly ResourceRecord[], change: (spec: EditableInputs) => unknown): ResourceRecord[] =>
    mutate(records, T.tektonConfig, "config", (r) => change(r.inputs.spec));

describe("policy pack", () => {
    it("has kebab-case, unique names, a 'Checks whether' description and a level for every policy", () => {
        const names = policies.map((p) => p.name);
        assert.equal(new Set(names).size, names.length);
        for (const policy of policies) {
            assert.match(policy.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.match(policy.description, /^Checks whether\b/);
            assert.ok(policy.enforcementLevel === "mandatory" || policy.enforcementLevel === "advisory", policy.name);
        }
    });

    it("contains every mandatory policy of issue 7 at level mandatory", () => {
        const mandatory = policies.filter((p) => p.enforcementLevel === "mandatory").map((p) => p.name).sort();
        assert.deepEqual(mandatory, [
            "appstudio-pipelines-scc-unbound",
            "chains-public-key-readable-by-authenticated",
            "chains-signing-key-protected",
            "chains-stays-enabled",
            "external-secret-refresh",
            "no-key-material-outside-secrets",
            "operator-catalog-pinned",
            "results-bucket-hardened",
            "results-db-hardened",
            "tekton-pruner-disabled",
            "tekton-triggers-disabled",
        ]);
    });

    it("passes the good resource set without any violation, and every policy runs in preview", async () => {
        const result = await check(goodResources());
        assert.deepEqual(result.violations, []);
        assert.deepEqual(result.notRunInPreview, []);
    });
});

describe("tekton-triggers-disabled", () => {
    it("fails when Triggers is enabled", async () => {
        const records = tektonConfig(goodResources(), (spec) => (spec.trigger.disabled = false));
        await expectViolation(records, "tekton-triggers-disabled", /set spec\.trigger\.disabled: true/, { urn: urnOf(T.tektonConfig, "config") });
    });
    it("fails when only trigger.options.disabled is set (not the component switch)", async () => {
        const records = tektonConfig(goodResources(), (spec) => (spec.trigger = { options: { disabled: true } }));
        await expectViolation(records, "tekton-triggers-disabled", /Tekton Triggers would be installed/);
    });
    it("fails a TektonConfigPatch that turns Triggers on, and passes one that does not touch it", async () => {
        const patchType = `${T.tektonConfig}Patch`;
        const on = withRecord(goodResources(), patchType, "config-results", { spec: { trigger: { disabled: false } } });
        await expectViolation(on, "tekton-triggers-disabled", /patch sets spec\.trigger\.disabled/);
        const untouched = withRecord(goodResources(), patchType, "config-results", { spec: { result: { db_host: "db.example.com" } } });
        await expectNoViolation(untouched, "tekton-triggers-disabled");
    });
});

describe("tekton-pruner-disabled", () => {
    it("fails when the job-based pruner is enabled", async () => {
        const records = tektonConfig(goodResources(), (spec) => (spec.pruner = { disabled: false, keep: 100 }));
        await expectViolation(records, "tekton-pruner-disabled", /set spec\.pruner\.disabled: true/);
    });
    it("fails when the event-based tektonpruner is enabled or present without disabled: true", async () => {
        const enabled = tektonConfig(goodResources(), (spec) => (spec.tektonpruner = { disabled: false }));
        await expectViolation(enabled, "tekton-pruner-disabled", /spec\.tektonpruner/);
        const implicit = tektonConfig(goodResources(), (spec) => (spec.tektonpruner = {}));
        await expectViolation(implicit, "tekton-pruner-disabled", /spec\.tektonpruner\.disabled: true/);
    });
    it("accepts tektonpruner with disabled: true", async () => {
        await expectNoViolation(tektonConfig(goodResources(), (spec) => (spec.tektonpruner = { disabled: true })), "tekton-pruner-disabled");
    });
});

describe("operator-catalog-pinned", () => {
    it("fails a tag-pinned catalog image", async () => {
        const records = mutate(goodResources(), T.catalogSource, "pipelines-catalog", (r) => (r.inputs.spec.image = "quay.io/openshift-pipeline/pipelines-index:v1.20"));
        await expectViolation(records, "operator-catalog-pinned", /not pinned by digest.*@sha256:/);
    });
    it("degrades to the runtime's advisory, not a failure, when the image is unknown during preview", async () => {
        const records = mutate(goodResources(), T.catalogSource, "pipelines-catalog", (r) => (r.inputs.spec.image = "(known after apply)"));
        const result = await check(records);
        assert.deepEqual(result.violations.filter((v) => v.policy === "operator-catalog-pinned"), []);
        const skip = result.notRunInPreview.find((s) => s.policy === "operator-catalog-pinned");
        assert.ok(skip, "expected a can't-run advisory");
        assert.equal(skip.urn, urnOf(T.catalogSource, "pipelines-catalog"));
        assert.equal(skip.level, "advisory");
        assert.match(skip.message, /^can't run policy 'operator-catalog-pinned' from policy pack 'pipeline-service@v0\.1\.0' during preview: string value at \.spec\.image/);
    });
});

describe("chains-public-key-readable-by-authenticated", () => {
    const policy = "chains-public-key-readable-by-authenticated";
    it("fails when a role bound to system:authenticated can read all secrets", async () => {
        const records = mutate(goodResources(), T.clusterRole, "public-key-viewer", (r) => (r.inputs.rules = [{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch"] }]));
        const violation = await expectViolation(records, policy, /grants on every Secret/);
        assert.equal(violation.urn, urnOf(T.roleBinding, "public-key-viewer"));
    });
    it("fails when the role also grants signing-secrets or write verbs", async () => {
        const wider = mutate(goodResources(), T.clusterRole, "public-key-viewer", (r) => (r.inputs.rules[0].resourceNames = ["public-key", "signing-secrets"]));
        await expectViolation(wider, policy, /not only public-key/);
        const write = mutate(goodResources(), T.clusterRole, "public-key-viewer", (r) => r.inputs.rules[0].verbs.push("update"));
        await expectViolation(write, policy, /verbs \[update\]/);
    });
    it("fails a binding of system:unauthenticated to a role not defined in the stack", async () => {
        const records = withRecord(goodResources(), T.clusterRoleBinding, "anonymous-view", {
            metadata: { name: "anonymous-view" },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
            subjects: [{ kind: "Group", name: "system:unauthenticated" }],
        });
        await expectViolation(records, policy, /which this stack does not define/);
    });
    it("fails when the public-key Secret or the binding is missing", async () => {
        await expectViolation(without(goodResources(), T.secret, "public-key"), policy, /No Secret public-key in openshift-pipelines/);
        await expectViolation(without(goodResources(), T.roleBinding, "public-key-viewer"), policy, /Nothing lets Group system:authenticated get Secret public-key/);
    });
    it("does not require the public key when Chains signs keyless", async () => {
        const keyless = tektonConfig(without(goodResources(), T.secret, "public-key"), (spec) => (spec.chain["signers.x509.fulcio.enabled"] = true));
        await expectNoViolation(keyless, policy);
    });
});

describe("chains-signing-key-protected", () => {
    const policy = "chains-signing-key-protected";
    const signingSecret = (change: (r: ResourceRecord & { inputs: EditableInputs }) => unknown): ResourceRecord[] =>
        mutate(goodResources(), T.secret, "signing-secrets", change);
    it("fails when signing-secrets is not protected", async () => {
        await expectViolation(signingSecret((r) => ({ ...r, protect: false })), policy, /Secret openshift-pipelines\/signing-secrets is not protected/, {
            urn: urnOf(T.secret, "signing-secrets"),
        });
    });
    it("fails when signing-secrets is mutable or may be replaced", async () => {
        await expectViolation(signingSecret((r) => void (r.inputs.immutable = false)), policy, /immutable: true/);
        await expectViolation(signingSecret((r) => ({ ...r, ignoreChanges: ["data"] })), policy, /does not ignore changes to stringData/);
        await expectViolation(signingSecret((r) => ({ ...r, deleteBeforeReplace: true })), policy, /deleteBeforeReplace/);
    });
    it("fails when the cosign key pair's dynamic resource is not protected", async () => {
        const records = mutate(goodResources(), T.cosignKeyPair, "chains-signing-key", (r) => ({ ...r, protect: false }));
        await expectViolation(records, policy, /Dynamic resource chains-signing-key is not protected/, { urn: urnOf(T.cosignKeyPair, "chains-signing-key") });
    });
    it("never sees retainOnDelete: the engine does not pass it, so the render invariants own it", async () => {
        await expectNoViolation(signingSecret((r) => ({ ...r, retainOnDelete: false })), policy);
    });
    it("recognises a plain pulumi-nodejs:dynamic:Resource by a name containing cosign, and ignores other dynamic resources", async () => {
        const cosign = withRecord(goodResources(), T.dynamic, "cluster-cosign-key", { __provider: "..." });
        await expectViolation(cosign, policy, /Dynamic resource cluster-cosign-key is not protected/);
        await expectNoViolation(withRecord(goodResources(), T.dynamic, "operator-readiness", { __provider: "..." }), policy);
    });
    it("fails when the operator may generate the key, or when signing-secrets is missing", async () => {
        await expectViolation(tektonConfig(goodResources(), (spec) => (spec.chain.generateSigningSecret = true)), policy, /generateSigningSecret is true/);
        await expectViolation(without(goodResources(), T.secret, "signing-secrets"), policy, /No Secret signing-secrets/);
    });
    it("is not applicable when Chains signs keyless", async () => {
        const keyless = tektonConfig(without(goodResources(), T.secret, "signing-secrets"), (spec) => (spec.chain["signers.x509.fulcio.enabled"] = true));
        const result = await check(keyless);
        assert.deepEqual(result.violations.filter((v) => v.policy === policy), []);
        assert.ok(result.notApplicable.some((n) => n.policyName === policy && /keyless/.test(n.reason)));
    });
});

describe("chains-stays-enabled", () => {
    const policy = "chains-stays-enabled";
    it("fails when chain.disabled is true", async () => {
        await expectViolation(tektonConfig(goodResources(), (spec) => (spec.chain.disabled = true)), policy, /chain\.disabled is true.*delete signing-secrets/);
    });
    it("fails with profile lite or an empty profile", async () => {
        await expectViolation(tektonConfig(goodResources(), (spec) => (spec.profile = "lite")), policy, /spec\.profile is "lite".*set spec\.profile: all/);
        await expectViolation(tektonConfig(goodResources(), (spec) => delete spec.profile), policy, /defaults it to basic/);
    });
    it("fails when the target namespace moves away from openshift-pipelines", async () => {
        await expectViolation(tektonConfig(goodResources(), (spec) => (spec.targetNamespace = "tekton-pipelines")), policy, /targetNamespace is "tekton-pipelines"/);
    });
    it("allows disabling Chains in keyless mode", async () => {
        await expectNoViolation(
            tektonConfig(goodResources(), (spec) => Object.assign(spec.chain, { disabled: true, "signers.x509.fulcio.enabled": true })),
            policy,
        );
    });
});

describe("appstudio-pipelines-scc-unbound", () => {
    it("fails a ClusterRoleBinding to appstudio-pipelines-scc", async () => {
        const records = withRecord(goodResources(), T.clusterRoleBinding, "scc-binding", {
            metadata: { name: "appstudio-pipelines-scc" },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "appstudio-pipelines-scc" },
            subjects: [{ kind: "ServiceAccount", name: "appstudio-pipeline", namespace: "tenant" }],
        });
        await expectViolation(records, "appstudio-pipelines-scc-unbound", /ClusterRoleBinding appstudio-pipelines-scc binds appstudio-pipelines-scc/, {
            urn: urnOf(T.clusterRoleBinding, "scc-binding"),
        });
    });
    it("fails a namespaced RoleBinding to it too", async () => {
        const records = withRecord(goodResources(), T.roleBinding, "scc-binding", {
            metadata: { name: "scc", namespace: "tenant" },
            roleRef: { kind: "ClusterRole", name: "appstudio-pipelines-scc" },
            subjects: [{ kind: "ServiceAccount", name: "appstudio-pipeline" }],
        });
        await expectViolation(records, "appstudio-pipelines-scc-unbound", /RoleBinding scc binds/);
    });
});

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
