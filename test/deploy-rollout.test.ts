/**
 * The ring rollout of deploy.yml, run as GitHub Actions would run it: the job graph, `needs`, `if:`, the
 * matrix and `strategy` are taken from deploy.yml and the reusable deploy-ring.yml and evaluated with GitHub's
 * own expression evaluator (@actions/expressions); every `run:` script runs with bash exactly as written,
 * against fakes of `npm run fleet` (the plan), `gh api` (this run's jobs) and `date` (a simulated clock: the
 * soak environments' wait timers advance it). `pulumi up` and the other actions are recorded, not run.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import * as YAML from "yaml";
import type * as Expressions from "@actions/expressions" with { "resolution-mode": "import" };
import { FIXTURE_FLEET, fleetPlan as fleetReport } from "./fleet-plans";
import { PROJECT_DIR } from "../render";

type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

interface Step {
    readonly id?: string;
    readonly name?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly if?: string | boolean;
    readonly env?: Readonly<Record<string, Json>>;
    readonly with?: Readonly<Record<string, Json>>;
}

interface Job {
    readonly name?: string;
    readonly needs?: string | readonly string[];
    readonly if?: string | boolean;
    readonly uses?: string;
    readonly with?: Readonly<Record<string, Json>>;
    readonly secrets?: Json;
    readonly permissions?: Readonly<Record<string, string>>;
    readonly strategy?: { readonly "fail-fast"?: Json; readonly "max-parallel"?: Json; readonly matrix?: Readonly<Record<string, Json>> };
    readonly environment?: string;
    readonly concurrency?: { readonly group: string; readonly "cancel-in-progress": boolean };
    readonly outputs?: Readonly<Record<string, string>>;
    readonly steps?: readonly Step[];
}

interface Workflow {
    readonly on: { readonly workflow_call?: { readonly inputs: Readonly<Record<string, { readonly type: string; readonly default?: Json; readonly required?: boolean }>>; readonly outputs: Readonly<Record<string, { readonly value: string }>> } };
    readonly concurrency?: { readonly group: string; readonly "cancel-in-progress": boolean };
    readonly env?: Readonly<Record<string, string>>;
    readonly jobs: Readonly<Record<string, Job>>;
}

const WORKFLOWS = path.join(PROJECT_DIR, ".github", "workflows");
const readWorkflow = (file: string): Workflow => YAML.parse(fs.readFileSync(path.join(WORKFLOWS, file), "utf8")) as Workflow;
const deploy = readWorkflow("deploy.yml");
const deployRing = readWorkflow("deploy-ring.yml");
const operations = fs.readFileSync(path.join(PROJECT_DIR, "docs", "operations.md"), "utf8");
const needsOf = (job: Job): string[] => [job.needs ?? []].flat();

/** A plan as the workflow reads it: the JSON the CLI prints. */
const fleetPlan = (...args: Parameters<typeof fleetReport>): Json => JSON.parse(JSON.stringify(fleetReport(...args))) as Json;

const ringOf = (plan: Json, stack: string): number => {
    const entry = (plan as { stacks: { stack: string; ring: number }[] }).stacks.find((candidate) => candidate.stack === stack);
    assert.ok(entry, `${stack} is not in the plan`);
    return entry.ring;
};
const ringSoakHours = (plan: Json, ring: number): number =>
    (plan as { rings: { ring: number; soakHours: number }[] }).rings.find((candidate) => candidate.ring === ring)?.soakHours ?? 0;

// ---------------------------------------------------------------------------------------------------------
// GitHub's expression evaluator (ESM-only; this file is transpiled to CommonJS, so a real dynamic import)

type ExpressionsModule = typeof Expressions;
let expressions: ExpressionsModule | undefined;
const importModule = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<unknown>;

const CONTEXTS = ["github", "inputs", "needs", "matrix", "steps", "vars", "secrets", "env", "jobs", "strategy", "runner"];
const STATUS_FUNCTIONS = ["success", "failure", "always", "cancelled"];

interface Status { readonly success: boolean; readonly failure: boolean; readonly cancelled: boolean }
type Contexts = Readonly<Record<string, Json>>;

function evaluate(expression: string, contexts: Contexts, status: Status): Json {
    const lib = expressions;
    assert.ok(lib, "@actions/expressions not loaded");
    const lexed = new lib.Lexer(expression).lex();
    const statusInfo = STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 }));
    const tree = new lib.Parser(lexed.tokens, CONTEXTS, statusInfo).parse();
    const values: Record<string, boolean> = { success: status.success, failure: status.failure, always: true, cancelled: status.cancelled };
    const functions = new Map(STATUS_FUNCTIONS.map((name) => [name, { name, minArgs: 0, maxArgs: 0, call: () => new lib.data.BooleanData(values[name] ?? false) }]));
    const context = JSON.parse(JSON.stringify(contexts), lib.data.reviver) as Expressions.data.Dictionary;
    const result = new lib.Evaluator(tree, context, functions).evaluate();
    return JSON.parse(JSON.stringify(result, lib.data.replacer) ?? "null") as Json;
}

const TEMPLATE = /\$\{\{(.*?)\}\}/gs;

/** A YAML value with `${{ }}`: a lone expression keeps its type, text around expressions makes a string. */
function interpolate(value: Json, contexts: Contexts, status: Status): Json {
    if (typeof value !== "string") return value;
    const lone = /^\s*\$\{\{(.*)\}\}\s*$/s.exec(value);
    if (lone && !lone[1]?.includes("}}")) return evaluate(lone[1] ?? "", contexts, status);
    return value.replace(TEMPLATE, (_, inner: string) => {
        const result = evaluate(inner, contexts, status);
        return result === null ? "" : typeof result === "object" ? JSON.stringify(result) : String(result);
    });
}

/** `if:` as GitHub reads it: `${{ }}` optional, and `success() &&` implied unless a status function is called. */
function condition(raw: string | boolean | undefined, contexts: Contexts, status: Status): boolean {
    if (typeof raw === "boolean") return raw && status.success;
    const text = (raw ?? "success()").trim().replace(/^\$\{\{(.*)\}\}$/s, "$1");
    const withStatus = new RegExp(`\\b(${STATUS_FUNCTIONS.join("|")})\\s*\\(`).test(text) ? text : `success() && (${text})`;
    const result = evaluate(withStatus, contexts, status);
    return result !== null && result !== false && result !== 0 && result !== "";
}

// ---------------------------------------------------------------------------------------------------------
// The simulated run

type Result = "success" | "failure" | "skipped" | "cancelled";

interface UpCall { readonly stack: string; readonly ring: number | "hotfix"; readonly startedAt: number; readonly finishedAt: number; readonly inputs: Readonly<Record<string, Json>> }
interface JobRecord { readonly name: string; readonly startedAt: number; readonly finishedAt: number; conclusion: Result }

interface Scenario {
    readonly plan: Json;
    readonly event?: { readonly name: "push" } | { readonly name: "workflow_dispatch"; readonly stacks: string; readonly reason: string };
    readonly fleetExitCode?: number;
    /** Stacks whose `pulumi up` fails. */
    readonly failing?: readonly string[];
    /** Environment wait timers (minutes), as set in the repository settings. */
    readonly waitTimers?: Readonly<Record<string, number>>;
}

interface Run {
    readonly results: Map<string, { result: Result; outputs: Record<string, Json> }>;
    readonly ups: UpCall[];
    readonly credentials: string[];
    readonly halted: string[];
    readonly cancelledWhileRunning: string[];
    readonly environments: string[];
    readonly jobs: JobRecord[];
    log: string;
    summary: string;
}

const START = 1_900_000_000;
const UPDATE_SECONDS = 30 * 60;
const JOB_SECONDS = 60;
const ACTOR = "octo-oncall";
const SHA = "0123456789abcdef0123456789abcdef01234567";

const FAKES: Readonly<Record<string, string>> = {
    // `npm ci` (nothing to install here) and `npm run -s fleet -- --json` (the scenario's plan)
    npm: `case "$*" in
  "ci --no-audit --no-fund") ;;
  "run -s fleet -- --json") cat "$SIM_FLEET_FILE"; exit "$SIM_FLEET_STATUS" ;;
  *) echo "fake npm: unexpected: $*" >&2; exit 97 ;;
esac`,
    // \`gh api [--paginate] PATH --jq FILTER\`, answered from this run's jobs so far
    gh: `[ "$1" = api ] || exit 99; shift; filter=.; url=
while [ $# -gt 0 ]; do case "$1" in --paginate) ;; --jq) filter=$2; shift ;; *) url=$1 ;; esac; shift; done
[ "$url" = "repos/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID/attempts/$GITHUB_RUN_ATTEMPT/jobs" ] || { echo "fake gh: unexpected $url" >&2; exit 98; }
# gh prints strings raw, as jq -r does
jq -r "$filter" "$SIM_JOBS_FILE"`,
    // the simulated clock; anything else goes to the real date (not this fake, which is first on PATH)
    date: `if [ "$*" = "-u +%s" ]; then echo "$SIM_NOW"; else PATH=/usr/bin:/bin exec date "$@"; fi`,
};

class Simulation {
    private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "deploy-rollout-"));
    private readonly bin = path.join(this.dir, "bin");
    private readonly checkout = path.join(this.dir, "checkout");
    private readonly runnerTemp = path.join(this.dir, "runner-temp");
    private readonly run: Run = { results: new Map(), ups: [], credentials: [], halted: [], cancelledWhileRunning: [], environments: [], jobs: [], log: "", summary: "" };
    private readonly github: Contexts;
    private readonly dispatchInputs: Contexts;
    private readonly callerNames = new Map<string, string>();

    constructor(private readonly scenario: Scenario) {
        fs.mkdirSync(this.bin);
        fs.mkdirSync(this.runnerTemp);
        for (const [name, script] of Object.entries(FAKES)) {
            const file = path.join(this.bin, name);
            fs.writeFileSync(file, `#!/bin/bash\n${script}\n`, { mode: 0o755 });
        }
        fs.writeFileSync(path.join(this.dir, "fleet.json"), JSON.stringify(scenario.plan, null, 2));
        // The checkout holds the policy config files the plan names (the lead adds policy/config/prod.json).
        for (const stack of (scenario.plan as { stacks: { policyConfig: string }[] }).stacks) {
            fs.mkdirSync(path.dirname(path.join(this.checkout, stack.policyConfig)), { recursive: true });
            fs.writeFileSync(path.join(this.checkout, stack.policyConfig), "{}\n");
        }
        const event = scenario.event ?? { name: "push" };
        this.github = { event_name: event.name, sha: SHA, actor: ACTOR, run_id: "4242", repository: "octo/pipeline-service-iac", token: "fake-token", ref: "refs/heads/main" };
        this.dispatchInputs = event.name === "workflow_dispatch" ? { stacks: event.stacks, reason: event.reason } : {};
    }

    execute(): Run {
        try {
            this.runWorkflow(deploy, "", this.dispatchInputs, START, { AWS_ROLE_ARN: "arn:aws:iam::1:role/deploy", PULUMI_ORG: "", PULUMI_BACKEND_URL: "" });
            return this.run;
        } finally {
            fs.rmSync(this.dir, { recursive: true, force: true });
        }
    }

    /** Runs a workflow's jobs in dependency order; returns the time its last job finished. */
    private runWorkflow(workflow: Workflow, prefix: string, inputs: Contexts, startedAt: number, vars: Contexts): number {
        const finishedAt = new Map<string, number>();
        const pending = Object.keys(workflow.jobs);
        while (pending.length > 0) {
            const ready = pending.find((id) => needsOf(workflow.jobs[id] ?? {}).every((need) => finishedAt.has(need)));
            assert.ok(ready, `${prefix}: a needs cycle or an unknown job among ${pending.join(", ")}`);
            pending.splice(pending.indexOf(ready), 1);
            const job = workflow.jobs[ready] ?? {};
            const needs = needsOf(job);
            const jobStart = Math.max(startedAt, ...needs.map((need) => finishedAt.get(need) ?? startedAt));
            const ancestors = this.ancestors(workflow, ready).map((id) => this.run.results.get(prefix + id)?.result);
            const status: Status = { success: ancestors.every((result) => result === "success"), failure: ancestors.includes("failure"), cancelled: false };
            const contexts: Contexts = {
                github: this.github,
                inputs,
                vars,
                env: workflow.env ?? {},
                needs: Object.fromEntries(needs.map((need) => [need, this.run.results.get(prefix + need) ?? null])) as Json,
            };
            // Jobs of a called workflow are listed as "<caller's name> / <job's name>".
            const namePrefix = prefix === "" ? "" : `${this.callerNames.get(prefix) ?? prefix} / `;
            const fullName = namePrefix + String(interpolate(job.name ?? ready, { ...contexts, matrix: {} }, status));
            if (!condition(job.if, contexts, status)) {
                this.run.results.set(prefix + ready, { result: "skipped", outputs: {} });
                this.run.jobs.push({ name: fullName, startedAt: jobStart, finishedAt: jobStart, conclusion: "skipped" });
                finishedAt.set(ready, jobStart);
                continue;
            }
            if (job.uses !== undefined) {
                finishedAt.set(ready, this.callWorkflow(job, `${prefix}${ready}/`, contexts, status, jobStart, vars));
                continue;
            }
            finishedAt.set(ready, this.runJob(job, prefix + ready, namePrefix, contexts, status, jobStart));
        }
        return Math.max(startedAt, ...finishedAt.values());
    }


    private ancestors(workflow: Workflow, id: string): string[] {
        const direct = needsOf(workflow.jobs[id] ?? {});
        return [...new Set([...direct, ...direct.flatMap((need) => this.ancestors(workflow, need))])];
    }

    private callWorkflow(job: Job, prefix: string, contexts: Contexts, status: Status, startedAt: number, vars: Contexts): number {
        assert.equal(job.uses, "./.github/workflows/deploy-ring.yml");
        const called = deployRing;
        const declared = called.on.workflow_call?.inputs ?? {};
        const inputs: Record<string, Json> = {};
        for (const [key, spec] of Object.entries(declared)) {
            const given = job.with?.[key];
            if (given === undefined) {
                assert.ok(!spec.required, `${prefix}: required input ${key} not given`);
                inputs[key] = spec.default ?? null;
                continue;
            }
            const value = interpolate(given, contexts, status);
            assert.equal(typeof value, spec.type === "string" ? "string" : spec.type, `${prefix}: input ${key} = ${JSON.stringify(value)} is not a ${spec.type}`);
            inputs[key] = value;
        }
        for (const key of Object.keys(job.with ?? {})) assert.ok(key in declared, `${prefix}: input ${key} is not declared by the called workflow`);
        this.callerNames.set(prefix, String(interpolate(job.name ?? prefix, contexts, status)));
        const finishedAt = this.runWorkflow(called, prefix, inputs, startedAt, vars);
        const inner = Object.keys(called.jobs).map((id) => this.run.results.get(prefix + id)?.result);
        const jobsContext = Object.fromEntries(Object.keys(called.jobs).map((id) => [id, this.run.results.get(prefix + id) ?? null])) as Json;
        const outputs = Object.fromEntries(Object.entries(called.on.workflow_call?.outputs ?? {}).map(([key, output]) => [key, interpolate(output.value, { jobs: jobsContext }, status)]));
        this.run.results.set(prefix.slice(0, -1), { result: inner.includes("failure") ? "failure" : "success", outputs });
        return finishedAt;
    }

    private runJob(job: Job, id: string, namePrefix: string, contexts: Contexts, status: Status, startedAt: number): number {
        const matrix = job.strategy?.matrix;
        const nameIn = (matrixContext: Json): string => namePrefix + String(interpolate(job.name ?? id, { ...contexts, matrix: matrixContext }, status));
        const name = nameIn({});
        if (matrix === undefined) {
            const start = startedAt + this.waitTimer(job, contexts, status);
            const outcome = this.runSteps(job, name, { ...contexts, matrix: {} }, start);
            this.run.jobs.push({ name, startedAt: start, finishedAt: start + JOB_SECONDS, conclusion: outcome.result });
            this.run.results.set(id, { result: outcome.result, outputs: this.jobOutputs(job, { ...contexts, steps: outcome.steps }, status) });
            return start + JOB_SECONDS;
        }
        const strategy = job.strategy ?? {};
        const dimensions = Object.entries(matrix).map(([key, value]) => [key, interpolate(value, contexts, status)] as const);
        for (const [key, values] of dimensions) {
            assert.ok(Array.isArray(values), `matrix ${key} is not an array`);
            // GitHub refuses a matrix with an empty vector; the workflow must never produce one.
            if (values.length === 0) throw new Error(`${name}: matrix ${key} is [], which GitHub Actions rejects`);
        }
        assert.equal(dimensions.length, 1, "one matrix dimension expected");
        const [dimension, values] = dimensions[0] ?? ["", []];
        const maxParallel = Number(interpolate(strategy["max-parallel"] ?? (values as Json[]).length, contexts, status));
        const failFast = interpolate(strategy["fail-fast"] ?? true, contexts, status) !== false;
        const queue = (values as Json[]).map((value) => ({ matrix: { [dimension]: value } as Json }));
        const running: { finishAt: number; failed: boolean; record: JobRecord }[] = [];
        let now = startedAt;
        let failed = false;
        while (queue.length > 0 || running.length > 0) {
            while (running.length < maxParallel && queue.length > 0) {
                const next = queue.shift() ?? { matrix: {} };
                const instanceContexts = { ...contexts, matrix: next.matrix };
                const instanceName = nameIn(next.matrix);
                const start = now + this.waitTimer(job, instanceContexts, status);
                const outcome = this.runSteps(job, instanceName, instanceContexts, start);
                const finishAt = start + (outcome.updated ? UPDATE_SECONDS : JOB_SECONDS);
                const record = { name: instanceName, startedAt: start, finishedAt: finishAt, conclusion: outcome.result };
                this.run.jobs.push(record);
                running.push({ finishAt, failed: outcome.result === "failure", record });
            }
            running.sort((a, b) => a.finishAt - b.finishAt);
            const done = running.shift();
            if (done === undefined) break;
            now = done.finishAt;
            if (done.failed) {
                failed = true;
                if (failFast) {
                    for (const sibling of running) {
                        this.run.cancelledWhileRunning.push(sibling.record.name);
                        sibling.record.conclusion = "cancelled";
                    }
                    running.length = 0;
                    queue.length = 0;
                }
            }
        }
        this.run.results.set(id, { result: failed ? "failure" : "success", outputs: {} });
        return now;
    }

    private waitTimer(job: Job, contexts: Contexts, status: Status): number {
        if (job.environment === undefined) return 0;
        const environment = String(interpolate(job.environment, contexts, status));
        this.run.environments.push(environment);
        return (this.scenario.waitTimers?.[environment] ?? 0) * 60;
    }

    private jobOutputs(job: Job, contexts: Contexts, status: Status): Record<string, Json> {
        return Object.fromEntries(Object.entries(job.outputs ?? {}).map(([key, value]) => [key, interpolate(value, contexts, status)]));
    }

    private runSteps(job: Job, jobName: string, contexts: Contexts, now: number): { result: Result; steps: Json; updated: boolean } {
        const steps: Record<string, Json> = {};
        let failed = false;
        let updated = false;
        const stack = String((contexts["matrix"] as Record<string, Json> | null)?.["stack"] ?? "");
        const inputs = contexts["inputs"] as Record<string, Json>;
        for (const step of job.steps ?? []) {
            const stepContexts = { ...contexts, steps, secrets: { CLUSTER_KUBECONFIG: "apiVersion: v1", PULUMI_ACCESS_TOKEN: "", PULUMI_CONFIG_PASSPHRASE: "" } };
            const stepStatus: Status = { success: !failed, failure: failed, cancelled: false };
            if (!condition(step.if, stepContexts, stepStatus)) continue;
            let outputs: Record<string, Json> = {};
            let ok = true;
            if (step.run !== undefined) {
                const env = Object.fromEntries(Object.entries(step.env ?? {}).map(([key, value]) => [key, interpolate(value, stepContexts, stepStatus)]));
                const script = this.bash(step.run, env, now, `${jobName}: ${step.name ?? step.id ?? "run"}`);
                ok = script.status === 0;
                outputs = script.outputs;
                if (!ok && step === job.steps?.[0] && stack !== "") this.run.halted.push(stack);
            } else if (step.uses?.startsWith("aws-actions/configure-aws-credentials@")) {
                this.run.credentials.push(stack);
            } else if (step.uses?.startsWith("pulumi/actions@")) {
                const withInputs = Object.fromEntries(Object.entries(step.with ?? {}).map(([key, value]) => [key, interpolate(value, stepContexts, stepStatus)]));
                if (withInputs["command"] === "up") {
                    updated = true;
                    const ring = inputs["ring"] === "hotfix" ? "hotfix" : Number(inputs["ring"]);
                    this.run.ups.push({ stack, ring, startedAt: now, finishedAt: now + UPDATE_SECONDS, inputs: withInputs });
                    ok = !(this.scenario.failing ?? []).includes(stack);
                }
            }
            if (step.id !== undefined) steps[step.id] = { outputs, outcome: ok ? "success" : "failure", conclusion: ok ? "success" : "failure" };
            if (!ok) failed = true;
        }
        return { result: failed ? "failure" : "success", steps, updated };
    }

    private bash(script: string, env: Record<string, Json>, now: number, label: string): { status: number; outputs: Record<string, Json> } {
        const outputFile = path.join(this.dir, "output");
        const summaryFile = path.join(this.dir, "summary");
        const jobsFile = path.join(this.dir, "jobs.json");
        fs.writeFileSync(outputFile, "");
        if (!fs.existsSync(summaryFile)) fs.writeFileSync(summaryFile, "");
        const visible = this.run.jobs.filter((job) => job.startedAt <= now).map((job) => ({
            name: job.name,
            status: job.finishedAt <= now ? "completed" : "in_progress",
            conclusion: job.finishedAt <= now ? job.conclusion : null,
        }));
        fs.writeFileSync(jobsFile, JSON.stringify({ total_count: visible.length, jobs: visible }));
        const stringEnv = Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value)]));
        // The runner's shell for `run:` steps: bash --noprofile --norc -eo pipefail {0}
        const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
            cwd: this.checkout,
            encoding: "utf8",
            env: {
                PATH: `${this.bin}:${process.env["PATH"] ?? ""}`,
                GITHUB_OUTPUT: outputFile,
                GITHUB_STEP_SUMMARY: summaryFile,
                GITHUB_ENV: path.join(this.dir, "env"),
                RUNNER_TEMP: this.runnerTemp,
                GITHUB_REPOSITORY: String(this.github["repository"]),
                GITHUB_RUN_ID: String(this.github["run_id"]),
                GITHUB_RUN_ATTEMPT: "1",
                SIM_FLEET_FILE: path.join(this.dir, "fleet.json"),
                SIM_FLEET_STATUS: String(this.scenario.fleetExitCode ?? 0),
                SIM_JOBS_FILE: jobsFile,
                SIM_NOW: String(now),
                ...stringEnv,
            },
        });
        this.run.log += `--- ${label}\n${result.stdout}${result.stderr}`;
        this.run.summary = fs.readFileSync(summaryFile, "utf8");
        const outputs: Record<string, Json> = {};
        for (const line of fs.readFileSync(outputFile, "utf8").split("\n")) {
            const match = /^([^=]+)=(.*)$/.exec(line);
            if (match?.[1] !== undefined) outputs[match[1]] = match[2] ?? "";
        }
        return { status: result.status ?? -1, outputs };
    }
}

// A simulated run spawns some hundred bash and jq processes; tests that ask about the same scenario share it.
const runs = new Map<string, Run>();
function simulate(scenario: Scenario): Run {
    const key = JSON.stringify(scenario);
    const run = runs.get(key) ?? new Simulation(scenario).execute();
    runs.set(key, run);
    return run;
}

/** The wait timers docs/operations.md tells operators to set: its jq command run over the plan. */
function waitTimersFromDocs(plan: Json): Record<string, number> {
    const line = operations.split("\n").find((text) => text.includes("soak-after-ring-") && text.includes("jq -r")) ?? "";
    const filter = /jq -r '([^']*)'/.exec(line)?.[1];
    assert.ok(filter, "docs/operations.md has no `jq -r '…'` command that prints the soak environments' wait timers");
    const result = spawnSync("jq", ["-r", filter], { input: JSON.stringify(plan), encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    const timers: Record<string, number> = {};
    for (const command of result.stdout.trim().split("\n")) {
        const match = /^gh api -X PUT repos\/OWNER\/REPO\/environments\/(soak-after-ring-\d) -F wait_timer=(\d+)$/.exec(command);
        assert.ok(match, `unexpected command from the docs: ${command}`);
        timers[match[1] ?? ""] = Number(match[2]);
        assert.ok(Number(match[2]) <= 43200, `${command}: GitHub's wait timer is at most 43200 minutes`);
    }
    return timers;
}

function ringResult(run: Run, job: string): Result | undefined {
    return run.results.get(job)?.result;
}

function peakConcurrency(run: Run, prefix: string): number {
    const updates = run.jobs.filter((job) => job.name.startsWith(`${prefix} / Update `));
    return Math.max(0, ...updates.map((job) => updates.filter((other) => other.startedAt <= job.startedAt && other.finishedAt > job.startedAt).length));
}

// ---------------------------------------------------------------------------------------------------------

describe("deploy.yml: ring rollout", function () {
    before(async () => {
        const entry = path.join(PROJECT_DIR, "node_modules", "@actions", "expressions", "dist", "index.js");
        expressions = (await importModule(pathToFileURL(entry).href)) as ExpressionsModule;
        assert.equal(evaluate("fromJSON('[1,2]')[1] == 2 && success()", {}, { success: true, failure: false, cancelled: false }), true);
    });

    const fixturePlan = fleetPlan(FIXTURE_FLEET);

    it("promotes one commit ring 0 → 1 → 2 → 3, each ring after every stack of the one before and its soak", () => {
        const run = simulate({ plan: fixturePlan, waitTimers: waitTimersFromDocs(fixturePlan) });
        assert.equal(ringResult(run, "plan"), "success", run.log);
        assert.deepEqual(run.ups.map((up) => up.stack).sort(), FIXTURE_FLEET.map((entry) => entry.stack).sort(), run.log);
        const rings = run.ups.map((up) => up.ring as number);
        assert.deepEqual(rings, [...rings].sort((a, b) => a - b), "updates out of ring order");
        for (const up of run.ups) assert.equal(up.ring, ringOf(fixturePlan, up.stack), `${up.stack} deployed by the wrong ring`);
        for (const ring of [1, 2, 3]) {
            const previousFinished = Math.max(...run.ups.filter((up) => up.ring === ring - 1).map((up) => up.finishedAt));
            const firstStarted = Math.min(...run.ups.filter((up) => up.ring === ring).map((up) => up.startedAt));
            assert.ok(firstStarted >= previousFinished + ringSoakHours(fixturePlan, ring - 1) * 3600, `ring ${ring} started before ring ${ring - 1}'s soak passed`);
        }
        // No soak after the last ring with stacks, and none for the empty ring 4.
        assert.deepEqual(run.environments.filter((name) => name.startsWith("soak-")), ["soak-after-ring-0", "soak-after-ring-1", "soak-after-ring-2"]);
        assert.deepEqual(["ring-0", "ring-1", "ring-2", "ring-3", "ring-4"].map((job) => ringResult(run, job)), Array(5).fill("success"));
        assert.equal(ringResult(run, "hotfix"), "skipped");
    });

    it("runs each stack's update behind its own environment, at most maxParallelPerRing at once", () => {
        const run = simulate({ plan: fixturePlan, waitTimers: waitTimersFromDocs(fixturePlan) });
        for (const entry of FIXTURE_FLEET) assert.ok(run.environments.includes(entry.stack), `${entry.stack} not behind its environment`);
        assert.equal(peakConcurrency(run, "Ring 0"), 3, "ring 0 has 4 stacks and maxParallelPerRing 3");
        const five = fleetPlan([1, 2, 3, 4, 5].map((n) => ({ stack: `prd-${n}`, ring: 1 })), 2);
        assert.equal(peakConcurrency(simulate({ plan: five }), "Ring 1"), 2, "the limit comes from the plan");
    });

    it("never lets a staging (ring 0) failure reach production", () => {
        const run = simulate({ plan: fixturePlan, failing: ["stone-stg-rh02"], waitTimers: waitTimersFromDocs(fixturePlan) });
        assert.deepEqual(run.ups.filter((up) => up.ring !== 0), []);
        assert.equal(ringResult(run, "ring-0"), "failure");
        for (const job of ["ring-1", "ring-2", "ring-3", "ring-4"]) assert.equal(ringResult(run, job), "skipped", job);
        assert.deepEqual(run.environments.filter((name) => name.startsWith("soak-")), [], "no soak after a failed ring");
        // The queued fourth ring-0 stack stops itself; the running ones finish (nothing cancelled mid-`up`).
        assert.deepEqual(run.halted, ["stone-stg-rh03"]);
        assert.deepEqual(run.cancelledWhileRunning, []);
    });

    it("halts on the first failure in ring 1: queued stacks do not run `up` or get credentials, running ones finish, no later ring starts", () => {
        const plan = fleetPlan([
            { stack: "stg", ring: 0, soakHours: 1 },
            ...["a", "b", "c", "d", "e"].map((name) => ({ stack: `prd-${name}`, ring: 1 })),
            { stack: "prd-z", ring: 2 },
        ], 2);
        const run = simulate({ plan, failing: ["prd-a"], waitTimers: waitTimersFromDocs(plan) });
        assert.deepEqual(run.ups.filter((up) => up.ring === 1).map((up) => up.stack), ["prd-a", "prd-b"], run.log);
        assert.deepEqual(run.halted, ["prd-c", "prd-d", "prd-e"]);
        for (const stack of run.halted) assert.ok(!run.credentials.includes(stack), `${stack} got AWS credentials after the halt`);
        assert.match(run.log, /rollout halted, not updating: Ring 1 \/ Update prd-a failed/);
        assert.deepEqual(run.cancelledWhileRunning, []);
        assert.equal(ringResult(run, "ring-1"), "failure");
        assert.equal(ringResult(run, "ring-2"), "skipped", "halted, not 'empty'");
        assert.ok(!run.ups.some((up) => up.stack === "prd-z"));
        assert.ok(!run.environments.includes("soak-after-ring-1"));
    });

    it("skips an empty ring without breaking the chain (and tells it from a halted one)", () => {
        const plan = fleetPlan([
            { stack: "stg", ring: 0, soakHours: 2 },
            { stack: "prd-1", ring: 1, soakHours: 24 },
            { stack: "prd-3", ring: 3, soakHours: 24 },
        ]);
        const run = simulate({ plan, waitTimers: waitTimersFromDocs(plan) });
        assert.deepEqual(run.ups.map((up) => up.stack), ["stg", "prd-1", "prd-3"], run.log);
        assert.equal(ringResult(run, "ring-2"), "success");
        assert.equal(run.results.get("ring-2")?.outputs["empty"], "true");
        assert.equal(run.results.get("ring-1")?.outputs["empty"], "false");
        assert.equal(ringResult(run, "ring-2/up"), "skipped");
        assert.deepEqual(run.environments.filter((name) => name.startsWith("soak-")), ["soak-after-ring-0", "soak-after-ring-1"]);
        const ring1Finished = run.ups.find((up) => up.stack === "prd-1")?.finishedAt ?? Infinity;
        const ring3Started = run.ups.find((up) => up.stack === "prd-3")?.startedAt ?? -Infinity;
        assert.ok(ring3Started >= ring1Finished + 24 * 3600, "ring 3 did not wait for ring 1's soak");
        assert.match(run.log, /ring 2 has no stacks/);
    });

    it("fails the soak gate, naming the environment and the minutes to set, when its wait timer is shorter than the plan's soak", () => {
        const plan = fleetPlan([
            { stack: "stg", ring: 0, soakHours: 1 },
            { stack: "prd-1", ring: 1 },
            { stack: "prd-critical", ring: 1, soakHours: 72 },
            { stack: "prd-2", ring: 2 },
        ]);
        const run = simulate({ plan, waitTimers: { ...waitTimersFromDocs(plan), "soak-after-ring-1": 24 * 60 } });
        assert.equal(ringResult(run, "ring-1/soak"), "failure");
        assert.match(run.log, /soak of ring 1 not over: 1441 of 4320 minutes\. Set the wait timer of environment soak-after-ring-1 to at least 4320 minutes: gh api -X PUT repos\/octo\/pipeline-service-iac\/environments\/soak-after-ring-1 -F wait_timer=4320/);
        assert.ok(!run.ups.some((up) => up.stack === "prd-2"), "ring 2 started before the soak");
        assert.equal(ringResult(run, "ring-2"), "skipped");
        // Set as the docs say, the same plan passes.
        assert.ok(simulate({ plan, waitTimers: waitTimersFromDocs(plan) }).ups.some((up) => up.stack === "prd-2"));
    });

    it("workflow_dispatch deploys exactly the named stacks, skipping rings and soak, and records who, why and what", () => {
        const reason = "CVE-2026-0001 in the Results API";
        const run = simulate({ plan: fixturePlan, event: { name: "workflow_dispatch", stacks: "stone-prd-rh04, dev-rh01 stone-prd-critical01", reason } });
        assert.deepEqual(run.ups.map((up) => up.stack).sort(), ["dev-rh01", "stone-prd-critical01", "stone-prd-rh04"], run.log);
        for (const up of run.ups) {
            assert.equal(up.ring, "hotfix");
            assert.equal(up.inputs["message"], `hotfix ${SHA} by ${ACTOR}, reason ${reason}`);
        }
        for (const stack of ["dev-rh01", "stone-prd-critical01", "stone-prd-rh04"]) assert.ok(run.environments.includes(stack), `${stack} not behind its environment`);
        assert.deepEqual(run.environments.filter((name) => name.startsWith("soak-")), []);
        for (const job of ["ring-0", "ring-1", "ring-2", "ring-3", "ring-4"]) assert.equal(ringResult(run, job), "skipped", job);
        assert.match(run.summary, new RegExp(`who: ${ACTOR}`));
        assert.match(run.summary, new RegExp(`why: ${reason}`));
        assert.match(run.summary, /what: dev-rh01, stone-prd-rh04, stone-prd-critical01/);
    });

    it("workflow_dispatch refuses a stack that is not in the plan, and an empty reason", () => {
        const unknown = simulate({ plan: fixturePlan, event: { name: "workflow_dispatch", stacks: "stone-prd-rh04,stone-prd-rh99", reason: "x" } });
        assert.equal(ringResult(unknown, "plan"), "failure");
        assert.match(unknown.log, /not in the fleet plan: stone-prd-rh99 \(known: dev-rh01, /);
        assert.deepEqual(unknown.ups, []);
        assert.equal(ringResult(unknown, "hotfix"), "skipped");
        const noReason = simulate({ plan: fixturePlan, event: { name: "workflow_dispatch", stacks: "dev-rh01", reason: "  " } });
        assert.deepEqual(noReason.ups, []);
        assert.match(noReason.log, /input reason is empty/);
    });

    it("deploys nothing when the fleet CLI exits non-zero", () => {
        const run = simulate({ plan: fixturePlan, fleetExitCode: 1 });
        assert.equal(ringResult(run, "plan"), "failure");
        assert.match(run.log, /npm run fleet -- --json exited 1/);
        assert.deepEqual(run.ups, []);
        for (const job of ["ring-0", "ring-1", "ring-2", "ring-3", "ring-4", "hotfix"]) assert.equal(ringResult(run, job), "skipped", job);
    });

    it("passes the policy pack and the stack's environment policy config to every `up`", () => {
        const run = simulate({ plan: fixturePlan, waitTimers: waitTimersFromDocs(fixturePlan) });
        assert.equal(run.ups.length, FIXTURE_FLEET.length);
        for (const up of run.ups) {
            assert.equal(up.inputs["policyPacks"], "policy", up.stack);
            assert.equal(up.inputs["policyPackConfigs"], up.ring === 0 ? "policy/config/dev.json" : "policy/config/prod.json", up.stack);
            assert.equal(up.inputs["refresh"], true);
        }
        const upSteps = [deploy, deployRing].flatMap((workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps ?? []))
            .filter((step) => step.uses?.startsWith("pulumi/actions@") && step.with?.["command"] === "up");
        assert.ok(upSteps.length > 0);
        for (const step of upSteps) {
            assert.equal(step.with?.["policyPacks"], "policy");
            assert.match(String(step.with?.["policyPackConfigs"]), /\S/);
        }
    });

    it("never cancels a running `up`: no fail-fast, one rollout at a time, one update per stack at a time", () => {
        const up = deployRing.jobs["up"];
        assert.equal(up?.strategy?.["fail-fast"], false);
        assert.deepEqual(up?.concurrency, { group: "deploy-${{ matrix.stack }}", "cancel-in-progress": false });
        assert.equal(up?.environment, "${{ matrix.stack }}");
        assert.equal(up?.permissions?.["actions"], "read", "the halt check lists this run's jobs");
        assert.match(up?.steps?.[0]?.run ?? "", /gh api --paginate "repos\/\$GITHUB_REPOSITORY\/actions\/runs\/\$GITHUB_RUN_ID\/attempts\/\$GITHUB_RUN_ATTEMPT\/jobs"/, "the halt check is the first step");
        assert.equal(deploy.concurrency?.["cancel-in-progress"], false);
        const group = (event: string): Json => interpolate(deploy.concurrency?.group ?? "", { github: { event_name: event, run_id: "7" } }, { success: true, failure: false, cancelled: false });
        assert.equal(group("push"), "deploy-rollout", "every push shares one group");
        assert.notEqual(group("workflow_dispatch"), group("push"), "an emergency deploy does not queue behind a soaking rollout");
        for (const [id, job] of Object.entries(deploy.jobs)) {
            if (job.uses === undefined) continue;
            assert.equal(job.permissions?.["actions"], "read", id);
            assert.equal(job.permissions?.["id-token"], "write", id);
            assert.equal(job.secrets, "inherit", `${id}: environment secrets reach a called workflow only with secrets: inherit`);
        }
        assert.equal(deploy.jobs["plan"]?.permissions, undefined, "the plan job runs with the workflow's read-only token");
        assert.deepEqual(deployRing.jobs["finished"]?.permissions, {}, "only the updates need the caller's OIDC and actions permissions");
        assert.deepEqual(deployRing.jobs["soak"]?.permissions, {});
    });

    it("chains the rings 0..4 (MAX_RING) one after another", () => {
        for (const ring of [1, 2, 3, 4]) assert.ok(needsOf(deploy.jobs[`ring-${ring}`] ?? {}).includes(`ring-${ring - 1}`), `ring-${ring} does not need ring-${ring - 1}`);
        assert.equal(deploy.jobs["ring-5"], undefined);
        const five = fleetPlan([{ stack: "stg", ring: 0 }, { stack: "far", ring: 5 }]);
        const run = simulate({ plan: five });
        assert.equal(ringResult(run, "plan"), "failure", "a ring beyond 4 would never be deployed");
        assert.deepEqual(run.ups, []);
    });
});
