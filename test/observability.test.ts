/**
 * Issue 15, cluster side: the scrape gaps, the exporter, the alerts and the dashboard as builders (typed models
 * validated) and in the dev/prod renders; nothing when `observability.enabled` is false.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type * as PromModels from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1" with { "resolution-mode": "import" };
import { alertDefinitions, ALERT_NAMES, buildPrometheusRule, DEFAULT_RUNBOOK_BASE_URL } from "../components/observability/alerts";
import { buildEsoServiceMonitor, buildPrometheusReadBinding, buildWebhookServiceMonitor, OPERATOR_SHIPPED_MONITORS } from "../components/observability/builders";
import { buildDashboardJson, dashboardSummary, DASHBOARD_ROWS } from "../components/observability/dashboard";
import { buildExporterDeployment, buildExporterServiceMonitor, EXPORTER_RULES } from "../components/observability/exporter";
import { PROJECT_DIR, renderStack, writeRender, type RenderResult } from "../render";
import { CASE_SETTINGS } from "./fixtures/alert-cases";
import { exampleRender, manifest, ofType } from "./harness";

const importEsm = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<unknown>;
const SM = "kubernetes:monitoring.coreos.com/v1:ServiceMonitor";
const RULE = "kubernetes:monitoring.coreos.com/v1:PrometheusRule";
const IMAGE = `quay.io/konflux-ci/pipeline-service-exporter@sha256:${"a".repeat(64)}`;
const OBSERVABILITY = "pipeline-service:observability";
const LABELS = { "app.kubernetes.io/part-of": "pipeline-service" };

describe("observability builders", () => {
    let models: typeof PromModels;
    before(async () => {
        models = (await importEsm("@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1")) as typeof PromModels;
    });

    const monitors = [
        { what: "Pipelines webhook", monitor: () => buildWebhookServiceMonitor("openshift-pipelines", LABELS), selects: "openshift-pipelines", port: "http-metrics" },
        { what: "ESO, across namespaces", monitor: () => buildEsoServiceMonitor("openshift-pipelines", "eso", LABELS), selects: "eso", port: "metrics" },
        { what: "exporter", monitor: () => buildExporterServiceMonitor("openshift-pipelines", LABELS), selects: "openshift-pipelines", port: "metrics" },
    ];
    for (const { what, monitor, selects, port } of monitors) {
        it(`builds a valid ServiceMonitor for the ${what}, living in the monitored pipelines namespace`, () => {
            const built = monitor();
            new models.ServiceMonitor(built).validate();
            assert.equal(built.metadata?.namespace, "openshift-pipelines");
            assert.deepEqual(built.spec.namespaceSelector?.matchNames, [selects]);
            assert.equal(built.spec.endpoints?.[0]?.port, port);
        });
    }

    it("the ServiceMonitor model rejects what the builders must not produce (validate is not vacuous)", () => {
        const built = buildWebhookServiceMonitor("openshift-pipelines", LABELS);
        assert.throws(() => new models.ServiceMonitor({ ...built, spec: { ...built.spec, endpoints: [{ port: "x", interval: "30 seconds" }] } }).validate(), /interval/);
    });

    it("lets prometheus-k8s discover ESO's endpoints, and scrapes ESO with its own namespace label", () => {
        const binding = buildPrometheusReadBinding("eso", "reader", LABELS);
        assert.deepEqual(binding.subjects, [{ kind: "ServiceAccount", name: "prometheus-k8s", namespace: "openshift-monitoring" }]);
        assert.equal(buildEsoServiceMonitor("openshift-pipelines", "eso", LABELS).spec.endpoints?.[0]?.honorLabels, true);
    });

    it("duplicates none of the operator's monitors: no builder selects a Service an operator monitor selects", () => {
        for (const { monitor } of monitors) {
            const selector = monitor().spec.selector.matchLabels ?? {};
            for (const shipped of OPERATOR_SHIPPED_MONITORS) {
                const same = Object.entries(shipped.selects).every(([key, value]) => selector[key] === value);
                assert.ok(!same, `${monitor().metadata?.name} selects what ${shipped.name} already scrapes`);
            }
        }
    });

    it("runs the exporter hardened, and lets it patch PipelineRuns only", () => {
        const deployment = buildExporterDeployment("openshift-pipelines", IMAGE, LABELS);
        const pod = (deployment.spec as { template: { spec: unknown } }).template.spec as { securityContext: object; containers: Array<Record<string, unknown>> };
        const container = pod.containers[0];
        assert.deepEqual(pod.securityContext, { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
        assert.deepEqual(container.securityContext, {
            runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" },
        });
        assert.equal(container.image, IMAGE);
        for (const probe of ["livenessProbe", "readinessProbe"]) {
            assert.deepEqual((container[probe] as { httpGet: object }).httpGet, { path: "/metrics", port: "metrics", scheme: "HTTP" });
        }
        assert.ok(container.resources);
        const patching = EXPORTER_RULES.filter((rule) => (rule.verbs as string[]).includes("patch"));
        assert.deepEqual(patching.map((rule) => rule.resources), [["pipelineruns"]]);
        assert.ok(EXPORTER_RULES.every((rule) => !(rule.verbs as string[]).some((verb) => ["*", "create", "delete", "update"].includes(verb))));
    });

    it("builds a valid PrometheusRule whose alerts carry severity, static annotations and their runbook", () => {
        const alerts = alertDefinitions(CASE_SETTINGS);
        const rule = buildPrometheusRule("openshift-pipelines", alerts, LABELS);
        new models.PrometheusRule(rule).validate();
        assert.throws(() => new models.PrometheusRule({ ...rule, spec: { groups: [{ name: "g", rules: [{ alert: "A" }] }] } } as never).validate(), /expr/);
        for (const alert of alerts) {
            // The trailing slash of the configured base is not doubled.
            assert.equal(alert.runbook, `https://git.example.com/pipeline-service-iac/blob/main/docs/runbooks/${alert.name}.md`);
            assert.ok(["critical", "warning"].includes(alert.severity));
            assert.doesNotMatch(`${alert.summary}${alert.description}`, /\{\{/, "promtool compares annotations verbatim");
        }
    });

    const staleCases = [
        { refresh: 60, factor: 3, window: "[180s]" },
        { refresh: 300, factor: 4, window: "[1200s]" },
        // Below four scrapes, increase() could see a single sample: the window is widened.
        { refresh: 10, factor: 2, window: "[120s]" },
    ];
    for (const { refresh, factor, window } of staleCases) {
        it(`looks back ${window} for a stale secret at refresh ${refresh}s × ${factor}`, () => {
            const stale = alertDefinitions({ ...CASE_SETTINGS, secretStaleAfterSeconds: refresh * factor }).find((alert) => alert.name === "PipelinesAsCodeSecretStale");
            assert.ok(stale?.expr.includes(`externalsecret_sync_calls_total{namespace="openshift-pipelines", name="pipelines-as-code-secret"}${window}`), stale?.expr);
        });
    }

    it("has the exporter alert only when the exporter runs", () => {
        assert.deepEqual(alertDefinitions({ ...CASE_SETTINGS, exporter: false }).map((alert) => alert.name), ALERT_NAMES.filter((name) => name !== "PipelineMetricsExporterDown"));
    });

    it("renders the dashboard deterministically, and its summary lists every query", () => {
        const json = buildDashboardJson(DASHBOARD_ROWS, "us-east-1");
        assert.equal(json, buildDashboardJson(DASHBOARD_ROWS, "us-east-1"));
        const dashboard = JSON.parse(json) as { rows: Array<{ panels: Array<{ id: number; targets: Array<{ expr: string }> }> }> };
        const panels = dashboard.rows.flatMap((row) => row.panels);
        assert.deepEqual(panels.map((panel) => panel.id), panels.map((_, index) => index + 1));
        const summary = dashboardSummary(DASHBOARD_ROWS, "us-east-1");
        for (const target of panels.flatMap((panel) => panel.targets)) {
            assert.ok(summary.includes(`\`${target.expr}\``), target.expr);
        }
        assert.match(summary, /RDS metrics are in CloudWatch/);
    });
});

describe("observability in the renders", () => {
    const monitorNames = (result: RenderResult): string[] => ofType(result, SM).map((r) => (r.inputs.metadata as { name: string }).name).sort();

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: fills the scrape gaps, loads the alerts and the console dashboard, and recreates no operator monitor`, async () => {
            const result = await exampleRender(stack);
            assert.deepEqual(monitorNames(result), ["pipeline-service-external-secrets", "pipeline-service-tekton-pipelines-webhook"]);
            for (const shipped of OPERATOR_SHIPPED_MONITORS) {
                assert.ok(!monitorNames(result).includes(shipped.name));
            }
            manifest(result, "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "pipeline-service-prometheus-k8s-read", "external-secrets");
            const rule = manifest(result, RULE, "pipeline-service-alerts", "openshift-pipelines");
            const rules = (rule.inputs.spec as { groups: Array<{ rules: Array<{ alert: string }> }> }).groups[0].rules;
            assert.deepEqual(rules.map((r) => r.alert), ALERT_NAMES.filter((name) => name !== "PipelineMetricsExporterDown"));
            const dashboard = manifest(result, "kubernetes:core/v1:ConfigMap", "grafana-dashboard-pipeline-service", "openshift-config-managed");
            assert.equal((dashboard.inputs.metadata as { labels: Record<string, string> }).labels["console.openshift.io/dashboard"], "true");
            assert.equal(ofType(result, "kubernetes:apps/v1:Deployment").length, 0, "no exporter without observability.exporterImage");
        });
    }

    it("writes the dashboard summary as dashboard.md in the render", async () => {
        const result = await exampleRender("dev");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "obs-render-"));
        try {
            writeRender(result, path.join(dir, "out"));
            assert.equal(fs.readFileSync(path.join(dir, "out", "dashboard.md"), "utf8"), dashboardSummary(DASHBOARD_ROWS, "us-east-1"));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    const runbooksOf = (result: RenderResult): string[] => (manifest(result, RULE, "pipeline-service-alerts").inputs.spec as { groups: Array<{ rules: Array<{ alert: string; annotations: { runbook_url: string } }> }> })
        .groups[0].rules.map((r) => r.annotations.runbook_url);

    it("links each alert to its runbook under the default base, or under observability.runbookBaseUrl", async () => {
        const byDefault = runbooksOf(await exampleRender("dev"));
        assert.ok(byDefault.every((url) => url.startsWith(`${DEFAULT_RUNBOOK_BASE_URL}/`) && fs.existsSync(path.join(PROJECT_DIR, "docs", "runbooks", url.slice(DEFAULT_RUNBOOK_BASE_URL.length + 1)))), byDefault.join("\n"));
        const base = "https://git.internal.example.com/platform/pipeline-service-iac/-/blob/main/docs/runbooks";
        const configured = runbooksOf(await renderStack("dev", { overrides: { [OBSERVABILITY]: { runbookBaseUrl: base } } }));
        assert.deepEqual(configured, byDefault.map((url) => url.replace(DEFAULT_RUNBOOK_BASE_URL, base)));
    });

    it("runs the exporter when an image is configured", async () => {
        const result = await renderStack("dev", { overrides: { [OBSERVABILITY]: { exporterImage: IMAGE } } });
        assert.ok(monitorNames(result).includes("pipeline-metrics-exporter"));
        const deployment = manifest(result, "kubernetes:apps/v1:Deployment", "pipeline-metrics-exporter", "openshift-pipelines");
        assert.match(JSON.stringify(deployment.inputs), /"readOnlyRootFilesystem":true/);
        manifest(result, "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", "pipeline-service-exporter-reader");
        const rules = (manifest(result, RULE, "pipeline-service-alerts").inputs.spec as { groups: Array<{ rules: Array<{ alert: string }> }> }).groups[0].rules;
        assert.ok(rules.some((r) => r.alert === "PipelineMetricsExporterDown"));
    });

    it("creates nothing when observability.enabled is false", async () => {
        const result = await renderStack("dev", { overrides: { [OBSERVABILITY]: { enabled: false } } });
        assert.deepEqual(result.resources.filter((r) => r.type.includes("monitoring.coreos.com") || r.type.includes(":observability:")), []);
        assert.equal(result.resources.some((r) => (r.inputs.metadata as { namespace?: string } | undefined)?.namespace === "openshift-config-managed"), false);
        assert.equal("dashboardMarkdown" in result.outputs, false);
    });
});

describe("runbooks and docs/observability.md", () => {
    const doc = fs.readFileSync(path.join(PROJECT_DIR, "docs", "observability.md"), "utf8");
    for (const alert of alertDefinitions(CASE_SETTINGS)) {
        it(`${alert.name}: has a runbook (meaning, confirm, fix) and a row in docs/observability.md`, () => {
            const runbook = fs.readFileSync(path.join(PROJECT_DIR, "docs", "runbooks", `${alert.name}.md`), "utf8");
            assert.match(runbook, new RegExp(`^# ${alert.name}\\n[\\s\\S]*Severity: \\*\\*${alert.severity}\\*\\*[\\s\\S]*## What it means[\\s\\S]*## How to confirm[\\s\\S]*## How to fix`));
            assert.ok(doc.includes(`| \`${alert.name}\` | ${alert.severity} | ${alert.summary} | [runbook](runbooks/${alert.name}.md) |`), `docs/observability.md row for ${alert.name}`);
        });
    }
});
