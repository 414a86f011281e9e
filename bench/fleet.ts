/**
 * The fleet figures of `npm run bench`: `npm run fleet` over the 12-stack fixture fleet against one `npm run render`
 * of a single stack, and `npm run fleet:diff` (both sides rendered and policy-checked) against that fleet, each a
 * new process as a user types it, interleaved round by round so that load from elsewhere hits all three alike.
 */
import * as path from "node:path";
import { ratioTo, timingStats, type TimingStats } from "./lib";
import { log, NPM, timedRun } from "./process";

/** At most this many single-stack renders' time for the fixture fleet (issue 19). */
export const TARGET_FLEET_RATIO = 3;
/** At most this many fleets' time for the diff of the fixture fleet (issue 19). */
export const TARGET_DIFF_RATIO = 2;

export const FLEET_DIR = path.join("test", "fixtures", "fleet");

export interface FleetFigures {
    readonly stacks: number;
    readonly render: TimingStats;
    readonly fleet: TimingStats;
    readonly diff: TimingStats;
}

/** Rounds of render, fleet and fleet:diff against HEAD; one discarded warm-up round first. */
export function measureFleet(runs: number, scratch: string, stacks: number): FleetFigures {
    const commands = {
        render: ["run", "-s", "render", "--", "--stack", "prod", "--out", path.join(scratch, "render"), "--quiet"],
        fleet: ["run", "-s", "fleet", "--", "--stacks-dir", FLEET_DIR, "--out", path.join(scratch, "fleet")],
        diff: ["run", "-s", "fleet:diff", "--", "--base", "HEAD", "--stacks-dir", FLEET_DIR],
    } as const;
    const samples: Record<keyof typeof commands, number[]> = { render: [], fleet: [], diff: [] };
    for (let round = 0; round <= runs; round++) {
        for (const name of ["render", "fleet", "diff"] as const) {
            const elapsed = timedRun(`npm ${commands[name].join(" ")}`, NPM, commands[name]);
            if (round > 0) {
                samples[name].push(elapsed);
            }
        }
        log(`  fleet round ${round === 0 ? "warm-up" : `${round}/${runs}`} done`);
    }
    return { stacks, render: timingStats(samples.render), fleet: timingStats(samples.fleet), diff: timingStats(samples.diff) };
}

/** The two targets, each with its ratio and every run behind it. */
export function fleetTargets(figures: FleetFigures): { target: string; measured: string; met: boolean }[] {
    const runs = (stats: TimingStats): string => stats.samplesMs.map((ms) => (ms / 1000).toFixed(2)).join(", ");
    const fleetRatio = ratioTo(figures.render, figures.fleet);
    const diffRatio = ratioTo(figures.fleet, figures.diff);
    return [
        {
            target: `npm run fleet (${figures.stacks} fixture stacks) ≤ ${TARGET_FLEET_RATIO}× npm run render of one stack`,
            measured: `${fleetRatio.toFixed(2)}× (fleet s: ${runs(figures.fleet)}; render s: ${runs(figures.render)})`,
            met: fleetRatio <= TARGET_FLEET_RATIO,
        },
        {
            target: `npm run fleet:diff (both sides rendered and checked) ≤ ${TARGET_DIFF_RATIO}× npm run fleet`,
            measured: `${diffRatio.toFixed(2)}× (fleet:diff s: ${runs(figures.diff)})`,
            met: diffRatio <= TARGET_DIFF_RATIO,
        },
    ];
}
