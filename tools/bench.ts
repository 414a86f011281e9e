/**
 * `npm run bench`: what users wait for, measured against the floor of loading the Pulumi SDK at all.
 *
 *   npm run bench -- [--runs 5] [--skip-npm-test] [--fleet-only] [--npm-test-only] [--out out/bench/results.json]
 *
 * Figures (each a median over repeated runs with min and max, and a ratio to the baseline measured in the
 * same run, a bare `node -e 'require("@pulumi/pulumi")'`):
 * - cold renders of the prod stack, process start to files written (cold.ts): `npm run render` as a
 *   user types it, the same node command without npm, with an empty transpile cache, under ts-node, and
 *   precompiled (`tsc -p tsconfig.build.json` into `bin/`, which the bench builds first);
 * - N generated cluster stacks (N = 1, 10, 100) rendered and policy-checked by a pool of worker processes
 *   (pool.ts, worker.ts);
 * - policy check time per resource (checks.ts); `npm test` on a clean clone of HEAD, wall time of one run, and
 *   the ten slowest tests of a mocha run there (npm-test.ts).
 * Prints a table with the targets (report.ts) and writes `out/bench/results.json` (not committed). Not a
 * test and not part of CI: timings depend on the machine. This file is the command line only.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import type * as Checks from "../bench/checks";
import type * as NpmTest from "../bench/npm-test";
import type * as FleetBench from "../bench/fleet";
import { listStackFiles } from "../fleet/stack-files";
import type * as Cold from "../bench/cold";
import type * as Pool from "../bench/pool";
import { buildPrecompiled, log, PROJECT_DIR } from "../bench/process";
import type * as Report from "../bench/report";
import { DirectoryError, makeDirectory } from "../render/directories";
import type * as Settings from "../render/settings";
import { EXIT_USAGE, parseCommandLine, runCli, UsageError } from "./cli";

interface Options {
    readonly runs: number;
    readonly skipNpmTest: boolean;
    readonly fleetOnly: boolean;
    readonly npmTestOnly: boolean;
    readonly out: string;
    readonly help: boolean;
}

const USAGE = `usage: npm run bench -- [--runs N] [--skip-npm-test] [--fleet-only] [--npm-test-only] [--out FILE]

Measures cold renders, pools of generated stacks, the policy check and npm test against a bare
require("@pulumi/pulumi"); prints a table and writes FILE. Takes minutes; not part of CI.

  --runs N         runs per figure (default 5; N=10 pools: at most 5, N=100: at most 3)
  --skip-npm-test  do not time npm test
  --fleet-only     measure only npm run fleet and fleet:diff over the fixture fleet against npm run render
  --npm-test-only  measure only npm test on a clean clone of HEAD (and list its ten slowest tests)
  --out FILE       where to write the figures (default out/bench/results.json, not committed)
  -h, --help       show this help`;

function options(argv: readonly string[]): Options {
    const { values } = parseCommandLine({
        args: [...argv],
        options: {
            runs: { type: "string", default: "5" },
            "skip-npm-test": { type: "boolean", default: false },
            "fleet-only": { type: "boolean", default: false },
            "npm-test-only": { type: "boolean", default: false },
            out: { type: "string", default: path.join(PROJECT_DIR, "out", "bench", "results.json") },
            help: { type: "boolean", short: "h", default: false },
        },
    });
    const runs = Number(values.runs);
    if (!Number.isInteger(runs) || runs < 1) {
        throw new UsageError(`--runs must be a positive integer, got ${values.runs}`);
    }
    return { runs, skipNpmTest: values["skip-npm-test"] ?? false, fleetOnly: values["fleet-only"] ?? false, npmTestOnly: values["npm-test-only"] ?? false, out: path.resolve(values.out ?? "out/bench/results.json"), help: values.help ?? false };
}

async function bench(opts: Options): Promise<void> {
    // Loaded only for a run (they load the SDK), so that --help and argument errors answer at once.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { measureColdRenders } = require("../bench/cold") as typeof Cold;
    const { measurePool } = require("../bench/pool") as typeof Pool;
    const { measurePolicy } = require("../bench/checks") as typeof Checks;
    const { measureNpmTestOnCleanClone } = require("../bench/npm-test") as typeof NpmTest;
    const { formatReport, formatSlowest, resultsDocument, TARGET_NPM_TEST_MS } = require("../bench/report") as typeof Report;
    const { fleetTargets, FLEET_DIR, measureFleet } = require("../bench/fleet") as typeof FleetBench;
    const { loadStackSettings } = require("../render/settings") as typeof Settings;
    /* eslint-enable @typescript-eslint/no-require-imports */

    const cores = os.availableParallelism();
    const loadBefore = os.loadavg();
    const benchStart = performance.now();
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "pipeline-service-bench-"));
    try {
        const fleetStacks = listStackFiles(path.join(PROJECT_DIR, FLEET_DIR)).length;
        if (opts.npmTestOnly) {
            log("npm test on a clean clone (one run, then one mocha run for the slowest tests) …");
            const npmTest = measureNpmTestOnCleanClone(scratch);
            fs.writeFileSync(opts.out, `${JSON.stringify({ command: "npm run bench -- --npm-test-only", cores, loadAverageBefore: loadBefore, npmTest }, null, 2)}\n`);
            const met = npmTest.wallMs <= TARGET_NPM_TEST_MS && npmTest.exitCode === 0;
            process.stdout.write(`${met ? "met   " : "MISSED"}  npm test on a clean clone ≤ ${TARGET_NPM_TEST_MS / 1000} s: ${(npmTest.wallMs / 1000).toFixed(1)} s (exit ${String(npmTest.exitCode)})\n\n${formatSlowest(npmTest).join("\n")}`);
            return;
        }
        if (opts.fleetOnly) {
            log(`fleet: render, fleet and fleet:diff (${opts.runs} runs each, interleaved) …`);
            const fleet = measureFleet(opts.runs, scratch, fleetStacks);
            fs.writeFileSync(opts.out, `${JSON.stringify({ command: "npm run bench -- --fleet-only", cores, loadAverageBefore: loadBefore, fleet, targets: fleetTargets(fleet) }, null, 2)}\n`);
            process.stdout.write(`${fleetTargets(fleet).map((target) => `${target.met ? "met   " : "MISSED"}  ${target.target}: ${target.measured}`).join("\n")}\n`);
            return;
        }
        log("building the precompiled program into bin/ …");
        const buildMs = buildPrecompiled();
        log(`cold renders (${opts.runs} runs each, interleaved) …`);
        const cold = measureColdRenders(opts.runs, scratch);
        const example = loadStackSettings("dev", PROJECT_DIR);
        const pools = [];
        for (const [stacks, runs] of [[1, opts.runs], [10, Math.min(opts.runs, 5)], [100, Math.min(opts.runs, 3)]] as const) {
            pools.push((await measurePool("precompiled", example, stacks, runs, cores)).figure);
        }
        // One comparison run: the same pool on the .ts sources (its per-stack time shows what the loader costs per render).
        const sourcePool = (await measurePool("source", example, 10, 1, cores)).figure;
        log("policy check …");
        const policy = await measurePolicy(Math.max(20, opts.runs));
        log(opts.skipNpmTest ? "npm test skipped (--skip-npm-test)" : "npm test on a clean clone (one run, then one mocha run for the slowest tests) …");
        const npmTest = opts.skipNpmTest ? undefined : measureNpmTestOnCleanClone(scratch);
        log(`fleet: render, fleet and fleet:diff (${opts.runs} runs each, interleaved) …`);
        const fleet = measureFleet(opts.runs, scratch, fleetStacks);

        const figures = { cores, loadBefore, runs: opts.runs, buildMs, cold, pools, sourcePool, policy, ...(npmTest ? { npmTest } : {}), fleet };
        const benchWallMs = performance.now() - benchStart;
        fs.writeFileSync(opts.out, `${JSON.stringify(resultsDocument(figures, benchWallMs), null, 2)}\n`);
        process.stdout.write(`${formatReport(figures, path.relative(process.cwd(), opts.out), benchWallMs)}\n`);
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
}

/** Runs the CLI; returns the exit code. Anything thrown is a bug (see tools/cli.ts). */
export async function main(argv: readonly string[]): Promise<number> {
    let opts: Options;
    try {
        opts = options(argv);
    } catch (error) {
        if (error instanceof UsageError) {
            process.stderr.write(`error: ${error.message}\n\n${USAGE}\n`);
            return EXIT_USAGE;
        }
        throw error;
    }
    if (opts.help) {
        process.stdout.write(`${USAGE}\n`);
        return 0;
    }
    try {
        // Before minutes of measuring, not after: a bad --out is known at once.
        makeDirectory(path.dirname(opts.out));
        if (fs.existsSync(opts.out) && fs.statSync(opts.out).isDirectory()) {
            throw new DirectoryError(`${opts.out} is a directory; --out names the file to write`);
        }
    } catch (error) {
        if (error instanceof DirectoryError) {
            process.stderr.write(`error: --out ${opts.out}: ${error.message}\n`);
            return 1;
        }
        throw error;
    }
    await bench(opts);
    return 0;
}

if (require.main === module) {
    void runCli("bench", () => main(process.argv.slice(2)));
}
