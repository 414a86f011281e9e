/**
 * The "Pipeline Service" dashboard of the OpenShift console (Observe → Dashboards), as typed data.
 *
 * The console lists ConfigMaps in `openshift-config-managed` labelled `console.openshift.io/dashboard: "true"`
 * (openshift/console `cmd/bridge/main.go`, `MonitoringDashboardConfigMapLister`) and renders each data key as a
 * Grafana dashboard (a Grafana 6 subset: `rows` of `graph` panels, as cluster-monitoring-operator's own dashboards);
 * queries run against the platform Thanos querier. Metric names: see alerts.ts (same sources), plus the
 * Pipelines webhook's knative request metrics (`knative/pkg webhook/stats_reporter.go`: `request_count`,
 * `request_latencies` in ms; prefix `tekton_pipelines_webhook_` from the service name, tektoncd/pipeline v1.3.6
 * `cmd/webhook/main.go`) and Pipelines-as-Code v0.37.8's counters (`pkg/metrics/metrics.go`; PaC exports no
 * git API latency, only request counts).
 *
 * RDS is not here: its metrics live in CloudWatch (`AWS/RDS`) and nothing exports them into the cluster's Prometheus,
 * so the dashboard's description links the CloudWatch console, where the RDS alarms are.
 */

export interface PanelQuery {
    readonly expr: string;
    /** Series name template (Grafana `legendFormat`). */
    readonly legend: string;
}

export interface Panel {
    readonly title: string;
    /** Grafana unit of the y axis (`short`, `s`, `ms`, `reqps`, `percentunit`). */
    readonly unit: string;
    readonly queries: readonly PanelQuery[];
}

export interface Row {
    readonly title: string;
    readonly panels: readonly Panel[];
}

export const DASHBOARD_TITLE = "Pipeline Service";
export const DASHBOARD_UID = "pipeline-service";
export const DASHBOARD_CONFIGMAP = "grafana-dashboard-pipeline-service";
export const DASHBOARD_NAMESPACE = "openshift-config-managed";
export const DASHBOARD_KEY = "pipeline-service.json";

const RESULTS_GRPC = `grpc_service=~"tekton\\\\.results\\\\..*"`;
const quantile = (q: number, bucket: string, by = ""): string =>
    `histogram_quantile(${q}, sum by (le${by}) (rate(${bucket}[15m])))`;

export const DASHBOARD_ROWS: readonly Row[] = [
    {
        title: "Throughput",
        panels: [
            { title: "PipelineRuns completed per minute", unit: "short", queries: [{ expr: "sum by (status) (rate(tekton_pipelines_controller_pipelinerun_total[5m])) * 60", legend: "{{status}}" }] },
            { title: "TaskRuns completed per minute", unit: "short", queries: [{ expr: "sum by (status) (rate(tekton_pipelines_controller_taskrun_total[5m])) * 60", legend: "{{status}}" }] },
            {
                title: "Running", unit: "short", queries: [
                    { expr: "sum(tekton_pipelines_controller_running_pipelineruns)", legend: "PipelineRuns" },
                    { expr: "sum(tekton_pipelines_controller_running_taskruns)", legend: "TaskRuns" },
                ],
            },
        ],
    },
    {
        title: "Durations",
        panels: [
            {
                title: "PipelineRun duration", unit: "s", queries: [
                    { expr: quantile(0.5, "tekton_pipelines_controller_pipelinerun_duration_seconds_bucket"), legend: "p50" },
                    { expr: quantile(0.95, "tekton_pipelines_controller_pipelinerun_duration_seconds_bucket"), legend: "p95" },
                ],
            },
            { title: "TaskRun pod start latency (p95)", unit: "ms", queries: [{ expr: quantile(0.95, "tekton_pipelines_controller_taskruns_pod_latency_milliseconds_bucket"), legend: "p95" }] },
            { title: "Reconcile latency (p95)", unit: "ms", queries: [{ expr: quantile(0.95, "tekton_pipelines_controller_reconcile_latency_bucket", ", reconciler"), legend: "{{reconciler}}" }] },
        ],
    },
    {
        title: "Queues",
        panels: [
            { title: "Work queue depth", unit: "short", queries: [{ expr: `max by (job, name) ({__name__=~"tekton_pipelines_controller_workqueue_depth|watcher_workqueue_depth|pac_watcher_workqueue_depth"})`, legend: "{{job}} {{name}}" }] },
            {
                title: "Waiting", unit: "short", queries: [
                    { expr: "sum(tekton_pipelines_controller_running_pipelineruns_waiting_on_pipeline_resolution)", legend: "PipelineRuns waiting on resolution" },
                    { expr: "sum(tekton_pipelines_controller_running_taskruns_waiting_on_task_resolution_count)", legend: "TaskRuns waiting on resolution" },
                    { expr: "sum(tekton_pipelines_controller_running_taskruns_throttled_by_quota)", legend: "TaskRuns throttled by quota" },
                    { expr: "sum(tekton_pipelines_controller_running_taskruns_throttled_by_node)", legend: "TaskRuns throttled by node" },
                ],
            },
        ],
    },
    {
        title: "Tekton Results",
        panels: [
            { title: "Results API calls per second by code", unit: "reqps", queries: [{ expr: `sum by (grpc_code) (rate(grpc_server_handled_total{${RESULTS_GRPC}}[5m]))`, legend: "{{grpc_code}}" }] },
            {
                // No archive-lag metric before Results v0.17.0: completed runs against record writes shows the gap.
                title: "Archive activity: runs completed vs records written per minute", unit: "short", queries: [
                    { expr: "sum(rate(tekton_pipelines_controller_pipelinerun_total[5m])) * 60", legend: "PipelineRuns completed" },
                    { expr: `sum(rate(grpc_server_handled_total{${RESULTS_GRPC}, grpc_method=~"CreateRecord|UpdateRecord", grpc_code="OK"}[5m])) * 60`, legend: "records written" },
                    { expr: "sum(rate(watcher_pipelinerun_delete_count[5m])) * 60", legend: "PipelineRuns deleted by the watcher" },
                ],
            },
            { title: "PipelineRuns stored in etcd", unit: "short", queries: [{ expr: `max(apiserver_storage_objects{resource="pipelineruns.tekton.dev"})`, legend: "PipelineRuns" }] },
        ],
    },
    {
        title: "Signing (Chains)",
        panels: [
            {
                title: "Chains per minute", unit: "short", queries: [
                    { expr: "sum(rate(watcher_pipelinerun_sign_created_total[5m])) * 60", legend: "PipelineRun signatures" },
                    { expr: "sum(rate(watcher_taskrun_sign_created_total[5m])) * 60", legend: "TaskRun signatures" },
                    { expr: "sum(rate(watcher_pipelinerun_payload_uploaded_total[5m])) * 60", legend: "PipelineRun payloads uploaded" },
                    { expr: "sum(rate(watcher_pipelinerun_marked_signed_total[5m])) * 60", legend: "PipelineRuns marked signed" },
                ],
            },
        ],
    },
    {
        title: "Pipelines-as-Code and webhooks",
        panels: [
            { title: "PipelineRuns started by PaC per minute", unit: "short", queries: [{ expr: "sum by (event_type) (rate(pac_watcher_pipelines_as_code_pipelinerun_count[5m])) * 60", legend: "{{event_type}}" }] },
            { title: "Git provider API requests per minute", unit: "short", queries: [{ expr: `sum by (provider) (rate({__name__=~"pac_(controller|watcher)_pipelines_as_code_git_provider_api_request_count"}[5m])) * 60`, legend: "{{provider}}" }] },
            {
                title: "Pipelines admission webhook", unit: "ms", queries: [
                    { expr: quantile(0.99, "tekton_pipelines_webhook_request_latencies_bucket"), legend: "p99 latency" },
                ],
            },
        ],
    },
];

/** Link to the CloudWatch console for the RDS instance's metrics and alarms. */
export function cloudWatchUrl(region: string): string {
    return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:`;
}

/** The Grafana JSON (rows format); deterministic: same rows, same text. */
export function buildDashboardJson(rows: readonly Row[], region: string): string {
    let id = 0;
    const dashboard = {
        title: DASHBOARD_TITLE,
        uid: DASHBOARD_UID,
        description: `Pipeline Service on this cluster. RDS metrics and alarms are in CloudWatch: ${cloudWatchUrl(region)}`,
        tags: ["pipeline-service"],
        editable: false,
        refresh: "1m",
        schemaVersion: 16,
        time: { from: "now-6h", to: "now" },
        timezone: "UTC",
        rows: rows.map((row) => ({
            title: row.title,
            showTitle: true,
            collapse: false,
            height: "250px",
            panels: row.panels.map((panel) => ({
                id: ++id,
                type: "graph",
                title: panel.title,
                span: Math.floor(12 / row.panels.length),
                datasource: "prometheus",
                lines: true,
                fill: 1,
                linewidth: 1,
                legend: { show: true },
                yaxes: [{ format: panel.unit, min: 0, show: true }, { format: "short", show: false }],
                targets: panel.queries.map((query, index) => ({ expr: query.expr, legendFormat: query.legend, refId: String.fromCharCode(65 + index), intervalFactor: 2 })),
            })),
        })),
    };
    return `${JSON.stringify(dashboard, null, 2)}\n`;
}

/** A readable summary (Markdown) of the dashboard: rows, panels and their queries. */
export function dashboardSummary(rows: readonly Row[], region: string): string {
    const lines = [
        `# Dashboard "${DASHBOARD_TITLE}"`,
        "",
        `OpenShift console → Observe → Dashboards → ${DASHBOARD_TITLE} (ConfigMap ${DASHBOARD_NAMESPACE}/${DASHBOARD_CONFIGMAP}).`,
        `RDS metrics are in CloudWatch, not Prometheus: ${cloudWatchUrl(region)}`,
    ];
    for (const row of rows) {
        lines.push("", `## ${row.title}`, "");
        for (const panel of row.panels) {
            lines.push(`- **${panel.title}** (${panel.unit})`);
            for (const query of panel.queries) {
                lines.push(`  - ${query.legend}: \`${query.expr}\``);
            }
        }
    }
    return `${lines.join("\n")}\n`;
}
