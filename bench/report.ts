/**
 * What `npm run bench` reports: the figures as rows against the baseline, the targets met or missed, the
 * printed table and the out/bench/results.json document. Pure functions of the measured figures.
 */
import * as os from "node:os";
import { ratioTo, type TimingStats } from "./lib";

export { ratioTo };
import type { PolicyFigure } from "./checks";
import type { NpmTestFigure } from "./npm-test";
import type { ColdFigures } from "./cold";
import { fleetTargets, type FleetFigures } from "./fleet";
import { DRIFT_WINDOW, type PoolFigure } from "./pool";
import { formatTable } from "../render/table";

export const TARGET_ONE_STACK_RATIO = 1.5;
export const TARGET_100_STACKS_MS = 60_000;
/** `npm test` on a clean clone, this 2-core machine (issue 25). */
export const TARGET_NPM_TEST_MS = 60_000;
/**
 * "Flat in N": within each worker of the N = 100 runs, the median of its last 10 stacks within this factor of its
 * first 10 (after the first): the same run, so the same machine load; growth would mean state piling up per render.
 */
export const FLAT_TOLERANCE = 1.25;

/** Everything one bench run measured. */
export interface BenchFigures {
    readonly cores: number;
    readonly loadBefore: readonly number[];
    readonly runs: number;
    readonly buildMs: number;
    readonly cold: ColdFigures;
    /** Precompiled workers, N = 1, 10, 100. */
    readonly pools: readonly PoolFigure[];
    /** The same pool at N = 10 with workers on the TypeScript sources (tools/register.js). */
    readonly sourcePool: PoolFigure;
    readonly policy: PolicyFigure;
    readonly npmTest?: NpmTestFigure;
    /** npm run render, fleet and fleet:diff over the fixture fleet. */
    readonly fleet?: FleetFigures;
}

export interface Row {
    readonly figure: string;
    readonly stats: TimingStats;
    readonly ratio?: number;
    readonly target?: string;
}

export interface Target {
    readonly target: string;
    readonly measured: string;
    readonly met: boolean;
}

export function formatMs(ms: number): string {
    return ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 100 ? `${Math.round(ms)} ms` : `${ms.toFixed(ms >= 1 ? 1 : 3)} ms`;
}


function poolAt(figures: BenchFigures, stacks: number): PoolFigure {
    const pool = figures.pools.find((candidate) => candidate.stacks === stacks);
    if (!pool) {
        throw new Error(`no pool of ${stacks} stacks was measured`);
    }
    return pool;
}

export function targets(figures: BenchFigures): Target[] {
    const { stats } = figures.cold;
    const renderRatio = ratioTo(stats.baseline, stats.npmRender);
    const drift = poolAt(figures, 100).drift ?? Number.NaN;
    const flatFactor = Math.round((poolAt(figures, 100).steadyPerStack.medianMs / poolAt(figures, 10).steadyPerStack.medianMs) * 100) / 100;
    const perStack = [1, 10, 100].map((stacks) => formatMs(poolAt(figures, stacks).wallPerStack.medianMs)).join(" → ");
    return [
        {
            target: `npm run render -- --stack ${figures.cold.stack} (cold) ≤ ${TARGET_ONE_STACK_RATIO}× baseline`,
            measured: `${renderRatio.toFixed(2)}× (node without npm: ${ratioTo(stats.baseline, stats.renderRegister).toFixed(2)}×)`,
            met: renderRatio <= TARGET_ONE_STACK_RATIO,
        },
        {
            target: `time per stack flat in N (last ${DRIFT_WINDOW} vs first ${DRIFT_WINDOW} stacks of a worker at N=100 ≤ ${FLAT_TOLERANCE}×)`,
            measured: `${drift.toFixed(2)}× (warm per-stack N=100 / N=10: ${flatFactor.toFixed(2)}×; wall / stack ${perStack})`,
            met: drift <= FLAT_TOLERANCE,
        },
        {
            target: `100 stacks rendered + policy-checked ≤ ${TARGET_100_STACKS_MS / 1000} s`,
            measured: formatMs(poolAt(figures, 100).wall.medianMs),
            met: poolAt(figures, 100).wall.medianMs <= TARGET_100_STACKS_MS,
        },
        ...(figures.npmTest ? [{
            target: `npm test on a clean clone ≤ ${TARGET_NPM_TEST_MS / 1000} s`,
            measured: `${formatMs(figures.npmTest.wallMs)} (exit ${String(figures.npmTest.exitCode)})`,
            met: figures.npmTest.wallMs <= TARGET_NPM_TEST_MS && figures.npmTest.exitCode === 0,
        }] : []),
        ...(figures.fleet ? fleetTargets(figures.fleet) : []),
    ];
}

export function rows(figures: BenchFigures): Row[] {
    const { stats, stack } = figures.cold;
    const row = (figure: string, timing: TimingStats, target?: string): Row => ({ figure, stats: timing, ratio: ratioTo(stats.baseline, timing), ...(target ? { target } : {}) });
    const goal = `≤ ${TARGET_ONE_STACK_RATIO}×`;
    return [
        row("baseline: node -e 'require(\"@pulumi/pulumi\")'", stats.baseline),
        row(`npm run render -- --stack ${stack} (start → files written)`, stats.npmRender, goal),
        row(`  the same without npm: node -r ./tools/register.js tools/render.ts`, stats.renderRegister),
        row(`  the same, empty transpile cache (first run after npm ci)`, stats.renderColdCache),
        row(`  the same under ts-node --transpile-only (the loader before)`, stats.renderTsNode),
        row("program modules loaded, nothing run (bin/index.js)", stats.programLoad),
        row(`cold render ${stack}, precompiled (bin/, tsc)`, stats.renderPrecompiled),
        row(`cold render ${stack}, precompiled, --serialize-dynamic-providers`, stats.renderSerialized),
        ...figures.pools.flatMap((pool): Row[] => [
            row(`N=${pool.stacks}: wall, ${pool.workers} worker(s)`, pool.wall, pool.stacks === 100 ? `≤ ${TARGET_100_STACKS_MS / 1000} s` : undefined),
            row(`N=${pool.stacks}: wall / stack`, pool.wallPerStack),
            row(`N=${pool.stacks}: per stack in a warm worker`, pool.steadyPerStack, pool.stacks > 1 ? "flat in N" : undefined),
        ]),
        row("pool worker start-up (SDK + program + pack)", poolAt(figures, 100).workerStartup),
        row("first stack in a worker", poolAt(figures, 100).firstStack),
        row(`N=${figures.sourcePool.stacks}, workers on the .ts sources: wall`, figures.sourcePool.wall),
        row(`N=${figures.sourcePool.stacks}, workers on the .ts sources: per stack in a warm worker`, figures.sourcePool.steadyPerStack),
        { figure: `policy check, whole dev stack (${figures.policy.resources} resources)`, stats: figures.policy.perCheck },
        { figure: "policy check per resource", stats: figures.policy.perResource },
        ...(figures.npmTest ? [{ figure: `npm test on a clean clone (one run, exit ${String(figures.npmTest.exitCode)})`, stats: timingStats1(figures.npmTest.wallMs), target: `≤ ${TARGET_NPM_TEST_MS / 1000} s` }] : []),
        ...(figures.fleet ? [
            row("npm run render -- --stack prod (the fleet figures' unit)", figures.fleet.render),
            row(`npm run fleet, ${figures.fleet.stacks} fixture stacks`, figures.fleet.fleet, "≤ 3× that render"),
            row(`npm run fleet:diff -- --base HEAD, ${figures.fleet.stacks} fixture stacks`, figures.fleet.diff, "≤ 2× the fleet"),
        ] : []),
    ];
}

function timingStats1(ms: number): TimingStats {
    return { medianMs: ms, minMs: ms, maxMs: ms, runs: 1, samplesMs: [ms] };
}

export function formatRows(table: readonly Row[]): string {
    const header = ["FIGURE", "MEDIAN", "MIN", "MAX", "RUNS", "× BASELINE", "TARGET"];
    const cells = table.map((row) => [
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

/** Only the load before the run says whether other work shared the machine: the bench itself keeps every core busy. */
export function machineWasBusy(figures: BenchFigures): boolean {
    return (figures.loadBefore[0] ?? 0) > figures.cores;
}

/** The out/bench/results.json document. */
export function resultsDocument(figures: BenchFigures, benchWallMs: number): Record<string, unknown> {
    const round = (load: number): number => Math.round(load * 100) / 100;
    const { stats } = figures.cold;
    return {
        schemaVersion: 2,
        generatedAt: new Date().toISOString(),
        command: "npm run bench",
        machine: {
            cpus: figures.cores,
            cpuModel: os.cpus()[0]?.model ?? "unknown",
            memoryGiB: Math.round(os.totalmem() / 2 ** 30),
            node: process.version,
            platform: `${process.platform}-${process.arch}`,
            loadAverageBefore: figures.loadBefore.map(round),
            loadAverageAfter: os.loadavg().map(round),
        },
        runs: figures.runs,
        machineWasBusy: machineWasBusy(figures),
        baselineCommand: "node -e 'require(\"@pulumi/pulumi\")'",
        buildMs: Math.round(figures.buildMs),
        cold: { ...figures.cold, ratios: Object.fromEntries(Object.entries(stats).map(([name, timing]) => [name, ratioTo(stats.baseline, timing)])) },
        pools: [...figures.pools, figures.sourcePool],
        policy: figures.policy,
        npmTest: figures.npmTest ?? null,
        fleet: figures.fleet ?? null,
        targets: targets(figures),
        table: rows(figures).map((row) => ({ figure: row.figure, ...row.stats, ratioToBaseline: row.ratio ?? null, target: row.target ?? null })),
        benchWallMs: Math.round(benchWallMs),
    };
}

/** The ten slowest tests of the clean clone's mocha run, for the printed report (none without an npm test figure). */
export function formatSlowest(npmTest: NpmTestFigure | undefined): string[] {
    if (npmTest === undefined || npmTest.slowest.length === 0) {
        return [];
    }
    return [
        `the ${npmTest.slowest.length} slowest of ${npmTest.tests} tests (one mocha run on the clean clone, commit ${npmTest.commit.slice(0, 12)}):`,
        ...npmTest.slowest.map((test) => `  ${formatMs(test.ms).padStart(8)}  ${test.file}  ${test.title}`),
        "",
    ];
}

/** The printed report: machine, table, targets, the slowest tests, where a cold render's time goes. */
export function formatReport(figures: BenchFigures, outFile: string, benchWallMs: number): string {
    const { stats } = figures.cold;
    const baseline = stats.baseline.medianMs;
    const load = (values: readonly number[]): string => values.map((value) => value.toFixed(2)).join(" ");
    return [
        ...(machineWasBusy(figures) ? [`WARNING: load average above ${figures.cores} (the core count) before the run: other work shared the machine, figures are inflated`] : []),
        `${figures.cores} cores (${os.cpus()[0]?.model ?? "unknown"}), node ${process.version}, load average ${load(figures.loadBefore)} before / ${load(os.loadavg())} after`,
        "",
        formatRows(rows(figures)),
        "",
        "targets:",
        ...targets(figures).map((target) => `  ${target.met ? "met   " : "MISSED"}  ${target.target}: ${target.measured}`),
        "",
        ...formatSlowest(figures.npmTest),
        `cold render = program load ${formatMs(stats.programLoad.medianMs - baseline)} over the baseline + running the program ${formatMs(stats.renderPrecompiled.medianMs - stats.programLoad.medianMs)} (precompiled); `
            + `the cached loader adds ${formatMs(stats.renderRegister.medianMs - stats.renderPrecompiled.medianMs)}, npm ${formatMs(stats.npmRender.medianMs - stats.renderRegister.medianMs)}; ts-node added ${formatMs(stats.renderTsNode.medianMs - stats.renderPrecompiled.medianMs)}`,
        `wrote ${outFile} (bench took ${formatMs(benchWallMs)})`,
    ].join("\n");
}
