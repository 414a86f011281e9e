/**
 * Cold renders for `npm run bench`: one new process per render of the prod stack, side by side in the
 * same rounds with the baseline they are judged against, a bare `node -e 'require("@pulumi/pulumi")'`.
 * The figure the target is about is `npm run render -- --stack prod` exactly as a user types it.
 */
import * as path from "node:path";
import { timingStats, type TimingStats } from "./lib";
import { log, NPM, readTree, REGISTER, sameTree, timedRun, TS_NODE } from "./process";

export const COLD_STACK = "prod";

/** What is measured, in the order of each round. */
export const COLD_FIGURES = [
    "baseline",
    "npmRender",
    "renderRegister",
    "renderColdCache",
    "renderTsNode",
    "programLoad",
    "renderPrecompiled",
    "renderSerialized",
] as const;
export type ColdFigure = (typeof COLD_FIGURES)[number];

export interface ColdFigures {
    readonly stack: string;
    readonly stats: Readonly<Record<ColdFigure, TimingStats>>;
    readonly filesWritten: number;
}

interface Command {
    readonly command: string;
    readonly args: readonly string[];
    /** Where it writes its render, compared with the others' afterwards (none: it renders nothing). */
    readonly out?: string;
    readonly env?: () => NodeJS.ProcessEnv;
}

function commands(scratch: string): Record<ColdFigure, Command> {
    const out = (name: string): string => path.join(scratch, name);
    const cli = (name: string): string[] => ["--stack", COLD_STACK, "--out", out(name), "--quiet"];
    let coldCaches = 0;
    return {
        baseline: { command: process.execPath, args: ["-e", "require(\"@pulumi/pulumi\")"] },
        // What a user runs: npm's own start-up (~0.2 s) included.
        npmRender: { command: NPM, args: ["run", "-s", "render", "--", ...cli("npm")], out: out("npm") },
        // The same without npm: the node command of the script.
        renderRegister: { command: process.execPath, args: [...REGISTER, "tools/render.ts", ...cli("register")], out: out("register") },
        // The first start after `npm ci` (or of a changed file): every file transpiled, into a new empty cache.
        renderColdCache: {
            command: process.execPath,
            args: [...REGISTER, "tools/render.ts", ...cli("cold-cache")],
            out: out("cold-cache"),
            env: () => ({ ...process.env, TS_TRANSPILE_CACHE: path.join(scratch, `transpile-cache-${coldCaches++}`) }),
        },
        // The loader of the npm scripts before tools/register.js.
        renderTsNode: { command: process.execPath, args: [...TS_NODE, "tools/render.ts", ...cli("ts-node")], out: out("ts-node") },
        // The precompiled program's modules loaded, nothing run: splits a render into load and run.
        programLoad: { command: process.execPath, args: ["-e", "require(\"./bin/index.js\")"] },
        renderPrecompiled: { command: process.execPath, args: ["bin/tools/render.js", ...cli("precompiled")], out: out("precompiled") },
        renderSerialized: {
            command: process.execPath,
            args: ["bin/tools/render.js", ...cli("serialized"), "--serialize-dynamic-providers"],
            out: out("serialized"),
        },
    };
}

/**
 * Cold processes, interleaved round by round so that load from elsewhere on the machine hits every figure alike.
 * One discarded warm-up round first: "cold" means a new process, not a cold disk cache (nor, for the loader,
 * a cold transpile cache: that is renderColdCache). Every render must write the same files.
 */
export function measureColdRenders(runs: number, scratch: string): ColdFigures {
    const all = commands(scratch);
    const samples = Object.fromEntries(COLD_FIGURES.map((name) => [name, [] as number[]])) as Record<ColdFigure, number[]>;
    for (let round = 0; round <= runs; round++) {
        for (const name of COLD_FIGURES) {
            const { command, args, env } = all[name];
            const elapsed = timedRun(name, command, args, env?.());
            if (round > 0) {
                samples[name].push(elapsed);
            }
        }
        log(`  cold round ${round === 0 ? "warm-up" : `${round}/${runs}`} done`);
    }
    const reference = readTree(all.npmRender.out as string);
    if (!reference.has("resources.json")) {
        throw new Error(`npm run render wrote no resources.json into ${all.npmRender.out}`);
    }
    for (const name of COLD_FIGURES) {
        const out = all[name].out;
        if (out !== undefined && !sameTree(reference, readTree(out))) {
            throw new Error(`the ${name} render differs from npm run render's (compare ${out} and ${all.npmRender.out})`);
        }
    }
    return {
        stack: COLD_STACK,
        stats: Object.fromEntries(COLD_FIGURES.map((name) => [name, timingStats(samples[name])])) as Record<ColdFigure, TimingStats>,
        filesWritten: reference.size,
    };
}
