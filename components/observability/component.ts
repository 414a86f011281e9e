/**
 * `Observability`: what the platform Prometheus needs beyond what the operator ships (builders.ts says what
 * that is), the alerts with their runbooks, the console dashboard and, when an image is configured, the
 * pipeline-service-exporter.
 */
import * as apiextensions from "@pulumi/kubernetes/apiextensions";
import * as appsv1 from "@pulumi/kubernetes/apps/v1";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as rbacv1 from "@pulumi/kubernetes/rbac/v1";
import * as pulumi from "@pulumi/pulumi";
import { goDurationSeconds } from "../../lib/go-duration";
import { kubernetesLabels } from "../shared/labels";
import { alertDefinitions, buildPrometheusRule, type AlertName, type AlertSettings } from "./alerts";
import {
    buildEsoServiceMonitor, buildPrometheusReadBinding, buildPrometheusReadRole, buildWebhookServiceMonitor, MONITORING_API_VERSION,
} from "./builders";
import {
    buildDashboardJson, dashboardSummary, DASHBOARD_CONFIGMAP, DASHBOARD_KEY, DASHBOARD_NAMESPACE, DASHBOARD_ROWS,
} from "./dashboard";
import {
    buildExporterClusterRole, buildExporterClusterRoleBinding, buildExporterDeployment, buildExporterService, buildExporterServiceAccount,
    buildExporterServiceMonitor,
} from "./exporter";

export interface ObservabilityArgs {
    /** The pipelines namespace (already created; the operator labels it for cluster monitoring). */
    readonly namespace: pulumi.Input<string>;
    /** Namespace of the operator's Deployment. */
    readonly operatorNamespace: string;
    /** Namespace of the External Secrets Operator. */
    readonly externalSecretsNamespace: string;
    /** The ExternalSecret keeping the PaC GitHub App Secret in sync, and its refresh interval (Go duration). */
    readonly externalSecret: { readonly name: string; readonly refreshInterval: string };
    /** Alert when the ExternalSecret has not synced for this many refresh intervals. */
    readonly secretStaleAfterRefreshes: number;
    /** pipeline-service-exporter image pinned by digest; unset: no exporter. */
    readonly exporterImage?: string;
    /** AWS region (the dashboard links CloudWatch for RDS). */
    readonly region: string;
    /** Base URL of the runbooks (`docs/runbooks` as published); each alert's `runbook_url` is `<base>/<alert>.md`. */
    readonly runbookBaseUrl: string;
}

/** A custom resource from a typed manifest (apiVersion/kind/metadata/spec). */
interface TypedManifest {
    readonly apiVersion: string;
    readonly kind: string;
    readonly metadata?: object;
    readonly spec: object;
}

export class Observability extends pulumi.ComponentResource {
    /** Names of the alerts created. */
    public readonly alertNames: readonly AlertName[];
    /** Readable summary (Markdown) of the console dashboard. */
    public readonly dashboardMarkdown: string;

    constructor(name: string, args: ObservabilityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("pipeline-service:observability:Observability", name, {}, opts);
        const labels = kubernetesLabels("observability");
        const namespace = pulumi.output(args.namespace);
        const custom = (resourceName: string, kind: string, manifest: pulumi.Output<TypedManifest>, dependsOn: pulumi.Resource[] = []): apiextensions.CustomResource =>
            new apiextensions.CustomResource(resourceName, {
                apiVersion: MONITORING_API_VERSION,
                kind,
                metadata: manifest.apply((m) => m.metadata ?? {}),
                spec: manifest.apply((m) => m.spec),
            }, { parent: this, dependsOn });

        custom(`${name}-webhook-monitor`, "ServiceMonitor", namespace.apply((ns) => buildWebhookServiceMonitor(ns, labels)));
        const esoRole = new rbacv1.Role(`${name}-eso-prometheus`, buildPrometheusReadRole(args.externalSecretsNamespace, labels), { parent: this });
        const esoBinding = new rbacv1.RoleBinding(`${name}-eso-prometheus`,
            buildPrometheusReadBinding(args.externalSecretsNamespace, esoRole.metadata.name, labels), { parent: this });
        custom(`${name}-eso-monitor`, "ServiceMonitor", namespace.apply((ns) => buildEsoServiceMonitor(ns, args.externalSecretsNamespace, labels)), [esoBinding]);

        const exporter = args.exporterImage !== undefined;
        if (args.exporterImage !== undefined) {
            const image = args.exporterImage;
            const serviceAccount = new corev1.ServiceAccount(`${name}-exporter`, buildExporterServiceAccount(namespace, labels), { parent: this });
            const role = new rbacv1.ClusterRole(`${name}-exporter`, buildExporterClusterRole(labels), { parent: this });
            const binding = new rbacv1.ClusterRoleBinding(`${name}-exporter`,
                buildExporterClusterRoleBinding(namespace, role.metadata.name, labels), { parent: this });
            new appsv1.Deployment(`${name}-exporter`, buildExporterDeployment(namespace, image, labels), { parent: this, dependsOn: [serviceAccount, binding] });
            new corev1.Service(`${name}-exporter`, buildExporterService(namespace, labels), { parent: this });
            custom(`${name}-exporter-monitor`, "ServiceMonitor", namespace.apply((ns) => buildExporterServiceMonitor(ns, labels)));
        }

        // The ESO namespace and operator namespace are plain config; only the pipelines namespace is an Output.
        const settings = (ns: string): AlertSettings => ({
            pipelinesNamespace: ns,
            operatorNamespace: args.operatorNamespace,
            externalSecretName: args.externalSecret.name,
            secretStaleAfterSeconds: args.secretStaleAfterRefreshes * goDurationSeconds(args.externalSecret.refreshInterval),
            exporter,
            runbookBaseUrl: args.runbookBaseUrl,
        });
        // Which alerts exist does not depend on the namespace; only their selectors do.
        this.alertNames = alertDefinitions(settings("")).map((alert) => alert.name);
        custom(`${name}-alerts`, "PrometheusRule", namespace.apply((ns) => buildPrometheusRule(ns, alertDefinitions(settings(ns)), labels)));

        new corev1.ConfigMap(`${name}-dashboard`, {
            metadata: { name: DASHBOARD_CONFIGMAP, namespace: DASHBOARD_NAMESPACE, labels: { ...labels, "console.openshift.io/dashboard": "true" } },
            data: { [DASHBOARD_KEY]: buildDashboardJson(DASHBOARD_ROWS, args.region) },
        }, { parent: this });
        this.dashboardMarkdown = dashboardSummary(DASHBOARD_ROWS, args.region);

        this.registerOutputs({ alertNames: this.alertNames, dashboardMarkdown: this.dashboardMarkdown });
    }
}
