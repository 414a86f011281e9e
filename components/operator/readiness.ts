/**
 * Waits until an OLM-installed operator really runs: Subscription → installed CSV `Succeeded` → CRD `Established`,
 * and, for a stack pinned to an OpenShift Pipelines line, until that line runs: the installed CSV is of the line and
 * an existing TektonConfig reports the line's version and `Ready`. The wait re-runs when the pinned line changes, so
 * it also covers a line upgrade (the Subscription moved to the next line's channel; with Manual approval, until a
 * person approves the InstallPlan that the timeout message names).
 *
 * Why: the Kubernetes provider retries a "no match for kind" only ~31 s, and `pulumi.com/waitFor` on the
 * Subscription is satisfied as soon as `status.installedCSV` is set, before the CSV has `Succeeded`
 * (@pulumi/kubernetes await logic: kinds without built-in await wait for nothing). OLM installs take minutes,
 * so the TektonConfig must wait for this step.
 *
 * Why a dynamic resource with @kubernetes/client-node instead of @pulumi/command + `kubectl wait`: it needs no
 * extra provider plugin and no kubectl binary on the runner, it speaks to the API server directly with the
 * same kubeconfig the Kubernetes provider uses, and the wait logic is testable in-process against a fake API
 * server. The wait is readiness-wait.ts; the provider, and what preview refuses, readiness-provider.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { operatorReadinessProvider } from "./readiness-provider";

/** Arguments of {@link OperatorReadiness}. */
export interface OperatorReadinessArgs {
    /** Kubeconfig of the target cluster (stored as a secret); absent: the runner's default kubeconfig. */
    readonly kubeconfig?: pulumi.Input<string>;
    /** Kubeconfig context, the same one the Kubernetes provider uses. */
    readonly context?: pulumi.Input<string>;
    /** Namespace of the Subscription (and its CSV). */
    readonly subscriptionNamespace: pulumi.Input<string>;
    /** Subscription name. */
    readonly subscriptionName: pulumi.Input<string>;
    /** CRD that must become Established. */
    readonly crdName: pulumi.Input<string>;
    /** Overall deadline of the wait, in seconds. */
    readonly timeoutSeconds: pulumi.Input<number>;
    /**
     * The line a pinned stack runs (`1.21`): the wait also covers moving to it, and preview refuses a skipped line
     * or a downgrade. A plain string: `check` and `diff` compare it in preview, where an unknown would not do.
     */
    readonly line?: string;
    /** Name of the TektonConfig whose version must reach `line`; given exactly when `line` is. */
    readonly tektonConfigName?: string;
}

/**
 * Completes (on `up`) once the operator's CSV has `Succeeded` and `crdName` is Established (with `line`: once that
 * line's CSV has, and an existing TektonConfig reports the line and Ready). Give it
 * `dependsOn: [subscription]` and make custom resources of that CRD depend on it.
 */
export class OperatorReadiness extends pulumi.dynamic.Resource {
    /** Name of the CSV that was installed when the wait finished. */
    public declare readonly installedCsv: pulumi.Output<string>;

    constructor(name: string, args: OperatorReadinessArgs, opts?: pulumi.CustomResourceOptions) {
        super(
            operatorReadinessProvider,
            name,
            {
                kubeconfig: args.kubeconfig === undefined ? undefined : pulumi.secret(args.kubeconfig),
                context: args.context,
                subscriptionNamespace: args.subscriptionNamespace,
                subscriptionName: args.subscriptionName,
                crdName: args.crdName,
                timeoutSeconds: args.timeoutSeconds,
                // Only for pinned stacks: an unpinned stack's recorded inputs stay as they were.
                ...(args.line === undefined ? {} : { line: args.line }),
                ...(args.tektonConfigName === undefined ? {} : { tektonConfigName: args.tektonConfigName }),
                installedCsv: undefined,
            },
            opts,
        );
    }
}
