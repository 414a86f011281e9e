/**
 * The sections of `npm run adopt`'s report over the cluster fixtures (test/fixtures/adopt/): the changes the first up
 * makes to what is imported, the config keys whose live value differs, what creating each thing new does, the
 * unmanaged neighbours, and that no secret value reaches any output.
 */
import * as assert from "node:assert/strict";
import { FIXTURE_CATALOG_IMAGE, liveOf, planFixture, secretForms } from "./adopt-fixtures";
import { changesOf, edit, mismatch, outputsOf, planCases } from "./adopt-plans";

describe("npm run adopt: the report", function () {
    this.timeout(120_000);
    const { plans, planOf } = planCases();

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
            config: FIXTURE_CATALOG_IMAGE,
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
});
