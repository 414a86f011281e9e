/**
 * The engine's step for each resource two renders of a stack disagree on: create, update, replace or delete, why a
 * replace happens and whether it deletes first, what it destroys (stateful.ts), whether `up` stops at a protected
 * resource, and what a delete-first step will fail on. Pure over two lists of records.
 */
import { providerUrnOf } from "../analyzer/records";
import { SECRET_MARK, UNKNOWN_MARK, type ResourceRecord } from "../render/contract";
import { diffRecords, type RecordChange } from "../render/record-diff";
import { touches } from "./property-paths";
import { kubernetesSettings, replacedWithProviderRegion, replaceVerdict } from "./replacement";
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
    /**
     * Inputs whose value is a mark (`[secret]`, unknown) on a side and now comes from other resources: the URNs before
     * and after, by top-level input (the render's propertyDependencies). The value itself is never known here.
     */
    readonly provenance: Readonly<Record<string, { readonly from: readonly string[]; readonly to: readonly string[] }>>;
    /** The base URN this resource had, when it was renamed with an alias (the engine updates it in place). */
    readonly renamedFrom: string | null;
}

/** The updates record-diff found, with the inputs whose source changed added as changed paths (an update of its own if needed). */
function mergeProvenance(changes: readonly RecordChange[], provenance: ReadonlyMap<string, Step["provenance"]>, headByUrn: ReadonlyMap<string, ResourceRecord>): RecordChange[] {
    const merged = changes.map((change) => {
        const keys = Object.keys(provenance.get(change.urn) ?? {});
        return change.op === "update" && keys.length > 0 ? { ...change, paths: [...new Set([...change.paths, ...keys])].sort() } : change;
    });
    for (const [urn, found] of provenance) {
        const after = headByUrn.get(urn) as ResourceRecord;
        if (!changes.some((change) => change.urn === urn)) {
            merged.push({ urn, type: after.type, name: after.name, op: "update", paths: Object.keys(found).sort() });
        }
    }
    return merged;
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

/** Whether a value holds a mark anywhere (its content cannot be compared). */
function holdsMark(value: unknown): boolean {
    if (value === SECRET_MARK || value === UNKNOWN_MARK) {
        return true;
    }
    return value !== null && typeof value === "object" && Object.values(value).some(holdsMark);
}

/** The top-level inputs whose marked value now comes from other resources (propertyDependencies differ). */
function provenanceOf(before: ResourceRecord, after: ResourceRecord): Step["provenance"] {
    const out: Record<string, { from: readonly string[]; to: readonly string[] }> = {};
    for (const key of Object.keys(after.inputs)) {
        const from = before.propertyDependencies[key] ?? [];
        const to = after.propertyDependencies[key] ?? [];
        if ((holdsMark(before.inputs[key]) || holdsMark(after.inputs[key])) && from.join("\n") !== to.join("\n")) {
            out[key] = { from, to };
        }
    }
    return out;
}

/**
 * The base as the engine matches it against the head: a base resource that a head resource names among its aliases
 * takes that resource's URN (pulumi/pulumi step_generator.go: the old state is found through the alias, so the resource
 * is updated, not deleted and created). Returns the base and, per new URN, the old one.
 */
function throughAliases(base: readonly ResourceRecord[], head: readonly ResourceRecord[]): { base: ResourceRecord[]; renamed: Map<string, string> } {
    const headUrns = new Set(head.map((record) => record.urn));
    const byAlias = new Map(head.flatMap((record) => record.aliases.filter((alias) => !headUrns.has(alias)).map((alias) => [alias, record.urn] as const)));
    const renamed = new Map<string, string>();
    const matched = base.map((record) => {
        const urn = headUrns.has(record.urn) ? undefined : byAlias.get(record.urn);
        if (urn === undefined) {
            return record;
        }
        renamed.set(urn, record.urn);
        return { ...record, urn };
    });
    return { base: matched, renamed };
}

/** A changed path the engine does not see: under an `ignoreChanges` path of the resource (`*`: all of them). */
function ignored(record: ResourceRecord, path: string): boolean {
    const under = (ignore: string): boolean => {
        try {
            return touches(ignore, path) && ignore.length <= path.length;
        } catch {
            return false; // a path this parser cannot read is left to the engine (it is shown, not hidden)
        }
    };
    return !path.startsWith("(") && record.ignoreChanges.some((ignore) => ignore === "*" || under(ignore));
}

/** The steps a `pulumi up` from `base` to `head` takes for one stack, in record-diff's order. */
export function predictSteps(unaliasedBase: readonly ResourceRecord[], head: readonly ResourceRecord[]): Step[] {
    const { base, renamed } = throughAliases(unaliasedBase, head);
    const baseByUrn = new Map(base.map((record) => [record.urn, record]));
    const headByUrn = new Map(head.map((record) => [record.urn, record]));
    const settings = kubernetesSettings(head.find((record) => record.type === "pulumi:providers:kubernetes"));
    const provenance = new Map(head.flatMap((after) => {
        const before = baseByUrn.get(after.urn);
        const found = before === undefined ? {} : provenanceOf(before, after);
        return Object.keys(found).length > 0 ? [[after.urn, found] as const] : [];
    }));
    const changes = mergeProvenance(diffRecords(base, head), provenance, headByUrn)
        .map((change) => (change.op === "update" ? { ...change, paths: change.paths.filter((path) => !ignored(headByUrn.get(change.urn) as ResourceRecord, path)) } : change))
        .filter((change) => change.op !== "update" || change.paths.length > 0);
    const verdicts = new Map(changes.filter((change) => change.op === "update").map((change) => {
        const before = baseByUrn.get(change.urn) as ResourceRecord;
        const after = headByUrn.get(change.urn) as ResourceRecord;
        return [change.urn, replaceVerdict(before, after, change.paths, settings)] as const;
    }));
    const replacedProviders = new Set([...verdicts].filter(([urn, verdict]) => verdict.replaceBecause.length > 0 && urn.includes("::pulumi:providers:")).map(([urn]) => urn));
    // An AWS provider whose region changes is updated, and every regional resource on it replaced (its own region).
    const movedAwsProviders = new Set(changes.filter((change) => change.type === "pulumi:providers:aws" && change.paths.includes("region")).map((change) => change.urn));
    const movedWithProvider = (record: ResourceRecord | undefined): boolean => record !== undefined && movedAwsProviders.has(providerUrnOf(record.provider) ?? "") && replacedWithProviderRegion(record.type);
    const steps: Step[] = [];
    // Resources the render did not change, on a provider that is replaced (or moved to another region): the engine
    // replaces them too, so they are steps with no changed path of their own.
    const changed = new Set(changes.map((change) => change.urn));
    const cascaded = base.filter((before) => !changed.has(before.urn) && headByUrn.has(before.urn)
        && (replacedProviders.has(providerUrnOf(before.provider) ?? "") || movedWithProvider(before)))
        .map((before): RecordChange => ({ urn: before.urn, type: before.type, name: before.name, op: "update", paths: [] }));
    for (const change of [...changes, ...cascaded]) {
        const before = baseByUrn.get(change.urn);
        const verdict = verdicts.get(change.urn);
        const onReplacedProvider = before !== undefined && replacedProviders.has(providerUrnOf(before.provider) ?? "");
        const moved = change.op === "update" && movedWithProvider(before);
        if (verdict?.noChange === true && !onReplacedProvider && !moved) {
            continue;
        }
        const because = [...(verdict?.replaceBecause ?? []), ...(onReplacedProvider ? ["(provider replaced)"] : []), ...(moved ? ["region (the provider's)"] : [])];
        const op: StepOp = change.op === "update" && because.length > 0 ? "replace" : change.op;
        const deleteFirst = op === "replace" && ((verdict?.deleteBeforeReplace ?? false) || ((onReplacedProvider || moved) && (before?.deleteBeforeReplace ?? false)));
        const lost = before !== undefined && (op === "replace" || op === "delete") ? statefulFactOf(before) : undefined;
        steps.push({
            urn: change.urn, type: change.type, name: change.name, op, paths: change.paths, replaceBecause: because, deleteBeforeReplace: deleteFirst,
            dataLoss: lost?.reason ?? null, protected: before !== undefined && (op === "replace" || op === "delete") && before.protect,
            notes: [...(renamed.has(change.urn) ? [`the same resource as ${renamed.get(change.urn) ?? ""}, through its alias`] : []), ...(before === undefined ? [] : notesOf(op, deleteFirst, before, head))],
            provenance: provenance.get(change.urn) ?? {},
            renamedFrom: renamed.get(change.urn) ?? null,
        });
    }
    return steps;
}
