/**
 * The real @pulumi/policy runtime over renders, through the Analyzer protocol (analyzer/): the pack is started once
 * as the Node.js language host starts it and reused by every test. Covers the dev/prod/keyless/adopted-key renders,
 * one mutation per policy caught at its level, secrets and unknowns as the engine sends them, the CLI's config
 * refusals, and a pack with a planted type error refused at start.
 */
import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { checkRecords, type AnalyzerSession, type CheckResult, type Diagnostic } from "../analyzer/check";
import { exampleRender } from "./harness";
import { T } from "./fixtures/policy-edits";
import { packSession } from "./policy-runtime";
import { parsePolicyConfig } from "../analyzer/config";
import { formatPolicies } from "../analyzer/format";
import { PackStartError, PolicyPackProcess } from "../analyzer/pack-process";
import type { ResourceRecord } from "../analyzer/records";
import { renderStack } from "../render";

const ROOT = path.join(__dirname, "..");
const CHAINS = "pipeline-service:chains";

type Editable = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- deep edits of manifests

/** A copy of `records` with the record of `type` (and `name`, if given) changed by `change`. */
function mutate(records: readonly ResourceRecord[], type: string, change: (record: { -readonly [K in keyof ResourceRecord]: ResourceRecord[K] } & { inputs: Editable }) => void, name?: string): ResourceRecord[] {
    const target = records.find((r) => r.type === type && (name === undefined || r.name === name));
    assert.ok(target, `no ${type} ${name ?? ""}`);
    return records.map((r) => {
        if (r !== target) {
            return r;
        }
        const copy = { ...structuredClone(r), inputs: structuredClone(r.inputs) as Editable };
        change(copy);
        return copy;
    });
}


describe("analyzer: the real policy runtime over renders", function () {
    this.timeout(60_000);
    let session: AnalyzerSession;
    const renders = new Map<string, ResourceRecord[]>();

    before(async () => {
        // The pack process the other policy tests use too: started once per run (test/policy-runtime.ts).
        const starting = packSession();
        const adoptedKey = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ type: "spki", format: "pem" }).toString();
        renders.set("dev", [...(await exampleRender("dev")).resources]);
        renders.set("prod", [...(await exampleRender("prod")).resources]);
        renders.set("keyless", [...(await renderStack("dev", { overrides: { [CHAINS]: { signing: "keyless" } } })).resources]);
        renders.set("adopted", [...(await renderStack("prod", { overrides: { [CHAINS]: { adoptExistingKey: true, existingPublicKey: adoptedKey } } })).resources]);
        session = await starting;
    });

    const render = (name: string): ResourceRecord[] => renders.get(name) as ResourceRecord[];
    /** A dev stack is checked with its environment's policy config, as CI and the README check it. */
    const devConfig = fs.readFileSync(path.join(ROOT, "policy", "config", "dev.json"), "utf8");
    const check = (records: readonly ResourceRecord[], config?: string): Promise<CheckResult> => {
        const given = config ?? (records.some((r) => r.urn.startsWith("urn:pulumi:dev::")) ? devConfig : undefined);
        return checkRecords(session, records, given === undefined ? {} : { config: parsePolicyConfig(given) });
    };
    const violation = (result: CheckResult, policy: string): Diagnostic => {
        const found = result.violations.find((v) => v.policyName === policy);
        assert.ok(found, `expected ${policy}; got ${JSON.stringify(result.violations.map((v) => [v.policyName, v.message]))}`);
        return found;
    };

    for (const name of ["dev", "prod", "keyless", "adopted"]) {
        it(`passes the ${name} render's first preview with no mandatory violation, and every policy runs`, async () => {
            const result = await check(render(name));
            // Dev stacks run single replicas and follow latest: the only (advisory, under their policy config) findings.
            const expected = render(name)[0]?.urn.startsWith("urn:pulumi:dev::") ? ["controllers-highly-available", "operator-line-pinned"] : [];
            assert.deepEqual([...new Set(result.violations.map((v) => `${v.enforcementLevel === "advisory" ? "" : "MANDATORY "}${v.policyName}`))], expected);
            assert.equal(result.hasMandatory, false);
            assert.deepEqual(result.notRunInPreview.map((d) => d.message), []);
        });
    }

    it("reports a stack policy that reads an unknown output as can't-run, as the CLI prints it", async () => {
        // A bucket policy document that embeds a value known only after apply.
        const result = await check(mutate(render("dev"), T.bucketPolicy, (r) => (r.inputs.policy = "(known after apply)")));
        const advisory = result.notRunInPreview.find((d) => d.policyName === "results-bucket-hardened");
        assert.ok(advisory, JSON.stringify(result.notRunInPreview));
        assert.equal(advisory.enforcementLevel, "advisory");
        assert.equal(advisory.source, "analyzeStack");
        assert.match(advisory.message, /during preview: string value at \.policy can't be known during preview$/);
        assert.match(formatPolicies(result), /- \[advisory\] {2}results-bucket-hardened\n {10}can't run policy 'results-bucket-hardened'/);
    });

    it("reports a resource policy that reads an unknown as can't-run, against the resource's URN", async () => {
        const records = mutate(render("dev"), T.catalogSource, (r) => (r.inputs.spec.image = "(known after apply)"));
        const result = await check(records);
        const advisory = result.notRunInPreview.find((d) => d.policyName === "operator-catalog-pinned");
        assert.ok(advisory);
        assert.equal(advisory.urn, records.find((r) => r.type === T.catalogSource)?.urn);
        assert.match(advisory.message, /during preview: string value at \.spec\.image can't be known during preview$/);
    });

    it("delivers a recorded secret as a secret: the runtime unwraps the envelope to the placeholder", async () => {
        const result = await check(mutate(render("dev"), T.catalogSource, (r) => (r.inputs.spec.image = "[secret]")));
        assert.match(violation(result, "operator-catalog-pinned").message, /CatalogSource image "\[secret\]" is not pinned/);
    });

    const mutations: readonly (readonly [string, string, (records: ResourceRecord[]) => ResourceRecord[], RegExp, "mandatory" | "advisory"])[] = [
        ["tekton-triggers-disabled", "dev", (rs) => mutate(rs, T.tektonConfig, (r) => (r.inputs.spec.trigger.disabled = false)), /set spec\.trigger\.disabled: true/, "mandatory"],
        ["tekton-pruner-disabled", "dev", (rs) => mutate(rs, T.tektonConfig, (r) => (r.inputs.spec.pruner = { disabled: false })), /spec\.pruner\.disabled: true/, "mandatory"],
        ["tekton-profile-without-triggers", "dev", (rs) => mutate(rs, T.tektonConfig, (r) => (r.inputs.spec.profile = "all")), /Set spec\.profile: basic/, "mandatory"],
        ["results-pruning-enabled", "dev", (rs) => mutate(rs, T.tektonConfig, (r) => (r.inputs.spec.result.options.deployments["tekton-results-watcher"].spec.template.spec.containers[0].args = ["-check_owner=false", "-logs_api=true"])), /never\)/, "mandatory"],
        ["results-db-ca-mounted", "prod", (rs) => mutate(rs, T.tektonConfig, (r) => delete r.inputs.spec.result.options.deployments["tekton-results-retention-policy-agent"]), /does not mount the CA/, "mandatory"],
        ["results-log-expiry-after-retention", "prod", (rs) => mutate(rs, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", (r) => (r.inputs.rules = r.inputs.rules.filter((rule: { id: string }) => rule.id !== "expire-logs"))), /no lifecycle rule that expires/, "mandatory"],
        ["controllers-highly-available", "prod", (rs) => mutate(rs, T.tektonConfig, (r) => (r.inputs.spec.chain.performance.replicas = 1)), /Chains controller runs 1 replica/, "mandatory"],
        ["chains-stays-enabled", "dev", (rs) => mutate(rs, T.tektonConfig, (r) => (r.inputs.spec.chain.disabled = true)), /spec\.chain\.disabled is true/, "mandatory"],
        ["operator-catalog-pinned", "dev", (rs) => mutate(rs, T.catalogSource, (r) => (r.inputs.spec.image = "quay.io/x/index:v1")), /not pinned by digest/, "mandatory"],
        ["external-secret-refresh", "dev", (rs) => mutate(rs, T.externalSecret, (r) => (r.inputs.spec.refreshInterval = "1h")), /longer than 5m/, "mandatory"],
        ["no-key-material-outside-secrets", "dev", (rs) => mutate(rs, T.configMap, (r) => (r.inputs.data.COSIGN_PASSWORD = "hunter2")), /cosign password/, "mandatory"],
        ["chains-signing-key-protected", "prod", (rs) => mutate(rs, T.secret, (r) => (r.protect = false), "tekton-chains-signing-secrets"), /is not protected/, "mandatory"],
        ["appstudio-pipelines-scc-unbound", "dev", (rs) => mutate(rs, T.roleBinding, (r) => (r.inputs.roleRef.name = "appstudio-pipelines-scc")), /binds appstudio-pipelines-scc/, "mandatory"],
        ["results-db-hardened", "dev", (rs) => mutate(rs, T.rdsInstance, (r) => (r.inputs.storageEncrypted = false)), /not encrypted at rest/, "mandatory"],
        ["chains-public-key-readable-by-authenticated", "dev", (rs) => rs.filter((r) => !(r.type === T.secret && (r.inputs.metadata as Editable).name === "public-key")), /No Secret public-key/, "mandatory"],
        ["results-db-prod-multi-az", "prod", (rs) => mutate(rs, T.rdsInstance, (r) => (r.inputs.multiAz = false)), /single-AZ/, "advisory"],
        ["results-db-prod-deletion-protection", "prod", (rs) => mutate(rs, T.rdsInstance, (r) => (r.inputs.deletionProtection = false)), /can be deleted/, "advisory"],
        ["results-db-prod-backup-retention", "prod", (rs) => mutate(rs, T.rdsInstance, (r) => (r.inputs.backupRetentionPeriod = 3)), /at least 7/, "advisory"],
    ];
    for (const [policy, base, change, message, level] of mutations) {
        it(`catches a ${policy} mutation at level ${level}`, async () => {
            const result = await check(change(render(base)));
            const found = violation(result, policy);
            assert.equal(found.enforcementLevel, level);
            assert.match(found.message, message);
            assert.ok(found.message.startsWith(`${found.description}\n`), "the runtime prefixes the description");
            assert.equal(result.hasMandatory, level === "mandatory");
        });
    }

    it("catches a removed public-access block on a first preview, where the bucket's acl and encryption outputs are unknown", async () => {
        const records = render("dev");
        const bucket = records.find((r) => r.type === "aws:s3/bucket:Bucket");
        assert.ok(bucket?.unknownOutputs.includes("acl") && bucket.unknownOutputs.includes("serverSideEncryptionConfiguration"));
        const result = await check(records.filter((r) => r.type !== "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"));
        const found = violation(result, "results-bucket-hardened");
        assert.equal(found.enforcementLevel, "mandatory");
        assert.match(found.message, /not fully blocked from public access/);
        assert.deepEqual(result.notRunInPreview, []);
    });

    it("never sees retainOnDelete: the engine does not pass it, so chains-signing-key-protected cannot judge it", async () => {
        const records = mutate(render("prod"), T.secret, (r) => (r.retainOnDelete = false), "tekton-chains-signing-secrets");
        const result = await check(records);
        assert.deepEqual(result.violations.filter((v) => v.policyName === "chains-signing-key-protected").map((v) => v.message), []);
    });

    it("reports a resource violation against the resource's URN, as the CLI prints it", async () => {
        const records = mutate(render("dev"), T.tektonConfig, (r) => (r.inputs.spec.trigger.disabled = false));
        const found = violation(await check(records), "tekton-triggers-disabled");
        const urn = records.find((r) => r.type === T.tektonConfig)?.urn as string;
        assert.equal(found.urn, urn);
        assert.match(formatPolicies(await check(records)), new RegExp(`❌ pipeline-service@v0\\.1\\.0 \\(local: policy\\)\\n {8}- \\[mandatory\\] {2}tekton-triggers-disabled {2}\\(${T.tektonConfig.replace(/[./]/g, "\\$&")}: ${urn.replace(/[$.*/]/g, "\\$&")}\\)`));
    });

    it("applies config: all, per-policy levels and properties", async () => {
        const records = mutate(render("prod"), T.tektonConfig, (r) => (r.inputs.spec.trigger.disabled = false));
        const all = await check(records, `{"all": "advisory"}`);
        assert.equal(violation(all, "tekton-triggers-disabled").enforcementLevel, "advisory");
        assert.equal(all.hasMandatory, false);
        const stricter = await check(render("prod"), `{"results-db-prod-backup-retention": {"enforcementLevel": "mandatory", "minimumRetentionDays": 30}}`);
        assert.match(violation(stricter, "results-db-prod-backup-retention").message, /keeps backups for 14 days: set backupRetentionPeriod to at least 30/);
        assert.equal(stricter.hasMandatory, true);
        const disabled = await check(records, `{"tekton-triggers-disabled": "disabled"}`);
        assert.equal(disabled.violations.length, 0);
    });

    it("refuses bad config with the CLI's messages before any resource is analyzed", async () => {
        await assert.rejects(check(render("dev"), `{"results-db-prod-backup-retention": {"minimumRetentionDays": "30"}}`), {
            message: "validating policy config: pipeline-service 0.1.0  results-db-prod-backup-retention: minimumRetentionDays: Invalid type. Expected: integer, given: string\nvalidating policy config",
        });
        await assert.rejects(check(render("dev"), `{"results-db-prod-backup-retention": {"minimumRetentionDays": 0}}`), /minimumRetentionDays: Must be greater than or equal to 1\n/);
        await assert.rejects(check(render("dev"), `{"external-secret-refresh": {"maxRefreshInterval": "soon"}}`), /external-secret-refresh: maxRefreshInterval: Does not match pattern/);
        await assert.rejects(check(render("dev"), `{"results-db-prod-backup-retentoin": {"minimumRetentionDays": 30}}`), /names no policy of the pack: results-db-prod-backup-retentoin/);
    });

    it("refuses a pack with a planted type error at start", async () => {
        const dir = fs.mkdtempSync(path.join(ROOT, ".analyzer-test-pack-"));
        try {
            fs.cpSync(path.join(ROOT, "policy"), dir, { recursive: true, filter: (source) => !source.includes("node_modules") });
            fs.appendFileSync(path.join(dir, "index.ts"), `\nexport const planted: number = "not a number";\n`);
            const error = await PolicyPackProcess.start(dir, { timeoutMs: 30_000 }).then(
                async (pack) => {
                    await pack.close();
                    return undefined;
                },
                (e: unknown) => e,
            );
            assert.ok(error instanceof PackStartError, `expected PackStartError, got ${String(error)}`);
            assert.match(error.stderr, /TS2322: Type 'string' is not assignable to type 'number'/);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
