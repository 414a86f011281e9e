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
 * server. In preview the engine never calls `create`, so previews touch nothing; `check` and `diff` refuse
 * a line change OLM cannot perform (a skipped line or a downgrade), so that `pulumi preview` fails before anything
 * changes. (An `up` without a preview, like the Automation API's `up` that pulumi/actions runs, has by then
 * already applied the Subscription this resource depends on: the SDK registers a resource only once its
 * `dependsOn` resources are registered, i.e. done.)
 */
import * as pulumi from "@pulumi/pulumi";
import type * as k8sClient from "@kubernetes/client-node" with { "resolution-mode": "import" };
import { lineChangeProblem, minorOfCsv } from "../../lib/operator-lines";

/** Options for {@link waitForOperatorReady}. */
export interface OperatorReadinessOptions {
    /** Kubeconfig YAML/JSON (a secret: never logged). Absent: the default loading rules ($KUBECONFIG, ~/.kube/config). */
    readonly kubeconfig?: string;
    /** Context to use, as the Kubernetes provider's `context` setting; absent: the kubeconfig's current context. */
    readonly context?: string;
    /** Namespace of the Subscription and of its CSV, e.g. `openshift-operators`. */
    readonly subscriptionNamespace: string;
    /** Subscription name, e.g. `openshift-pipelines-operator`. */
    readonly subscriptionName: string;
    /** CRD that must be Established, e.g. `tektonconfigs.operator.tekton.dev`. */
    readonly crdName: string;
    /** Overall deadline for all three stages. */
    readonly timeoutSeconds: number;
    /** Delay between polls; default 5000 ms. */
    readonly pollIntervalMs?: number;
    /**
     * The OpenShift Pipelines line (`1.21`) a pinned stack runs; absent: any installed CSV will do. Given only
     * together with {@link tektonConfigName}.
     */
    readonly line?: string;
    /** Name of the cluster-scoped TektonConfig (`config`) whose version must reach {@link line}. */
    readonly tektonConfigName?: string;
}

/** Result of a successful wait. */
export interface OperatorReadinessResult {
    /** Name of the ClusterServiceVersion the Subscription installed. */
    readonly installedCsv: string;
}

const OLM_GROUP = "operators.coreos.com";
const OLM_VERSION = "v1alpha1";
const TEKTON_GROUP = "operator.tekton.dev";
const TEKTON_VERSION = "v1alpha1";
const DEFAULT_POLL_INTERVAL_MS = 5000;

interface SubscriptionObject {
    readonly status?: {
        readonly installedCSV?: string;
        readonly state?: string;
        readonly installPlanRef?: { readonly name?: string };
    };
}
interface CsvObject {
    readonly status?: { readonly phase?: string; readonly reason?: string; readonly message?: string };
}

interface TektonConfigObject {
    readonly status?: {
        readonly version?: string;
        readonly conditions?: ReadonlyArray<{ readonly type?: string; readonly status?: string }>;
    };
}

/** `1.21.3` or `v1.21.3` → `1.21`; undefined for anything else. */
function minorOfVersion(version: string | undefined): string | undefined {
    return version === undefined ? undefined : /^v?([0-9]+\.[0-9]+)(?:\.[0-9]+)?$/.exec(version)?.[1];
}

/** Thrown for conditions that will not fix themselves (CSV Failed, auth errors): stops polling at once. */
class PermanentError extends Error {}

function statusCodeOf(err: unknown): number | undefined {
    const code = (err as { code?: unknown } | null)?.code;
    return typeof code === "number" ? code : undefined;
}

function describeError(err: unknown): string {
    const code = statusCodeOf(err);
    const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
    return code !== undefined ? `HTTP ${code}` : message;
}

/** Sentinel for a poll cut short by the deadline (a plain object: Pulumi's closure serializer keeps its identity). */
const TIMED_OUT: { readonly timedOut: true } = { timedOut: true };

function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects when `deadline` passes first, so a hanging request cannot stretch the overall timeout. */
async function withDeadline<T>(promise: Promise<T>, deadline: number): Promise<T | typeof TIMED_OUT> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
        timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, deadline - Date.now()));
    });
    try {
        return await Promise.race([promise, timeout]);
    } finally {
        clearTimeout(timer);
    }
}

/**
 * Polls until the Subscription's installed CSV has phase `Succeeded` and `crdName` is `Established=True`; with
 * `line`, until the installed CSV is of that line and then until the TektonConfig, when it exists, reports it.
 * Rejects when the CSV is `Failed`, on 401/403, or when `timeoutSeconds` pass (naming what it still waited for).
 */
export async function waitForOperatorReady(opts: OperatorReadinessOptions): Promise<OperatorReadinessResult> {
    if (!(opts.timeoutSeconds > 0)) {
        throw new RangeError(`timeoutSeconds must be positive, got ${opts.timeoutSeconds}`);
    }
    if ((opts.line === undefined) !== (opts.tektonConfigName === undefined)) {
        throw new RangeError("line and tektonConfigName are given together or not at all");
    }
    const line = opts.line;
    // Lazy: client-node is ESM and slow to import; only the deploy-time path needs it.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const k8s = require("@kubernetes/client-node") as typeof k8sClient;
    const kubeConfig = new k8s.KubeConfig();
    if (opts.kubeconfig === undefined) {
        kubeConfig.loadFromDefault();
    } else {
        kubeConfig.loadFromString(opts.kubeconfig);
    }
    if (opts.context !== undefined) {
        kubeConfig.setCurrentContext(opts.context);
    }
    const customObjects = kubeConfig.makeApiClient(k8s.CustomObjectsApi);
    const apiExtensions = kubeConfig.makeApiClient(k8s.ApiextensionsV1Api);

    const pollIntervalMs = opts.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS;
    const started = Date.now();
    const deadline = started + opts.timeoutSeconds * 1000;
    const subscriptionRef = `Subscription ${opts.subscriptionNamespace}/${opts.subscriptionName}`;
    const tektonConfigRef = `TektonConfig ${opts.tektonConfigName}`;

    let stage: "subscription" | "csv" | "crd" | "tektonconfig" = "subscription";
    let installedCsv: string | undefined;
    let waitingFor = line === undefined
        ? `${subscriptionRef} to report status.installedCSV`
        : `${subscriptionRef} to install a CSV of OpenShift Pipelines ${line}`;
    let lastObserved = "nothing observed yet";

    /** One poll; returns true when everything is ready. */
    const pollOnce = async (): Promise<boolean> => {
        if (stage === "subscription") {
            const subscription = (await customObjects.getNamespacedCustomObject({
                group: OLM_GROUP,
                version: OLM_VERSION,
                namespace: opts.subscriptionNamespace,
                plural: "subscriptions",
                name: opts.subscriptionName,
            })) as SubscriptionObject;
            const csv = subscription.status?.installedCSV;
            const state = `subscription state ${subscription.status?.state ?? "<unset>"}`;
            if (!csv) {
                lastObserved = state;
                return false;
            }
            if (line !== undefined && minorOfCsv(csv) !== line) {
                // On a line upgrade the Subscription still reports the old CSV until OLM installs the new one
                // (with Manual approval: until someone approves the InstallPlan, so name it).
                const installPlan = subscription.status?.installPlanRef?.name;
                const minor = minorOfCsv(csv);
                lastObserved = `installed CSV ${csv} is ${minor === undefined ? "no OpenShift Pipelines CSV" : `OpenShift Pipelines ${minor}`}, ` +
                    `waiting for ${line} (${state}${installPlan ? `, InstallPlan ${installPlan}` : ""})`;
                return false;
            }
            installedCsv = csv;
            stage = "csv";
            waitingFor = `ClusterServiceVersion ${opts.subscriptionNamespace}/${csv} to reach phase Succeeded`;
            lastObserved = "CSV not read yet";
        }
        if (stage === "csv") {
            const csv = (await customObjects.getNamespacedCustomObject({
                group: OLM_GROUP,
                version: OLM_VERSION,
                namespace: opts.subscriptionNamespace,
                plural: "clusterserviceversions",
                name: installedCsv as string,
            })) as CsvObject;
            const phase = csv.status?.phase;
            if (phase === "Failed") {
                throw new PermanentError(
                    `ClusterServiceVersion ${opts.subscriptionNamespace}/${installedCsv} failed` +
                        `${csv.status?.reason ? ` (${csv.status.reason})` : ""}: ${csv.status?.message ?? "no message"}`,
                );
            }
            if (phase !== "Succeeded") {
                lastObserved = `CSV phase ${phase ?? "<unset>"}`;
                return false;
            }
            stage = "crd";
            waitingFor = `CustomResourceDefinition ${opts.crdName} to become Established`;
            lastObserved = "CRD not read yet";
        }
        if (stage === "crd") {
            const crd = await apiExtensions.readCustomResourceDefinition({ name: opts.crdName });
            const established = crd.status?.conditions?.find((c) => c.type === "Established");
            if (established?.status !== "True") {
                lastObserved = `Established=${established?.status ?? "<absent>"}`;
                return false;
            }
            if (line === undefined) {
                return true;
            }
            stage = "tektonconfig";
            waitingFor = `${tektonConfigRef} to report OpenShift Pipelines ${line} (status.version ${line}.x) and Ready=True`;
            lastObserved = "TektonConfig not read yet";
        }
        // The operator stamps its own version on the TektonConfig at the start of every reconcile
        // (tektoncd/operator v0.78.2 pkg/reconciler/shared/tektonconfig/tektonconfig.go:109
        // `tc.Status.SetVersion(r.operatorVersion)`, from env VERSION) and marks it not Ready while components
        // upgrade; downstream the CSV sets VERSION to the product version (openshift-pipelines/operator
        // release-v1.21.x .konflux/olm-catalog/bundle/manifests/openshift-pipelines-operator-rh.clusterserviceversion.yaml:1223,
        // `1.21.3`). So "status.version is of the line and Ready=True" means the new line's operator has reconciled it.
        let tektonConfig: TektonConfigObject;
        try {
            tektonConfig = (await customObjects.getClusterCustomObject({
                group: TEKTON_GROUP,
                version: TEKTON_VERSION,
                plural: "tektonconfigs",
                name: opts.tektonConfigName as string,
            })) as TektonConfigObject;
        } catch (err) {
            if (statusCodeOf(err) === 404) {
                // A fresh install: this program creates the TektonConfig afterwards (the Subscription sets
                // AUTOINSTALL_COMPONENTS=false, so the operator creates none), so nothing older can be running.
                return true;
            }
            throw err;
        }
        const version = tektonConfig.status?.version;
        const ready = tektonConfig.status?.conditions?.find((c) => c.type === "Ready");
        if (minorOfVersion(version) === line && ready?.status === "True") {
            return true;
        }
        lastObserved = `${tektonConfigRef} status.version ${version ?? "<unset>"}, Ready=${ready?.status ?? "<absent>"}`;
        return false;
    };

    for (;;) {
        try {
            const outcome = await withDeadline(pollOnce(), deadline);
            if (outcome === true) {
                return { installedCsv: installedCsv as string };
            }
        } catch (err) {
            if (err instanceof PermanentError) {
                throw err;
            }
            const code = statusCodeOf(err);
            if (code === 401 || code === 403) {
                throw new Error(`Not allowed to read while waiting for ${waitingFor}: ${describeError(err)}`);
            }
            // 404 (object not created yet), 5xx and connection errors are transient during an install.
            lastObserved = describeError(err);
        }
        const remaining = deadline - Date.now();
        if (remaining <= 0) {
            const elapsedSeconds = ((Date.now() - started) / 1000).toFixed(1);
            throw new Error(
                `Timed out after ${elapsedSeconds}s (limit ${opts.timeoutSeconds}s) waiting for ${waitingFor}; last observed: ${lastObserved}`,
            );
        }
        await sleep(Math.min(pollIntervalMs, remaining));
    }
}

/** Inputs of the {@link OperatorReadiness} dynamic provider, as the provider sees them (resolved). */
type ReadinessInputs = Omit<OperatorReadinessOptions, "pollIntervalMs">;

/**
 * Outputs recorded in state; the kubeconfig is deliberately not among them. `line` only when the stack is pinned,
 * `installedCsv` is what really ran at the last `up` (what `diff` judges a line change against).
 */
type ReadinessOutputs = Omit<ReadinessInputs, "kubeconfig" | "context" | "tektonConfigName"> & OperatorReadinessResult;

/** Inputs whose change means "a different operator install" (or line): only these re-run the wait. */
const WAIT_KEYS = ["subscriptionNamespace", "subscriptionName", "crdName", "line"] as const;

async function runWait(inputs: ReadinessInputs): Promise<ReadinessOutputs> {
    const { installedCsv } = await waitForOperatorReady(inputs);
    return {
        subscriptionNamespace: inputs.subscriptionNamespace,
        subscriptionName: inputs.subscriptionName,
        crdName: inputs.crdName,
        timeoutSeconds: inputs.timeoutSeconds,
        ...(inputs.line === undefined ? {} : { line: inputs.line }),
        installedCsv,
    };
}

/** The dynamic provider behind {@link OperatorReadiness} (exported for tests). */
export const operatorReadinessProvider: pulumi.dynamic.ResourceProvider<ReadinessInputs, ReadinessOutputs> = {
    async create(inputs) {
        const outs = await runWait(inputs);
        return { id: `${inputs.subscriptionNamespace}/${inputs.subscriptionName}`, outs };
    },
    async check(olds, news) {
        // `olds` are the previous INPUTS (pulumi/pulumi pkg/resource/deploy/step_generator.go passes
        // `Olds: oldInputs` to prov.Check; empty on a create or a replacement's re-check), so this compares the
        // line asked for last time with the one asked for now. `diff` judges against what really ran.
        const problem = typeof olds.line === "string" && typeof news.line === "string"
            ? lineChangeProblem(olds.line, news.line)
            : undefined;
        return problem === undefined ? { inputs: news } : { inputs: news, failures: [{ property: "line", reason: problem }] };
    },
    async diff(_id, olds, news) {
        // `olds` are the previous OUTPUTS (state: the DiffRequest's `olds` are OldOutputs, pulumi/pulumi
        // sdk/go/common/resource/plugin/provider_plugin.go), whose installedCsv is what ran at the last `up`; it
        // also catches a stack that followed `latest` (no old line) and is now pinned below what it runs. Throwing
        // fails the preview (see the module comment for an `up` without one).
        const deployed = (typeof olds.installedCsv === "string" ? minorOfCsv(olds.installedCsv) : undefined) ?? olds.line;
        if (typeof news.line === "string" && typeof deployed === "string") {
            const problem = lineChangeProblem(deployed, news.line);
            if (problem !== undefined) {
                throw new Error(problem);
            }
        }
        // A new kubeconfig (token rotation) or timeout must not re-run the wait. Any other change replaces the
        // resource (re-runs `create`), so the provider has no `update`: the engine would never call it.
        const changed = WAIT_KEYS.filter((key) => olds[key] !== news[key]);
        return { changes: changed.length > 0, replaces: changed.length > 0 ? [...changed] : [] };
    },
    async delete() {
        // Nothing to clean up: the wait created no cluster object.
    },
};

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
