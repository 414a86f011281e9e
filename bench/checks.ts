/**
 * The checks a reviewer waits for besides the render, for `npm run bench`: the policy pack over a rendered
 * stack (in-process, repeated) and `npm test` (one run, wall time).
 */
import { spawnSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { timingStats, type TimingStats } from "./lib";
import { log, NPM, PROJECT_DIR } from "./process";
import * as path from "node:path";
import { checkRecords, startSession } from "../analyzer/check";
import { loadPolicyConfig } from "../analyzer/config";
import { renderStack } from "../render";

export interface PolicyFigure {
    readonly resources: number;
    readonly perCheck: TimingStats;
    readonly perResource: TimingStats;
}

/** The policy check of the dev render through the real runtime, repeated over one started pack after one warm-up. */
export async function measurePolicy(runs: number): Promise<PolicyFigure> {
    const rendered = await renderStack("dev");
    const session = await startSession({ packDir: path.join(PROJECT_DIR, "policy") });
    const config = loadPolicyConfig(path.join(PROJECT_DIR, "policy", "config", "dev.json"));
    const samples: number[] = [];
    try {
        await checkRecords(session, rendered.resources, { config });
        for (let run = 0; run < runs; run++) {
            const start = performance.now();
            const result = await checkRecords(session, rendered.resources, { config });
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

export interface NpmTestFigure {
    readonly wallMs: number;
    readonly exitCode: number | null;
    readonly runs: 1;
}

/** `npm test` once, as a user runs it (with whatever lint and type-check caches the last run left). */
export function measureNpmTest(): NpmTestFigure {
    const start = performance.now();
    const run = spawnSync(NPM, ["test"], { cwd: PROJECT_DIR, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    const wallMs = Math.round(performance.now() - start);
    if (run.status !== 0) {
        log(`  npm test exited with ${String(run.status)}: its time is still reported, but the suite is not green`);
    }
    return { wallMs, exitCode: run.status, runs: 1 };
}
