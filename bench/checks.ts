/**
 * The policy check a reviewer waits for besides the render, for `npm run bench`: the policy pack over a rendered
 * stack (in-process, repeated). `npm test` is measured on a clean clone (npm-test.ts).
 */
import { performance } from "node:perf_hooks";
import { timingStats, type TimingStats } from "./lib";
import { PROJECT_DIR } from "./process";
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
