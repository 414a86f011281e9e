/**
 * The alerts, as typed data, and the PrometheusRule that carries them.
 *
 * Metric names are those OpenShift Pipelines 1.20 (tektoncd/operator v0.77.1) really exports, OpenCensus through
 * knative/pkg (`metrics/exporter.go`: prefix = component name with - → _): Pipelines v1.3.6 `tekton_pipelines_controller_*` (`pkg/pipelinerunmetrics/metrics.go`),
 * knative workqueue gauges (`knative/pkg controller/stats_reporter.go`), Results v0.16.0 API gRPC counters
 * (`cmd/api/main.go` wires go-grpc-prometheus; no storage metric exists before v0.17.0), Chains v0.25.2
 * `watcher_pipelinerun_sign_created_total` (`pkg/chains/constants.go`; no signing-error metric exists), ESO
 * `externalsecret_*` (`pkg/controllers/externalsecret/esmetrics/esmetrics.go`), kube-state-metrics deployment and
 * pod gauges, and the kube-apiserver's `apiserver_storage_objects` (k8s.io/apiserver
 * `pkg/storage/etcd3/metrics/metrics.go`, `objectCounts`), the only PipelineRun object count without a
 * kube-state-metrics custom-resource config. Annotations are static text: promtool compares them verbatim.
 */
import type { IPrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule" with { "resolution-mode": "import" };
import { MONITORING_API_VERSION, SCRAPE_INTERVAL } from "./builders";
import { EXPORTER } from "./exporter";

/**
 * Where the runbooks (`docs/runbooks/<alert>.md` of this repository) are read, unless a stack sets
 * `observability.runbookBaseUrl` to where it publishes them (a fork, an internal mirror).
 */
export const DEFAULT_RUNBOOK_BASE_URL = "https://github.com/openshift-pipelines/pipeline-service-iac/blob/main/docs/runbooks";

export const ALERT_NAMES = [
    "TektonConfigNotReady",
    "PipelineServiceComponentDown",
    "PipelineServiceComponentDegraded",
    "PipelineServicePodsCrashLooping",
    "PipelinesAsCodeControllerDown",
    "TektonWorkqueueBacklog",
    "TektonResultsNotArchiving",
    "TektonResultsApiErrors",
    "TektonResultsDatabaseUnreachable",
    "TektonChainsSigningStalled",
    "PipelinesAsCodeSecretSyncFailing",
    "PipelinesAsCodeSecretStale",
    "PipelineRunsAccumulating",
    "PipelineMetricsExporterDown",
] as const;
export type AlertName = (typeof ALERT_NAMES)[number];
export type Severity = "critical" | "warning";

export interface AlertDefinition {
    readonly name: AlertName;
    /** PromQL; fires for every series it returns. */
    readonly expr: string;
    /** How long the condition must hold (Prometheus duration). */
    readonly for: string;
    readonly severity: Severity;
    readonly summary: string;
    readonly description: string;
    /** `runbook_url` annotation. */
    readonly runbook: string;
}

/** What the expressions depend on. */
export interface AlertSettings {
    /** The TektonConfig's target namespace. */
    readonly pipelinesNamespace: string;
    /** Namespace of the operator's own Deployment (the Subscription's). */
    readonly operatorNamespace: string;
    /** The ExternalSecret that keeps the PaC GitHub App Secret in sync (lives in the pipelines namespace). */
    readonly externalSecretName: string;
    /** Alert when no ExternalSecret sync succeeded for this long: secretStaleAfterRefreshes × vault.refreshInterval. */
    readonly secretStaleAfterSeconds: number;
    /** Whether the exporter runs (its alert exists only then). */
    readonly exporter: boolean;
    /** Base URL of the runbooks; an alert's is `<base>/<alert>.md`. */
    readonly runbookBaseUrl: string;
}

export function runbookUrl(name: AlertName, baseUrl: string): string {
    return `${baseUrl.replace(/\/+$/, "")}/${name}.md`;
}

/** Seconds of the scrape interval, so windows hold at least a few samples. */
const SCRAPE_SECONDS = Number.parseInt(SCRAPE_INTERVAL, 10);
/** gRPC services of the Results API (`tekton.results.v1alpha2.Results`, `…Logs`, `tekton.results.v1alpha3.Logs`). */
const RESULTS_GRPC = `grpc_service=~"tekton\\\\.results\\\\..*"`;
/** The operator's TektonConfig reconciles (selector without its closing brace, so a `success` matcher can follow). */
const TEKTONCONFIG_RECONCILES = `tekton_operator_lifecycle_reconcile_count{reconciler="github.com.tektoncd.operator.pkg.reconciler.shared.tektonconfig.Reconciler"`;
/** Codes a healthy Results API does not return for its own faults (NotFound, InvalidArgument … are the caller's). */
const RESULTS_SERVER_FAULTS = `grpc_code=~"Unknown|Internal|Unavailable|DeadlineExceeded|DataLoss|ResourceExhausted"`;

/** The alerts for these settings, in {@link ALERT_NAMES} order. */
export function alertDefinitions(settings: AlertSettings): AlertDefinition[] {
    const ns = settings.pipelinesNamespace;
    const deployments = `kube_deployment_spec_replicas{namespace="${ns}"} > 0 or kube_deployment_spec_replicas{namespace="${settings.operatorNamespace}", deployment="openshift-pipelines-operator"} > 0`;
    const secret = `namespace="${ns}", name="${settings.externalSecretName}"`;
    // At least four scrapes, so increase() always has two samples even at a short refresh interval.
    const staleWindow = `${Math.max(settings.secretStaleAfterSeconds, 4 * SCRAPE_SECONDS)}s`;
    const prTotal = "tekton_pipelines_controller_pipelinerun_total";
    const storedRuns = `max(apiserver_storage_objects{resource="pipelineruns.tekton.dev"})`;
    const all: Omit<AlertDefinition, "runbook">[] = [
        {
            // The operator's lifecycle process is knative sharedmain "tekton-operator-lifecycle" (operator v0.77.1
            // config/openshift/base/operator.yaml `-unique-process-name`; pkg/reconciler/platform/platform.go startMain),
            // so its knative reconcile counter is tekton_operator_lifecycle_reconcile_count (knative/pkg
            // controller/stats_reporter.go) with reconciler = the generated controller's WorkQueueName, the reconciler's
            // package path with dots (pkg/client/injection/reconciler/operator/v1alpha1/tektonconfig/controller.go
            // NewImpl). The TektonConfig reconciler returns an error (requeue) until every component it installs is
            // ready: only failures, no success, means TektonConfig is not Ready. Scraped by the operator's own
            // ServiceMonitor (config/openshift/base/operator_servicemonitor.yaml).
            name: "TektonConfigNotReady", severity: "critical", for: "30m",
            expr: `sum(increase(${TEKTONCONFIG_RECONCILES}, success="false"}[15m])) > 0 unless sum(increase(${TEKTONCONFIG_RECONCILES}, success="true"}[15m])) > 0`,
            summary: "The TektonConfig does not become Ready.",
            description: "For 30 minutes every reconcile of the TektonConfig by the OpenShift Pipelines operator failed and none succeeded: a component it installs (Pipelines, Chains, Results, Pipelines-as-Code) is not ready, or its spec is refused.",
        },
        {
            // TektonConfig readiness is a CR condition no exporter publishes; its components' Deployments are what serve.
            name: "PipelineServiceComponentDown", severity: "critical", for: "5m",
            expr: `(${deployments}) unless on (namespace, deployment) (kube_deployment_status_replicas_available > 0)`,
            summary: "A Pipeline Service component has no available replica.",
            description: "A Deployment the operator runs in the pipelines namespace (or the operator itself) has had no available replica for 5 minutes: that component (controller, webhook, Results, Chains or Pipelines-as-Code) is down.",
        },
        {
            name: "PipelineServiceComponentDegraded", severity: "warning", for: "15m",
            expr: `kube_deployment_status_replicas_available{namespace="${ns}"} < kube_deployment_spec_replicas{namespace="${ns}"}`,
            summary: "A Pipeline Service component runs fewer replicas than desired.",
            description: "A Deployment in the pipelines namespace has had fewer available replicas than desired for 15 minutes; it still serves but without its redundancy.",
        },
        {
            // As o11y's PipelinePodsCrashLoopBackOff (rhobs/alerting/data_plane/prometheus.pipeline_alerts.yaml).
            name: "PipelineServicePodsCrashLooping", severity: "warning", for: "10m",
            expr: `max by (namespace, pod, container) (max_over_time(kube_pod_container_status_waiting_reason{namespace="${ns}", reason="CrashLoopBackOff"}[5m])) >= 1`,
            summary: "A Pipeline Service container is crash-looping.",
            description: "A container in the pipelines namespace has been in CrashLoopBackOff for 10 minutes.",
        },
        {
            // PaC v0.37.8 exports no webhook request/error metric (pkg/metrics/metrics.go): the controller being scraped is the signal.
            name: "PipelinesAsCodeControllerDown", severity: "critical", for: "5m",
            expr: `absent(up{namespace="${ns}", service="pipelines-as-code-controller"} == 1)`,
            summary: "No Pipelines-as-Code controller is up: GitHub webhooks are not processed.",
            description: "Prometheus has not scraped a live pipelines-as-code-controller for 5 minutes. The controller receives every GitHub webhook; while it is down no PipelineRun starts from a push or pull request.",
        },
        {
            name: "TektonWorkqueueBacklog", severity: "warning", for: "30m",
            expr: `max by (job, name) ({__name__=~"tekton_pipelines_controller_workqueue_depth|watcher_workqueue_depth|pac_watcher_workqueue_depth"}) > 100`,
            summary: "A Tekton controller work queue stays deep.",
            description: "A Pipelines, Chains, Results or Pipelines-as-Code controller has had more than 100 keys queued for 30 minutes: it is not keeping up and runs start, sign or archive late.",
        },
        {
            // No storage metric in Results v0.16.0: as o11y's ResultsDeadlock, runs complete but the API stores nothing.
            name: "TektonResultsNotArchiving", severity: "critical", for: "30m",
            expr: `sum(increase(${prTotal}[30m])) > 0 unless sum(increase(grpc_server_handled_total{${RESULTS_GRPC}, grpc_code="OK"}[30m])) > 0`,
            summary: "PipelineRuns complete but Tekton Results stores nothing.",
            description: "PipelineRuns completed in the last 30 minutes but the Results API answered no call successfully: the watcher is not archiving, so runs are neither recorded nor pruned.",
        },
        {
            name: "TektonResultsApiErrors", severity: "warning", for: "15m",
            expr: `sum(rate(grpc_server_handled_total{${RESULTS_GRPC}, ${RESULTS_SERVER_FAULTS}}[10m])) / sum(rate(grpc_server_handled_total{${RESULTS_GRPC}}[10m])) > 0.05`,
            summary: "More than 5% of Tekton Results API calls fail.",
            description: "Over 10 minutes, more than 5% of Results API calls ended with a server-side gRPC code (Unknown, Internal, Unavailable, DeadlineExceeded, DataLoss, ResourceExhausted).",
        },
        {
            // Results v0.16.0 registers no Postgres error space (pkg/api/server/db/errors/errors.go, Wrap): a database
            // error reaches the caller as gRPC Unknown. Every call failing so, none OK, means the database is gone.
            name: "TektonResultsDatabaseUnreachable", severity: "critical", for: "5m",
            expr: `sum(rate(grpc_server_handled_total{${RESULTS_GRPC}, grpc_code="Unknown"}[5m])) > 0 unless sum(rate(grpc_server_handled_total{${RESULTS_GRPC}, grpc_code="OK"}[5m])) > 0`,
            summary: "Every Tekton Results API call fails: its database is probably unreachable.",
            description: "For 5 minutes the Results API answered calls only with gRPC Unknown, the code database errors surface as. Check the RDS instance and the API's connection to it.",
        },
        {
            // Chains v0.25.2 has no error metric: signing stalled = runs complete, no signature created.
            name: "TektonChainsSigningStalled", severity: "critical", for: "30m",
            expr: `sum(increase(${prTotal}[1h])) > 0 unless sum(increase(watcher_pipelinerun_sign_created_total[1h])) > 0`,
            summary: "PipelineRuns complete but Tekton Chains signs none.",
            description: "PipelineRuns completed in the last hour but Chains created no PipelineRun signature: signing is failing (key, transparency log or OCI storage) and artifacts ship without provenance.",
        },
        {
            name: "PipelinesAsCodeSecretSyncFailing", severity: "critical", for: "10m",
            expr: `externalsecret_status_condition{${secret}, condition="Ready", status="False"} == 1 or increase(externalsecret_sync_calls_error{${secret}}[10m]) > 0`,
            summary: "The Pipelines-as-Code GitHub App secret fails to sync from Vault.",
            description: "The ExternalSecret that copies the GitHub App credentials from Vault is not Ready or its syncs keep failing: a rotated secret will not reach Pipelines-as-Code.",
        },
        {
            // ESO exports no last-sync time. sync_calls_total counts every reconcile, which runs once per refresh
            // interval (externalsecret_controller.go, Reconcile's deferred Inc), and sync_calls_error the failed ones:
            // none succeeding in the window means the Secret is older than the window.
            name: "PipelinesAsCodeSecretStale", severity: "warning", for: "5m",
            expr: `(sum by (namespace, name) (increase(externalsecret_sync_calls_total{${secret}}[${staleWindow}])) - sum by (namespace, name) (increase(externalsecret_sync_calls_error{${secret}}[${staleWindow}]) or increase(externalsecret_sync_calls_total{${secret}}[${staleWindow}]) * 0)) < 0.5 or absent(externalsecret_sync_calls_total{${secret}})`,
            summary: "The Pipelines-as-Code GitHub App secret has not synced for several refresh intervals.",
            description: `No successful sync of the GitHub App ExternalSecret in ${staleWindow} (secretStaleAfterRefreshes × vault.refreshInterval), or ESO is not scraped at all.`,
        },
        {
            // Growing without bound: at its lowest over the last day the count exceeds its peak over the day before
            // (an hour apart, so no sample is in both windows). Results prunes completed runs within a day.
            name: "PipelineRunsAccumulating", severity: "warning", for: "1h",
            expr: `min_over_time(${storedRuns}[24h:10m]) > max_over_time(${storedRuns}[24h:10m] offset 25h)`,
            summary: "PipelineRuns accumulate: pruning is not keeping up.",
            description: "The number of PipelineRuns stored in etcd was higher all of the last 24 hours than at any moment of the 24 hours before: completed runs are not being deleted.",
        },
        {
            name: "PipelineMetricsExporterDown", severity: "warning", for: "10m",
            expr: `absent(up{namespace="${ns}", service="${EXPORTER.serviceName}"} == 1)`,
            summary: "The pipeline-service exporter is not scraped.",
            description: "Prometheus has not scraped a live pipeline-service-exporter for 10 minutes; its overhead and deadlock metrics are missing from the dashboard.",
        },
    ];
    return all
        .filter((alert) => settings.exporter || alert.name !== "PipelineMetricsExporterDown")
        .map((alert) => ({ ...alert, runbook: runbookUrl(alert.name, settings.runbookBaseUrl) }));
}

export const RULE_GROUP_NAME = "pipeline-service";
export const PROMETHEUS_RULE_NAME = "pipeline-service-alerts";

/** The rule groups (what a Prometheus rules file holds). */
export function ruleGroups(alerts: readonly AlertDefinition[]): IPrometheusRule["spec"] {
    return {
        groups: [{
            name: RULE_GROUP_NAME,
            rules: alerts.map((alert) => ({
                alert: alert.name,
                expr: alert.expr,
                for: alert.for,
                labels: { severity: alert.severity },
                annotations: { summary: alert.summary, description: alert.description, runbook_url: alert.runbook },
            })),
        }],
    };
}

/** The PrometheusRule, in the (cluster-monitoring labelled) pipelines namespace, so the platform Prometheus loads it. */
export function buildPrometheusRule(namespace: string, alerts: readonly AlertDefinition[], labels: Record<string, string>): IPrometheusRule {
    return {
        apiVersion: MONITORING_API_VERSION,
        kind: "PrometheusRule",
        metadata: { name: PROMETHEUS_RULE_NAME, namespace, labels },
        spec: ruleGroups(alerts),
    };
}
