/**
 * The top-level component: composes the capability components for one cluster and is the only place
 * that wires one component's outputs into another's inputs.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../stacks/types";

export interface PipelineServiceArgs {
    /** The parsed, defaulted stack configuration. */
    readonly config: StackConfig;
}

/** What the stack exports. */
export interface PipelineServiceOutputs {
    readonly clusterName: string;
    readonly environment: string;
}

export class PipelineService extends pulumi.ComponentResource {
    /** The stack outputs, listed once. */
    public readonly stackOutputs: PipelineServiceOutputs;

    constructor(name: string, args: PipelineServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("pipeline-service:index:PipelineService", name, {}, opts);
        const { config } = args;

        this.stackOutputs = {
            clusterName: config.clusterName,
            environment: config.environment,
        };
        this.registerOutputs({ ...this.stackOutputs });
    }
}
