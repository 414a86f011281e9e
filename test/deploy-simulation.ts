/**
 * The ring rollout of deploy.yml, run as GitHub Actions would run it: the job graph, `needs`, `if:`, the
 * matrix and `strategy` are taken from deploy.yml and the reusable deploy-ring.yml and evaluated with GitHub's
 * own expression evaluator (test/actions-expressions.ts); every `run:` script runs with bash exactly as written
 * on a runner with fakes of `npm run fleet`, `gh api` and `date` (test/deploy-runner.ts; the soak environments'
 * wait timers advance its clock). `pulumi up` and the other actions are recorded, not run.
 */
import * as assert from "node:assert/strict";
import { condition, interpolate, type Contexts, type Json, type Status } from "./actions-expressions";
import { deployRing, deploy, needsOf, type Job, type Workflow } from "./deploy-workflows";
import { Runner, type JobRecord, type Result } from "./deploy-runner";

export interface UpCall { readonly stack: string; readonly ring: number | "hotfix"; readonly startedAt: number; readonly finishedAt: number; readonly inputs: Readonly<Record<string, Json>> }

export interface Scenario {
    readonly plan: Json;
    readonly event?: { readonly name: "push" } | { readonly name: "workflow_dispatch"; readonly stacks: string; readonly reason: string };
    readonly fleetExitCode?: number;
    /** Stacks whose `pulumi up` fails. */
    readonly failing?: readonly string[];
    /** Environment wait timers (minutes), as set in the repository settings. */
    readonly waitTimers?: Readonly<Record<string, number>>;
}

export interface Run {
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
export const ACTOR = "octo-oncall";
export const SHA = "0123456789abcdef0123456789abcdef01234567";

class Simulation {
    private readonly run: Run = { results: new Map(), ups: [], credentials: [], halted: [], cancelledWhileRunning: [], environments: [], jobs: [], log: "", summary: "" };
    private readonly github: Contexts;
    private readonly dispatchInputs: Contexts;
    private readonly callerNames = new Map<string, string>();
    private readonly runner: Runner;

    constructor(private readonly scenario: Scenario) {
        const event = scenario.event ?? { name: "push" };
        this.github = { event_name: event.name, sha: SHA, actor: ACTOR, run_id: "4242", repository: "octo/pipeline-service-iac", token: "fake-token", ref: "refs/heads/main" };
        this.dispatchInputs = event.name === "workflow_dispatch" ? { stacks: event.stacks, reason: event.reason } : {};
        this.runner = new Runner(scenario.plan, scenario.fleetExitCode ?? 0, this.github);
    }

    execute(): Run {
        try {
            this.runWorkflow(deploy, "", this.dispatchInputs, START, { AWS_ROLE_ARN: "arn:aws:iam::1:role/deploy", PULUMI_ORG: "", PULUMI_BACKEND_URL: "" });
            return this.run;
        } finally {
            this.runner.remove();
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
        const result = this.runner.bash(script, env, now, this.run.jobs);
        this.run.log += `--- ${label}\n${result.output}`;
        this.run.summary = result.summary;
        return result;
    }
}

// A simulated run spawns some hundred bash and jq processes; tests that ask about the same scenario share it.
const runs = new Map<string, Run>();
export function simulate(scenario: Scenario): Run {
    const key = JSON.stringify(scenario);
    const run = runs.get(key) ?? new Simulation(scenario).execute();
    runs.set(key, run);
    return run;
}

export function ringResult(run: Run, job: string): Result | undefined {
    return run.results.get(job)?.result;
}

export function peakConcurrency(run: Run, prefix: string): number {
    const updates = run.jobs.filter((job) => job.name.startsWith(`${prefix} / Update `));
    return Math.max(0, ...updates.map((job) => updates.filter((other) => other.startedAt <= job.startedAt && other.finishedAt > job.startedAt).length));
}
