/**
 * The PR workflow's required check always completes: the `result` job runs whatever happened before it, and
 * its script (run here with bash, as the runner does) passes only on the outcomes it should.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { PROJECT_DIR } from "../render";

interface Job {
    readonly name?: string;
    readonly needs?: string | readonly string[];
    readonly if?: string;
    readonly strategy?: unknown;
    readonly steps: readonly { readonly run?: string; readonly env?: Readonly<Record<string, string>> }[];
}

const workflow = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, ".github", "workflows", "pr.yml"), "utf8")) as { jobs: Record<string, Job> };
const operations = fs.readFileSync(path.join(PROJECT_DIR, "docs", "operations.md"), "utf8");
const result = workflow.jobs["result"];

function summarise(env: { OFFLINE_RESULT: string; PREVIEW_RESULT: string; FROM_FORK: string }): number {
    const script = result?.steps.find((step) => step.run !== undefined)?.run ?? "";
    const run = spawnSync("bash", ["-euo", "pipefail", "-c", script], { env: { PATH: process.env["PATH"] ?? "", ...env }, encoding: "utf8" });
    return run.status ?? -1;
}

describe("pr.yml", () => {
    it("has a fixed-name result job that needs every other job and always runs", () => {
        assert.ok(result, "no `result` job");
        assert.equal(result.if, "always()");
        assert.doesNotMatch(result.name ?? "", /\$\{\{/);
        const needs = new Set([result.needs ?? []].flat());
        assert.deepEqual([...needs].sort(), Object.keys(workflow.jobs).filter((job) => job !== "result").sort());
        assert.equal(result.strategy, undefined, "a matrix would give the check an expression name");
    });

    it("feeds the script the needed jobs' results and whether the PR comes from a fork", () => {
        const env = result?.steps.find((step) => step.run !== undefined)?.env ?? {};
        assert.equal(env["OFFLINE_RESULT"], "${{ needs.offline.result }}");
        assert.equal(env["PREVIEW_RESULT"], "${{ needs.preview.result }}");
        assert.equal(env["FROM_FORK"], "${{ github.event.pull_request.head.repo.full_name != github.repository }}");
    });

    const cases: readonly [string, string, string, number][] = [
        ["success", "success", "false", 0],
        ["success", "skipped", "true", 0], // a fork: previews cannot run
        ["success", "skipped", "false", 1], // same repository: a skipped preview is a failure
        ["success", "failure", "false", 1],
        ["success", "cancelled", "false", 1],
        ["failure", "skipped", "true", 1], // preview skipped because offline failed
        ["failure", "skipped", "false", 1],
        ["cancelled", "skipped", "true", 1],
    ];
    for (const [offline, preview, fork, code] of cases) {
        it(`exits ${code} when offline is ${offline}, previews ${preview}, from a fork ${fork}`, () => {
            assert.equal(summarise({ OFFLINE_RESULT: offline, PREVIEW_RESULT: preview, FROM_FORK: fork }), code);
        });
    }

    it("is the one check docs/operations.md tells branch protection to require", () => {
        const line = operations.split("\n").find((text) => text.includes("Branch protection on `main`")) ?? "";
        assert.match(line, new RegExp(`require the one check \\*${result?.name ?? "?"}\\*`));
    });
});
