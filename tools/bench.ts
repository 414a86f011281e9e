/**
 * `npm run bench`: what users wait for, measured against the floor of loading the Pulumi SDK at all.
 *
 *   node -r ts-node/register/transpile-only tools/bench.ts [--runs 5] [--skip-npm-test] [--out bench/results.json]
 *
 * Figures (each a median over repeated runs with min and max, and a ratio to the baseline measured in the
 * same run, a bare `node -e 'require("@pulumi/pulumi")'`):
 * - cold render of the dev stack, process start to files written: ts-node vs the precompiled program
 *   (`tsc -p tsconfig.build.json` into `bin/`, which the bench builds first);
 * - N generated cluster stacks (N = 1, 10, 100) rendered and policy-checked by a pool of worker processes,
 *   one per core, each rendering many stacks in-process (the SDK load is paid once per worker, not per stack);
 * - policy check time per resource; `npm test` wall time (one run).
 * Prints a table and writes `bench/results.json`. Not a test and not part of CI: timings depend on the machine.
 */
import { type ChildProcess, fork, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
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
} from "./bench-lib";
import { checkRecords, startSession } from "../analyzer/check";
import { loadStackSettings, renderStack, type StackSettings } from "../render";
import { formatTable } from "../render/table";

/** The project root: the nearest directory up from here with a package.json (also right when run from bin/tools). */
function findProjectDir(start: string): string {
    let dir = start;
    while (!fs.existsSync(path.join(dir, "package.json"))) {
        const up = path.dirname(dir);
        if (up === dir) {
            throw new Error(`no package.json above ${start}`);
        }
        dir = up;
    }
    return dir;
}

const PROJECT_DIR = findProjectDir(__dirname);
const BIN_DIR = path.join(PROJECT_DIR, "bin");
const TS_NODE = ["-r", "ts-node/register/transpile-only"];
const TARGET_ONE_STACK_RATIO = 1.5;
const TARGET_100_STACKS_MS = 60_000;
/**
 * "Flat in N": within each worker of the N = 100 runs, the median of its last 10 stacks within this factor of its
 * first 10 (after the first): the same run, so the same machine load; growth would mean state piling up per render.
 */
const FLAT_TOLERANCE = 1.25;

interface Options {
    readonly runs: number;
    readonly skipNpmTest: boolean;
    readonly out: string;
    readonly help: boolean;
}

const USAGE = `usage: npm run bench -- [--runs N] [--skip-npm-test] [--out FILE]

Measures cold renders, pools of generated stacks, the policy check and npm test against a bare
require("@pulumi/pulumi"); prints a table and writes FILE. Takes minutes; not part of CI.

  --runs N         runs per figure (default 5; N=10 pools: at most 5, N=100: at most 3)
  --skip-npm-test  do not time npm test
  --out FILE       where to write the figures (default bench/results.json, not committed)
  -h, --help       show this help`;

/** A mistake in the arguments: printed with the usage, no stack trace, exit 2. */
class UsageError extends Error {}

function options(argv: readonly string[]): Options {
    let values;
    try {
        values = parseArgs({
            args: [...argv],
            options: {
                runs: { type: "string", default: "5" },
                "skip-npm-test": { type: "boolean", default: false },
                out: { type: "string", default: path.join(PROJECT_DIR, "bench", "results.json") },
                help: { type: "boolean", short: "h", default: false },
            },
            strict: true,
        }).values;
    } catch (error) {
        throw new UsageError((error as Error).message);
    }
    const runs = Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1) {
        throw new UsageError(`--runs must be a positive integer, got ${values.runs}`);
    }
    return { runs, skipNpmTest: values["skip-npm-test"] ?? false, out: path.resolve(values.out ?? "bench/results.json"), help: values.help ?? false };
}

function log(line: string): void {
    process.stderr.write(`${line}\n`);
}

/** Runs a command to completion and returns its wall time; a failure stops the bench (a broken figure is no figure). */
function timedRun(label: string, command: string, args: readonly string[]): number {
    const start = performance.now();
    const run = spawnSync(command, args, { cwd: PROJECT_DIR, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const elapsed = performance.now() - start;
    if (run.error) {
        throw run.error;
    }
    if (run.status !== 0) {
        throw new Error(`${label} failed (exit ${String(run.status ?? run.signal)}):\n${run.stderr || run.stdout}`);
    }
    return elapsed;
}

/** Compiles the program and tools into bin/ (CommonJS, plain tsc) with the stack files beside them, as `npm run build` does. */
function buildPrecompiled(): number {
    fs.rmSync(BIN_DIR, { recursive: true, force: true });
    const elapsed = timedRun("tsc -p tsconfig.build.json", process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"]);
    // bin/ is then a project directory of its own: the render harness there loads bin/Pulumi*.yaml and bin/index.js.
    for (const file of fs.readdirSync(PROJECT_DIR).filter((name) => /^Pulumi(\.[^.]+)?\.yaml$/.test(name))) {
        fs.copyFileSync(path.join(PROJECT_DIR, file), path.join(BIN_DIR, file));
    }
    return elapsed;
}

/** Every file under dir with its content, for comparing two renders. */
function readTree(dir: string): Map<string, string> {
    const files = new Map<string, string>();
    const walk = (current: string): void => {
        for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
            const full = path.join(current, entry.name);
            if (entry.isDirectory()) {
                walk(full);
            } else {
                files.set(path.relative(dir, full), fs.readFileSync(full, "utf8"));
            }
        }
    };
    walk(dir);
    return files;
}

function sameTree(a: Map<string, string>, b: Map<string, string>): boolean {
    return a.size === b.size && [...a].every(([file, content]) => b.get(file) === content);
}

interface ColdFigures {
    readonly baseline: TimingStats;
    readonly programLoad: TimingStats;
    readonly renderPrecompiled: TimingStats;
    readonly renderTsNode: TimingStats;
    /** Precompiled, with the dynamic providers' code serialized as the engine would (`--serialize-dynamic-providers`). */
    readonly renderSerialized: TimingStats;
    readonly filesWritten: number;
}

/**
 * Cold processes, interleaved round by round so that load from elsewhere on the machine hits every figure alike.
 * One discarded warm-up round first: "cold" means a new process, not a cold disk cache.
 */
function measureColdRenders(runs: number, scratch: string): ColdFigures {
    const precompiledOut = path.join(scratch, "precompiled");
    const tsNodeOut = path.join(scratch, "ts-node");
    const serializedOut = path.join(scratch, "serialized");
    const commands = {
        baseline: [process.execPath, ["-e", "require(\"@pulumi/pulumi\")"]],
        // The precompiled program's modules loaded, nothing run: splits a render into load and run.
        programLoad: [process.execPath, ["-e", "require(\"./bin/index.js\")"]],
        renderPrecompiled: [process.execPath, ["bin/tools/render-cli.js", "--stack", "dev", "--out", precompiledOut, "--quiet"]],
        renderTsNode: [process.execPath, [...TS_NODE, "tools/render-cli.ts", "--stack", "dev", "--out", tsNodeOut, "--quiet"]],
        renderSerialized: [process.execPath, ["bin/tools/render-cli.js", "--stack", "dev", "--out", serializedOut, "--quiet", "--serialize-dynamic-providers"]],
    } as const satisfies Record<string, readonly [string, readonly string[]]>;
    const samples: Record<keyof typeof commands, number[]> = { baseline: [], programLoad: [], renderPrecompiled: [], renderTsNode: [], renderSerialized: [] };
    for (let round = 0; round <= runs; round++) {
        for (const [name, [command, args]] of Object.entries(commands) as [keyof typeof commands, readonly [string, readonly string[]]][]) {
            const elapsed = timedRun(name, command, args);
            if (round > 0) {
                samples[name].push(elapsed);
            }
        }
        log(`  cold round ${round === 0 ? "warm-up" : `${round}/${runs}`} done`);
    }
    const precompiledFiles = readTree(precompiledOut);
    if (!precompiledFiles.has("resources.json") || !sameTree(precompiledFiles, readTree(tsNodeOut))) {
        throw new Error(`the precompiled render differs from the ts-node render (compare ${precompiledOut} and ${tsNodeOut})`);
    }
    if (!sameTree(precompiledFiles, readTree(serializedOut))) {
        throw new Error(`serializing the dynamic providers changed the render (compare ${precompiledOut} and ${serializedOut})`);
    }
    return {
        baseline: timingStats(samples.baseline),
        programLoad: timingStats(samples.programLoad),
        renderPrecompiled: timingStats(samples.renderPrecompiled),
        renderTsNode: timingStats(samples.renderTsNode),
        renderSerialized: timingStats(samples.renderSerialized),
        filesWritten: precompiledFiles.size,
    };
}

type PoolMode = "precompiled" | "ts-node";

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
    const script = mode === "precompiled" ? path.join(BIN_DIR, "tools", "bench-worker.js") : path.join(PROJECT_DIR, "tools", "bench-worker.ts");
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
            // execArgv explicitly: forks would otherwise inherit this process's ts-node hook.
            const child = fork(script, [], { cwd: PROJECT_DIR, execArgv: mode === "ts-node" ? TS_NODE : [], stdio: ["ignore", "ignore", "inherit", "ipc"] });
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

interface PoolFigure {
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

const DRIFT_WINDOW = 10;

async function measurePool(mode: PoolMode, example: StackSettings, stacks: number, runs: number, cores: number): Promise<{ figure: PoolFigure; jobs: JobDone[] }> {
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

interface PolicyFigure {
    readonly resources: number;
    readonly perCheck: TimingStats;
    readonly perResource: TimingStats;
}

/** The policy check of the dev render through the real runtime, repeated over one started pack after one warm-up. */
async function measurePolicy(runs: number): Promise<PolicyFigure> {
    const rendered = await renderStack("dev");
    const session = await startSession();
    const samples: number[] = [];
    try {
        await checkRecords(session, rendered.resources);
        for (let run = 0; run < runs; run++) {
            const start = performance.now();
            const result = await checkRecords(session, rendered.resources);
            samples.push(performance.now() - start);
            if (result.hasMandatory) {
                throw new Error("the dev stack has mandatory policy violations: fix them before benchmarking");
            }
        }
    } finally {
        await session.close();
    }
    const count = rendered.resources.length;
    return { resources: count, perCheck: timingStats(samples), perResource: timingStats(samples.map((sample) => sample / count)) };
}

interface NpmTestFigure {
    readonly wallMs: number;
    readonly exitCode: number | null;
    readonly runs: 1;
}

function measureNpmTest(): NpmTestFigure {
    const start = performance.now();
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const run = spawnSync(npm, ["test"], { cwd: PROJECT_DIR, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const wallMs = Math.round(performance.now() - start);
    if (run.status !== 0) {
        log(`  npm test exited with ${String(run.status)}: its time is still reported, but the suite is not green`);
    }
    return { wallMs, exitCode: run.status, runs: 1 };
}

interface Row {
    readonly figure: string;
    readonly stats: TimingStats;
    readonly ratio?: number;
    readonly target?: string;
}

function formatMs(ms: number): string {
    return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(ms >= 1 ? 1 : 3)} ms`;
}

function formatRows(rows: readonly Row[]): string {
    const header = ["FIGURE", "MEDIAN", "MIN", "MAX", "RUNS", "× BASELINE", "TARGET"];
    const cells = rows.map((row) => [
        row.figure,
        formatMs(row.stats.medianMs),
        formatMs(row.stats.minMs),
        formatMs(row.stats.maxMs),
        String(row.stats.runs),
        row.ratio === undefined ? "" : `${row.ratio.toFixed(2)}×`,
        row.target ?? "",
    ]);
    return formatTable(header, cells, { align: ["left", "right", "right", "right", "right", "right", "left"] });
}

async function main(): Promise<void> {
    const opts = options(process.argv.slice(2));
    if (opts.help) {
        process.stdout.write(`${USAGE}\n`);
        return;
    }
    const cores = os.availableParallelism();
    const loadBefore = os.loadavg();
    const benchStart = performance.now();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pipeline-service-bench-"));
    try {
        log(`building the precompiled program into ${path.relative(PROJECT_DIR, BIN_DIR)}/ …`);
        const buildMs = buildPrecompiled();
        log(`cold renders (${opts.runs} runs each, interleaved) …`);
        const cold = measureColdRenders(opts.runs, scratch);

        const example = loadStackSettings("dev", PROJECT_DIR);
        const pools: PoolFigure[] = [];
        for (const [stacks, runs] of [[1, opts.runs], [10, Math.min(opts.runs, 5)], [100, Math.min(opts.runs, 3)]] as const) {
            pools.push((await measurePool("precompiled", example, stacks, runs, cores)).figure);
        }
        // One comparison run: the same pool with ts-node workers (its per-stack time shows what ts-node costs per render).
        const tsNodePool = (await measurePool("ts-node", example, 10, 1, cores)).figure;
        log("policy check …");
        const policy = await measurePolicy(Math.max(20, opts.runs));
        log(opts.skipNpmTest ? "npm test skipped (--skip-npm-test)" : "npm test (one run) …");
        const npmTest = opts.skipNpmTest ? undefined : measureNpmTest();

        const baseline = cold.baseline.medianMs;
        const ratio = (stats: TimingStats): number => Math.round((stats.medianMs / baseline) * 100) / 100;
        const poolAt = (stacks: number): PoolFigure => pools.find((pool) => pool.stacks === stacks) as PoolFigure;
        const flatFactor = Math.round((poolAt(100).steadyPerStack.medianMs / poolAt(10).steadyPerStack.medianMs) * 100) / 100;
        const drift = poolAt(100).drift ?? Number.NaN;
        const targets = [
            {
                target: `one stack (precompiled, cold) ≤ ${TARGET_ONE_STACK_RATIO}× baseline`,
                measured: `${ratio(cold.renderPrecompiled).toFixed(2)}×`,
                met: ratio(cold.renderPrecompiled) <= TARGET_ONE_STACK_RATIO,
            },
            {
                target: `one stack (ts-node, cold) ≤ ${TARGET_ONE_STACK_RATIO}× baseline`,
                measured: `${ratio(cold.renderTsNode).toFixed(2)}×`,
                met: ratio(cold.renderTsNode) <= TARGET_ONE_STACK_RATIO,
            },
            {
                target: `time per stack flat in N (last ${DRIFT_WINDOW} vs first ${DRIFT_WINDOW} stacks of a worker at N=100 ≤ ${FLAT_TOLERANCE}×)`,
                measured: `${drift.toFixed(2)}× (warm per-stack N=100 / N=10: ${flatFactor.toFixed(2)}×; wall / stack ${formatMs(poolAt(1).wallPerStack.medianMs)} → ${formatMs(poolAt(10).wallPerStack.medianMs)} → ${formatMs(poolAt(100).wallPerStack.medianMs)})`,
                met: drift <= FLAT_TOLERANCE,
            },
            {
                target: `100 stacks rendered + policy-checked ≤ ${TARGET_100_STACKS_MS / 1000} s`,
                measured: formatMs(poolAt(100).wall.medianMs),
                met: poolAt(100).wall.medianMs <= TARGET_100_STACKS_MS,
            },
        ];

        const rows: Row[] = [
            { figure: "baseline: node -e 'require(\"@pulumi/pulumi\")'", stats: cold.baseline, ratio: 1 },
            { figure: "program modules loaded, nothing run (bin/index.js)", stats: cold.programLoad, ratio: ratio(cold.programLoad) },
            { figure: "cold render dev, precompiled (start → files written)", stats: cold.renderPrecompiled, ratio: ratio(cold.renderPrecompiled), target: `≤ ${TARGET_ONE_STACK_RATIO}×` },
            { figure: "cold render dev, ts-node (start → files written)", stats: cold.renderTsNode, ratio: ratio(cold.renderTsNode), target: `≤ ${TARGET_ONE_STACK_RATIO}×` },
            { figure: "cold render dev, precompiled, --serialize-dynamic-providers", stats: cold.renderSerialized, ratio: ratio(cold.renderSerialized) },
            ...pools.flatMap((pool): Row[] => [
                { figure: `N=${pool.stacks}: wall, ${pool.workers} worker(s)`, stats: pool.wall, ratio: ratio(pool.wall), ...(pool.stacks === 100 ? { target: "≤ 60 s" } : {}) },
                { figure: `N=${pool.stacks}: wall / stack`, stats: pool.wallPerStack, ratio: ratio(pool.wallPerStack) },
                { figure: `N=${pool.stacks}: per stack in a warm worker`, stats: pool.steadyPerStack, ratio: ratio(pool.steadyPerStack), ...(pool.stacks > 1 ? { target: "flat in N" } : {}) },
            ]),
            { figure: "pool worker start-up (SDK + program + pack)", stats: poolAt(100).workerStartup, ratio: ratio(poolAt(100).workerStartup) },
            { figure: "first stack in a worker", stats: poolAt(100).firstStack, ratio: ratio(poolAt(100).firstStack) },
            { figure: `N=${tsNodePool.stacks}, ts-node workers: wall`, stats: tsNodePool.wall, ratio: ratio(tsNodePool.wall) },
            { figure: `N=${tsNodePool.stacks}, ts-node workers: per stack in a warm worker`, stats: tsNodePool.steadyPerStack, ratio: ratio(tsNodePool.steadyPerStack) },
            { figure: `policy check, whole dev stack (${policy.resources} resources)`, stats: policy.perCheck },
            { figure: "policy check per resource", stats: policy.perResource },
            ...(npmTest ? [{ figure: `npm test (one run, exit ${String(npmTest.exitCode)})`, stats: timingStats([npmTest.wallMs]), ratio: ratio(timingStats([npmTest.wallMs])) }] : []),
        ];

        const results = {
            schemaVersion: 1,
            generatedAt: new Date().toISOString(),
            command: "npm run bench",
            machine: {
                cpus: cores,
                cpuModel: os.cpus()[0]?.model ?? "unknown",
                memoryGiB: Math.round(os.totalmem() / 2 ** 30),
                node: process.version,
                platform: `${process.platform}-${process.arch}`,
                loadAverageBefore: loadBefore.map((load) => Math.round(load * 100) / 100),
                loadAverageAfter: os.loadavg().map((load) => Math.round(load * 100) / 100),
            },
            runs: opts.runs,
            machineWasBusy: loadBefore[0] > cores,
            baselineCommand: "node -e 'require(\"@pulumi/pulumi\")'",
            buildMs: Math.round(buildMs),
            cold: { ...cold, ratios: { programLoad: ratio(cold.programLoad), renderPrecompiled: ratio(cold.renderPrecompiled), renderTsNode: ratio(cold.renderTsNode), renderSerialized: ratio(cold.renderSerialized) } },
            pools: [...pools, tsNodePool],
            flatFactor,
            drift,
            policy,
            npmTest: npmTest ?? null,
            targets,
            table: rows.map((row) => ({ figure: row.figure, ...row.stats, ratioToBaseline: row.ratio ?? null, target: row.target ?? null })),
            benchWallMs: Math.round(performance.now() - benchStart),
        };
        fs.mkdirSync(path.dirname(opts.out), { recursive: true });
        fs.writeFileSync(opts.out, `${JSON.stringify(results, null, 2)}\n`);

        // Only the load before the run says whether other work shared the machine: the bench itself keeps
        // every core busy (the pool, npm test), so the load after it is always high.
        const busy = loadBefore[0] > cores;
        const out: string[] = [
            ...(busy ? [`WARNING: load average above ${cores} (the core count): before the run: other work shared the machine, figures are inflated`] : []),
            `${cores} cores (${results.machine.cpuModel}), node ${process.version}, load average ${results.machine.loadAverageBefore.join(" ")} before / ${results.machine.loadAverageAfter.join(" ")} after`,
            "",
            formatRows(rows),
            "",
            "targets:",
            ...targets.map((target) => `  ${target.met ? "met   " : "MISSED"}  ${target.target}: ${target.measured}`),
            "",
            `cold render = program load ${formatMs(cold.programLoad.medianMs - baseline)} over the baseline + running the program ${formatMs(cold.renderPrecompiled.medianMs - cold.programLoad.medianMs)} (precompiled); ts-node adds ${formatMs(cold.renderTsNode.medianMs - cold.renderPrecompiled.medianMs)}`,
            `wrote ${path.relative(process.cwd(), opts.out)} (bench took ${formatMs(results.benchWallMs)})`,
        ];
        process.stdout.write(`${out.join("\n")}\n`);
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

main().catch((error: unknown) => {
    if (error instanceof UsageError) {
        process.stderr.write(`error: ${error.message}\n\n${USAGE}\n`);
        process.exitCode = 2;
        return;
    }
    process.stderr.write(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
});
