/**
 * What stops `npm run adopt` (no import file, a stop that says what to do) and what it refuses outright (a dump of
 * another cluster), over the cluster fixtures of test/fixtures/adopt/.
 */
import * as assert from "node:assert/strict";
import { AdoptInputError, type LiveObject } from "../adopt/inputs";
import { configOf, FIXTURE_CATALOG_IMAGE, planFixture, variantRender, type PlanEdits } from "./adopt-fixtures";
import { edit, planCases } from "./adopt-plans";

describe("npm run adopt: stops and refusals", function () {
    this.timeout(120_000);
    const { planOf } = planCases();

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
                    spec: { image: FIXTURE_CATALOG_IMAGE } },
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
