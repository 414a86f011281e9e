/**
 * The fake Kubernetes API server the operator readiness tests (test/operator-readiness*.test.ts) run the wait
 * against: each path answers from a script, and every request is recorded.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export const TOKEN = "fake-token-for-tests";
export const NS = "openshift-operators";
export const SUB = "openshift-pipelines-operator";
export const CSV = "openshift-pipelines-operator-rh.v1.20.0";
export const CRD = "tektonconfigs.operator.tekton.dev";
export const SUB_PATH = `/apis/operators.coreos.com/v1alpha1/namespaces/${NS}/subscriptions/${SUB}`;
export const CSV_PATH = `/apis/operators.coreos.com/v1alpha1/namespaces/${NS}/clusterserviceversions/${CSV}`;
export const CRD_PATH = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${CRD}`;
// A line upgrade 1.20 → 1.21 (CSV names as OLM installs them: `<package>.v<major>.<minor>.<patch>`).
export const CSV_120 = "openshift-pipelines-operator-rh.v1.20.5";
export const CSV_121 = "openshift-pipelines-operator-rh.v1.21.3";
export const CSV_122 = "openshift-pipelines-operator-rh.v1.22.1";
export const CSV_120_PATH = `/apis/operators.coreos.com/v1alpha1/namespaces/${NS}/clusterserviceversions/${CSV_120}`;
export const CSV_121_PATH = `/apis/operators.coreos.com/v1alpha1/namespaces/${NS}/clusterserviceversions/${CSV_121}`;
export const TEKTON_CONFIG = "config";
export const TC_PATH = `/apis/operator.tekton.dev/v1alpha1/tektonconfigs/${TEKTON_CONFIG}`;
export const INSTALL_PLAN = "install-abcde";

/** What the fake API server answers: a status code and body, or `"hang"` to never answer. */
export type Reply = { readonly status: number; readonly body: unknown } | "hang";
/** Per path: the n-th request gets `replies[min(n, last)]`. */
export type Script = Readonly<Record<string, ReadonlyArray<Reply>>>;

export interface SeenRequest {
    readonly method: string;
    readonly path: string;
    readonly authorization: string | undefined;
}

const ok = (body: unknown): Reply => ({ status: 200, body });
export const notFound: Reply = { status: 404, body: { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 } };
export const subscription = (installedCSV?: string): Reply =>
    ok({ kind: "Subscription", status: installedCSV ? { installedCSV, state: "AtLatestKnown" } : { state: "UpgradePending" } });
/** A Subscription mid-upgrade: still reporting the CSV it installed, and the InstallPlan that awaits approval. */
export const subscriptionAt = (installedCSV: string, state: string, installPlan?: string): Reply =>
    ok({ kind: "Subscription", status: { installedCSV, state, ...(installPlan ? { installPlanRef: { name: installPlan } } : {}) } });
export const tektonConfig = (version: string, ready: "True" | "False"): Reply =>
    ok({
        kind: "TektonConfig",
        metadata: { name: TEKTON_CONFIG },
        // Ready is not the first condition: the wait must pick it by type.
        status: { version, conditions: [{ type: "ComponentsReady", status: ready }, { type: "Ready", status: ready }] },
    });
export const csv = (phase: string, message = ""): Reply => ok({ kind: "ClusterServiceVersion", status: { phase, message, reason: "InstallCheckFailed" } });
export const crd = (established: "True" | "False"): Reply =>
    ok({
        kind: "CustomResourceDefinition",
        metadata: { name: CRD },
        spec: { group: "operator.tekton.dev", names: { plural: "tektonconfigs", kind: "TektonConfig" }, scope: "Cluster", versions: [] },
        status: { conditions: [{ type: "Established", status: established }] },
    });

/** The server of a describe block: what it answers (`script`), what it was asked (`seen`), the kubeconfig to reach it. */
export interface FakeApiServer {
    script: Script;
    seen: SeenRequest[];
    readonly kubeconfig: string;
}

/** Starts a fake API server before the enclosing describe's tests, clears it before each, and stops it after them. */
export function useFakeApiServer(): FakeApiServer {
    let server: http.Server;
    const api = { script: {} as Script, seen: [] as SeenRequest[], kubeconfig: "" };

    before(async () => {
        server = http.createServer((req, res) => {
            const requestPath = (req.url ?? "").split("?")[0];
            const index = api.seen.filter((s) => s.path === requestPath).length;
            api.seen.push({ method: req.method ?? "", path: requestPath, authorization: req.headers.authorization });
            const replies = api.script[requestPath];
            const reply = replies ? replies[Math.min(index, replies.length - 1)] : notFound;
            if (reply === "hang") {
                return; // never answer: exercises the per-request deadline
            }
            res.writeHead(reply.status, { "content-type": "application/json" });
            res.end(JSON.stringify(reply.body));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const { port } = server.address() as AddressInfo;
        api.kubeconfig = JSON.stringify({
            apiVersion: "v1",
            kind: "Config",
            // client-node refuses plain http unless TLS verification is explicitly skipped.
            clusters: [{ name: "fake", cluster: { server: `http://127.0.0.1:${port}`, "insecure-skip-tls-verify": true } }],
            users: [{ name: "tester", user: { token: TOKEN } }],
            contexts: [{ name: "fake", context: { cluster: "fake", user: "tester" } }],
            "current-context": "fake",
        });
    });

    beforeEach(() => {
        api.seen = [];
        api.script = {};
    });

    after(async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    return api;
}
