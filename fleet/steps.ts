/**
 * The engine's step for each resource two renders of a stack disagree on: create, update, replace or delete, why a
 * replace happens and whether it deletes first, what it destroys (stateful.ts), whether `up` stops at a protected
 * resource, and what a delete-first step will fail on. Pure over two lists of records.
 */
import type { ResourceRecord } from "../render/contract";
import { diffRecords } from "../render/record-diff";
import { kubernetesSettings, replaceVerdict } from "./replacement";
import { statefulFactOf } from "./stateful";

export type StepOp = "create" | "update" | "replace" | "delete";

/** One step (the `--json` contract of a change). */
export interface Step {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly op: StepOp;
    /** The changed paths (and option labels) of an update or replace; empty for a create or delete. */
    readonly paths: readonly string[];
    /** The property paths that force the replacement (`(provider replaced)` when the resource's provider is). */
    readonly replaceBecause: readonly string[];
    readonly deleteBeforeReplace: boolean;
    /** What a delete or replace destroys; null when nothing stateful is lost. */
    readonly dataLoss: string | null;
    /** The resource is protected: `up` stops at this step. */
    readonly protected: boolean;
    /** What else the reader must know: a delete-first step that will fail, what retainOnDelete leaves behind. */
    readonly notes: readonly string[];
}

function providerUrn(reference: string | null): string | undefined {
    return reference === null ? undefined : reference.slice(0, reference.lastIndexOf("::"));
}

function notesOf(op: StepOp, deleteFirst: boolean, before: ResourceRecord, others: readonly ResourceRecord[]): string[] {
    const notes: string[] = [];
    if ((op === "replace" || op === "delete") && before.retainOnDelete) {
        notes.push("retainOnDelete: the old resource is left behind in the cloud, unmanaged, not deleted");
    }
    if (op === "delete" || (op === "replace" && deleteFirst)) {
        if (before.type === "aws:s3/bucket:Bucket" && before.inputs.forceDestroy !== true) {
            notes.push("a bucket that holds objects cannot be deleted without forceDestroy: the step fails until it is emptied");
        }
        const users = others.filter((record) => record.urn !== before.urn && record.dependencies.includes(before.urn) && record.type.startsWith("aws:"));
        if (op === "replace" && before.type.startsWith("aws:") && users.length > 0) {
            notes.push(`still in use by ${users.map((record) => record.name).join(", ")}: deleting it first fails while they use it`);
        }
    }
    return notes;
}

/** The steps a `pulumi up` from `base` to `head` takes for one stack, in record-diff's order. */
export function predictSteps(base: readonly ResourceRecord[], head: readonly ResourceRecord[]): Step[] {
    const baseByUrn = new Map(base.map((record) => [record.urn, record]));
    const headByUrn = new Map(head.map((record) => [record.urn, record]));
    const settings = kubernetesSettings(head.find((record) => record.type === "pulumi:providers:kubernetes"));
    const changes = diffRecords(base, head);
    const verdicts = new Map(changes.filter((change) => change.op === "update").map((change) => {
        const before = baseByUrn.get(change.urn) as ResourceRecord;
        const after = headByUrn.get(change.urn) as ResourceRecord;
        return [change.urn, replaceVerdict(before, after, change.paths, settings)] as const;
    }));
    const replacedProviders = new Set([...verdicts].filter(([urn, verdict]) => verdict.replaceBecause.length > 0 && urn.includes("::pulumi:providers:")).map(([urn]) => urn));
    const steps: Step[] = [];
    const seen = new Set<string>();
    for (const change of changes) {
        seen.add(change.urn);
        const before = baseByUrn.get(change.urn);
        const verdict = verdicts.get(change.urn);
        const onReplacedProvider = before !== undefined && replacedProviders.has(providerUrn(before.provider) ?? "");
        if (verdict?.noChange === true && !onReplacedProvider) {
            continue;
        }
        const because = [...(verdict?.replaceBecause ?? []), ...(onReplacedProvider ? ["(provider replaced)"] : [])];
        const op: StepOp = change.op === "update" && because.length > 0 ? "replace" : change.op;
        const deleteFirst = op === "replace" && ((verdict?.deleteBeforeReplace ?? false) || (onReplacedProvider && (before?.deleteBeforeReplace ?? false)));
        const lost = before !== undefined && (op === "replace" || op === "delete") ? statefulFactOf(before) : undefined;
        steps.push({
            urn: change.urn, type: change.type, name: change.name, op, paths: change.paths, replaceBecause: because, deleteBeforeReplace: deleteFirst,
            dataLoss: lost?.reason ?? null, protected: before !== undefined && (op === "replace" || op === "delete") && before.protect,
            notes: before === undefined ? [] : notesOf(op, deleteFirst, before, head),
        });
    }
    // Resources the render did not change, on a provider that is replaced: the engine replaces them too.
    for (const before of base) {
        const after = headByUrn.get(before.urn);
        if (!seen.has(before.urn) && after !== undefined && replacedProviders.has(providerUrn(before.provider) ?? "")) {
            const lost = statefulFactOf(before);
            steps.push({
                urn: before.urn, type: before.type, name: before.name, op: "replace", paths: [], replaceBecause: ["(provider replaced)"],
                deleteBeforeReplace: before.deleteBeforeReplace, dataLoss: lost?.reason ?? null, protected: before.protect, notes: notesOf("replace", before.deleteBeforeReplace, before, head),
            });
        }
    }
    return steps;
}
