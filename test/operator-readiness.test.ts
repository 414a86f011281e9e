import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { operatorReadinessProvider, waitForOperatorReady } from "../components/operator/readiness";

const REPO_ROOT = path.resolve(__dirname, "..");
const TOKEN = "fake-token-for-tests";
const NS = "openshift-operators";
const SUB = "openshift-pipelines-operator";
const CSV = "openshift-pipelines-operator-rh.v1.20.0";
const CRD = "tektonconfigs.operator.tekton.dev";
const SUB_PATH = `/apis/operators.coreos.com/v1alpha1/namespaces/${NS}/subscriptions/${SUB}`;
const CSV_PATH = `/apis/operators.coreos.com/v1alpha1/namespaces/${NS}/clusterserviceversions/${CSV}`;
const CRD_PATH = `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${CRD}`;

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

    it("provider diff re-runs the wait only for subscription/CRD changes, never for kubeconfig or timeout", async () => {
        const olds = { subscriptionNamespace: NS, subscriptionName: SUB, crdName: CRD, timeoutSeconds: 600, installedCsv: CSV };
        const news = { kubeconfig: "rotated", subscriptionNamespace: NS, subscriptionName: SUB, crdName: CRD, timeoutSeconds: 900 };
        const diff = operatorReadinessProvider.diff!;
        assert.deepEqual(await diff("id", olds, news), { changes: false, replaces: [] });
        assert.deepEqual(await diff("id", olds, { ...news, subscriptionName: "other" }), { changes: true, replaces: ["subscriptionName"] });
        assert.deepEqual(await diff("id", olds, { ...news, crdName: "x.example.com" }), { changes: true, replaces: ["crdName"] });
    });

    it("serialized provider create runs the wait in a plain node process and keeps the kubeconfig out of outputs", async () => {
        script = { [SUB_PATH]: [subscription(CSV)], [CSV_PATH]: [csv("Succeeded")], [CRD_PATH]: [crd("True")] };
        const serialized = await pulumi.runtime.serializeFunction(() => operatorReadinessProvider, { allowSecrets: true });
        // Same loader as @pulumi/pulumi's dynamic-provider host (require-from-string), without ts-node.
        const driver = `
            const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
            const provider = require("require-from-string")(input.text).handler();
            provider.create(input.inputs)
                // exit explicitly: the client's keep-alive socket would otherwise hold the process open
                .then((r) => process.stdout.write(JSON.stringify(r), () => process.exit(0)))
                .catch((e) => { console.error(e.message); process.exit(1); });`;
        const inputs = { kubeconfig, subscriptionNamespace: NS, subscriptionName: SUB, crdName: CRD, timeoutSeconds: 5 };
        // Asynchronous spawn: the fake server lives in this process and must keep answering.
        const child = spawn(process.execPath, ["-e", driver], { cwd: REPO_ROOT });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.stdin.end(JSON.stringify({ text: serialized.text, inputs }));
        const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
        assert.equal(code, 0, stderr);
        assert.deepEqual(JSON.parse(stdout), {
            id: `${NS}/${SUB}`,
            outs: { subscriptionNamespace: NS, subscriptionName: SUB, crdName: CRD, timeoutSeconds: 5, installedCsv: CSV },
        });
        assert.deepEqual(
            seen.map((s) => s.path),
            [SUB_PATH, CSV_PATH, CRD_PATH],
        );
    });
});
