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
import { fleetJson, runWithFleetStub, type Job } from "./workflow-steps";

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

describe("pr.yml: the fleet", () => {
    const offline = workflow.jobs["offline"];
    const preview = workflow.jobs["preview"];
    const runs = (job: Job | undefined): string[] => (job?.steps ?? []).flatMap((step) => (step.run === undefined ? [] : [step.run]));

    it("checks every stack offline with `npm run -s fleet`, after `npm test`", () => {
        const scripts = runs(offline);
        const test = scripts.findIndex((run) => run.trim() === "npm test");
        const fleet = scripts.findIndex((run) => run.trim() === "npm run -s fleet");
        assert.ok(test >= 0, "offline no longer runs npm test");
        assert.ok(fleet > test, "offline does not run `npm run -s fleet` after `npm test`");
        assert.ok(!scripts.some((run) => /npm run -s (render|policy:check)\b/.test(run)), "the per-stack render loop is back");
    });

    it("diffs the fleet against the PR's base commit into the job summary, failing on unacknowledged data loss, with the base commit in the clone", () => {
        const step = offline?.steps.find((s) => s.run?.includes("fleet:diff"));
        assert.ok(step, "no fleet:diff step");
        assert.match(step.run ?? "", /npm run -s fleet:diff -- --base "\$BASE_SHA" --markdown "\$GITHUB_STEP_SUMMARY" --fail-on-data-loss/);
        assert.equal(step.env?.["BASE_SHA"], "${{ github.event.pull_request.base.sha }}");
        const checkout = offline?.steps.find((s) => s.uses?.startsWith("actions/checkout@"));
        const fetched = checkout?.with?.["fetch-depth"] === 0 || /git fetch [^\n]*origin "\$BASE_SHA"/.test(step.run ?? "");
        assert.ok(fetched, "the base commit is neither in the checkout (fetch-depth: 0) nor fetched");
    });

    it("verifies the installed packages' registry signatures and validates renovate.json with a pinned Renovate, after the install", () => {
        const steps = offline?.steps ?? [];
        const install = steps.findIndex((s) => s.id === "install");
        const signatures = steps.findIndex((s) => s.run?.trim() === "npm audit signatures");
        const renovate = steps.findIndex((s) => s.run?.includes("renovate-config-validator") === true);
        assert.ok(install >= 0 && /^npm ci\b/.test(steps[install]?.run ?? ""), "no `npm ci` install step with id install");
        assert.ok(signatures > install, "no `npm audit signatures` step after the install");
        assert.ok(renovate > install, "no Renovate config validator step after the install");
        assert.deepEqual(
            (steps[renovate]?.run ?? "").trim().split("\n").map((line) => line.trim()),
            [
                'npm install --prefix "$RUNNER_TEMP/renovate" --no-save --no-audit --no-fund --ignore-scripts renovate@44.121.2',
                '"$RUNNER_TEMP/renovate/node_modules/.bin/renovate-config-validator" --strict renovate.json',
            ],
        );
    });

    it("runs offline with no credentials, so fork PRs get it too", () => {
        assert.equal(offline?.if, undefined);
        assert.equal(offline?.permissions, undefined, "offline widens the workflow's read-only permissions");
        const text = YAML.stringify(offline);
        assert.doesNotMatch(text, /secrets\.|vars\.AWS_ROLE_ARN|id-token/);
    });

    it("uploads the fleet's renders (out/fleet/)", () => {
        const upload = offline?.steps.find((s) => s.uses?.startsWith("actions/upload-artifact@"));
        assert.equal(upload?.with?.["path"], "out/fleet/");
    });

    it("takes the preview matrix from `fleet --json`, and parses no stack file itself", () => {
        assert.equal(preview?.strategy?.matrix, "${{ fromJSON(needs.offline.outputs.matrix) }}");
        assert.equal(offline?.outputs?.["matrix"], "${{ steps.plan.outputs.matrix }}");
        const plan = offline?.steps.find((s) => s.id === "plan");
        assert.match(plan?.run ?? "", /npm run -s fleet -- --json/);
        for (const run of [...runs(offline), ...runs(preview)]) {
            assert.doesNotMatch(run, /Pulumi\.[*$'"]|readFileSync/, `a step reads stack files itself:\n${run}`);
        }
        const pulumi = preview?.steps.find((s) => s.uses?.startsWith("pulumi/actions@"));
        assert.equal(pulumi?.with?.["policyPackConfigs"], "${{ matrix.policyConfig }}");
        const aws = preview?.steps.find((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
        assert.equal(aws?.with?.["aws-region"], "${{ matrix.awsRegion }}");
    });

    describe("the plan step (bash, with a stub fleet)", () => {
        const script = offline?.steps.find((s) => s.id === "plan")?.run ?? "exit 97";
        const matrixOf = (outputs: string): unknown => JSON.parse(/^matrix=(.*)$/m.exec(outputs)?.[1] ?? "null") as unknown;

        it("writes one matrix entry per stack: its name, its environment's policy config and its region", () => {
            const fleet = fleetJson([
                { stack: "dev-rh01", environment: "dev" },
                { stack: "stone-prd-rh01", environment: "prod", awsRegion: "eu-west-1" },
            ]);
            const run = runWithFleetStub(script, fleet);
            assert.equal(run.code, 0, run.stdout);
            assert.deepEqual(matrixOf(run.outputs), {
                include: [
                    { stack: "dev-rh01", policyConfig: "policy/config/dev.json", awsRegion: "us-east-1" },
                    { stack: "stone-prd-rh01", policyConfig: "policy/config/prod.json", awsRegion: "eu-west-1" },
                ],
            });
        });

        const refused: readonly [string, string][] = [
            ["a stack name a shell or a job name could misread", fleetJson([{ stack: "dev;rm -rf", environment: "dev" }])],
            ["a policy config outside policy/config/", fleetJson([{ stack: "dev", environment: "dev", policyConfig: "../x.json" }])],
            ["a region that is not one", fleetJson([{ stack: "dev", environment: "dev", awsRegion: "us-east-1; id" }])],
            ["an empty fleet (a matrix with no entries is an error in GitHub Actions)", fleetJson([])],
            ["output that is not JSON", "rendering...\n"],
        ];
        for (const [what, fleet] of refused) {
            it(`fails on ${what}, and writes no matrix`, () => {
                const run = runWithFleetStub(script, fleet);
                assert.notEqual(run.code, 0);
                assert.doesNotMatch(run.outputs, /^matrix=/m);
            });
        }
    });
});
