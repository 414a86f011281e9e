/**
 * The readiness step's dynamic provider (components/operator/readiness-provider.ts): `diff` in-process, and `create`,
 * `check` and `diff` serialized as the engine runs them (test/serialized-provider.ts) against a fake API server.
 */
import { strict as assert } from "node:assert";
import { operatorReadinessProvider } from "../components/operator/readiness-provider";
import {
    CRD, CRD_PATH, crd, CSV, CSV_120, CSV_121, CSV_121_PATH, CSV_122, CSV_PATH, csv, NS, SUB, SUB_PATH, subscription, subscriptionAt, TC_PATH,
    TEKTON_CONFIG, tektonConfig, useFakeApiServer,
} from "./operator-readiness-server";
import { runSerialized } from "./serialized-provider";

describe("operatorReadinessProvider (fake API server)", function () {
    this.timeout(20_000);
    const api = useFakeApiServer();

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
        api.script = { [SUB_PATH]: [subscription(CSV)], [CSV_PATH]: [csv("Succeeded")], [CRD_PATH]: [crd("True")] };
        const inputs = { kubeconfig: api.kubeconfig, subscriptionNamespace: NS, subscriptionName: SUB, crdName: CRD, timeoutSeconds: 5 };
        assert.deepEqual(await callSerialized("create", inputs), {
            id: `${NS}/${SUB}`,
            outs: { subscriptionNamespace: NS, subscriptionName: SUB, crdName: CRD, timeoutSeconds: 5, installedCsv: CSV },
        });
        assert.deepEqual(
            api.seen.map((s) => s.path),
            [SUB_PATH, CSV_PATH, CRD_PATH],
        );
    });

    it("serialized provider create stops at once on a Failed CSV, and the engine's process gets its message", async () => {
        api.script = { [SUB_PATH]: [subscription(CSV)], [CSV_PATH]: [csv("Failed")] };
        const inputs = { kubeconfig: api.kubeconfig, subscriptionNamespace: NS, subscriptionName: SUB, crdName: CRD, timeoutSeconds: 30 };
        const started = Date.now();
        const stderr = await rejectionOfSerialized("create", inputs);
        assert.match(stderr, new RegExp(`ClusterServiceVersion ${NS}/${CSV} failed`));
        assert.ok(Date.now() - started < 10_000, "does not poll until the deadline");
    });

    it("serialized provider create of a pinned stack checks the TektonConfig and records the line (not the TektonConfig name)", async () => {
        // Everything ready at the first poll: the provider polls every 5 s (no pollIntervalMs among its inputs).
        api.script = {
            [SUB_PATH]: [subscriptionAt(CSV_121, "AtLatestKnown")],
            [CSV_121_PATH]: [csv("Succeeded")],
            [CRD_PATH]: [crd("True")],
            [TC_PATH]: [tektonConfig("1.21.3", "True")],
        };
        const inputs = {
            kubeconfig: api.kubeconfig, subscriptionNamespace: NS, subscriptionName: SUB, crdName: CRD, timeoutSeconds: 5, line: "1.21", tektonConfigName: TEKTON_CONFIG,
        };
        assert.deepEqual(await callSerialized("create", inputs), {
            id: `${NS}/${SUB}`,
            outs: { subscriptionNamespace: NS, subscriptionName: SUB, crdName: CRD, timeoutSeconds: 5, line: "1.21", installedCsv: CSV_121 },
        });
        assert.deepEqual(api.seen.map((s) => s.path), [SUB_PATH, CSV_121_PATH, CRD_PATH, TC_PATH]);
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
