/**
 * Pure builders for the scraping this program adds: only what the operator does not already scrape.
 *
 * Already scraped on OpenShift Pipelines 1.20 (tektoncd/operator v0.77.1), so nothing here duplicates it:
 * the TektonPipeline OpenShift extension (`pkg/reconciler/openshift/tektonpipeline/extension.go`,
 * `PostReconcile` → `postManifest`) applies every file of kodata `openshift-monitoring/` while `enableMetrics` is
 * on (its default): ServiceMonitors for the Pipelines controller, Triggers, Chains, the Results watcher and API and
 * the pruner (`cmd/openshift/operator/kodata/openshift-monitoring/00..06-*.yaml`), plus the Role/RoleBinding that
 * lets `prometheus-k8s` read `openshift-pipelines`, and labels that namespace `openshift.io/cluster-monitoring`.
 * Pipelines-as-Code's release brings monitors for its controller and watcher
 * (tektoncd/pipelines-as-code v0.37.8 `config/openshift/20-monitoring.yaml`). {@link OPERATOR_SHIPPED_MONITORS}
 * lists them; a test asserts the render creates none of them.
 *
 * Not scraped, and added here:
 * - the Pipelines webhook (`tekton-pipelines-webhook`, port `http-metrics` 9090, label `app: tekton-pipelines-webhook`;
 *   tektoncd/pipeline v1.3.6 `config/webhook.yaml`), in `openshift-pipelines`, which the operator's RBAC already covers;
 * - the External Secrets Operator. Red Hat's build (openshift/external-secrets-operator, operand v0.20.4) creates
 *   Service `external-secrets-metrics` (port `metrics` 8080, labels `app.kubernetes.io/name|instance: external-secrets`;
 *   `bindata/external-secrets/resources/service_external-secrets-metrics.yml`) but no ServiceMonitor, and its
 *   namespace has no cluster-monitoring label, so the platform Prometheus ignores monitors placed there. The
 *   monitor therefore lives in the (labelled) pipelines namespace and selects the ESO namespace, and a Role in the
 *   ESO namespace lets `prometheus-k8s` discover the endpoints (the same Role the operator ships for its namespace).
 */
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor" with { "resolution-mode": "import" };
import type * as k8sInput from "@pulumi/kubernetes/types/input";
import type * as pulumi from "@pulumi/pulumi";

export const MONITORING_API_VERSION = "monitoring.coreos.com/v1";
/** The platform Prometheus: service account `prometheus-k8s` in `openshift-monitoring`. */
export const PLATFORM_PROMETHEUS = { serviceAccount: "prometheus-k8s", namespace: "openshift-monitoring" } as const;
/** Scrape interval of our monitors; the operator's own use 10s, ESO and the webhook change slowly. */
export const SCRAPE_INTERVAL = "30s";

/** ServiceMonitors the operator (or PaC's release) already installs in the pipelines namespace: never recreate these. */
export const OPERATOR_SHIPPED_MONITORS: ReadonlyArray<{ readonly name: string; readonly selects: Readonly<Record<string, string>> }> = [
    { name: "openshift-pipelines-monitor", selects: { app: "tekton-pipelines-controller" } },
    { name: "openshift-triggers-monitor", selects: { app: "tekton-triggers-controller" } },
    { name: "openshift-chains-monitor", selects: { app: "tekton-chains-controller" } },
    { name: "openshift-results-watcher-monitor", selects: { "app.kubernetes.io/name": "tekton-results-watcher" } },
    { name: "openshift-results-api-monitor", selects: { "app.kubernetes.io/name": "tekton-results-api" } },
    { name: "openshift-pruner-monitor", selects: { app: "tekton-pruner-controller" } },
    { name: "pipelines-as-code-monitor", selects: { app: "pipelines-as-code-watcher" } },
    { name: "pipelines-as-code-controller-monitor", selects: { app: "pipelines-as-code-controller" } },
];

/** The ESO metrics Service as Red Hat's operator creates it. */
export const ESO_METRICS_SERVICE = {
    name: "external-secrets-metrics",
    port: "metrics",
    labels: { "app.kubernetes.io/name": "external-secrets", "app.kubernetes.io/instance": "external-secrets" },
} as const;

/** Names of the objects built here. */
export const SCRAPE_NAMES = {
    webhookMonitor: "pipeline-service-tekton-pipelines-webhook",
    esoMonitor: "pipeline-service-external-secrets",
    esoRole: "pipeline-service-prometheus-k8s-read",
} as const;

/** What one ServiceMonitor scrapes: a metrics port of the Services matching `selector` in `targetNamespace`. */
export interface ScrapeTarget {
    readonly name: string;
    /** Where the ServiceMonitor lives (a namespace the platform Prometheus watches). */
    readonly namespace: string;
    readonly labels: Record<string, string>;
    readonly targetNamespace: string;
    readonly selector: Readonly<Record<string, string>>;
    readonly port: string;
    readonly interval?: string;
    /** Keep the scraped series' own labels (`namespace`, `name`) instead of renaming them `exported_*`. */
    readonly honorLabels?: boolean;
    /** The Service label that names the job. */
    readonly jobLabel?: string;
}

/** A plain-HTTP ServiceMonitor for {@link ScrapeTarget}. */
export function buildServiceMonitor(target: ScrapeTarget): IServiceMonitor {
    return {
        apiVersion: MONITORING_API_VERSION,
        kind: "ServiceMonitor",
        metadata: { name: target.name, namespace: target.namespace, labels: target.labels },
        spec: {
            ...(target.jobLabel === undefined ? {} : { jobLabel: target.jobLabel }),
            namespaceSelector: { matchNames: [target.targetNamespace] },
            selector: { matchLabels: { ...target.selector } },
            endpoints: [{
                port: target.port, path: "/metrics", interval: target.interval ?? SCRAPE_INTERVAL, scheme: "http",
                ...(target.honorLabels === undefined ? {} : { honorLabels: target.honorLabels }),
            }],
        },
    };
}

/** ServiceMonitor for the Pipelines admission webhook (knative webhook request metrics). */
export function buildWebhookServiceMonitor(namespace: string, labels: Record<string, string>): IServiceMonitor {
    return buildServiceMonitor({
        name: SCRAPE_NAMES.webhookMonitor, namespace, labels, jobLabel: "app",
        targetNamespace: namespace, selector: { app: "tekton-pipelines-webhook" }, port: "http-metrics",
    });
}

/**
 * ServiceMonitor (in the monitored pipelines namespace) for ESO's metrics Service in `esoNamespace`. The platform
 * Prometheus picks up ServiceMonitors (and PrometheusRules) in namespaces labelled openshift.io/cluster-monitoring
 * and does not set ignoreNamespaceSelectors, so the monitor's namespaceSelector may name another namespace
 * (openshift/cluster-monitoring-operator assets/prometheus-k8s/prometheus.yaml: serviceMonitorNamespaceSelector,
 * ruleNamespaceSelector); the Role below lets prometheus-k8s list the endpoints there.
 * `honorLabels`: ESO's series carry the ExternalSecret's own `namespace`/`name`; without it Prometheus renames
 * them `exported_namespace` and the alerts could not select the PaC secret by namespace.
 */
export function buildEsoServiceMonitor(namespace: string, esoNamespace: string, labels: Record<string, string>): IServiceMonitor {
    return buildServiceMonitor({
        name: SCRAPE_NAMES.esoMonitor, namespace, labels,
        targetNamespace: esoNamespace, selector: ESO_METRICS_SERVICE.labels, port: ESO_METRICS_SERVICE.port, honorLabels: true,
    });
}

/** Read access to what service discovery needs in the ESO namespace (as the operator's `openshift-pipelines-read`). */
export function buildPrometheusReadRole(esoNamespace: pulumi.Input<string>, labels: Record<string, string>): k8sInput.rbac.v1.Role {
    return {
        metadata: { name: SCRAPE_NAMES.esoRole, namespace: esoNamespace, labels },
        rules: [{ apiGroups: [""], resources: ["services", "endpoints", "pods"], verbs: ["get", "list", "watch"] }],
    };
}

/** Binds {@link buildPrometheusReadRole} to the platform Prometheus. */
export function buildPrometheusReadBinding(esoNamespace: pulumi.Input<string>, roleName: pulumi.Input<string>, labels: Record<string, string>): k8sInput.rbac.v1.RoleBinding {
    return {
        metadata: { name: SCRAPE_NAMES.esoRole, namespace: esoNamespace, labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: roleName },
        subjects: [{ kind: "ServiceAccount", name: PLATFORM_PROMETHEUS.serviceAccount, namespace: PLATFORM_PROMETHEUS.namespace }],
    };
}
