/**
 * What changed between two renders of one stack, resource by resource, as `pulumi preview --diff` would
 * summarize it: created, updated (with the changed property paths) or deleted. Pure: it reads two lists of
 * {@link ResourceRecord}s, already redacted, and never sees a secret's value, so it can show none.
 */
import { SECRET_MARK, STACK_TYPE, UNKNOWN_MARK, type ResourceRecord } from "./contract";
import { compareStrings, isObject } from "../lib/json-values";

/** What `pulumi up` would do to a resource. */
export type ChangeOp = "create" | "update" | "delete";

/** One resource the base and head renders disagree on. */
export interface RecordChange {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly op: ChangeOp;
    /**
     * For an update: the input property paths that differ, in Pulumi's property path syntax (see
     * {@link formatPropertyPath}), keys in sorted order, then the labels of resource options that differ (see
     * {@link OPTION_LABELS}). Empty for a create or delete.
     */
    readonly paths: readonly string[];
}

/**
 * The resource options, besides inputs, whose change the engine acts on, and the label each is listed under
 * among an update's paths (parenthesized, so that no input path can look the same: a property path never
 * starts with "("). A changed provider can replace the resource; protect, retainOnDelete and
 * deleteBeforeReplace change what a later delete or replace does; ignoreChanges and additionalSecretOutputs
 * change which inputs the engine diffs and which outputs it stores encrypted. Left out on purpose:
 * `dependencies` (they order the steps of one `pulumi up`; the engine does not diff them, and a resource whose
 * only change is a new dependency gets a "same" step) and `unknownOutputs` (the render's own note of outputs a
 * preview cannot know: nothing the program sends).
 */
export const OPTION_LABELS = {
    provider: "(provider)",
    protect: "(protect)",
    retainOnDelete: "(retainOnDelete)",
    ignoreChanges: "(ignoreChanges)",
    deleteBeforeReplace: "(deleteBeforeReplace)",
    additionalSecretOutputs: "(additionalSecretOutputs)",
} as const satisfies Partial<Record<keyof ResourceRecord, string>>;

type OptionField = keyof typeof OPTION_LABELS;
const OPTION_FIELDS = Object.keys(OPTION_LABELS) as OptionField[];

/** One step of a property path: an object key or an array index. */
type PathSegment = string | number;

/** Key characters that need no quoting: Pulumi's `requiresQuote` (properties_path.go) is false for these alone. */
const PLAIN_KEY_CHARACTER = /^[A-Za-z0-9_]$/u;

/**
 * Appends one segment to a formatted path exactly as pulumi/pulumi's `PropertyPath.String()`
 * (sdk/go/common/resource/properties_path.go) writes it, so that the paths read like the engine's detailed diff
 * and can be pasted into `ignoreChanges`: an index as `[2]`; a key made only of ASCII letters, digits and `_` as
 * `.key` (bare at the start); any other key as `["key"]` with each `"` escaped as `\"` (nothing else is escaped,
 * as there). A key is quoted when any of its code points (Go ranges over runes) is outside that set.
 */
function appendSegment(path: string, segment: PathSegment): string {
    if (typeof segment === "number") {
        return `${path}[${segment}]`;
    }
    const characters = [...segment];
    if (characters.every((character) => PLAIN_KEY_CHARACTER.test(character))) {
        return path === "" ? segment : `${path}.${segment}`;
    }
    return `${path}["${characters.map((character) => (character === '"' ? '\\"' : character)).join("")}"]`;
}

/** A property path's text in Pulumi's syntax (`spec.result.options.deployments["tekton-results-api"].spec`). */
export function formatPropertyPath(segments: readonly PathSegment[]): string {
    return segments.reduce<string>(appendSegment, "");
}


/**
 * The deepest paths at which two input values differ, appended to `out`: a key present on one side only is that
 * key's path; an array whose length changed is the array's path (its elements no longer line up, so
 * element paths would mislead); same-length arrays are compared element by element; anything else that is not
 * equal (a changed leaf, or a value of another kind) is its own path. Marks compare as the strings they are: two
 * `[secret]`s are equal (a secret whose value changed but stayed secret cannot be seen in redacted records),
 * and so are two `(known after apply)`s (what they will become differs only if something they derive from does,
 * and that shows as its own change).
 */
function collectDifferences(base: unknown, head: unknown, path: string, out: string[]): void {
    if (Array.isArray(base) && Array.isArray(head)) {
        if (base.length !== head.length) {
            out.push(path);
            return;
        }
        base.forEach((element: unknown, index) => collectDifferences(element, head[index], appendSegment(path, index), out));
        return;
    }
    if (isObject(base) && isObject(head)) {
        const keys = [...new Set([...Object.keys(base), ...Object.keys(head)])].sort(compareStrings);
        for (const key of keys) {
            const child = appendSegment(path, key);
            if (!Object.hasOwn(base, key) || !Object.hasOwn(head, key)) {
                out.push(child);
            } else {
                collectDifferences(base[key], head[key], child, out);
            }
        }
        return;
    }
    if (base !== head) {
        out.push(path);
    }
}

function sameOption(base: ResourceRecord, head: ResourceRecord, field: OptionField): boolean {
    const a = base[field];
    const b = head[field];
    if (Array.isArray(a) && Array.isArray(b)) {
        // Both lists are sets to the engine: a reordering changes nothing.
        const sortedA = [...(a as readonly string[])].sort(compareStrings);
        const sortedB = [...(b as readonly string[])].sort(compareStrings);
        return sortedA.length === sortedB.length && sortedA.every((entry, index) => entry === sortedB[index]);
    }
    return a === b;
}

/** An update's paths: changed inputs, then changed options; empty when the engine would see no change. */
function changedPaths(base: ResourceRecord, head: ResourceRecord): string[] {
    const paths: string[] = [];
    collectDifferences(base.inputs, head.inputs, "", paths);
    for (const field of OPTION_FIELDS) {
        if (!sameOption(base, head, field)) {
            paths.push(OPTION_LABELS[field]);
        }
    }
    return paths;
}

const OP_ORDER: Readonly<Record<ChangeOp, number>> = { create: 0, update: 1, delete: 2 };

function change(record: ResourceRecord, op: ChangeOp, paths: readonly string[] = []): RecordChange {
    return { urn: record.urn, type: record.type, name: record.name, op, paths };
}

/**
 * The changes from the `base` render to the `head` render of one stack, matched by URN (as the engine matches
 * resources, aliases aside: a renamed resource is a delete and a create).
 *
 * The root stack resource (`pulumi:pulumi:Stack`) is listed only when it is created or deleted, i.e. when the
 * whole stack is new or gone (then every resource is a create, or a delete, and so is the stack, as
 * `pulumi preview` lists it); it has no inputs, so it is never an update.
 *
 * Sorted by operation (creates, updates, deletes), then by URN in code-unit order: a function of the two sets
 * of records alone, whatever order either list is in.
 */
export function diffRecords(base: readonly ResourceRecord[], head: readonly ResourceRecord[]): RecordChange[] {
    const baseByUrn = new Map(base.map((record) => [record.urn, record]));
    const headByUrn = new Map(head.map((record) => [record.urn, record]));
    const changes: RecordChange[] = [];
    for (const record of headByUrn.values()) {
        const before = baseByUrn.get(record.urn);
        if (before === undefined) {
            changes.push(change(record, "create"));
        } else if (record.type !== STACK_TYPE) {
            const paths = changedPaths(before, record);
            if (paths.length > 0) {
                changes.push(change(record, "update", paths));
            }
        }
    }
    for (const record of baseByUrn.values()) {
        if (!headByUrn.has(record.urn)) {
            changes.push(change(record, "delete"));
        }
    }
    return changes.sort((a, b) => OP_ORDER[a.op] - OP_ORDER[b.op] || compareStrings(a.urn, b.urn));
}

/** How a value absent on one side of a change reads. */
export const ABSENT_MARK = "(absent)";
/** Longest a described value is shown; longer ones are cut, with their length said. */
export const MAX_DESCRIBED_LENGTH = 80;

/**
 * Whether a value is or holds a redacted secret anywhere inside. A string that merely contains the mark counts
 * too: showing `[secret]` for a harmless string costs nothing, showing part of a secret cannot be undone.
 */
/** Whether a recorded value holds the secret mark anywhere inside. */
export function holdsSecret(value: unknown): boolean {
    if (typeof value === "string") {
        return value.includes(SECRET_MARK);
    }
    if (Array.isArray(value)) {
        return value.some(holdsSecret);
    }
    if (isObject(value)) {
        return Object.values(value).some(holdsSecret);
    }
    return false;
}

/** One side of a change as text: marks bare, other values as JSON, a secret anywhere inside as the mark alone. */
function describeValue(value: unknown, present: boolean): string {
    if (!present) {
        return ABSENT_MARK;
    }
    // Before any JSON of the value: an object holding a secret must not show its other members either.
    if (holdsSecret(value)) {
        return SECRET_MARK;
    }
    return shownValue(value, MAX_DESCRIBED_LENGTH);
}

/** A value as text: the unknown mark bare, anything else as JSON, cut to `maxLength` with its full length said. */
export function shownValue(value: unknown, maxLength: number): string {
    if (value === UNKNOWN_MARK) {
        return UNKNOWN_MARK;
    }
    const text = JSON.stringify(value) ?? String(value);
    if (text.length <= maxLength) {
        return text;
    }
    const suffix = `… (${text.length} chars)`;
    return `${text.slice(0, maxLength - suffix.length)}${suffix}`;
}

type Lookup = { readonly present: false } | { readonly present: true; readonly value: unknown };

/**
 * The value at a formatted path. Found by walking the value and formatting each path on the way (and only
 * descending where the text so far is a prefix), rather than parsing the text back: Pulumi's format does not
 * escape a backslash, so a key ending in one would not parse back, and walking cannot disagree with
 * {@link diffRecords}.
 */
function lookup(value: unknown, target: string, path = ""): Lookup {
    if (path === target) {
        return { present: true, value };
    }
    const children: readonly (readonly [PathSegment, unknown])[] = Array.isArray(value)
        ? value.map((element: unknown, index) => [index, element] as const)
        : isObject(value) ? Object.entries(value) : [];
    for (const [segment, child] of children) {
        const childPath = appendSegment(path, segment);
        if (target.startsWith(childPath)) {
            const found = lookup(child, target, childPath);
            if (found.present) {
                return found;
            }
        }
    }
    return { present: false };
}

function sideOf(record: ResourceRecord, path: string): Lookup {
    const field = OPTION_FIELDS.find((candidate) => OPTION_LABELS[candidate] === path);
    return field === undefined ? lookup(record.inputs, path) : { present: true, value: record[field] };
}

/**
 * One changed path of an update as `before → after`, e.g. `"db.t4g.small" → "db.m7g.large"`. `path` is one of
 * the change's {@link RecordChange.paths}: an input path or an option label. A side where the path does not
 * exist reads `(absent)`; a side that is or holds a secret reads `[secret]` and nothing of its value (records
 * are redacted: the mark is all there is, and a parent object holding it is shown as the mark alone, never as
 * JSON); values longer than {@link MAX_DESCRIBED_LENGTH} are cut.
 */
export function describeChange(base: ResourceRecord, head: ResourceRecord, path: string): string {
    const before = sideOf(base, path);
    const after = sideOf(head, path);
    return `${describeValue(before.present ? before.value : undefined, before.present)} → ${describeValue(after.present ? after.value : undefined, after.present)}`;
}
