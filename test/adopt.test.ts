/**
 * `npm run adopt`'s plan (adopt/plan.ts) over the three cluster fixtures of test/fixtures/adopt/:
 * - infra-deployments: a cluster installed by Argo CD from infra-deployments, with the RDS instance and bucket in
 *   the account; planned with the prod stack as it is (key mode: a refusal) and adopting the cluster's key;
 * - half-adopted: some objects as the program renders them, others missing, some AWS resources there;
 * - fresh: nothing of the program exists.
 *
 * Each plan is held byte for byte against the expected files in `<fixture>/expected/<variant>/` (import.json,
 * report.json, report.txt). Those follow the render: a change that adds or changes resources (such as the key rotation
 * resources landing in parallel) changes them too. Regenerate them, then review the diff like any other change:
 *
 *     UPDATE_ADOPT_EXPECTED=1 npx mocha -r ./tools/register.js -r ./test/hooks/root-hooks.ts test/adopt.test.ts
 *
 * The other tests assert what must hold whatever the render: the import ID of each type, the TektonConfig fields the
 * first up changes, the config rows, each refusal, and that no secret value reaches any output.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { importFileProblems, importFileSchema, type ImportFile } from "../adopt/import-file";
import { AdoptInputError, type LiveObject } from "../adopt/inputs";
import { providerUrns, type AdoptPlan } from "../adopt/plan";
import { formatReport, type AdoptReport } from "../adopt/report";
import {
    ADOPT_FIXTURES, configOf, liveOf, planFixture, secretForms, variantRender, type Fixture, type PlanEdits, type Variant,
} from "./adopt-fixtures";

const UPDATE = process.env.UPDATE_ADOPT_EXPECTED === "1";
/** Where the expected text's next steps point (as the CLI prints it with its default --out, from the checkout). */
const SHOWN_IMPORT_FILE = "out/prod/adopt/import.json";

function json(value: unknown): string {
    return `${JSON.stringify(value, null, 2)}\n`;
}

/** The files a plan produces, as the CLI writes and prints them. */
function outputsOf(plan: AdoptPlan): Map<string, string> {
    const files = new Map<string, string>();
    if (plan.importFile !== undefined) {
        files.set("import.json", json(plan.importFile));
    }
    files.set("report.json", json(plan.report));
    const next = plan.importFile === undefined ? undefined : { importFile: SHOWN_IMPORT_FILE, providerUrns: providerUrns(plan.importFile) };
    files.set("report.txt", `${formatReport(plan.report, next)}\n`);
    return files;
}

/** Holds a plan's outputs against `<fixture>/expected/<variant>/` (or writes them there under UPDATE_ADOPT_EXPECTED=1). */
function assertExpected(fixture: Fixture, variant: Variant, plan: AdoptPlan): void {
    const dir = path.join(ADOPT_FIXTURES, fixture, "expected", variant);
    const outputs = outputsOf(plan);
    if (UPDATE) {
        fs.rmSync(dir, { recursive: true, force: true });
        fs.mkdirSync(dir, { recursive: true });
        for (const [name, text] of outputs) {
            fs.writeFileSync(path.join(dir, name), text);
        }
        return;
    }
    const expected = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
    assert.deepEqual([...outputs.keys()].sort(), expected, `${fixture}/${variant}: the files written (regenerate with UPDATE_ADOPT_EXPECTED=1 and review)`);
    for (const [name, text] of outputs) {
        assert.equal(text, fs.readFileSync(path.join(dir, name), "utf8"), `${fixture}/${variant}/${name} differs (regenerate with UPDATE_ADOPT_EXPECTED=1 and review the diff)`);
    }
}

function importFileOf(plan: AdoptPlan): ImportFile {
    assert.ok(plan.importFile !== undefined, `expected an import file, the plan stops: ${plan.report.stops.join(" | ")}`);
    return plan.importFile;
}

/** The import ID of the imported entry of `type` (and logical name), from the file. */
function importId(file: ImportFile, type: string, logicalName?: string): string | undefined {
    const entries = (file.resources ?? []).filter((entry) => entry.type === type && (logicalName === undefined || entry.logicalName === logicalName));
    assert.ok(entries.length <= 1, `${type} ${logicalName ?? ""}: ${entries.length} entries`);
    return entries[0]?.id;
}

function changesOf(report: AdoptReport, what: string): ReadonlyMap<string, { live: string; rendered: string }> {
    const entry = report.changes.find((candidate) => candidate.what === what);
    assert.ok(entry !== undefined, `no imported ${what}`);
    return new Map(entry.changes.map((change) => [change.path, { live: change.live, rendered: change.rendered }]));
}

function mismatch(report: AdoptReport, key: string) {
    return report.configMismatches.find((row) => row.key === key);
}

const CASES: readonly (readonly [Fixture, Variant])[] = [
    ["infra-deployments", "adopt-key"],
    ["infra-deployments", "prod"],
    ["half-adopted", "prod"],
    ["fresh", "prod"],
];

describe("npm run adopt: the plan", function () {
    this.timeout(120_000);
    const plans = new Map<string, AdoptPlan>();
    const planOf = (fixture: Fixture, variant: Variant): AdoptPlan => {
        const plan = plans.get(`${fixture}/${variant}`);
        assert.ok(plan !== undefined);
        return plan;
    };

    before(async () => {
        for (const [fixture, variant] of CASES) {
            plans.set(`${fixture}/${variant}`, await planFixture(fixture, variant));
        }
    });

    for (const [fixture, variant] of CASES) {
        it(`plans ${fixture} under ${variant} as expected/${variant}/ holds it`, () => {
            assertExpected(fixture, variant, planOf(fixture, variant));
        });
    }

    it("writes the same bytes on every run", async () => {
        for (const [fixture, variant] of CASES) {
            const again = await planFixture(fixture, variant);
            assert.deepEqual(outputsOf(again), outputsOf(planOf(fixture, variant)), `${fixture}/${variant}`);
        }
    });

    it("writes import files pulumi import reads, each entry on the render's URN", async () => {
        for (const [fixture, variant] of CASES) {
            const plan = planOf(fixture, variant);
            if (plan.importFile === undefined) {
                continue;
            }
            const file = importFileSchema.parse(JSON.parse(json(plan.importFile)));
            const render = await variantRender(variant);
            const urns = new Map(render.resources.map((record) => [record.urn, record.urn]));
            assert.deepEqual(importFileProblems(file, render.settings.stack, render.settings.project, urns), [], `${fixture}/${variant}`);
            // Components and imported resources only; never the stack, a provider, or what is created new.
            const created = new Set(plan.report.created.map((entry) => entry.urn));
            for (const entry of file.resources ?? []) {
                assert.ok(!created.has(entry.name), `${entry.name} is created new, yet in the import file`);
                assert.ok(entry.type !== "pulumi:pulumi:Stack" && !entry.type.startsWith("pulumi:providers:"), entry.type);
            }
            const components = render.resources.filter((record) => !record.custom && record.type !== "pulumi:pulumi:Stack").length;
            assert.equal((file.resources ?? []).filter((entry) => entry.component === true).length, components, "every component");
            assert.equal((file.resources ?? []).filter((entry) => entry.component !== true).length, plan.report.imported.length, "every imported resource");
        }
    });

    it("checks an import file as pulumi import would, and each entry against the render's URN", async () => {
        const render = await variantRender("adopt-key");
        const file = importFileOf(planOf("infra-deployments", "adopt-key"));
        const stack = render.settings.stack;
        const project = render.settings.project;
        const entries = file.resources ?? [];
        const config = entries.findIndex((entry) => entry.id === "config");
        const urns = new Map(render.resources.map((record) => [record.urn, record.urn]));
        const broken = (change: (entry: (typeof entries)[number]) => Record<string, unknown>): string[] =>
            importFileProblems(importFileSchema.parse({ ...file, resources: entries.map((entry, index) => (index === config ? change(entry) : entry)) }), stack, project, urns);
        assert.deepEqual(broken((entry) => ({ ...entry, logicalName: "config" })).map((text) => text.replace(/urn:[^\s',]+/g, "URN")),
            ["resource 'URN' would be imported as URN, not URN"]);
        assert.deepEqual(broken((entry) => ({ ...entry, provider: "k8s" })).map((text) => text.replace(/urn:[^\s',]+/g, "URN")),
            ["the provider 'k8s' for resource 'URN' has no entry in 'nameTable'"]);
        assert.match(broken((entry) => ({ ...entry, component: true })).join("\n"), /has an ID, but is marked as a component/);
        assert.match(broken((entry) => ({ ...entry, parent: "nowhere" })).join("\n"), /the parent 'nowhere' for resource .* has no entry in 'nameTable'/);
        assert.match(broken((entry) => Object.fromEntries(Object.entries(entry).filter(([key]) => key !== "id"))).join("\n"), /has no ID/);
    });

    it("imports a fresh cluster's components only: nothing else exists", () => {
        const plan = planOf("fresh", "prod");
        assert.equal(plan.report.verdict, "import");
        assert.deepEqual(plan.report.imported, []);
        assert.ok((plan.importFile?.resources ?? []).every((entry) => entry.component === true));
        assert.equal(plan.importFile?.nameTable, undefined, "no provider is named when nothing is imported");
        assert.ok(plan.report.created.length > 40);
        assert.match(outputsOf(plan).get("report.txt") ?? "", /nothing exists yet: out\/prod\/adopt\/import\.json holds only the components, importing it is not needed/);
    });

    it("gives each type the import ID its registry page states", () => {
        const infra = importFileOf(planOf("infra-deployments", "adopt-key"));
        const bucket = "stone-prd-rh01-b975a40d-tekton-results-logs";
        assert.equal(importId(infra, "aws:rds/instance:Instance"), "stone-prd-rh01-tekton-results");
        assert.equal(importId(infra, "aws:s3/bucket:Bucket"), bucket);
        assert.equal(importId(infra, "aws:ec2/securityGroup:SecurityGroup"), "sg-0a1b2c3d4e5f60789", "the sg- id from the dump, not the name");
        assert.equal(importId(infra, "aws:iam/user:User"), "stone-prd-rh01-tekton-results-s3");
        assert.equal(importId(infra, "aws:iam/userPolicy:UserPolicy"), "stone-prd-rh01-tekton-results-s3:stone-prd-rh01-tekton-results-s3");
        assert.equal(importId(infra, "aws:rds/subnetGroup:SubnetGroup"), "stone-prd-rh01-tekton-results");
        assert.equal(importId(infra, "aws:cloudwatch/logGroup:LogGroup", "results-storage-db-postgresql"), "/aws/rds/instance/stone-prd-rh01-tekton-results/postgresql");
        for (const companion of ["bucketPolicy:BucketPolicy", "bucketOwnershipControls:BucketOwnershipControls", "bucketPublicAccessBlock:BucketPublicAccessBlock",
            "bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "bucketVersioning:BucketVersioning"]) {
            assert.equal(importId(infra, `aws:s3/${companion}`), bucket, companion);
        }
        assert.equal(importId(infra, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"), undefined, "no lifecycle configuration in the dump: created");
        assert.equal(importId(infra, "kubernetes:operators.coreos.com/v1alpha1:Subscription"), "openshift-operators/openshift-pipelines-operator");
        assert.equal(importId(infra, "kubernetes:operator.tekton.dev/v1alpha1:TektonConfig"), "config", "cluster-scoped: the name alone");
        assert.equal(importId(infra, "kubernetes:core/v1:Namespace"), "openshift-pipelines");
        const half = importFileOf(planOf("half-adopted", "prod"));
        assert.equal(importId(half, "aws:iam/rolePolicyAttachment:RolePolicyAttachment"),
            "stone-prd-rh01-tekton-results-rds-monitoring/arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole");
        assert.equal(importId(half, "aws:s3/bucketMetric:BucketMetric"), `${bucket}:EntireBucket`);
        assert.equal(importId(half, "aws:cloudwatch/metricAlarm:MetricAlarm", "aws-monitoring-db-cpu-high"), "stone-prd-rh01-tekton-results-cpu-high");
        assert.equal(importId(half, "aws:s3/bucketVersioning:BucketVersioning"), undefined, "a bucket never versioned has no versioning to import");
        for (const type of ["random:index/randomPassword:RandomPassword", "aws:iam/accessKey:AccessKey", "pulumi-nodejs:dynamic:Resource"]) {
            assert.equal(importId(infra, type), undefined, type);
            assert.ok(planOf("infra-deployments", "adopt-key").report.created.some((entry) => entry.type === type && entry.reason === "not-importable"), type);
        }
    });

    it("names the providers in the nameTable and each imported resource's parent and provider", () => {
        const file = importFileOf(planOf("infra-deployments", "adopt-key"));
        assert.deepEqual(file.nameTable, {
            aws: "urn:pulumi:prod::pipeline-service::pulumi:providers:aws::aws",
            kubernetes: "urn:pulumi:prod::pipeline-service::pulumi:providers:kubernetes::kubernetes",
        });
        const config = (file.resources ?? []).find((entry) => entry.type === "kubernetes:operator.tekton.dev/v1alpha1:TektonConfig");
        assert.deepEqual(config, {
            type: "kubernetes:operator.tekton.dev/v1alpha1:TektonConfig",
            name: "urn:pulumi:prod::pipeline-service::pipeline-service:index:PipelineService$pipeline-service:tekton:TektonConfig$kubernetes:operator.tekton.dev/v1alpha1:TektonConfig::tekton-config",
            id: "config",
            parent: "urn:pulumi:prod::pipeline-service::pipeline-service:index:PipelineService$pipeline-service:tekton:TektonConfig::tekton-config",
            provider: "kubernetes",
            logicalName: "tekton-config",
        });
        const top = (file.resources ?? []).find((entry) => entry.type === "pipeline-service:index:PipelineService");
        assert.deepEqual(top, { type: "pipeline-service:index:PipelineService", name: "urn:pulumi:prod::pipeline-service::pipeline-service:index:PipelineService::pipeline-service",
            component: true, logicalName: "pipeline-service" }, "the stack's child has no parent entry");
    });

    it("lists the TektonConfig fields upstream left on as changes of the first up (Triggers and the pruner off)", () => {
        const changes = changesOf(planOf("infra-deployments", "adopt-key").report, "TektonConfig config");
        assert.deepEqual(changes.get("spec.trigger.disabled"), { live: "(absent)", rendered: "true" });
        assert.deepEqual(changes.get("spec.pruner.disabled"), { live: "false", rendered: "true" });
        assert.deepEqual(changes.get("spec.profile"), { live: "\"all\"", rendered: "\"basic\"" });
        // Server-set and unrendered fields are not changes: SSA leaves them alone.
        for (const path of changes.keys()) {
            assert.doesNotMatch(path, /^(status|metadata\.(managedFields|resourceVersion|uid|creationTimestamp|generation|annotations))|pruner\.keep|spec\.addon/, path);
        }
        assert.ok(!changes.has("spec.result.db_host"), "known only after apply, and present live: not a change");
        assert.ok(!changes.has("spec.tektonpruner.disabled"), "already as rendered");
    });

    it("shows no change for an object that is as rendered, and a Secret's data only as [secret]", () => {
        const report = planOf("half-adopted", "prod").report;
        for (const what of ["Namespace openshift-pipelines", "CatalogSource openshift-marketplace/pipeline-service-candidate", "Subscription openshift-operators/openshift-pipelines-operator",
            "ClusterRole appstudio-pipelines-scc", "SecurityContextConstraints appstudio-pipelines-scc", "RoleBinding openshift-pipelines/tekton-chains-public-key-viewer"]) {
            assert.deepEqual([...changesOf(report, what).keys()], [], what);
        }
        assert.deepEqual([...changesOf(report, "Secret openshift-pipelines/public-key")], [["stringData", { live: "[secret]", rendered: "[secret]" }]]);
    });

    it("lists the config keys whose live value differs, with the command that takes it", () => {
        const report = planOf("infra-deployments", "adopt-key").report;
        assert.deepEqual(mismatch(report, "operator.catalogImage"), {
            key: "operator.catalogImage",
            config: "quay.io/openshift-pipeline/pipelines-index-4.17@sha256:0d4c1b9a8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b",
            live: `quay.io/openshift-pipeline/pipelines-index-4.17@sha256:${"1f".repeat(32)}`,
            source: "CatalogSource openshift-marketplace/pipeline-service-candidate spec.image",
            fix: `pulumi config set --stack prod --path operator.catalogImage quay.io/openshift-pipeline/pipelines-index-4.17@sha256:${"1f".repeat(32)}`,
        });
        assert.deepEqual([mismatch(report, "operator.installPlanApproval")?.config, mismatch(report, "operator.installPlanApproval")?.live], ["Manual", "Automatic"]);
        assert.deepEqual([mismatch(report, "operator.startingCsv")?.config, mismatch(report, "operator.startingCsv")?.live],
            ["openshift-pipelines-operator-rh.v1.20.1", "openshift-pipelines-operator-rh.v1.20.0"]);
        assert.deepEqual([mismatch(report, "vault.role")?.config, mismatch(report, "vault.role")?.live], ["pipeline-service-stone-prd-rh01", "pipeline-service"]);
        assert.deepEqual([mismatch(report, "results.instanceClass")?.config, mismatch(report, "results.instanceClass")?.live], ["db.m7g.large", "db.m6g.large"]);
        assert.deepEqual([mismatch(report, "results.logRetentionDays")?.config, mismatch(report, "results.logRetentionDays")?.live], [365, 30]);
        assert.equal(mismatch(report, "results.multiAz"), undefined, "the same: no row");
        assert.equal(mismatch(report, "results.engineVersion"), undefined, "17.4 is major 17: no row");
        assert.equal(mismatch(report, "operator.line"), undefined, "the cluster runs 1.20, as the stack");
        assert.equal(mismatch(report, "resultsApi.host"), undefined);
        assert.match(mismatch(report, "vault.refreshInterval")?.fix ?? "", /^none: the config refuses it \(vault\.refreshInterval must be between 1s and 5m/);
        assert.equal(mismatch(report, "vault.refreshInterval")?.live, "1h");
    });

    it("reads the line the cluster runs from its installed CSV, and a host, Vault path and engine from what runs", async () => {
        const { report } = await planFixture("infra-deployments", "adopt-key", {
            live: (objects) => edit(objects, (object) => {
                if (object.kind === "Subscription" && object.metadata.name === "openshift-pipelines-operator") {
                    return { ...object, status: { installedCSV: "openshift-pipelines-operator-rh.v1.21.3" } };
                }
                if (object.kind === "Ingress" && object.metadata.name === "tekton-results") {
                    return { ...object, spec: { rules: [{ host: "results.apps.stone-prd-rh01.pg1f.p1.openshiftapps.com" }] } };
                }
                return object;
            }),
            aws: (dump) => ({ ...dump, describeDbInstances: { DBInstances: dump.describeDbInstances.DBInstances.map((instance) => ({ ...instance, EngineVersion: "16.4" })) } }),
        });
        assert.deepEqual(mismatch(report, "operator.line"), {
            key: "operator.line", config: "1.20", live: "1.21", source: "Subscription openshift-operators/openshift-pipelines-operator status.installedCSV openshift-pipelines-operator-rh.v1.21.3",
            fix: "none: the config refuses it (operator.startingCsv must be a CSV of line 1.21 (openshift-pipelines-operator-rh.v1.21.<patch>), the line the stack is pinned to)",
        });
        assert.deepEqual([mismatch(report, "resultsApi.host")?.live, mismatch(report, "resultsApi.host")?.fix],
            ["results.apps.stone-prd-rh01.pg1f.p1.openshiftapps.com", "pulumi config set --stack prod --path resultsApi.host results.apps.stone-prd-rh01.pg1f.p1.openshiftapps.com"]);
        assert.equal(mismatch(report, "results.engineVersion")?.live, "16.4");
        assert.match(mismatch(report, "results.engineVersion")?.fix ?? "", /^none: the config refuses it \(results\.engineVersion must be one of "17", "18"/);
    });

    it("refuses to generate a key over the cluster's, naming chains.adoptExistingKey and how to set it", () => {
        const plan = planOf("infra-deployments", "prod");
        assert.equal(plan.report.verdict, "stop");
        assert.equal(plan.importFile, undefined);
        const stop = plan.report.stops.find((text) => text.includes("signing key")) ?? "";
        assert.match(stop, /chains\.adoptExistingKey/);
        assert.match(stop, /pulumi config set --stack prod --path chains\.adoptExistingKey true/);
        assert.match(stop, /pulumi config set --stack prod --path chains\.existingPublicKey < cosign\.pub/);
        assert.match(stop, /oc -n openshift-pipelines get secret signing-secrets -o jsonpath='\{\.data\.cosign\\\.pub\}' \| base64 -d > cosign\.pub/);
        // And the ExternalSecret upstream used to sync the key from Vault would overwrite the program's Secret.
        assert.deepEqual(plan.report.differentName.map((entry) => entry.existing), ["ExternalSecret openshift-pipelines/tekton-chains-signing-secret"]);
    });

    it("with adoptExistingKey leaves signing-secrets out of the import and unmanaged", () => {
        const plan = planOf("infra-deployments", "adopt-key");
        assert.equal(plan.report.verdict, "import");
        assert.ok(!(plan.importFile?.resources ?? []).some((entry) => entry.id === "openshift-pipelines/signing-secrets"));
        assert.ok(!plan.report.created.some((entry) => entry.what.includes("signing-secrets")));
        assert.deepEqual(plan.report.unmanaged.find((entry) => entry.name === "signing-secrets"), {
            kind: "core/Secret", namespace: "openshift-pipelines", name: "signing-secrets",
            note: "the cluster's signing key: left unmanaged on purpose (chains.adoptExistingKey); keep its backup out of band",
        });
    });

    it("refuses an adopted key that is not the cluster's, a missing one, and an empty signing-secrets in key mode", async () => {
        const otherKey = { "pipeline-service:chains": { adoptExistingKey: true, existingPublicKey: "-----BEGIN PUBLIC KEY-----\nT1RIRVI=\n-----END PUBLIC KEY-----\n" } };
        const wrong = await planFixture("infra-deployments", "adopt-key", { config: otherKey });
        assert.match(wrong.report.stops.join("\n"), /chains\.existingPublicKey is not the public half of the cluster's key/);
        const missing = await planFixture("infra-deployments", "adopt-key", { live: (objects) => objects.filter((object) => object.metadata.name !== "signing-secrets") });
        assert.match(missing.report.stops.join("\n"), /chains\.adoptExistingKey is true, but the cluster has no Secret openshift-pipelines\/signing-secrets/);
        const empty = await planFixture("infra-deployments", "prod", {
            live: (objects) => edit(objects.filter((object) => object.metadata.name !== "tekton-chains-signing-secret"),
                (object) => (object.kind === "Secret" && object.metadata.name === "signing-secrets" ? { ...object, data: {} } : object)),
        });
        assert.equal(empty.report.stops.length, 1);
        assert.match(empty.report.stops[0] ?? "", /^Secret openshift-pipelines\/signing-secrets exists without a private key .*oc -n openshift-pipelines delete secret signing-secrets/);
    });

    it("stops on what exists under another name, saying what to do", async () => {
        const { report, importFile } = await planFixture("infra-deployments", "adopt-key", {
            live: (objects) => [...objects,
                { apiVersion: "operators.coreos.com/v1alpha1", kind: "Subscription", metadata: { name: "openshift-pipelines", namespace: "openshift-operators" }, spec: { name: "openshift-pipelines-operator-rh", channel: "pipelines-1.20" } },
                { apiVersion: "operator.tekton.dev/v1alpha1", kind: "TektonConfig", metadata: { name: "config-old" }, spec: { targetNamespace: "openshift-pipelines" } },
                { apiVersion: "operators.coreos.com/v1alpha1", kind: "CatalogSource", metadata: { name: "custom-operators", namespace: "openshift-marketplace" },
                    spec: { image: "quay.io/openshift-pipeline/pipelines-index-4.17@sha256:0d4c1b9a8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b" } },
                { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "results-api", namespace: "tekton-results" },
                    spec: { rules: [{ host: "tekton-results.apps.stone-prd-rh01.pg1f.p1.openshiftapps.com" }] } },
                { apiVersion: "external-secrets.io/v1", kind: "ExternalSecret", metadata: { name: "tekton-results-s3", namespace: "openshift-pipelines" }, spec: { target: { name: "tekton-results-s3", creationPolicy: "Owner" } } },
            ],
            aws: (dump) => ({
                ...dump,
                describeDbInstances: { DBInstances: [...dump.describeDbInstances.DBInstances, { DBInstanceIdentifier: "stone-prd-rh01-results-old", TagList: [{ Key: "cluster", Value: "stone-prd-rh01" }, { Key: "component", Value: "results-db" }] },
                    { DBInstanceIdentifier: "stone-prd-rh01-other-service", TagList: [{ Key: "cluster", Value: "stone-prd-rh01" }, { Key: "component", Value: "ui-sessions" }] }] },
                listBuckets: { Buckets: [...dump.listBuckets.Buckets, { Name: "stone-prd-rh01-tekton-results-logs-old" }] },
            }),
        });
        assert.equal(importFile, undefined, "stop before import");
        assert.equal(report.verdict, "stop");
        assert.deepEqual(report.differentName.map((entry) => entry.existing).sort(), [
            "CatalogSource openshift-marketplace/custom-operators",
            "ExternalSecret openshift-pipelines/tekton-results-s3",
            "Ingress tekton-results/results-api",
            "RDS instance stone-prd-rh01-results-old",
            "S3 bucket stone-prd-rh01-tekton-results-logs-old",
            "Subscription openshift-operators/openshift-pipelines",
            "TektonConfig config-old",
        ]);
        const subscription = report.differentName.find((entry) => entry.existing.startsWith("Subscription"));
        assert.match(subscription?.resolve ?? "", /oc -n openshift-operators delete subscription openshift-pipelines\): OLM leaves the installed CSV/);
        const writer = report.differentName.find((entry) => entry.existing.startsWith("ExternalSecret"));
        assert.match(writer?.resolve ?? "", /creationPolicy.*Orphan/);
        assert.ok(!report.unmanaged.some((entry) => entry.name === "tekton-results-s3"), "a conflict is not also listed as unmanaged");
    });

    it("stops when the Results IAM user has no room for another access key", async () => {
        const { report } = await planFixture("infra-deployments", "adopt-key", {
            aws: (dump) => ({ ...dump, listAccessKeys: { AccessKeyMetadata: [{ Status: "Active" }, { Status: "Inactive" }] } }),
        });
        assert.equal(report.stops.length, 1);
        assert.match(report.stops[0] ?? "", /^IAM user stone-prd-rh01-tekton-results-s3 already has 2 access keys, the most AWS allows/);
    });

    it("says what each thing created new does to what runs", () => {
        const created = new Map(planOf("infra-deployments", "adopt-key").report.created.map((entry) => [entry.type, entry]));
        assert.match(created.get("random:index/randomPassword:RandomPassword")?.consequence ?? "",
            /^a new database password: the first up sets it as the master password of stone-prd-rh01-tekton-results and writes it into Secret openshift-pipelines\/tekton-results-postgres/);
        assert.match(created.get("aws:iam/accessKey:AccessKey")?.consequence ?? "",
            /^a new access key for IAM user stone-prd-rh01-tekton-results-s3, written into Secret openshift-pipelines\/tekton-results-s3 by the first up; the user's 1 existing key stays active/);
        const fresh = new Map(planOf("fresh", "prod").report.created.map((entry) => [entry.type, entry]));
        assert.equal(fresh.get("random:index/randomPassword:RandomPassword")?.consequence, "the new database's master password");
        assert.match(fresh.get("pulumi-nodejs:dynamic/pipeline-service:CosignKeyPair")?.consequence ?? "", /the cluster's Chains signing key, generated once/);
    });

    it("without an AWS dump lists every AWS resource as not checked", async () => {
        const { report } = await planFixture("infra-deployments", "adopt-key", { aws: null });
        assert.equal(report.awsChecked, false);
        assert.ok(!report.imported.some((entry) => entry.type.startsWith("aws:")));
        const aws = report.created.filter((entry) => entry.type.startsWith("aws:") && entry.type !== "aws:iam/accessKey:AccessKey");
        assert.ok(aws.length > 15);
        assert.ok(aws.every((entry) => entry.reason === "not-checked" && entry.why === "no --aws dump"), JSON.stringify(aws[0]));
        assert.deepEqual(report.configMismatches.filter((row) => row.key.startsWith("results.")), []);
    });

    it("lists unmanaged neighbours by name: other objects where the program manages that kind, and leftovers carrying its labels", () => {
        const infra = planOf("infra-deployments", "adopt-key").report.unmanaged;
        const names = (kind: string, namespace: string) => infra.filter((entry) => entry.kind === kind && entry.namespace === namespace).map((entry) => entry.name);
        assert.deepEqual(names("core/Secret", "openshift-pipelines"), ["builder-dockercfg-x7k2p", "pipelines-as-code-secret", "signing-secrets"]);
        assert.deepEqual(names("core/Namespace", ""), [], "the cluster's other namespaces are not the program's business");
        assert.deepEqual(names("rbac.authorization.k8s.io/ClusterRole", ""), []);
        assert.deepEqual(infra.find((entry) => entry.name === "pipelines-as-code-secret")?.note, "owned by ExternalSecret pipelines-as-code-secret");
        const half = planOf("half-adopted", "prod").report.unmanaged.find((entry) => entry.name === "pipeline-service-results-watcher");
        assert.match(half?.note ?? "", /carries the program's labels/);
    });

    it("never writes or prints a Secret's value, a password or a key", async () => {
        for (const fixture of ["infra-deployments", "half-adopted", "fresh"] as const) {
            const forms = secretForms(liveOf(fixture));
            assert.ok(fixture === "fresh" || forms.length > 6, fixture);
            for (const variant of ["prod", "adopt-key"] as const) {
                const plan = plans.get(`${fixture}/${variant}`) ?? await planFixture(fixture, variant);
                for (const [name, text] of outputsOf(plan)) {
                    for (const form of forms) {
                        assert.ok(!text.includes(form), `${fixture}/${variant}/${name} holds a Secret value (${form.slice(0, 12)}…)`);
                    }
                    assert.doesNotMatch(text, /PLANTED|PRIVATE KEY|BEGIN PUBLIC KEY/, `${fixture}/${variant}/${name}`);
                }
            }
        }
    });

    it("refuses a dump of another cluster", async () => {
        const render = await variantRender("adopt-key");
        const config = configOf(render);
        const refusal = async (edits: PlanEdits): Promise<string> => {
            try {
                await planFixture("infra-deployments", "adopt-key", edits);
            } catch (error) {
                assert.ok(error instanceof AdoptInputError, String(error));
                return error.message;
            }
            return assert.fail("expected a refusal");
        };
        const otherDomain = (text: string) => text.replaceAll(config.appsDomain, "apps.stone-prd-rh02.x1y2.p1.openshiftapps.com");
        const console = await refusal({ live: (objects) => JSON.parse(otherDomain(JSON.stringify(objects))) as LiveObject[] });
        assert.match(console, /is from another cluster: its console is at console-openshift-console\.apps\.stone-prd-rh02\.x1y2\.p1\.openshiftapps\.com .*not under the stack's appsDomain apps\.stone-prd-rh01/);
        const ingress = await refusal({ live: (objects) => JSON.parse(otherDomain(JSON.stringify(objects.filter((object) => object.metadata.name !== "console-public")))) as LiveObject[] });
        assert.match(ingress, /none of its 2 Ingress hosts \(e\.g\. grafana\.apps\.stone-prd-rh02/);
        const target = await refusal({ live: (objects) => edit(objects, (object) => (object.kind === "TektonConfig" ? { ...object, spec: { targetNamespace: "tekton-pipelines" } } : object)) });
        assert.match(target, /TektonConfig config targets namespace tekton-pipelines, the program's targets openshift-pipelines/);
        assert.doesNotMatch(`${console}${ingress}${target}`, /\n/, "one paragraph");
    });
});

/** The objects with `change` applied to each. */
function edit(objects: LiveObject[], change: (object: LiveObject) => LiveObject): LiveObject[] {
    return objects.map(change);
}
