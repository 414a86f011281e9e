/**
 * Labels and tags every resource carries, so anyone looking at the cluster or the AWS account can tell
 * what owns an object and which cluster it serves.
 */

/** Who manages the objects (Kubernetes label / AWS tag value). */
export const MANAGED_BY = "pulumi-pipeline-service";

/** Kubernetes labels for an object of `component`. */
export function kubernetesLabels(component: string): Record<string, string> {
    return {
        "app.kubernetes.io/part-of": "pipeline-service",
        "app.kubernetes.io/component": component,
        "app.kubernetes.io/managed-by": MANAGED_BY,
    };
}

/** Identity of the cluster stack, carried by every AWS resource as tags. */
export interface TagContext {
    readonly clusterName: string;
    readonly environment: string;
}

/** AWS tags for a resource of `component`: cluster, environment, component, managed-by. */
export function awsTags(context: TagContext, component: string): Record<string, string> {
    return {
        cluster: context.clusterName,
        environment: context.environment,
        component,
        "managed-by": MANAGED_BY,
    };
}
