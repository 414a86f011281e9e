/**
 * The fleet as a whole, pure: what each stack claims (names, hosts, AWS physical names), the refusals of a fleet
 * that cannot work (two stacks claiming one thing, rings that do not form a chain), and the ring plan the deploy
 * workflow promotes through. `npm run fleet` (tools/fleet.ts) fills {@link FleetMember}s from the stack configs
 * and renders; the tests drive these functions with tables.
 */

/** Stacks of one ring updated at once by the deploy workflow (`strategy.max-parallel`): a bad change hits at most this many clusters before the halt. */
export const MAX_PARALLEL_PER_RING = 3;

/** Where an AWS physical name must be unique. */
export type NameScope = "fleet" | "global" | "account" | "region" | "vpc";

/** One name a stack claims, that no other stack of the fleet may claim in the same scope. */
export interface Claim {
    /** What it is, as a user knows it: a config key, or an AWS resource type and its name argument. */
    readonly what: string;
    readonly value: string;
    readonly scope: NameScope;
    /** The region or VPC for `region`/`vpc` scopes (two stacks in different regions may share a regional name). */
    readonly within?: string;
}

/** What the fleet checks need of one stack that rendered (or at least parsed). */
export interface FleetMember {
    readonly stack: string;
    /** The stack file, as shown to the user. */
    readonly file: string;
    readonly environment: "dev" | "prod";
    readonly ring: number;
    readonly soakHours: number;
    /** The OpenShift Pipelines line the stack is pinned to (`1.21`); absent: it follows `latest`, the newest line first. */
    readonly line?: string;
    readonly claims: readonly Claim[];
}

/** One ring of the plan: its stacks, and how long the next ring waits after it. */
export interface Ring {
    readonly ring: number;
    /** The longest soak among its stacks. */
    readonly soakHours: number;
    /** Sorted by name. */
    readonly stacks: readonly string[];
}

/**
 * The AWS resources whose name argument is their physical name, with where AWS requires it unique. Names scoped
 * to a parent (a bucket's metric configuration, a user's inline policy, an attachment's role) are not listed: they
 * cannot collide across stacks unless their parent does. Scopes from the AWS docs: S3 bucket names are global
 * ("Bucket naming rules"); IAM names are unique per account ("IAM object quotas and names"); RDS identifiers,
 * subnet and parameter groups, log groups and alarms per account and region; security group names per VPC
 * ("CreateSecurityGroup": "unique within the VPC").
 */
export const AWS_PHYSICAL_NAMES: Readonly<Record<string, { readonly key: string; readonly scope: NameScope }>> = {
    "aws:s3/bucket:Bucket": { key: "bucket", scope: "global" },
    "aws:iam/user:User": { key: "name", scope: "account" },
    "aws:iam/role:Role": { key: "name", scope: "account" },
    "aws:rds/instance:Instance": { key: "identifier", scope: "region" },
    "aws:rds/subnetGroup:SubnetGroup": { key: "name", scope: "region" },
    "aws:rds/parameterGroup:ParameterGroup": { key: "name", scope: "region" },
    "aws:cloudwatch/logGroup:LogGroup": { key: "name", scope: "region" },
    "aws:cloudwatch/metricAlarm:MetricAlarm": { key: "name", scope: "region" },
    "aws:ec2/securityGroup:SecurityGroup": { key: "name", scope: "vpc" },
};

/** A rendered resource, as much of it as the claims need. */
export interface ClaimSource {
    readonly type: string;
    readonly name: string;
    readonly inputs: Readonly<Record<string, unknown>>;
}

/**
 * The AWS physical names a render claims: each resource of {@link AWS_PHYSICAL_NAMES} whose name is known in
 * preview (a name that is not a plain string, unknown or secret, cannot be compared and claims nothing).
 */
export function awsNameClaims(resources: readonly ClaimSource[], region: string, vpcId: string): Claim[] {
    const claims: Claim[] = [];
    for (const resource of resources) {
        const naming = AWS_PHYSICAL_NAMES[resource.type];
        const value = naming === undefined ? undefined : resource.inputs[naming.key];
        if (naming === undefined || typeof value !== "string" || value.startsWith("(") || value.startsWith("[")) {
            continue;
        }
        const within = naming.scope === "region" ? region : naming.scope === "vpc" ? vpcId : undefined;
        claims.push({ what: `${resource.type} ${naming.key}`, value, scope: naming.scope, ...(within === undefined ? {} : { within }) });
    }
    return claims;
}

function scopeWords(claim: Claim): string {
    switch (claim.scope) {
        case "fleet": return "which names one cluster";
        case "global": return "which must be unique in all of AWS";
        case "account": return "which must be unique in an AWS account";
        case "region": return `in region ${claim.within ?? "?"}, where it must be unique per account`;
        case "vpc": return `in ${claim.within ?? "?"}, where it must be unique`;
    }
}

/** Two stacks claiming one name: each pair of files once per name, in stack order. */
function collisions(members: readonly FleetMember[]): string[] {
    const seen = new Map<string, { member: FleetMember; claim: Claim }>();
    const problems: string[] = [];
    for (const member of members) {
        for (const claim of member.claims) {
            const key = `${claim.what}\u0000${claim.scope}\u0000${claim.within ?? ""}\u0000${claim.value}`;
            const first = seen.get(key);
            if (first === undefined) {
                seen.set(key, { member, claim });
            } else if (first.member.stack !== member.stack) {
                problems.push(`${first.member.file} and ${member.file}: both claim ${claim.what} ${JSON.stringify(claim.value)} (${scopeWords(claim)}): `
                    + "the two stacks would fight over one object; give each cluster its own value");
            }
        }
    }
    return problems;
}

/** Rings in use, ascending, with their members. */
function ringsOf(members: readonly FleetMember[]): Map<number, FleetMember[]> {
    const rings = new Map<number, FleetMember[]>();
    for (const member of [...members].sort((a, b) => a.ring - b.ring || a.stack.localeCompare(b.stack))) {
        rings.set(member.ring, [...(rings.get(member.ring) ?? []), member]);
    }
    return rings;
}

/**
 * Rings that do not form a chain: production with nothing in ring 0 before it, or a ring number skipped (the deploy
 * workflow would promote past the gap as if an empty ring had soaked). Each refusal names a stack file on both sides.
 */
function ringProblems(members: readonly FleetMember[]): string[] {
    const rings = ringsOf(members);
    const numbers = [...rings.keys()];
    const problems: string[] = [];
    const lowestProduction = numbers.find((ring) => ring > 0);
    if (lowestProduction !== undefined && !rings.has(0)) {
        const first = rings.get(lowestProduction)?.[0];
        problems.push(`${first?.file ?? "?"}: production ring ${lowestProduction} has no pre-production stack below it: ring 0 is empty, so a change would reach `
            + "production first; add a dev or staging stack (environment dev, rollout.ring 0) to the fleet");
    }
    for (let index = 1; index < numbers.length; index++) {
        const below = numbers[index - 1] as number;
        const above = numbers[index] as number;
        if (above - below > 1) {
            const missing = above - below === 2 ? `ring ${below + 1} is` : `rings ${below + 1}–${above - 1} are`;
            problems.push(`${rings.get(below)?.[0]?.file ?? "?"} (ring ${below}) and ${rings.get(above)?.[0]?.file ?? "?"} (ring ${above}): ${missing} empty, `
                + `a gap in rollout.ring: number the rings without gaps (move ring ${above}'s stacks to ring ${below + 1})`);
        }
    }
    return problems;
}

/** `1.21` → 121, so lines compare as numbers; a stack following `latest` ranks above every line. */
function lineRank(line: string | undefined): number {
    if (line === undefined) {
        return Number.POSITIVE_INFINITY;
    }
    const [major, minor] = line.split(".").map(Number);
    return major * 1000 + minor;
}

/**
 * A production stack on a line that no earlier ring runs: a new line is a change like any other and goes through the
 * rings in order, so ring N may run it only once some stack below N does (a stack following `latest` gets every line
 * first). The refusal names the stack and the ring to move first.
 */
function lineProblems(members: readonly FleetMember[]): string[] {
    const problems: string[] = [];
    let newestBelow = Number.NEGATIVE_INFINITY;
    let ringsBelow: number[] = [];
    for (const [ring, stacks] of ringsOf(members)) {
        if (ring > 0) {
            for (const member of stacks.filter((candidate) => lineRank(candidate.line) > newestBelow)) {
                const runs = member.line === undefined ? "follows latest (every new line first)" : `runs OpenShift Pipelines ${member.line}`;
                problems.push(`${member.file} (ring ${ring}) ${runs}, which no stack of ring${ringsBelow.length === 1 ? "" : "s"} ${ringsBelow.join(", ")} runs yet: a line goes `
                    + `through the rings in order like any change; move a stack of ring ${ringsBelow[ringsBelow.length - 1]} to it first`);
            }
        }
        newestBelow = Math.max(newestBelow, ...stacks.map((member) => lineRank(member.line)));
        ringsBelow = [...ringsBelow, ring];
    }
    return problems;
}

/** Every reason the fleet cannot work, one paragraph each (empty when it can). */
export function fleetProblems(members: readonly FleetMember[]): string[] {
    const rings = ringProblems(members);
    // Line order is judged only over rings that form a chain: a missing ring 0 is reported once, above.
    return [...collisions(members), ...rings, ...(rings.length === 0 ? lineProblems(members) : [])];
}

/** The rings in promotion order: every ring that has stacks, ascending. */
export function ringPlan(members: readonly FleetMember[]): Ring[] {
    return [...ringsOf(members)].map(([ring, stacks]) => ({
        ring,
        soakHours: Math.max(...stacks.map((member) => member.soakHours)),
        stacks: stacks.map((member) => member.stack),
    }));
}
