/**
 * `TektonConfig`: the operator's one configuration object (`operator.tekton.dev/v1alpha1`, cluster-scoped,
 * named `config`). It puts together the operator settings ({@link buildOperatorSpec}) and the blocks the
 * capabilities contribute as their outputs; it only applies them.
 *
 * One object, on purpose: the Results block holds the RDS host, so the whole TektonConfig waits for the
 * database on a cluster's first `up`. Splitting `spec.result` into a server-side-apply patch would let the
 * rest apply earlier, but then Results would first be installed with the operator's defaults (an in-cluster
 * database) and switched over later. Nothing runs in the meantime: the operator does not create its own
 * TektonConfig (AUTOINSTALL_COMPONENTS=false), so Triggers and the pruner are never installed while waiting.
 */
import * as apiextensions from "@pulumi/kubernetes/apiextensions";
import * as pulumi from "@pulumi/pulumi";
import type { OperatorLine } from "../../lib/operator-lines";
import { kubernetesLabels } from "../shared/labels";
import { buildOperatorSpec, TEKTON_CONFIG_NAME, type PipelinePerformance, type PipelineReplicas } from "./builders";
import type { ChainSpec, InputFields, PipelinesAsCodeSpec, ResultSpec } from "./types";

export interface TektonConfigArgs {
    /** Namespace the operator installs into (the target namespace component's output). */
    readonly targetNamespace: pulumi.Input<string>;
    /** Pipelines controller performance, defaults and feature flags. */
    readonly performance: PipelinePerformance;
    /** Replicas of the Pipelines controllers and the webhook's minimum. */
    readonly replicas: PipelineReplicas;
    /** The OpenShift Pipelines line the spec is emitted for. */
    readonly line: OperatorLine;
    /** `spec.chain`, from the Chains signing component. */
    readonly chain: pulumi.Input<ChainSpec>;
    /**
     * `spec.result`, from the Results component. Field by field, so that only the RDS host is unknown in
     * preview and `pulumi preview` and the policy pack still see Triggers, pruner and Chains.
     */
    readonly result: InputFields<ResultSpec>;
    /** `spec.platforms.openshift.pipelinesAsCode`, from the Pipelines-as-Code component. */
    readonly pipelinesAsCode: pulumi.Input<PipelinesAsCodeSpec>;
    /**
     * What must exist before the TektonConfig object is created: the operator readiness step (its CRD), the
     * target namespace, the signing key Secret and the Results objects. Applied to the object itself, since a
     * component's own `dependsOn` does not hold back its children.
     */
    readonly after: readonly pulumi.Resource[];
}

export class TektonConfig extends pulumi.ComponentResource {
    constructor(name: string, args: TektonConfigArgs, opts?: pulumi.ComponentResourceOptions) {
        super("pipeline-service:tekton:TektonConfig", name, {}, opts);

        new apiextensions.CustomResource(name, {
            apiVersion: "operator.tekton.dev/v1alpha1",
            kind: "TektonConfig",
            metadata: { name: TEKTON_CONFIG_NAME, labels: kubernetesLabels("tekton-config") },
            spec: {
                ...buildOperatorSpec(args.performance, args.replicas, args.line),
                targetNamespace: args.targetNamespace,
                chain: args.chain,
                result: args.result,
                platforms: { openshift: { pipelinesAsCode: args.pipelinesAsCode } },
            },
        }, { parent: this, dependsOn: [...args.after] });

        this.registerOutputs({});
    }
}
