/**
 * The order records are written in. The order RPCs happen to arrive in varies with async work (such as
 * serializing a dynamic provider), so it is never used as such.
 */
import type { ResourceRecord } from "./contract";
import { compareStrings } from "../lib/json-values";

/** The URN in a provider reference `<provider URN>::<id>` (recorder.ts providerReference), or null. */
function providerUrn(reference: string | null): string | null {
    return reference === null ? null : reference.slice(0, reference.lastIndexOf("::"));
}

/**
 * A registration order that does not depend on timing: every resource after its parent, its provider and its
 * dependencies (as the engine requires), providers before anything else that is ready, other ties broken by
 * URN. A function of the set of records alone.
 */
export function canonicalOrder(records: readonly ResourceRecord[]): ResourceRecord[] {
    const byUrn = new Map(records.map((record) => [record.urn, record]));
    const waitingOn = new Map<string, Set<string>>();
    const dependents = new Map<string, string[]>();
    for (const record of records) {
        const prerequisites = new Set([record.parent, providerUrn(record.provider), ...record.dependencies]
            .filter((urn): urn is string => urn !== null && urn !== record.urn && byUrn.has(urn)));
        waitingOn.set(record.urn, prerequisites);
        for (const prerequisite of prerequisites) {
            dependents.set(prerequisite, [...(dependents.get(prerequisite) ?? []), record.urn]);
        }
    }
    // Providers first, as the engine registers a resource's provider before it: the summary lists them first.
    const rank = (urn: string): number => (byUrn.get(urn)?.type.startsWith("pulumi:providers:") ? 0 : 1);
    const ready = records.filter((record) => waitingOn.get(record.urn)?.size === 0).map((record) => record.urn);
    const ordered: ResourceRecord[] = [];
    while (ready.length > 0) {
        ready.sort((a, b) => rank(a) - rank(b) || compareStrings(a, b));
        const urn = ready.shift() as string;
        ordered.push(byUrn.get(urn) as ResourceRecord);
        for (const dependent of dependents.get(urn) ?? []) {
            const remaining = waitingOn.get(dependent) as Set<string>;
            remaining.delete(urn);
            if (remaining.size === 0) {
                ready.push(dependent);
            }
        }
    }
    return ordered;
}
