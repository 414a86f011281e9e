/**
 * The deploy rollout as the tests read it: deploy.yml and the reusable deploy-ring.yml (the job graph, `needs`,
 * `if:`, matrix and `strategy` test/deploy-simulation.ts runs), the fleet plan the workflow reads, and the soak
 * environments' wait timers docs/operations.md tells operators to set.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import type { Json } from "./actions-expressions";
import { fleetPlan as fleetReport } from "./fleet-plans";
import { PROJECT_DIR } from "../render";

export interface Step {
    readonly id?: string;
    readonly name?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly if?: string | boolean;
    readonly env?: Readonly<Record<string, Json>>;
    readonly with?: Readonly<Record<string, Json>>;
}

export interface Job {
    readonly name?: string;
    readonly needs?: string | readonly string[];
    readonly if?: string | boolean;
    readonly uses?: string;
    readonly with?: Readonly<Record<string, Json>>;
    readonly secrets?: Json;
    readonly permissions?: Readonly<Record<string, string>>;
    readonly strategy?: { readonly "fail-fast"?: Json; readonly "max-parallel"?: Json; readonly matrix?: Readonly<Record<string, Json>> };
    readonly environment?: string;
    readonly concurrency?: { readonly group: string; readonly "cancel-in-progress": boolean };
    readonly outputs?: Readonly<Record<string, string>>;
    readonly steps?: readonly Step[];
}

export interface Workflow {
    readonly on: { readonly workflow_call?: { readonly inputs: Readonly<Record<string, { readonly type: string; readonly default?: Json; readonly required?: boolean }>>; readonly outputs: Readonly<Record<string, { readonly value: string }>> } };
    readonly concurrency?: { readonly group: string; readonly "cancel-in-progress": boolean };
    readonly env?: Readonly<Record<string, string>>;
    readonly jobs: Readonly<Record<string, Job>>;
}

const WORKFLOWS = path.join(PROJECT_DIR, ".github", "workflows");
const readWorkflow = (file: string): Workflow => YAML.parse(fs.readFileSync(path.join(WORKFLOWS, file), "utf8")) as Workflow;
export const deploy = readWorkflow("deploy.yml");
export const deployRing = readWorkflow("deploy-ring.yml");
const operations = fs.readFileSync(path.join(PROJECT_DIR, "docs", "operations.md"), "utf8");
export const needsOf = (job: Job): string[] => [job.needs ?? []].flat();

/** A plan as the workflow reads it: the JSON the CLI prints. */
export const fleetPlan = (...args: Parameters<typeof fleetReport>): Json => JSON.parse(JSON.stringify(fleetReport(...args))) as Json;

export const ringOf = (plan: Json, stack: string): number => {
    const entry = (plan as { stacks: { stack: string; ring: number }[] }).stacks.find((candidate) => candidate.stack === stack);
    assert.ok(entry, `${stack} is not in the plan`);
    return entry.ring;
};
export const ringSoakHours = (plan: Json, ring: number): number =>
    (plan as { rings: { ring: number; soakHours: number }[] }).rings.find((candidate) => candidate.ring === ring)?.soakHours ?? 0;

/** The wait timers docs/operations.md tells operators to set: its jq command run over the plan. */
export function waitTimersFromDocs(plan: Json): Record<string, number> {
    const line = operations.split("\n").find((text) => text.includes("soak-after-ring-") && text.includes("jq -r")) ?? "";
    const filter = /jq -r '([^']*)'/.exec(line)?.[1];
    assert.ok(filter, "docs/operations.md has no `jq -r '…'` command that prints the soak environments' wait timers");
    const result = spawnSync("jq", ["-r", filter], { input: JSON.stringify(plan), encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    const timers: Record<string, number> = {};
    for (const command of result.stdout.trim().split("\n")) {
        const match = /^gh api -X PUT repos\/OWNER\/REPO\/environments\/(soak-after-ring-\d) -F wait_timer=(\d+)$/.exec(command);
        assert.ok(match, `unexpected command from the docs: ${command}`);
        timers[match[1] ?? ""] = Number(match[2]);
        assert.ok(Number(match[2]) <= 43200, `${command}: GitHub's wait timer is at most 43200 minutes`);
    }
    return timers;
}
