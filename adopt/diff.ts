/**
 * What the first `pulumi up` changes in an imported Kubernetes object: its live state compared with the rendered
 * inputs on the paths the render sets, which is what a server-side apply writes. A field the render does not set is
 * left alone by server-side apply and is not compared: so neither is anything the server sets (status,
 * metadata.managedFields, resourceVersion, uid, creationTimestamp, generation) or another manager adds (annotations
 * such as kubectl.kubernetes.io/last-applied-configuration, the operator's labels). A Secret's values are never
 * shown: only `[secret]`, on both sides.
 */
import { formatPropertyPath, holdsSecret, shownValue } from "../render/record-diff";
import { SECRET_MARK, UNKNOWN_MARK } from "../render/contract";
import { isObject } from "../lib/json-values";
import type { LiveObject } from "./inputs";

/** One path the first up changes. */
export interface FieldChange {
    /** Pulumi's property path syntax (`spec.trigger.disabled`, `metadata.labels["app.kubernetes.io/part-of"]`). */
    readonly path: string;
    /** The live value as text, `(absent)` when the object lacks the path. */
    readonly live: string;
    /** The rendered value as text. */
    readonly rendered: string;
}

/** How a path absent on the live side reads. */
export const ABSENT = "(absent)";
/** Longest value shown; longer ones are cut with their length said. */
const MAX_SHOWN = 160;

/** Server-set or identity fields never compared, even if a render were to set them. */
const NEVER_COMPARED: readonly (readonly string[])[] = [
    ["apiVersion"], ["kind"], ["status"], ["metadata", "name"], ["metadata", "namespace"], ["metadata", "managedFields"], ["metadata", "resourceVersion"],
    ["metadata", "uid"], ["metadata", "creationTimestamp"], ["metadata", "generation"], ["metadata", "selfLink"],
    ["metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"],
];

/** The Secret fields whose values may be shown: labels and annotations, its type and immutability. */
const SECRET_SHOWN_ROOTS: ReadonlySet<string> = new Set(["metadata", "type", "immutable"]);

type Segment = string | number;

function isEmpty(value: unknown): boolean {
    return (Array.isArray(value) && value.length === 0) || (isObject(value) && Object.keys(value).length === 0);
}

function isNeverCompared(segments: readonly Segment[]): boolean {
    return NEVER_COMPARED.some((skip) => skip.length === segments.length && skip.every((segment, index) => segment === segments[index]));
}

/**
 * Values compare as Kubernetes stores them: equal JSON, except that an element of a rendered list is compared
 * only on the keys it sets (the server fills in defaults inside list elements, e.g. a port's protocol).
 */
function sameValue(live: unknown, rendered: unknown): boolean {
    if (Array.isArray(rendered) && Array.isArray(live)) {
        return rendered.length === live.length && rendered.every((element: unknown, index) => sameValue(live[index], element));
    }
    if (isObject(rendered) && isObject(live)) {
        return Object.keys(rendered).every((key) => Object.hasOwn(live, key) && sameValue(live[key], rendered[key]));
    }
    return JSON.stringify(live) === JSON.stringify(rendered);
}

interface Walk {
    readonly secret: boolean;
    readonly out: FieldChange[];
}

function record(walk: Walk, segments: readonly Segment[], live: unknown, livePresent: boolean, rendered: unknown): void {
    const path = formatPropertyPath(segments);
    const hidden = (walk.secret && !SECRET_SHOWN_ROOTS.has(String(segments[0]))) || holdsSecret(rendered);
    const liveText = !livePresent ? ABSENT : hidden ? SECRET_MARK : shownValue(live, MAX_SHOWN);
    walk.out.push({ path, live: liveText, rendered: hidden ? SECRET_MARK : shownValue(rendered, MAX_SHOWN) });
}

/**
 * Walks the rendered value: objects key by key (a key the render does not set is not compared), anything else
 * compared whole. A rendered value known only after apply is compared only for presence.
 */
function walkRendered(walk: Walk, segments: readonly Segment[], live: unknown, livePresent: boolean, rendered: unknown): void {
    if (isNeverCompared(segments)) {
        return;
    }
    if (rendered === UNKNOWN_MARK) {
        if (!livePresent) {
            record(walk, segments, live, livePresent, rendered);
        }
        return;
    }
    if (!livePresent && isEmpty(rendered)) {
        // An empty list or map where the live object has none: the same to the API server, nothing to write.
        return;
    }
    if (isObject(rendered)) {
        const liveObject = livePresent && isObject(live) ? live : undefined;
        if (livePresent && liveObject === undefined) {
            record(walk, segments, live, livePresent, rendered);
            return;
        }
        for (const key of Object.keys(rendered).sort()) {
            const present = liveObject !== undefined && Object.hasOwn(liveObject, key);
            walkRendered(walk, [...segments, key], present ? liveObject[key] : undefined, present, rendered[key]);
        }
        return;
    }
    if (!livePresent || !sameValue(live, rendered)) {
        record(walk, segments, live, livePresent, rendered);
    }
}

/** Whether a live object is a Secret (every value of it is hidden). */
export function isSecretObject(object: Pick<LiveObject, "apiVersion" | "kind">): boolean {
    return object.kind === "Secret" && object.apiVersion === "v1";
}

/**
 * The paths the first up changes in `live` to make it `rendered` (a Kubernetes resource's inputs), sorted by path.
 * A rendered Secret's data is always listed, as `[secret]` on both sides: the render does not show it, so whether the
 * values already match cannot be told.
 */
export function diffLiveObject(live: LiveObject, rendered: Readonly<Record<string, unknown>>): FieldChange[] {
    const walk: Walk = { secret: isSecretObject(live), out: [] };
    for (const key of Object.keys(rendered).sort()) {
        const present = Object.hasOwn(live, key);
        const renderedValue = rendered[key];
        if (walk.secret && (key === "stringData" || key === "data")) {
            // stringData is write-only: the API server merges it into data, so the live side is data.
            const liveData = (live as Record<string, unknown>).data;
            const hasData = isObject(liveData) && Object.keys(liveData).length > 0;
            walk.out.push({ path: key, live: hasData ? SECRET_MARK : ABSENT, rendered: SECRET_MARK });
            continue;
        }
        walkRendered(walk, [key], present ? (live as Record<string, unknown>)[key] : undefined, present, renderedValue);
    }
    return walk.out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
