/**
 * The deploy gate (`npm run preview:gate`, fleet/preview-gate.ts) on documents shaped as pulumi/pulumi's
 * `display.PreviewDigest` (pkg/display/json.go: steps of PreviewStep with op, urn, oldState/newState of
 * apitype.ResourceV3, replaceReasons, detailedDiff; no type on the step): a destroyed stateful resource is refused
 * until acknowledged, an update or a stateless replacement passes, and a file that is no preview is a usage error.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ACKNOWLEDGMENTS_FILE } from "../fleet";
import { main } from "../tools/preview-gate";
import { cli } from "./cli-process";

const DB = "urn:pulumi:stone-prd-rh01::pipeline-service::pipeline-service:index:PipelineService$pipeline-service:storage:ResultsStorage$aws:rds/instance:Instance::results-storage-db";
const ROLE = "urn:pulumi:stone-prd-rh01::pipeline-service::pipeline-service:index:PipelineService$aws:iam/role:Role::monitoring";
const NS = "urn:pulumi:stone-prd-rh01::pipeline-service::pipeline-service:cluster:TargetNamespace$kubernetes:core/v1:Namespace::openshift-pipelines";

/** A ResourceV3 as the engine serializes it (only the fields the gate reads, and some it does not). */
function state(urn: string, type: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { urn, custom: true, type, inputs: {}, outputs: {}, parent: "", protect: false, retainOnDelete: false, dependencies: [], ...extra };
}

/** A PreviewDigest with `steps` (the stack's own step first, as the engine prints it). */
function digest(steps: readonly Record<string, unknown>[]): string {
    return JSON.stringify({
        config: {},
        steps: [{ op: "same", urn: "urn:pulumi:stone-prd-rh01::pipeline-service::pulumi:pulumi:Stack::pipeline-service-stone-prd-rh01", detailedDiff: null }, ...steps],
        diagnostics: [], duration: 1_000_000, changeSummary: { same: 1 },
    });
}

describe("npm run preview:gate (the deploy gate over pulumi preview --json)", () => {
    let dir: string;
    const write = (name: string, text: string): string => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, text);
        return file;
    };
    const gate = (preview: string): { code: number; stdout: string; stderr: string } => {
        let stdout = "";
        let stderr = "";
        const code = main(["--stack", "stone-prd-rh01", "--preview", preview, "--acknowledgments-dir", dir], (text) => {
            stdout += text;
        }, (text) => {
            stderr += text;
        });
        return { code, stdout, stderr };
    };

    beforeEach(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "preview-gate-"));
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("refuses the engine's replacement of the database and the deletion of the namespace until both are acknowledged", () => {
        const preview = write("preview.json", digest([
            { op: "replace", urn: DB, oldState: state(DB, "aws:rds/instance:Instance", { protect: true }), newState: state(DB, "aws:rds/instance:Instance"), replaceReasons: ["kmsKeyId"], detailedDiff: { kmsKeyId: { kind: "update-replace", inputDiff: true } } },
            { op: "delete", urn: NS, oldState: state(NS, "kubernetes:core/v1:Namespace"), detailedDiff: null },
            { op: "replace", urn: ROLE, oldState: state(ROLE, "aws:iam/role:Role"), newState: state(ROLE, "aws:iam/role:Role"), replaceReasons: ["name"], detailedDiff: null },
        ]));
        const refused = gate(preview);
        assert.equal(refused.code, 1);
        assert.match(refused.stderr, /^error: stone-prd-rh01: replace \S+results-storage-db \(replace because kmsKeyId\): the Results database[^\n]*; protected; not acknowledged/m);
        assert.match(refused.stderr, /^error: stone-prd-rh01: delete \S+openshift-pipelines: the target namespace/m);
        assert.doesNotMatch(refused.stderr, /monitoring/, "a stateless replacement is not refused");
        assert.match(refused.stdout, /stone-prd-rh01: 2 steps lose data, 2 not acknowledged\n$/);
        fs.writeFileSync(path.join(dir, ACKNOWLEDGMENTS_FILE), `- stack: stone-prd-rh01\n  urn: ${DB}\n  why: moving to the customer KMS key, restored from snapshot\n- stack: stone-prd-rh01\n  urn: ${NS}\n  why: the cluster is decommissioned\n`);
        const accepted = gate(preview);
        assert.deepEqual([accepted.code, accepted.stderr], [0, ""]);
        assert.match(accepted.stdout, /^acknowledged: replace \S+results-storage-db/m);
    });

    it("passes updates, creates and a stack's own steps, and an acknowledgment of another stack does not count", () => {
        fs.writeFileSync(path.join(dir, ACKNOWLEDGMENTS_FILE), `- stack: stone-prd-rh02\n  urn: ${DB}\n  why: another stack\n`);
        const passing = gate(write("update.json", digest([{ op: "update", urn: DB, oldState: state(DB, "aws:rds/instance:Instance"), newState: state(DB, "aws:rds/instance:Instance"), diffReasons: ["instanceClass"], detailedDiff: null }])));
        assert.deepEqual([passing.code, passing.stderr], [0, ""]);
        const other = gate(write("delete.json", digest([{ op: "delete", urn: DB, oldState: state(DB, "aws:rds/instance:Instance"), detailedDiff: null }])));
        assert.equal(other.code, 1);
    });

    it("is a usage error (exit 2) for a file that is not a preview document, or missing arguments", async () => {
        const bad = gate(write("bad.json", JSON.stringify({ steps: [{ urn: 1 }] })));
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /^error: \S+bad\.json is not the JSON pulumi preview --json prints/);
        const run = await cli("preview-gate.ts", ["--preview", "x.json"]);
        assert.equal(run.code, 2);
        assert.match(run.stderr, /^error: --stack is required\n\nusage: npm run -s preview:gate/);
    });
});
