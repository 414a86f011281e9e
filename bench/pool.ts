/**
 * Pools of generated stacks for `npm run bench`: N cluster stacks derived from the dev example, rendered
 * and policy-checked by one forked worker per core (bench/worker.ts), each worker loading the SDK,
 * program and policy pack once and rendering many stacks in-process.
 */
import { type ChildProcess, fork } from "node:child_process";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import {
    generatedStackName,
    generatedStackOverrides,
    type JobDone,
    median,
    type RenderJob,
    timingStats,
    type TimingStats,
    type WorkerReply,
    type WorkerRequest,
} from "./lib";
import { BIN_DIR, log, PROJECT_DIR, REGISTER } from "./process";
import type { StackSettings } from "../render/settings";

/** precompiled: bin/ (tsc); source: the .ts files through tools/register.js, as the npm scripts run them. */
export type PoolMode = "precompiled" | "source";

interface PoolRun {
    readonly wallMs: number;
    readonly workers: number;
    readonly startupMs: readonly number[];
    /** Results in the order each worker finished them. */
    readonly jobsByWorker: readonly (readonly JobDone[])[];
}

/**
 * Renders and policy-checks every job with one forked worker per core (fewer if there are fewer jobs). Each
 * worker is handed its next stack when it reports the last one done, so a slow stack does not hold up the other.
 * Wall time runs from the first fork to the last worker's exit.
 */
function runPool(mode: PoolMode, jobs: readonly RenderJob[], cores: number): Promise<PoolRun> {
    const workerCount = Math.max(1, Math.min(cores, jobs.length));
    const script = mode === "precompiled" ? path.join(BIN_DIR, "bench", "worker.js") : path.join(PROJECT_DIR, "bench", "worker.ts");
    const pending = [...jobs];
    const startupMs: number[] = [];
    const jobsByWorker: JobDone[][] = [];
    const start = performance.now();
    return new Promise<PoolRun>((resolve, reject) => {
        let running = workerCount;
        let failure: Error | undefined;
        const children: ChildProcess[] = [];
        const fail = (error: Error): void => {
            failure ??= error;
            children.forEach((child) => child.kill());
        };
        const next = (child: ChildProcess): void => {
            const job = pending.shift();
            const request: WorkerRequest = job ?? { kind: "stop" };
            child.send(request);
        };
        for (let id = 0; id < workerCount; id++) {
            const done: JobDone[] = [];
            jobsByWorker.push(done);
            // execArgv explicitly: forks would otherwise inherit this process's loader.
            const child = fork(script, [], { cwd: PROJECT_DIR, execArgv: mode === "source" ? REGISTER : [], stdio: ["ignore", "ignore", "inherit", "ipc"] });
            children.push(child);
            child.on("message", (reply: WorkerReply) => {
                if (reply.kind === "ready") {
                    startupMs.push(reply.startupMs);
                } else if (reply.kind === "done") {
                    done.push(reply);
                } else {
                    fail(new Error(`stack #${reply.index} failed: ${reply.message}`));
                    return;
                }
                next(child);
            });
            child.on("error", fail);
            child.on("exit", (code, signal) => {
                if (code !== 0 && failure === undefined) {
                    fail(new Error(`worker ${id} exited with ${String(code ?? signal)}`));
                }
                running -= 1;
                if (running === 0) {
                    const wallMs = performance.now() - start;
                    if (failure) {
                        reject(failure);
                    } else {
                        resolve({ wallMs, workers: workerCount, startupMs, jobsByWorker });
                    }
                }
            });
        }
    });
}

/** Checks a pool run did what it claims: every stack rendered once, all distinct, none with a mandatory violation. */
function verifyPoolRun(run: PoolRun, jobs: readonly RenderJob[]): void {
    const results = run.jobsByWorker.flat();
    const stacks = new Set(results.map((result) => result.stack));
    if (results.length !== jobs.length || stacks.size !== jobs.length) {
        throw new Error(`pool rendered ${results.length} results for ${stacks.size} stacks, expected ${jobs.length}`);
    }
    const digests = new Set(results.map((result) => result.digest));
    if (digests.size !== jobs.length) {
        throw new Error(`only ${digests.size} distinct renders among ${jobs.length} generated stacks`);
    }
    const failing = results.filter((result) => result.mandatoryViolations > 0);
    if (failing.length > 0) {
        throw new Error(`generated stacks with mandatory policy violations: ${failing.map((result) => result.stack).join(", ")}`);
    }
}

export interface PoolFigure {
    readonly mode: PoolMode;
    readonly stacks: number;
    readonly workers: number;
    /** Fork to last exit: N stacks rendered and policy-checked. */
    readonly wall: TimingStats;
    /** wall / N: what a stack costs end to end, SDK load amortized over the stacks of a worker. */
    readonly wallPerStack: TimingStats;
    /** Render + policy check of one stack inside a warm worker (each worker's first stack excluded when it has more). */
    readonly steadyPerStack: TimingStats;
    /** The first stack of each worker (pays the closure serializer's inspector session and JIT warm-up). */
    readonly firstStack: TimingStats;
    /** Worker process start to ready (SDK, program and policy pack loaded). */
    readonly workerStartup: TimingStats;
    /** Median of each worker's last 10 stacks over the median of its first 10 (after the first), median over workers and runs. */
    readonly drift: number | null;
    readonly resourcesPerStack: number;
    readonly advisoryViolationsPerStack: number;
}

export const DRIFT_WINDOW = 10;

export async function measurePool(mode: PoolMode, example: StackSettings, stacks: number, runs: number, cores: number): Promise<{ figure: PoolFigure; jobs: JobDone[] }> {
    const jobs: RenderJob[] = Array.from({ length: stacks }, (_, index) => {
        const stack = generatedStackName(index);
        const config = { ...example.config };
        for (const [key, value] of Object.entries(generatedStackOverrides(example, index))) {
            config[key] = typeof value === "string" ? value : JSON.stringify(value);
        }
        return { kind: "render", index, settings: { ...example, stack, config } };
    });
    const walls: number[] = [];
    const steady: number[] = [];
    const first: number[] = [];
    const startup: number[] = [];
    const all: JobDone[] = [];
    const drifts: number[] = [];
    let workers = 0;
    for (let run = 0; run < runs; run++) {
        const result = await runPool(mode, jobs, cores);
        verifyPoolRun(result, jobs);
        workers = result.workers;
        walls.push(result.wallMs);
        startup.push(...result.startupMs);
        for (const done of result.jobsByWorker) {
            const perStack = done.map((job) => job.renderMs + job.policyMs);
            first.push(perStack[0]);
            steady.push(...(perStack.length > 1 ? perStack.slice(1) : perStack));
            all.push(...done);
            if (perStack.length > 2 * DRIFT_WINDOW) {
                drifts.push(median(perStack.slice(-DRIFT_WINDOW)) / median(perStack.slice(1, 1 + DRIFT_WINDOW)));
            }
        }
        log(`  pool ${mode} N=${stacks}: run ${run + 1}/${runs} ${(result.wallMs / 1000).toFixed(1)} s`);
    }
    const sample = all[0];
    return {
        jobs: all,
        figure: {
            mode,
            stacks,
            workers,
            wall: timingStats(walls),
            wallPerStack: timingStats(walls.map((wall) => wall / stacks)),
            steadyPerStack: timingStats(steady),
            firstStack: timingStats(first),
            workerStartup: timingStats(startup),
            drift: drifts.length === 0 ? null : Math.round(median(drifts) * 100) / 100,
            resourcesPerStack: sample.resources,
            advisoryViolationsPerStack: sample.violations,
        },
    };
}
