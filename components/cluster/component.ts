/**
 * `TargetNamespace`: the `openshift-pipelines` namespace, owned by this program so the signing key and the
 * Results/PaC Secrets can exist before the TektonConfig (the Chains controller cannot start without
 * `signing-secrets`). The operator adopts an existing target namespace: it adds its
 * `operator.tekton.dev/targetNamespace` label (and an owner reference when there is none). Server-side apply
 * keeps those fields the operator's and ours apart, so neither side fights the other.
 */
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as pulumi from "@pulumi/pulumi";
import { kubernetesLabels } from "../shared/labels";

/** Where the operator installs Pipelines, Chains, Results and PaC on OpenShift (the TektonConfig's targetNamespace). */
export const TARGET_NAMESPACE = "openshift-pipelines";

export interface TargetNamespaceArgs {
    /** Namespace name (the TektonConfig's targetNamespace). */
    readonly name: string;
}

export class TargetNamespace extends pulumi.ComponentResource {
    /** The namespace name, resolved once the Namespace exists: depend on it to be created inside. */
    public readonly name: pulumi.Output<string>;

    constructor(name: string, args: TargetNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("pipeline-service:cluster:TargetNamespace", name, {}, opts);

        const namespace = new corev1.Namespace(name, {
            metadata: { name: args.name, labels: kubernetesLabels("namespace") },
        }, {
            parent: this,
            // Deleting the namespace would delete the cluster's signing key with it.
            protect: true,
            retainOnDelete: true,
        });

        this.name = namespace.metadata.name;
        this.registerOutputs({ name: this.name });
    }
}
