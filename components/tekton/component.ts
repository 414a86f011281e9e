/**
 * `TektonConfig`: the operator's one configuration object (`operator.tekton.dev/v1alpha1`, cluster-scoped,
 * named `config`). The spec comes from the pure {@link buildTektonConfigSpec}; this component only applies it.
 *
 * One object, on purpose: the Results block holds the RDS host, so the whole TektonConfig waits for the
 * database on a cluster's first `up`. Splitting `spec.result` into a server-side-apply patch would let the
 * rest apply earlier, but then Results would first be installed with the operator's defaults (an in-cluster
 * database) and switched over later. Nothing runs in the meantime: the operator does not create its own
 * TektonConfig (AUTOINSTALL_COMPONENTS=false), so Triggers and the pruner are never installed while waiting.
 */
import * as apiextensions from "@pulumi/kubernetes/apiextensions";
import * as pulumi from "@pulumi/pulumi";
import { buildTektonConfigSpec, TEKTON_CONFIG_NAME, type ChainsArgs, type PipelinePerformanceArgs, type PipelinesAsCodeArgs, type ResultsArgs } from "./builders";
import { kubernetesLabels } from "../shared/labels";

/** Stands in for the RDS host while the spec is built; replaced before the object is registered. */
const DB_HOST_PENDING = "rds-host.pending";

export interface TektonConfigArgs {
    /** Pipelines controller performance. */
    readonly performance: PipelinePerformanceArgs;
    /** Chains signing mode and sigstore endpoints. */
    readonly chains: ChainsArgs;
    /** Results on the external database and S3; `dbHost` is the only value that waits for RDS. */
    readonly results: Omit<ResultsArgs, "dbHost"> & { readonly dbHost: pulumi.Input<string> };
    /** Pipelines-as-Code console links. */
    readonly pipelinesAsCode: PipelinesAsCodeArgs;
    /**
     * What must exist before the TektonConfig object is created: the operator readiness step (its CRD), the
     * target namespace, the signing key Secret and the Results Secrets. Applied to the object itself, since a
     * component's own `dependsOn` does not hold back its children.
     */
    readonly after: readonly pulumi.Resource[];
}

export class TektonConfig extends pulumi.ComponentResource {
    /** Name of the TektonConfig object (always `config`). */
    public readonly configName: pulumi.Output<string>;

    constructor(name: string, args: TektonConfigArgs, opts?: pulumi.ComponentResourceOptions) {
        super("pipeline-service:tekton:TektonConfig", name, {}, opts);

        // Build the spec from plain values, then put the RDS host in as the only Output: everything else stays
        // known in preview, so `pulumi preview` and the policy pack can check Triggers, pruner and Chains.
        const built = buildTektonConfigSpec({
            performance: args.performance,
            chains: args.chains,
            results: { ...args.results, dbHost: DB_HOST_PENDING },
            pipelinesAsCode: args.pipelinesAsCode,
        });
        const spec = { ...built, result: { ...built.result, db_host: args.results.dbHost } };
        const config = new apiextensions.CustomResource(name, {
            apiVersion: "operator.tekton.dev/v1alpha1",
            kind: "TektonConfig",
            metadata: { name: TEKTON_CONFIG_NAME, labels: kubernetesLabels("tekton-config") },
            spec,
        }, { parent: this, dependsOn: [...args.after] });

        this.configName = config.metadata.name;
        this.registerOutputs({ configName: this.configName });
    }
}
