/**
 * waitForOperatorReady (components/operator/readiness-wait.ts) against a fake API server: the stages in order, the
 * deadline, what stops it at once, and a line upgrade.
 */
import { strict as assert } from "node:assert";
import { waitForOperatorReady } from "../components/operator/readiness-wait";
import {
    CRD, CRD_PATH, crd, CSV, CSV_120, CSV_120_PATH, CSV_121, CSV_121_PATH, CSV_PATH, csv, INSTALL_PLAN, notFound, NS, SUB, SUB_PATH, subscription,
    subscriptionAt, TC_PATH, TEKTON_CONFIG, tektonConfig, TOKEN, useFakeApiServer,
} from "./operator-readiness-server";

describe("waitForOperatorReady (fake API server)", function () {
    this.timeout(20_000);
    const api = useFakeApiServer();

    const opts = (overrides: Partial<Parameters<typeof waitForOperatorReady>[0]> = {}) => ({
        kubeconfig: api.kubeconfig,
        subscriptionNamespace: NS,
        subscriptionName: SUB,
        crdName: CRD,
        timeoutSeconds: 5,
        pollIntervalMs: 20,
        ...overrides,
    });

    it("waits through Subscription, CSV Pending → Succeeded and CRD Established, then returns the CSV", async () => {
        api.script = {
            [SUB_PATH]: [subscription(), subscription(CSV)],
            [CSV_PATH]: [notFound, csv("Pending"), csv("Installing"), csv("Succeeded")],
            [CRD_PATH]: [notFound, crd("False"), crd("True")],
        };
        const result = await waitForOperatorReady(opts());
        assert.deepEqual(result, { installedCsv: CSV });

        const paths = api.seen.map((s) => s.path);
        assert.deepEqual(
            paths,
            [SUB_PATH, SUB_PATH, CSV_PATH, CSV_PATH, CSV_PATH, CSV_PATH, CRD_PATH, CRD_PATH, CRD_PATH],
            "polls each stage in order and stops polling a stage once it is done",
        );
        assert.ok(api.seen.every((s) => s.method === "GET" && s.authorization === `Bearer ${TOKEN}`));
    });

    it("rejects at once when the CSV is Failed, naming the CSV and its message", async () => {
        api.script = {
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
        assert.ok(!api.seen.some((s) => s.path === CRD_PATH), "never reaches the CRD stage");
    });

    it("times out within the bound when nothing ever becomes ready, saying what it waited for", async () => {
        api.script = { [SUB_PATH]: [subscription()] };
        const started = Date.now();
        await assert.rejects(waitForOperatorReady(opts({ timeoutSeconds: 0.4, pollIntervalMs: 20 })), (err: Error) => {
            assert.match(err.message, /Timed out after \d+\.\ds \(limit 0\.4s\)/);
            assert.match(err.message, new RegExp(`Subscription ${NS}/${SUB} to report status.installedCSV`));
            assert.match(err.message, /UpgradePending/);
            return true;
        });
        const elapsed = Date.now() - started;
        assert.ok(elapsed >= 380 && elapsed < 400 + 750, `elapsed ${elapsed} ms`);
        assert.ok(api.seen.length >= 5, `kept polling (${api.seen.length} requests)`);
        assert.ok(api.seen.every((s) => s.path === SUB_PATH));
    });

    it("times out on the CRD stage when the CRD never becomes Established", async () => {
        api.script = { [SUB_PATH]: [subscription(CSV)], [CSV_PATH]: [csv("Succeeded")], [CRD_PATH]: [crd("False")] };
        await assert.rejects(
            waitForOperatorReady(opts({ timeoutSeconds: 0.4, pollIntervalMs: 20 })),
            new RegExp(`CustomResourceDefinition ${CRD} to become Established; last observed: Established=False`),
        );
    });

    it("keeps the deadline when the API server never answers", async () => {
        api.script = { [SUB_PATH]: ["hang"] };
        const started = Date.now();
        await assert.rejects(waitForOperatorReady(opts({ timeoutSeconds: 0.4 })), /Timed out/);
        assert.ok(Date.now() - started < 400 + 750, `elapsed ${Date.now() - started} ms`);
    });

    it("fails fast on 403 instead of polling until the deadline", async () => {
        api.script = { [SUB_PATH]: [{ status: 403, body: { kind: "Status", code: 403, reason: "Forbidden" } }] };
        const started = Date.now();
        await assert.rejects(waitForOperatorReady(opts()), /Not allowed .*HTTP 403/);
        assert.ok(Date.now() - started < 2000);
        assert.equal(api.seen.length, 1);
    });

    const pinned = (line: string) => opts({ line, tektonConfigName: TEKTON_CONFIG });

    it("line upgrade: waits for the new line's CSV, its Succeeded, the CRD, and the TektonConfig's new version and Ready", async () => {
        api.script = {
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
            api.seen.map((s) => s.path),
            [SUB_PATH, SUB_PATH, CSV_121_PATH, CSV_121_PATH, CRD_PATH, TC_PATH, TC_PATH, TC_PATH],
            "never reads the old CSV, and reads the TektonConfig until it reports 1.21 and Ready",
        );
        assert.ok(api.seen.every((s) => s.method === "GET" && s.authorization === `Bearer ${TOKEN}`));
    });

    it("pinned fresh install: no TektonConfig yet (404) means nothing older runs, so it is ready", async () => {
        api.script = { [SUB_PATH]: [subscriptionAt(CSV_121, "AtLatestKnown")], [CSV_121_PATH]: [csv("Succeeded")], [CRD_PATH]: [crd("True")] };
        const started = Date.now();
        assert.deepEqual(await waitForOperatorReady(pinned("1.21")), { installedCsv: CSV_121 });
        assert.ok(Date.now() - started < 2000, "does not poll the missing TektonConfig until the deadline");
        assert.deepEqual(api.seen.map((s) => s.path), [SUB_PATH, CSV_121_PATH, CRD_PATH, TC_PATH]);
    });

    it("accepts a TektonConfig version with a leading v", async () => {
        api.script = {
            [SUB_PATH]: [subscriptionAt(CSV_121, "AtLatestKnown")],
            [CSV_121_PATH]: [csv("Succeeded")],
            [CRD_PATH]: [crd("True")],
            [TC_PATH]: [tektonConfig("v1.21.3", "True")],
        };
        assert.deepEqual(await waitForOperatorReady(pinned("1.21")), { installedCsv: CSV_121 });
        assert.equal(api.seen.filter((s) => s.path === TC_PATH).length, 1);
    });

    it("times out while the installed CSV stays on the old line, naming the line and the InstallPlan to approve", async () => {
        api.script = { [SUB_PATH]: [subscriptionAt(CSV_120, "UpgradePending", INSTALL_PLAN)], [CSV_120_PATH]: [csv("Succeeded")] };
        await assert.rejects(waitForOperatorReady({ ...pinned("1.21"), timeoutSeconds: 0.4, pollIntervalMs: 20 }), (err: Error) => {
            assert.match(err.message, /Timed out after \d+\.\ds \(limit 0\.4s\)/);
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
        assert.ok(api.seen.length >= 5, `kept polling (${api.seen.length} requests)`);
        assert.ok(api.seen.every((s) => s.path === SUB_PATH), "never moves on to the old line's CSV");
    });

    it("times out while the TektonConfig stays on the old version, naming the TektonConfig, its version and the line", async () => {
        api.script = {
            [SUB_PATH]: [subscriptionAt(CSV_121, "AtLatestKnown")],
            [CSV_121_PATH]: [csv("Succeeded")],
            [CRD_PATH]: [crd("True")],
            [TC_PATH]: [tektonConfig("1.20.5", "True")],
        };
        await assert.rejects(waitForOperatorReady({ ...pinned("1.21"), timeoutSeconds: 0.4, pollIntervalMs: 20 }), (err: Error) => {
            assert.match(err.message, /Timed out after \d+\.\ds \(limit 0\.4s\)/);
            assert.match(err.message, /waiting for TektonConfig config to report OpenShift Pipelines 1\.21 \(status\.version 1\.21\.x\) and Ready=True;/);
            assert.match(err.message, /last observed: TektonConfig config status\.version 1\.20\.5, Ready=True$/);
            return true;
        });
        assert.ok(api.seen.filter((s) => s.path === TC_PATH).length >= 5, "kept polling the TektonConfig");
    });

    it("refuses a line without the TektonConfig to check it against", async () => {
        await assert.rejects(waitForOperatorReady(opts({ line: "1.21" })), RangeError);
        assert.equal(api.seen.length, 0);
    });
});
