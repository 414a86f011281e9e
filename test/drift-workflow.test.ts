/**
 * drift.yml: a scheduled, read-only drift check of every stack. Its scripts run here with bash, as the runner runs
 * them: the plan against a stub fleet, each stack's recorded result, and the summary that names drifted stacks.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { PROJECT_DIR } from "../render";
import { fleetJson, pinnedTag, runWithFleetStub, type Job } from "./workflow-steps";

interface Workflow {
    readonly on: Readonly<Record<string, unknown>>;
    readonly jobs: Readonly<Record<string, Job & { readonly environment?: string }>>;
}

const text = fs.readFileSync(path.join(PROJECT_DIR, ".github", "workflows", "drift.yml"), "utf8");
const workflow = YAML.parse(text) as Workflow;
const { plan, drift, summary } = workflow.jobs;
const allSteps = Object.values(workflow.jobs).flatMap((job) => job.steps);
const scriptOf = (job: Job | undefined, id: (step: Job["steps"][number]) => boolean): string => job?.steps.find(id)?.run ?? "exit 97";

function bash(script: string, env: Readonly<Record<string, string>>): { code: number; stdout: string } {
    const run = spawnSync("bash", ["-euo", "pipefail", "-c", script], { env: { PATH: process.env["PATH"] ?? "", ...env }, encoding: "utf8" });
    return { code: run.status ?? -1, stdout: run.stdout };
}

describe("drift.yml", () => {
    it("runs daily and on demand", () => {
        assert.deepEqual(Object.keys(workflow.on).sort(), ["schedule", "workflow_dispatch"]);
        const schedule = workflow.on["schedule"] as readonly { cron: string }[];
        assert.equal(schedule.length, 1);
        assert.match(schedule[0]?.cron ?? "", /^\d+ \d+ \* \* \*$/);
    });

    it("never writes: only pulumi/actions preview, no up/destroy, no refresh without --preview-only", () => {
        for (const step of allSteps) {
            if (step.uses?.startsWith("pulumi/actions@")) {
                assert.equal(step.with?.["command"], "preview");
            }
            const run = step.run ?? "";
            assert.doesNotMatch(run, /\bpulumi\s+(up|update|destroy|import|state|cancel)\b/);
            for (const refresh of run.match(/\bpulumi\s+refresh\b[^\n]*/g) ?? []) {
                assert.match(refresh, /--preview-only/);
            }
        }
    });

    it("previews each stack with --refresh and --expect-no-changes, on a pulumi/actions whose refresh is a flag (v6+)", () => {
        const preview = drift?.steps.find((step) => step.uses?.startsWith("pulumi/actions@"));
        assert.ok(preview);
        // Before v6, `refresh: true` ran a separate `pulumi refresh`, which writes state (pulumi/actions README,
        // "Migrating from v5"). The step is pinned to a commit; its release tag is the line's comment.
        const tag = pinnedTag(text, preview.uses ?? "");
        assert.ok(Number(/^v(\d+)\./.exec(tag ?? "")?.[1] ?? 0) >= 6, `${preview.uses ?? ""} (${tag ?? "no tag comment"})`);
        assert.equal(preview.with?.["refresh"], true);
        assert.equal(preview.with?.["expect-no-changes"], true);
        assert.equal(preview.with?.["policyPacks"], "policy");
        assert.equal(preview.with?.["policyPackConfigs"], "${{ matrix.policyConfig }}");
    });

    it("checks every stack from fleet --json, behind its read-only preview environment, without fail-fast", () => {
        assert.equal(drift?.strategy?.matrix, "${{ fromJSON(needs.plan.outputs.matrix) }}");
        assert.equal(drift?.strategy?.["fail-fast"], false);
        assert.equal(drift?.environment, "${{ matrix.stack }}-preview");
        assert.match(scriptOf(plan, (step) => step.id === "plan"), /npm run -s fleet -- --json/);
    });

    it("summarises whatever happened: a fixed-name job that needs the others and always runs", () => {
        assert.equal(summary?.if, "always()");
        assert.deepEqual([summary?.needs ?? []].flat().sort(), ["drift", "plan"]);
        assert.doesNotMatch(summary?.name ?? "", /\$\{\{/);
        const download = summary?.steps.find((step) => step.uses?.startsWith("actions/download-artifact@"));
        const upload = drift?.steps.find((step) => step.uses?.startsWith("actions/upload-artifact@"));
        assert.equal(upload?.if, "always()");
        assert.equal(upload?.with?.["name"], "drift-${{ matrix.stack }}");
        assert.equal(download?.with?.["pattern"], "drift-*");
        assert.equal(download?.with?.["merge-multiple"], true);
    });

    describe("the plan step (bash, with a stub fleet)", () => {
        const script = scriptOf(plan, (step) => step.id === "plan");
        const output = (outputs: string, name: string): unknown => JSON.parse(new RegExp(`^${name}=(.*)$`, "m").exec(outputs)?.[1] ?? "null") as unknown;
        const fleet = fleetJson([{ stack: "dev-rh01", environment: "dev" }, { stack: "stone-prd-rh01", environment: "prod" }], ["a.yaml and b.yaml: both set clusterName"]);

        it("writes the matrix, the stack names and the fleet's problems", () => {
            const run = runWithFleetStub(script, fleet);
            assert.equal(run.code, 0, run.stdout);
            assert.deepEqual(output(run.outputs, "stacks"), ["dev-rh01", "stone-prd-rh01"]);
            assert.deepEqual(output(run.outputs, "problems"), ["a.yaml and b.yaml: both set clusterName"]);
            assert.deepEqual(output(run.outputs, "matrix"), {
                include: [
                    { stack: "dev-rh01", policyConfig: "policy/config/dev.json", awsRegion: "us-east-1" },
                    { stack: "stone-prd-rh01", policyConfig: "policy/config/prod.json", awsRegion: "us-east-1" },
                ],
            });
        });

        it("still checks every stack when the fleet reports a problem (exit 1)", () => {
            const run = runWithFleetStub(script, fleet, { fleetExit: 1 });
            assert.equal(run.code, 0, run.stdout);
            assert.deepEqual(output(run.outputs, "stacks"), ["dev-rh01", "stone-prd-rh01"]);
        });

        it("leaves out of the matrix a stack whose config does not parse (no environment, so no policy config), and names it among the problems", () => {
            const report = JSON.parse(fleet) as { stacks: Record<string, unknown>[] };
            Object.assign(report.stacks[1] ?? {}, { environment: null, ring: null, awsRegion: null, policyConfig: null, resources: null, violations: null, error: "Pulumi.stone-prd-rh01.yaml: invalid stack configuration" });
            const run = runWithFleetStub(script, JSON.stringify(report), { fleetExit: 1 });
            assert.equal(run.code, 0, run.stdout);
            assert.deepEqual(output(run.outputs, "matrix"), { include: [{ stack: "dev-rh01", policyConfig: "policy/config/dev.json", awsRegion: "us-east-1" }] });
            assert.deepEqual(output(run.outputs, "stacks"), ["dev-rh01", "stone-prd-rh01"], "still listed: the summary counts it as not checked");
            assert.deepEqual(output(run.outputs, "problems"), ["a.yaml and b.yaml: both set clusterName", "stone-prd-rh01: Pulumi.stone-prd-rh01.yaml: invalid stack configuration"]);
        });

        it("fails on bad arguments (exit 2), a bad stack name or an empty fleet", () => {
            assert.notEqual(runWithFleetStub(script, fleet, { fleetExit: 2 }).code, 0);
            assert.notEqual(runWithFleetStub(script, fleetJson([{ stack: "$(id)", environment: "dev" }])).code, 0);
            assert.notEqual(runWithFleetStub(script, fleetJson([])).code, 0);
        });
    });

    describe("each stack's result and the summary (bash)", () => {
        const record = scriptOf(drift, (step) => step.name === "Record the result");
        const summarise = scriptOf(summary, (step) => step.name === "Summarise");
        let dir = "";
        beforeEach(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "drift-"));
        });
        afterEach(() => {
            fs.rmSync(dir, { recursive: true, force: true });
        });

        /** Each matrix job records its preview's outcome; the summary then reads them all from one directory. */
        function runDrift(outcomes: Readonly<Record<string, string>>, stacks: readonly string[], problems = "[]", planResult = "success") {
            for (const [stack, outcome] of Object.entries(outcomes)) {
                const job = path.join(dir, `job-${stack}`);
                fs.mkdirSync(job);
                assert.equal(bash(record, { STACK: stack, OUTCOME: outcome, RUNNER_TEMP: job }).code, 0);
                fs.mkdirSync(path.join(dir, "results"), { recursive: true });
                fs.cpSync(path.join(job, "drift"), path.join(dir, "results"), { recursive: true });
            }
            const file = path.join(dir, "summary.md");
            const run = bash(summarise, {
                PLAN_RESULT: planResult,
                STACKS: JSON.stringify(stacks),
                PROBLEMS: problems,
                RESULTS: path.join(dir, "results"),
                GITHUB_STEP_SUMMARY: file,
            });
            return { code: run.code, stdout: run.stdout, summary: fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "" };
        }

        it("passes when every stack's preview succeeded", () => {
            const run = runDrift({ a: "success", b: "success" }, ["a", "b"]);
            assert.equal(run.code, 0, run.stdout);
            assert.match(run.summary, /2 in sync, 0 drifted or failing, 0 not checked/);
        });

        it("fails and names each drifted stack in the run summary", () => {
            const run = runDrift({ a: "success", "stone-prd-rh02": "failure", "stone-prd-rh05": "failure" }, ["a", "stone-prd-rh02", "stone-prd-rh05"]);
            assert.equal(run.code, 1);
            assert.match(run.summary, /^- `stone-prd-rh02`$/m);
            assert.match(run.summary, /^- `stone-prd-rh05`$/m);
            assert.doesNotMatch(run.summary, /^- `a`$/m);
            assert.match(run.stdout, /::error title=drift::stone-prd-rh02: drifted/);
        });

        it("counts a stack with no result, or one whose preview never ran, as not checked (never as clean)", () => {
            const run = runDrift({ a: "success", b: "skipped" }, ["a", "b", "c"]);
            assert.equal(run.code, 1);
            assert.match(run.summary, /^- `b \(skipped\)`$/m);
            assert.match(run.summary, /^- `c \(none\)`$/m);
        });

        it("fails on the fleet's problems, listing them", () => {
            const run = runDrift({ a: "success" }, ["a"], JSON.stringify(["a.yaml and b.yaml: both set clusterName"]));
            assert.equal(run.code, 1);
            assert.match(run.summary, /^- a\.yaml and b\.yaml: both set clusterName$/m);
        });

        it("fails when the stacks could not be listed", () => {
            const run = runDrift({}, [], "", "failure");
            assert.equal(run.code, 1);
            assert.match(run.summary, /could not list the stacks \(failure\)/);
        });
    });
});
