/**
 * What `pulumi up` would wait for, computed from the recorded `dependencies` alone: dependency depths, the
 * critical path by typical creation times, the slowest resource and what waits on it.
 */
import type { ResourceRecord } from "./contract";

/** How many `dependencies` hops each resource sits above a resource that waits on nothing (0). */
export function dependencyDepths(records: readonly ResourceRecord[]): Map<string, number> {
    const byUrn = new Map(records.map((record) => [record.urn, record]));
    const depths = new Map<string, number>();
    const depthOf = (urn: string): number => {
        const known = depths.get(urn);
        if (known !== undefined) {
            return known;
        }
        const record = byUrn.get(urn);
        const prerequisites = record ? record.dependencies.filter((dependency) => byUrn.has(dependency)) : [];
        const depth = prerequisites.length === 0 ? 0 : 1 + Math.max(...prerequisites.map(depthOf));
        depths.set(urn, depth);
        return depth;
    };
    records.forEach((record) => depthOf(record.urn));
    return depths;
}

/**
 * Rough creation times by type token: generic cloud experience, not measured here, used only to weigh the
 * critical path. An RDS instance takes many minutes; a dynamic resource usually waits for something outside
 * Pulumi (an operator install, a rollout) for a few; an S3 bucket seconds; everything else about two.
 */
export const TYPICAL_CREATE_SECONDS: Readonly<Record<string, number>> = {
    "aws:rds/instance:Instance": 600,
    "pulumi-nodejs:dynamic:Resource": 240,
    "aws:s3/bucket:Bucket": 5,
};
/** What a custom resource of a type not listed above is assumed to take. */
export const DEFAULT_CREATE_SECONDS = 2;

/** Estimated creation time of one resource (components take none of their own). */
export function estimatedCreateSeconds(record: ResourceRecord): number {
    return record.custom ? TYPICAL_CREATE_SECONDS[record.type] ?? DEFAULT_CREATE_SECONDS : 0;
}

/**
 * The chain of `dependencies` with the largest estimated total creation time, first to last: what
 * `pulumi up` must do one after the other however parallel it runs.
 */
export function criticalPath(records: readonly ResourceRecord[]): { readonly path: ResourceRecord[]; readonly seconds: number } {
    const byUrn = new Map(records.map((record) => [record.urn, record]));
    const finish = new Map<string, number>();
    const via = new Map<string, string | undefined>();
    const finishOf = (urn: string): number => {
        const known = finish.get(urn);
        if (known !== undefined) {
            return known;
        }
        const record = byUrn.get(urn) as ResourceRecord;
        let latest: string | undefined;
        for (const dependency of [...record.dependencies].filter((candidate) => byUrn.has(candidate)).sort()) {
            if (latest === undefined || finishOf(dependency) > finishOf(latest)) {
                latest = dependency;
            }
        }
        const total = (latest === undefined ? 0 : finishOf(latest)) + estimatedCreateSeconds(record);
        finish.set(urn, total);
        via.set(urn, latest);
        return total;
    };
    let last: string | undefined;
    for (const record of records) {
        if (last === undefined || finishOf(record.urn) > finishOf(last)) {
            last = record.urn;
        }
    }
    const path: ResourceRecord[] = [];
    for (let urn = last; urn !== undefined; urn = via.get(urn)) {
        path.unshift(byUrn.get(urn) as ResourceRecord);
    }
    return { path, seconds: last === undefined ? 0 : finishOf(last) };
}

/** Resources that wait, directly or through others, on the resource `urn`. */
export function waitersOn(records: readonly ResourceRecord[], urn: string): ResourceRecord[] {
    const waiting = new Set<string>([urn]);
    let grew = true;
    while (grew) {
        grew = false;
        for (const record of records) {
            if (!waiting.has(record.urn) && record.dependencies.some((dependency) => waiting.has(dependency))) {
                waiting.add(record.urn);
                grew = true;
            }
        }
    }
    return records.filter((record) => record.urn !== urn && waiting.has(record.urn));
}

/** The slow resource everything else should not wait for, and who waits for it anyway. */
export interface SlowestResource {
    readonly record: ResourceRecord;
    readonly seconds: number;
    /** Everything that waits on it, directly or not (components included), in record order. */
    readonly waiters: ResourceRecord[];
    /** Custom resources other than it. */
    readonly customCount: number;
    /** Of those, how many do not wait on it. */
    readonly independentCount: number;
}

/**
 * The custom resource with the largest estimated creation time (the first in record order on a tie), or
 * undefined when none is estimated above {@link DEFAULT_CREATE_SECONDS}: then no resource stands out.
 */
export function slowestResource(records: readonly ResourceRecord[]): SlowestResource | undefined {
    let slowest: ResourceRecord | undefined;
    for (const record of records.filter((candidate) => candidate.custom)) {
        if (slowest === undefined || estimatedCreateSeconds(record) > estimatedCreateSeconds(slowest)) {
            slowest = record;
        }
    }
    if (slowest === undefined || estimatedCreateSeconds(slowest) <= DEFAULT_CREATE_SECONDS) {
        return undefined;
    }
    const waiters = waitersOn(records, slowest.urn);
    const customCount = records.filter((record) => record.custom && record.urn !== slowest.urn).length;
    return {
        record: slowest,
        seconds: estimatedCreateSeconds(slowest),
        waiters,
        customCount,
        independentCount: customCount - waiters.filter((record) => record.custom).length,
    };
}
