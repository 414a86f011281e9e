/**
 * Pure OLM manifests for the OpenShift Pipelines operator from a candidate-build catalog (after
 * openshift-pipelines/pipeline-service operator/gitops/argocd/pipeline-service/openshift-pipelines).
 */
import { OPERATOR_PACKAGE } from "../../lib/operator-lines";
import { kubernetesLabels } from "../shared/labels";

export const CATALOG_NAMESPACE = "openshift-marketplace";
export const CATALOG_SOURCE_NAME = "pipeline-service-candidate";
export const SUBSCRIPTION_NAMESPACE = "openshift-operators";
export const SUBSCRIPTION_NAME = "openshift-pipelines-operator";
export const TEKTON_CONFIG_CRD = "tektonconfigs.operator.tekton.dev";

/** Settings of the candidate build and how OLM follows it. */
export interface OperatorCatalogSettings {
    /** Index image, pinned by `@sha256:` digest. */
    readonly catalogImage: string;
    /** How often OLM polls the index (Go duration). */
    readonly registryPollInterval: string;
    /** Subscription channel: the line's `pipelines-1.N` when the stack is pinned to one. */
    readonly channel: string;
    readonly installPlanApproval: "Automatic" | "Manual";
    readonly startingCsv?: string;
    /** The OpenShift Pipelines line (`1.21`) the stack is pinned to; absent: it follows `channel` wherever it leads. */
    readonly line?: string;
}

/**
 * `operators.coreos.com/v1alpha1` CatalogSource serving the candidate build. Fields: operator-framework/api
 * pkg/operators/v1alpha1/catalogsource_types.go (`CatalogSourceSpec.sourceType|image|updateStrategy`,
 * `RegistryPoll.interval`: a Go duration; OLM silently falls back to 15m when it does not parse).
 */
export function buildCatalogSource(settings: OperatorCatalogSettings): Record<string, unknown> {
    return {
        apiVersion: "operators.coreos.com/v1alpha1",
        kind: "CatalogSource",
        metadata: { name: CATALOG_SOURCE_NAME, namespace: CATALOG_NAMESPACE, labels: kubernetesLabels("operator") },
        spec: {
            sourceType: "grpc",
            image: settings.catalogImage,
            displayName: "OpenShift Pipelines candidate build (Pipeline Service)",
            publisher: "Pipeline Service",
            updateStrategy: { registryPoll: { interval: settings.registryPollInterval } },
        },
    };
}

/**
 * `operators.coreos.com/v1alpha1` Subscription. Fields: operator-framework/api pkg/operators/v1alpha1/
 * subscription_types.go (`SubscriptionSpec.source|sourceNamespace|name|channel|startingCSV|installPlanApproval|config`,
 * `SubscriptionConfig.env`). The operator's own TektonConfig bootstrap is switched off
 * (`AUTOINSTALL_COMPONENTS=false`, read by tektoncd/operator's tektonconfig controller): this program creates
 * `config` itself, so `pulumi up` never meets an object the operator created first (provider ≥ 4.29 fails
 * on AlreadyExists).
 */
export function buildSubscription(settings: OperatorCatalogSettings): Record<string, unknown> {
    return {
        apiVersion: "operators.coreos.com/v1alpha1",
        kind: "Subscription",
        metadata: { name: SUBSCRIPTION_NAME, namespace: SUBSCRIPTION_NAMESPACE, labels: kubernetesLabels("operator") },
        spec: {
            channel: settings.channel,
            name: OPERATOR_PACKAGE,
            source: CATALOG_SOURCE_NAME,
            sourceNamespace: CATALOG_NAMESPACE,
            installPlanApproval: settings.installPlanApproval,
            ...(settings.startingCsv === undefined ? {} : { startingCSV: settings.startingCsv }),
            config: { env: [{ name: "AUTOINSTALL_COMPONENTS", value: "false" }] },
        },
    };
}
