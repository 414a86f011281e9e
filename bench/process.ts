/**
 * Where `npm run bench` runs and how it runs things: the project directory, the loaders a process can be
 * started with, timed child processes, the precompiled build, and comparing two renders' files.
 * Nothing here loads the Pulumi SDK.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { performance } from "node:perf_hooks";

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

export const PROJECT_DIR = findProjectDir(__dirname);
export const BIN_DIR = path.join(PROJECT_DIR, "bin");
/** The loader of the npm scripts and mocha: TypeScript transpiled once per content, cached on disk. */
export const REGISTER = ["-r", path.join(PROJECT_DIR, "tools", "register.js")];
/** The loader the npm scripts used before tools/register.js (and the Pulumi CLI's): for comparison. */
export const TS_NODE = ["-r", "ts-node/register/transpile-only"];
export const NPM = process.platform === "win32" ? "npm.cmd" : "npm";

export function log(line: string): void {
    process.stderr.write(`${line}\n`);
}

/** Runs a command to completion and returns its wall time; a failure stops the bench (a broken figure is no figure). */
export function timedRun(label: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
    const start = performance.now();
    const run = spawnSync(command, args, { cwd: PROJECT_DIR, env, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
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
export function buildPrecompiled(): number {
    fs.rmSync(BIN_DIR, { recursive: true, force: true });
    const elapsed = timedRun("tsc -p tsconfig.build.json", process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"]);
    // bin/ is then a project directory of its own: the render harness there loads bin/Pulumi*.yaml and bin/index.js.
    for (const file of fs.readdirSync(PROJECT_DIR).filter((name) => /^Pulumi(\.[^.]+)?\.yaml$/.test(name))) {
        fs.copyFileSync(path.join(PROJECT_DIR, file), path.join(BIN_DIR, file));
    }
    return elapsed;
}

/** Every file under dir with its content, for comparing two renders. */
export function readTree(dir: string): Map<string, string> {
    const files = new Map<string, string>();
    for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
        if (entry.isFile()) {
            const full = path.join(entry.parentPath, entry.name);
            files.set(path.relative(dir, full), fs.readFileSync(full, "utf8"));
        }
    }
    return files;
}

export function sameTree(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
    return a.size === b.size && [...a].every(([file, content]) => b.get(file) === content);
}
