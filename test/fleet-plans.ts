/**
 * Fleet plans in the shape `npm run -s fleet -- --json` prints (fleet/render.ts FleetReport), for the workflow tests:
 * small fleets built from a list of stacks, and the fixture fleet's, which test/fleet-cli.test.ts checks against the
 * real CLI's output for test/fixtures/fleet.
 */
import type { FleetReport } from "../fleet";

export interface FleetStack {
    readonly stack: string;
    readonly ring: number;
    readonly soakHours?: number;
    readonly environment?: "dev" | "prod";
    readonly awsRegion?: string;
    readonly policyConfig?: string;
}

/** A plan of `stacks`, every field the CLI prints filled in (stack files, regions and counts made up). */
export function fleetPlan(stacks: readonly FleetStack[], maxParallelPerRing = 3): FleetReport {
    const entries = [...stacks]
        .map((entry) => ({ ...entry, environment: entry.environment ?? (entry.ring === 0 ? "dev" : "prod"), soakHours: entry.soakHours ?? 24 }))
        .sort((a, b) => a.ring - b.ring || a.stack.localeCompare(b.stack));
    const ringNumbers = [...new Set(entries.map((entry) => entry.ring))].sort((a, b) => a - b);
    return {
        stacksDir: "test/fixtures/fleet",
        maxParallelPerRing,
        stacks: entries.map((entry) => ({
            stack: entry.stack,
            file: `test/fixtures/fleet/Pulumi.${entry.stack}.yaml`,
            environment: entry.environment,
            ring: entry.ring,
            soakHours: entry.soakHours,
            awsRegion: entry.awsRegion ?? "us-east-1",
            clusterName: entry.stack,
            operator: "1.20 (openshift-pipelines-operator-rh.v1.20.1)",
            policyConfig: entry.policyConfig ?? `policy/config/${entry.environment}.json`,
            resources: 63,
            violations: { mandatory: 0, advisory: 0 },
            error: null,
        })),
        rings: ringNumbers.map((ring) => {
            const members = entries.filter((entry) => entry.ring === ring);
            return { ring, soakHours: Math.max(...members.map((entry) => entry.soakHours)), stacks: members.map((entry) => entry.stack) };
        }),
        problems: [],
    };
}

/** The contract's 12-stack fixture fleet. */
export const FIXTURE_FLEET: readonly FleetStack[] = [
    { stack: "dev-rh01", ring: 0 },
    ...[1, 2, 3].map((n) => ({ stack: `stone-stg-rh0${n}`, ring: 0 })),
    ...[1, 2, 3].map((n) => ({ stack: `stone-prd-rh0${n}`, ring: 1 })),
    ...[4, 5, 6].map((n) => ({ stack: `stone-prd-rh0${n}`, ring: 2 })),
    { stack: "stone-prd-rh07", ring: 3 },
    { stack: "stone-prd-critical01", ring: 3, soakHours: 72 },
];

