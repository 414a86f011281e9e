/**
 * `npm test` as CI runs it, for `npm run bench`: on a clean clone of the committed HEAD (dependencies from the
 * lockfile, no transpile, type-check or lint cache), wall time of one run; then, in the same clone, one mocha run
 * with the JSON reporter for the slowest tests and the per-file times. The clone is made and installed before the
 * clock starts (CI installs before it tests too). Uncommitted changes are not measured: commit first.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { log, NPM, PROJECT_DIR } from "./process";

/** One test's time in the JSON reporter's run. */
export interface SlowTest {
    readonly file: string;
    readonly title: string;
    readonly ms: number;
}

export interface NpmTestFigure {
    /** Wall time of `npm test` on the clean clone. */
    readonly wallMs: number;
    readonly exitCode: number | null;
    readonly runs: 1;
    /** The commit measured (HEAD when the bench ran). */
    readonly commit: string;
    readonly tests: number;
    /** The ten slowest tests, slowest first. */
    readonly slowest: readonly SlowTest[];
}

/** What mocha's JSON reporter prints that is read here. */
interface MochaJson {
    readonly stats: { readonly tests: number };
    readonly tests: readonly { readonly file?: string; readonly fullTitle: string; readonly duration?: number }[];
}

/** The `count` slowest tests of a mocha JSON report, files relative to `dir`. */
export function slowestTests(report: MochaJson, dir: string, count = 10): SlowTest[] {
    return report.tests
        .map((test) => ({ file: path.relative(dir, test.file ?? ""), title: test.fullTitle, ms: test.duration ?? 0 }))
        .sort((a, b) => b.ms - a.ms || a.file.localeCompare(b.file) || a.title.localeCompare(b.title))
        .slice(0, count);
}

function run(command: string, args: readonly string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
    if (result.error) {
        throw result.error;
    }
    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Clones HEAD into `scratch`, installs it from the lockfile, and measures `npm test` there. */
export function measureNpmTestOnCleanClone(scratch: string): NpmTestFigure {
    const clone = path.join(scratch, "clean-clone");
    const commit = run("git", ["rev-parse", "HEAD"], PROJECT_DIR).stdout.trim();
    if (run("git", ["status", "--porcelain"], PROJECT_DIR).stdout.trim() !== "") {
        log("  the working tree has uncommitted changes: npm test is measured on HEAD without them");
    }
    for (const [label, command, args, cwd] of [
        ["git clone", "git", ["clone", "--quiet", "--no-local", PROJECT_DIR, clone], PROJECT_DIR],
        ["npm ci", NPM, ["ci", "--no-audit", "--no-fund", "--prefer-offline"], clone],
    ] as const) {
        const result = run(command, args, cwd);
        if (result.status !== 0) {
            throw new Error(`${label} for the clean clone failed (exit ${String(result.status)}):\n${result.stderr}`);
        }
    }
    const start = performance.now();
    const test = run(NPM, ["test"], clone);
    const wallMs = Math.round(performance.now() - start);
    if (test.status !== 0) {
        log(`  npm test exited with ${String(test.status)} on the clean clone: its time is still reported, but the suite is not green`);
    }
    const mocha = run(NPM, ["run", "-s", "mocha", "--", "--reporter", "json"], clone);
    const report = JSON.parse(mocha.stdout) as MochaJson;
    fs.rmSync(clone, { recursive: true, force: true });
    return { wallMs, exitCode: test.status, runs: 1, commit, tests: report.stats.tests, slowest: slowestTests(report, clone) };
}
