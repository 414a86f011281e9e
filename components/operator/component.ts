/**
 * `PipelinesOperator`: the OpenShift Pipelines operator installed by OLM from a candidate-build catalog, and
 * a readiness step that completes only once the operator really runs. Tekton custom resources depend on
 * `ready`: the Kubernetes provider retries a CR whose CRD is missing for only ~31 s, and the Subscription's
 * status is set before its CSV has succeeded. For a stack pinned to a line the step also covers a line upgrade:
 * it waits for that line's CSV and for an existing TektonConfig to report the line and Ready, and re-runs when
 * the line changes (preview refuses a skipped line or a downgrade).
 */
import * as apiextensions from "@pulumi/kubernetes/apiextensions";
import * as pulumi from "@pulumi/pulumi";
import { TEKTON_CONFIG_NAME } from "../tekton/builders";
import { OperatorReadiness } from "./readiness";
import {
    buildCatalogSource, buildSubscription, SUBSCRIPTION_NAME, SUBSCRIPTION_NAMESPACE, TEKTON_CONFIG_CRD, type OperatorCatalogSettings,
} from "./builders";

export interface PipelinesOperatorArgs {
    /** Candidate-build catalog and subscription settings. */
    readonly catalog: OperatorCatalogSettings;
    /**
     * How long `pulumi up` waits for the CSV to succeed and the TektonConfig CRD to be established (and, on a line
     * upgrade, for the TektonConfig to report the new line).
     */
    readonly readinessTimeoutSeconds: pulumi.Input<number>;
    /** Kubeconfig the readiness step talks to the cluster with (the Kubernetes provider's); absent: default loading rules. */
    readonly kubeconfig?: pulumi.Input<string>;
    /** Kubeconfig context (the Kubernetes provider's). */
    readonly kubeconfigContext?: pulumi.Input<string>;
}

export class PipelinesOperator extends pulumi.ComponentResource {
    /** Completes once the operator's CSV has succeeded and its CRDs are established: depend on it. */
    public readonly ready: pulumi.Resource;

    constructor(name: string, args: PipelinesOperatorArgs, opts?: pulumi.ComponentResourceOptions) {
        super("pipeline-service:operator:PipelinesOperator", name, {}, opts);

        const catalogSource = new apiextensions.CustomResource(`${name}-catalog`,
            buildCatalogSource(args.catalog) as apiextensions.CustomResourceArgs, { parent: this });
        const subscription = new apiextensions.CustomResource(`${name}-subscription`,
            buildSubscription(args.catalog) as apiextensions.CustomResourceArgs, { parent: this, dependsOn: [catalogSource] });

        const readiness = new OperatorReadiness(`${name}-ready`, {
            kubeconfig: args.kubeconfig,
            context: args.kubeconfigContext,
            subscriptionNamespace: SUBSCRIPTION_NAMESPACE,
            subscriptionName: SUBSCRIPTION_NAME,
            crdName: TEKTON_CONFIG_CRD,
            timeoutSeconds: args.readinessTimeoutSeconds,
            ...(args.catalog.line === undefined ? {} : { line: args.catalog.line, tektonConfigName: TEKTON_CONFIG_NAME }),
        }, { parent: this, dependsOn: [subscription] });

        this.ready = readiness;
        this.registerOutputs({});
    }
}
