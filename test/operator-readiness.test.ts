import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { operatorReadinessProvider, waitForOperatorReady } from "../components/operator/readiness";
import { runSerialized } from "./serialized-provider";

const TOKEN = "fake-token-for-tests";
const NS = "openshift-operators";
const SUB = "openshift-pipelines-operator";
const CSV = "openshift-pipelines-operator-rh.v1.20.0";
const CRD = "tektonconfigs.operator.tekton.dev";
const SUB_PATH = `/apis/operators.coreos.com/v1alpha1/namespaces/${NS}/subscriptions/${SUB}`;
const CSV_PATH = `/apis/operators.coreos.com/v1alpha1/namespaces/${NS}/clusterserviceversions/${CSV}`;
const CRD_PATH = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${CRD}`;
// A line upgrade 1.20 → 1.21 (CSV names as OLM installs them: `<package>.v<major>.<minor>.<patch>`).
const CSV_120 = "openshift-pipelines-operator-rh.v1.20.5";
const CSV_121 = "openshift-pipelines-operator-rh.v1.21.3";
const CSV_122 = "openshift-pipelines-operator-rh.v1.22.1";
const CSV_120_PATH = `/apis/operators.coreos.com/v1alpha1/namespaces/${NS}/clusterserviceversions/${CSV_120}`;
const CSV_121_PATH = `/apis/operators.coreos.com/v1alpha1/namespaces/${NS}/clusterserviceversions/${CSV_121}`;
const TEKTON_CONFIG = "config";
const TC_PATH = `/apis/operator.tekton.dev/v1alpha1/tektonconfigs/${TEKTON_CONFIG}`;
const INSTALL_PLAN = "install-abcde";

/** What the fake API server answers: a status code and body, or `"hang"` to never answer. */
type Reply = { readonly status: number; readonly body: unknown } | "hang";
/** Per path: the n-th request gets `replies[min(n, last)]`. */
type Script = Readonly<Record<string, ReadonlyArray<Reply>>>;

interface SeenRequest {
    readonly method: string;
    readonly path: string;
    readonly authorization: string | undefined;
}

const ok = (body: unknown): Reply => ({ status: 200, body });
const notFound: Reply = { status: 404, body: { kind: "Status", apiVersion: "v1", status: "Failure", reason: "NotFound", code: 404 } };
const subscription = (installedCSV?: string): Reply =>
    ok({ kind: "Subscription", status: installedCSV ? { installedCSV, state: "AtLatestKnown" } : { state: "UpgradePending" } });
/** A Subscription mid-upgrade: still reporting the CSV it installed, and the InstallPlan that awaits approval. */
const subscriptionAt = (installedCSV: string, state: string, installPlan?: string): Reply =>
    ok({ kind: "Subscription", status: { installedCSV, state, ...(installPlan ? { installPlanRef: { name: installPlan } } : {}) } });
const tektonConfig = (version: string, ready: "True" | "False"): Reply =>
    ok({
        kind: "TektonConfig",
        metadata: { name: TEKTON_CONFIG },
        // Ready is not the first condition: the wait must pick it by type.
        status: { version, conditions: [{ type: "ComponentsReady", status: ready }, { type: "Ready", status: ready }] },
    });
const csv = (phase: string, message = ""): Reply => ok({ kind: "ClusterServiceVersion", status: { phase, message, reason: "InstallCheckFailed" } });
const crd = (established: "True" | "False"): Reply =>
    ok({
        kind: "CustomResourceDefinition",
        metadata: { name: CRD },
        spec: { group: "operator.tekton.dev", names: { plural: "tektonconfigs", kind: "TektonConfig" }, scope: "Cluster", versions: [] },
        status: { conditions: [{ type: "Established", status: established }] },
    });

describe("waitForOperatorReady (fake API server)", function () {
    this.timeout(20_000);

    let server: http.Server;
    let kubeconfig: string;
    let script: Script = {};
    let seen: SeenRequest[] = [];

    before(async () => {
        server = http.createServer((req, res) => {
            const requestPath = (req.url ?? "").split("?")[0];
            const index = seen.filter((s) => s.path === requestPath).length;
            seen.push({ method: req.method ?? "", path: requestPath, authorization: req.headers.authorization });
            const replies = script[requestPath];
            const reply = replies ? replies[Math.min(index, replies.length - 1)] : notFound;
            if (reply === "hang") {
                return; // never answer: exercises the per-request deadline
            }
            res.writeHead(reply.status, { "content-type": "application/json" });
            res.end(JSON.stringify(reply.body));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const { port } = server.address() as AddressInfo;
        kubeconfig = JSON.stringify({
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
        seen = [];
        script = {};
    });

    after(async () => {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    const opts = (overrides: Partial<Parameters<typeof waitForOperatorReady>[0]> = {}) => ({
        kubeconfig,
        subscriptionNamespace: NS,
        subscriptionName: SUB,
        crdName: CRD,
        timeoutSeconds: 5,
        pollIntervalMs: 20,
        ...overrides,
    });

    it("waits through Subscription, CSV Pending → Succeeded and CRD Established, then returns the CSV", async () => {
        script = {
            [SUB_PATH]: [subscription(), subscription(CSV)],
            [CSV_PATH]: [notFound, csv("Pending"), csv("Installing"), csv("Succeeded")],
            [CRD_PATH]: [notFound, crd("False"), crd("True")],
        };
        const result = await waitForOperatorReady(opts());
        assert.deepEqual(result, { installedCsv: CSV });

        const paths = seen.map((s) => s.path);
        assert.deepEqual(
            paths,
            [SUB_PATH, SUB_PATH, CSV_PATH, CSV_PATH, CSV_PATH, CSV_PATH, CRD_PATH, CRD_PATH, CRD_PATH],
            "polls each stage in order and stops polling a stage once it is done",
        );
        assert.ok(seen.every((s) => s.method === "GET" && s.authorization === `Bearer ${TOKEN}`));
    });

    it("rejects at once when the CSV is Failed, naming the CSV and its message", async () => {
        script = {
            [SUB_PATH]: [subscription(CSV)],
            [CSV_PATH]: [csv("Pending"), csv("Failed", "install strategy failed: deployment not available")],
        };
        const started = Date.now();
        await assert.rejects(waitForOperatorReady(opts()), (err: Error) => {
            assert.match(err.message, new RegExp(`${NS}/${CSV.replace(/\./g, "\\.")}`));
            assert.match(err.message, /install strategy failed: deployment not available/);
            return true;
        });
        assert.ok(Date.now() - started < 2000, "does not wait for the deadline");
        assert.ok(!seen.some((s) => s.path === CRD_PATH), "never reaches the CRD stage");
    });

    it("times out within the bound when nothing ever becomes ready, saying what it waited for", async () => {
        script = { [SUB_PATH]: [subscription()] };
        const started = Date.now();
        await assert.rejects(waitForOperatorReady(opts({ timeoutSeconds: 1, pollIntervalMs: 50 })), (err: Error) => {
            assert.match(err.message, /Timed out after \d+\.\ds \(limit 1s\)/);
            assert.match(err.message, new RegExp(`Subscription ${NS}/${SUB} to report status.installedCSV`));
            assert.match(err.message, /UpgradePending/);
            return true;
        });
        const elapsed = Date.now() - started;
        assert.ok(elapsed >= 950 && elapsed < 1000 + 750, `elapsed ${elapsed} ms`);
        assert.ok(seen.length >= 5, `kept polling (${seen.length} requests)`);
        assert.ok(seen.every((s) => s.path === SUB_PATH));
    });

    it("times out on the CRD stage when the CRD never becomes Established", async () => {
        script = { [SUB_PATH]: [subscription(CSV)], [CSV_PATH]: [csv("Succeeded")], [CRD_PATH]: [crd("False")] };
        await assert.rejects(
            waitForOperatorReady(opts({ timeoutSeconds: 1, pollIntervalMs: 50 })),
            new RegExp(`CustomResourceDefinition ${CRD} to become Established; last observed: Established=False`),
        );
    });

    it("keeps the deadline when the API server never answers", async () => {
        script = { [SUB_PATH]: ["hang"] };
        const started = Date.now();
        await assert.rejects(waitForOperatorReady(opts({ timeoutSeconds: 1 })), /Timed out/);
        assert.ok(Date.now() - started < 1000 + 750, `elapsed ${Date.now() - started} ms`);
    });

    it("fails fast on 403 instead of polling until the deadline", async () => {
        script = { [SUB_PATH]: [{ status: 403, body: { kind: "Status", code: 403, reason: "Forbidden" } }] };
        const started = Date.now();
        await assert.rejects(waitForOperatorReady(opts()), /Not allowed .*HTTP 403/);
        assert.ok(Date.now() - started < 2000);
        assert.equal(seen.length, 1);
    });

    const pinned = (line: string) => opts({ line, tektonConfigName: TEKTON_CONFIG });

    it("line upgrade: waits for the new line's CSV, its Succeeded, the CRD, and the TektonConfig's new version and Ready", async () => {
        script = {
            [SUB_PATH]: [subscriptionAt(CSV_120, "UpgradePending", INSTALL_PLAN), subscriptionAt(CSV_121, "AtLatestKnown")],
            // The old CSV is fine: accepting it would end the wait on the wrong line.
            [CSV_120_PATH]: [csv("Succeeded")],
            [CSV_121_PATH]: [csv("Pending"), csv("Succeeded")],
            [CRD_PATH]: [crd("True")],
            [TC_PATH]: [tektonConfig("1.20.5", "True"), tektonConfig("1.21.3", "False"), tektonConfig("1.21.3", "True")],
        };
        const result = await waitForOperatorReady(pinned("1.21"));
        assert.deepEqual(result, { installedCsv: CSV_121 });
        assert.deepEqual(
            seen.map((s) => s.path),
            [SUB_PATH, SUB_PATH, CSV_121_PATH, CSV_121_PATH, CRD_PATH, TC_PATH, TC_PATH, TC_PATH],
            "never reads the old CSV, and reads the TektonConfig until it reports 1.21 and Ready",
        );
        assert.ok(seen.every((s) => s.method === "GET" && s.authorization === `Bearer ${TOKEN}`));
    });

    it("pinned fresh install: no TektonConfig yet (404) means nothing older runs, so it is ready", async () => {
        script = { [SUB_PATH]: [subscriptionAt(CSV_121, "AtLatestKnown")], [CSV_121_PATH]: [csv("Succeeded")], [CRD_PATH]: [crd("True")] };
        const started = Date.now();
        assert.deepEqual(await waitForOperatorReady(pinned("1.21")), { installedCsv: CSV_121 });
        assert.ok(Date.now() - started < 2000, "does not poll the missing TektonConfig until the deadline");
        assert.deepEqual(seen.map((s) => s.path), [SUB_PATH, CSV_121_PATH, CRD_PATH, TC_PATH]);
    });

    it("accepts a TektonConfig version with a leading v", async () => {
        script = {
            [SUB_PATH]: [subscriptionAt(CSV_121, "AtLatestKnown")],
            [CSV_121_PATH]: [csv("Succeeded")],
            [CRD_PATH]: [crd("True")],
            [TC_PATH]: [tektonConfig("v1.21.3", "True")],
        };
        assert.deepEqual(await waitForOperatorReady(pinned("1.21")), { installedCsv: CSV_121 });
        assert.equal(seen.filter((s) => s.path === TC_PATH).length, 1);
    });

    it("times out while the installed CSV stays on the old line, naming the line and the InstallPlan to approve", async () => {
        script = { [SUB_PATH]: [subscriptionAt(CSV_120, "UpgradePending", INSTALL_PLAN)], [CSV_120_PATH]: [csv("Succeeded")] };
        await assert.rejects(waitForOperatorReady({ ...pinned("1.21"), timeoutSeconds: 1, pollIntervalMs: 50 }), (err: Error) => {
            assert.match(err.message, /Timed out after \d+\.\ds \(limit 1s\)/);
            assert.match(err.message, new RegExp(`waiting for Subscription ${NS}/${SUB} to install a CSV of OpenShift Pipelines 1\\.21;`));
            assert.ok(
                err.message.endsWith(
                    `last observed: installed CSV ${CSV_120} is OpenShift Pipelines 1.20, waiting for 1.21 ` +
                        `(subscription state UpgradePending, InstallPlan ${INSTALL_PLAN})`,
                ),
                err.message,
            );
            return true;
        });
        assert.ok(seen.length >= 5, `kept polling (${seen.length} requests)`);
        assert.ok(seen.every((s) => s.path === SUB_PATH), "never moves on to the old line's CSV");
    });

    it("times out while the TektonConfig stays on the old version, naming the TektonConfig, its version and the line", async () => {
        script = {
            [SUB_PATH]: [subscriptionAt(CSV_121, "AtLatestKnown")],
            [CSV_121_PATH]: [csv("Succeeded")],
            [CRD_PATH]: [crd("True")],
            [TC_PATH]: [tektonConfig("1.20.5", "True")],
        };
        await assert.rejects(waitForOperatorReady({ ...pinned("1.21"), timeoutSeconds: 1, pollIntervalMs: 50 }), (err: Error) => {
            assert.match(err.message, /Timed out after \d+\.\ds \(limit 1s\)/);
            assert.match(err.message, /waiting for TektonConfig config to report OpenShift Pipelines 1\.21 \(status\.version 1\.21\.x\) and Ready=True;/);
            assert.match(err.message, /last observed: TektonConfig config status\.version 1\.20\.5, Ready=True$/);
            return true;
        });
        assert.ok(seen.filter((s) => s.path === TC_PATH).length >= 5, "kept polling the TektonConfig");
    });

    it("refuses a line without the TektonConfig to check it against", async () => {
        await assert.rejects(waitForOperatorReady(opts({ line: "1.21" })), RangeError);
        assert.equal(seen.length, 0);
    });

    it("provider diff re-runs the wait only for subscription/CRD changes, never for kubeconfig or timeout", async () => {
        const olds = { subscriptionNamespace: NS, subscriptionName: SUB, crdName: CRD, timeoutSeconds: 600, installedCsv: CSV };
        const news = { kubeconfig: "rotated", subscriptionNamespace: NS, subscriptionName: SUB, crdName: CRD, timeoutSeconds: 900 };
        const diff = operatorReadinessProvider.diff!;
        assert.deepEqual(await diff("id", olds, news), { changes: false, replaces: [] });
        assert.deepEqual(await diff("id", olds, { ...news, subscriptionName: "other" }), { changes: true, replaces: ["subscriptionName"] });
        assert.deepEqual(await diff("id", olds, { ...news, crdName: "x.example.com" }), { changes: true, replaces: ["crdName"] });
    });

    const run = (method: "create" | "check" | "diff", args: readonly unknown[]) => runSerialized(operatorReadinessProvider, method, args);

    /** Resolves with the method's result; fails the test (showing stderr) when it rejected. */
    const callSerialized = async (method: "create" | "check" | "diff", ...args: unknown[]): Promise<unknown> => {
        const { code, stdout, stderr } = await run(method, args);
        assert.equal(code, 0, stderr);
        return JSON.parse(stdout);
    };

    /** Resolves with the rejection's message; fails the test when the method did not reject. */
    const rejectionOfSerialized = async (method: "create" | "check" | "diff", ...args: unknown[]): Promise<string> => {
        const { code, stdout, stderr } = await run(method, args);
        assert.equal(code, 1, `expected a rejection, got: ${stdout}`);
        return stderr;
    };

    it("serialized provider create runs the wait in a plain node process and keeps the kubeconfig out of outputs", async () => {
        script = { [SUB_PATH]: [subscription(CSV)], [CSV_PATH]: [csv("Succeeded")], [CRD_PATH]: [crd("True")] };
        const inputs = { kubeconfig, subscriptionNamespace: NS, subscriptionName: SUB, crdName: CRD, timeoutSeconds: 5 };
        assert.deepEqual(await callSerialized("create", inputs), {
            id: `${NS}/${SUB}`,
            outs: { subscriptionNamespace: NS, subscriptionName: SUB, crdName: CRD, timeoutSeconds: 5, installedCsv: CSV },
        });
        assert.deepEqual(
            seen.map((s) => s.path),
            [SUB_PATH, CSV_PATH, CRD_PATH],
        );
    });

    it("serialized provider create of a pinned stack checks the TektonConfig and records the line (not the TektonConfig name)", async () => {
        // Everything ready at the first poll: the provider polls every 5 s (no pollIntervalMs among its inputs).
        script = {
            [SUB_PATH]: [subscriptionAt(CSV_121, "AtLatestKnown")],
            [CSV_121_PATH]: [csv("Succeeded")],
            [CRD_PATH]: [crd("True")],
            [TC_PATH]: [tektonConfig("1.21.3", "True")],
        };
        const inputs = {
            kubeconfig, subscriptionNamespace: NS, subscriptionName: SUB, crdName: CRD, timeoutSeconds: 5, line: "1.21", tektonConfigName: TEKTON_CONFIG,
        };
        assert.deepEqual(await callSerialized("create", inputs), {
            id: `${NS}/${SUB}`,
            outs: { subscriptionNamespace: NS, subscriptionName: SUB, crdName: CRD, timeoutSeconds: 5, line: "1.21", installedCsv: CSV_121 },
        });
        assert.deepEqual(seen.map((s) => s.path), [SUB_PATH, CSV_121_PATH, CRD_PATH, TC_PATH]);
    });

    describe("serialized provider check and diff refuse line changes OLM cannot make", () => {
        const base = { subscriptionNamespace: NS, subscriptionName: SUB, crdName: CRD, timeoutSeconds: 600 };
        /** Previous inputs, as the engine hands them to `check`. */
        const inputsOn = (line: string) => ({ ...base, kubeconfig: "old", line, tektonConfigName: TEKTON_CONFIG });
        /** Previous outputs (state), as the engine hands them to `diff`. */
        const stateOn = (line: string, installedCsv: string) => ({ ...base, line, installedCsv });

        it("check: 1.20 → 1.22 fails on line, naming the skipped 1.21 and the upgrade path", async () => {
            const news = inputsOn("1.22");
            const result = (await callSerialized("check", inputsOn("1.20"), news)) as { inputs: unknown; failures: { property: string; reason: string }[] };
            assert.deepEqual(result.inputs, news);
            assert.equal(result.failures.length, 1);
            assert.equal(result.failures[0].property, "line");
            assert.match(result.failures[0].reason, /skipping 1\.21: set operator\.line to 1\.21 first/);
            assert.match(result.failures[0].reason, /1\.20 → 1\.21 → 1\.22/);
        });

        it("check: 1.21 → 1.20 fails on line as a downgrade", async () => {
            const result = (await callSerialized("check", inputsOn("1.21"), inputsOn("1.20"))) as { failures?: { property: string; reason: string }[] };
            assert.deepEqual(result.failures?.map((f) => f.property), ["line"]);
            assert.match(result.failures?.[0].reason ?? "", /OLM cannot downgrade/);
        });

        it("check: 1.20 → 1.21, a create (no old inputs) and an unpinned stack pass the new inputs through", async () => {
            const news = inputsOn("1.21");
            assert.deepEqual(await callSerialized("check", inputsOn("1.20"), news), { inputs: news });
            assert.deepEqual(await callSerialized("check", {}, inputsOn("1.22")), { inputs: inputsOn("1.22") });
            const unpinned = { ...base, kubeconfig: "k" };
            assert.deepEqual(await callSerialized("check", unpinned, unpinned), { inputs: unpinned });
        });

        it("diff: a state that ran 1.20 asked for 1.22 rejects, naming 1.21", async () => {
            const stderr = await rejectionOfSerialized("diff", "id", stateOn("1.20", CSV_120), { ...inputsOn("1.22") });
            assert.match(stderr, /runs OpenShift Pipelines 1\.20 .*skipping 1\.21/);
        });

        it("diff: 1.20 → 1.21 replaces on line (re-runs the wait)", async () => {
            assert.deepEqual(await callSerialized("diff", "id", stateOn("1.20", CSV_120), inputsOn("1.21")), {
                changes: true,
                replaces: ["line"],
            });
        });

        it("diff: a stack that followed latest (no old line) and runs 1.22, pinned to 1.21, rejects as a downgrade", async () => {
            const stderr = await rejectionOfSerialized("diff", "id", { ...base, installedCsv: CSV_122 }, inputsOn("1.21"));
            assert.match(stderr, /runs OpenShift Pipelines 1\.22 and operator\.line asks for 1\.21: OLM cannot downgrade/);
        });

        it("diff: the same line with only a new kubeconfig and timeout has no changes", async () => {
            const news = { ...inputsOn("1.21"), kubeconfig: "rotated", timeoutSeconds: 900 };
            assert.deepEqual(await callSerialized("diff", "id", stateOn("1.21", CSV_121), news), { changes: false, replaces: [] });
        });
    });
});
