/**
 * Pure builders for the optional pipeline-service-exporter (openshift-pipelines/pipeline-service-exporter), the
 * RHTAP/Konflux collector of scheduling-overhead and "kickoff not attempted" metrics that Tekton does not export.
 *
 * Shape follows pipeline-service's deployment (`operator/gitops/argocd/pipeline-service/metrics-exporter/`:
 * Deployment `pipeline-metrics-exporter`, port 9117 `metrics`, 250m/128Mi → 500m/512Mi), hardened for the
 * restricted SCC. The exporter listens on `-telemetry.address :9117` / `/metrics` (`main.go`).
 */
import type { IServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor" with { "resolution-mode": "import" };
import type * as k8sInput from "@pulumi/kubernetes/types/input";
import type * as pulumi from "@pulumi/pulumi";
import { buildServiceMonitor } from "./builders";

export const EXPORTER = {
    name: "pipeline-metrics-exporter",
    serviceName: "pipeline-metrics-exporter-service",
    serviceAccount: "pipeline-service-exporter",
    clusterRole: "pipeline-service-exporter-reader",
    port: 9117,
    portName: "metrics",
} as const;

const SELECTOR = { app: EXPORTER.name } as const;

/**
 * Least privilege, from upstream's `clusterrole.yaml` with two cuts: `patch` only on PipelineRuns, the one
 * object the exporter writes (`collector/utils.go`, `tagPipelineRunsWithTaskRunsGettingThrottled`: `oc.Patch`
 * of a PipelineRun label), and no `/metrics` nonResourceURL (it serves metrics, it does not scrape any).
 */
export const EXPORTER_RULES: readonly k8sInput.rbac.v1.PolicyRule[] = [
    { apiGroups: [""], resources: ["pods", "services", "namespaces", "endpoints"], verbs: ["get", "list", "watch"] },
    { apiGroups: ["apiextensions.k8s.io"], resources: ["customresourcedefinitions"], verbs: ["get"] },
    { apiGroups: ["tekton.dev"], resources: ["pipelineruns"], verbs: ["get", "list", "watch", "patch"] },
    { apiGroups: ["tekton.dev"], resources: ["taskruns"], verbs: ["get", "list", "watch"] },
    { apiGroups: ["resolution.tekton.dev"], resources: ["resolutionrequests"], verbs: ["get", "list", "watch"] },
];

export function buildExporterServiceAccount(namespace: pulumi.Input<string>, labels: Record<string, string>): k8sInput.core.v1.ServiceAccount {
    return { metadata: { name: EXPORTER.serviceAccount, namespace, labels } };
}

export function buildExporterClusterRole(labels: Record<string, string>): k8sInput.rbac.v1.ClusterRole {
    return { metadata: { name: EXPORTER.clusterRole, labels }, rules: [...EXPORTER_RULES] };
}

export function buildExporterClusterRoleBinding(namespace: pulumi.Input<string>, roleName: pulumi.Input<string>, labels: Record<string, string>): k8sInput.rbac.v1.ClusterRoleBinding {
    return {
        metadata: { name: EXPORTER.clusterRole, labels },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: roleName },
        subjects: [{ kind: "ServiceAccount", name: EXPORTER.serviceAccount, namespace }],
    };
}

/** The exporter Deployment: non-root, read-only root filesystem, no capabilities, RuntimeDefault seccomp. */
export function buildExporterDeployment(namespace: pulumi.Input<string>, image: string, labels: Record<string, string>): k8sInput.apps.v1.Deployment {
    const probe = (initialDelaySeconds: number): k8sInput.core.v1.Probe => ({
        httpGet: { path: "/metrics", port: EXPORTER.portName, scheme: "HTTP" },
        initialDelaySeconds,
        periodSeconds: 30,
        timeoutSeconds: 10,
        failureThreshold: 3,
    });
    return {
        metadata: { name: EXPORTER.name, namespace, labels: { ...labels, ...SELECTOR } },
        spec: {
            replicas: 1,
            selector: { matchLabels: { ...SELECTOR } },
            template: {
                metadata: { labels: { ...labels, ...SELECTOR } },
                spec: {
                    serviceAccountName: EXPORTER.serviceAccount,
                    securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
                    containers: [{
                        name: "exporter",
                        image,
                        ports: [{ name: EXPORTER.portName, containerPort: EXPORTER.port, protocol: "TCP" }],
                        resources: { requests: { cpu: "250m", memory: "128Mi" }, limits: { cpu: "500m", memory: "512Mi" } },
                        readinessProbe: probe(5),
                        livenessProbe: probe(30),
                        securityContext: {
                            runAsNonRoot: true,
                            allowPrivilegeEscalation: false,
                            readOnlyRootFilesystem: true,
                            capabilities: { drop: ["ALL"] },
                            seccompProfile: { type: "RuntimeDefault" },
                        },
                    }],
                },
            },
        },
    };
}

export function buildExporterService(namespace: pulumi.Input<string>, labels: Record<string, string>): k8sInput.core.v1.Service {
    return {
        metadata: { name: EXPORTER.serviceName, namespace, labels: { ...labels, ...SELECTOR } },
        spec: {
            selector: { ...SELECTOR },
            ports: [{ name: EXPORTER.portName, port: EXPORTER.port, targetPort: EXPORTER.portName, protocol: "TCP" }],
        },
    };
}

/** As upstream's `servicemonitor.yaml`: 15s, honorLabels (the exporter labels series with the run's namespace). */
export function buildExporterServiceMonitor(namespace: string, labels: Record<string, string>): IServiceMonitor {
    return buildServiceMonitor({
        name: EXPORTER.name, namespace, labels, jobLabel: "app",
        targetNamespace: namespace, selector: SELECTOR, port: EXPORTER.portName, interval: "15s", honorLabels: true,
    });
}
