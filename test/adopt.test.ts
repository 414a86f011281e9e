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
 * The other tests here assert what must hold of the import file whatever the render: that pulumi import reads it, the
 * import ID of each type, its nameTable, parents and providers. test/adopt-report.test.ts holds the report's sections
 * (the TektonConfig fields the first up changes, the config rows, what creating does, and that no secret value reaches
 * any output), test/adopt-stops.test.ts each stop and refusal.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { importFileProblems, importFileSchema } from "../adopt/import-file";
import type { AdoptPlan } from "../adopt/plan";
import { ADOPT_FIXTURES, planFixture, variantRender, type Fixture, type Variant } from "./adopt-fixtures";
import { CASES, importFileOf, importId, json, outputsOf, planCases } from "./adopt-plans";

const UPDATE = process.env.UPDATE_ADOPT_EXPECTED === "1";

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

describe("npm run adopt: the plan", function () {
    this.timeout(120_000);
    const { planOf } = planCases();

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
});
