/**
 * The wait behind OperatorReadiness (readiness.ts): polls the API server until the operator's CSV has `Succeeded`,
 * its CRD is Established and, for a pinned line, the TektonConfig reports that line. Runs in the engine's
 * dynamic-provider host (readiness-provider.ts), so it loads @kubernetes/client-node itself, lazily.
 */
import type * as k8sClient from "@kubernetes/client-node" with { "resolution-mode": "import" };
import { minorOfCsv } from "../../lib/operator-lines";
import { describeError, isPermanent, permanentError, sleep, statusCodeOf, withDeadline } from "./readiness-polling";

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
                throw permanentError(
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
            if (isPermanent(err)) {
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
