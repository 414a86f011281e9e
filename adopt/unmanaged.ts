/** The live neighbours the program will not manage: the report's "unmanaged" section. */
import { compareStrings } from "../lib/json-values";
import type { RenderedObject } from "./conflicts";
import { keyOfLive, keyString, type LiveObject } from "./inputs";
import type { UnmanagedObject } from "./report";

/** The labels the program puts on every Kubernetes object (components/shared/labels.ts). */
const PART_OF = ["app.kubernetes.io/part-of", "pipeline-service"] as const;

/** Live objects of kinds the program manages, where it manages them, that it will not manage. */
export function unmanagedObjects(live: readonly LiveObject[], rendered: readonly RenderedObject[], excluded: ReadonlySet<string>, notes: ReadonlyMap<string, string>): UnmanagedObject[] {
    const scopes = new Set(rendered.map((object) => `${object.groupKind}|${object.namespace}`));
    const kinds = new Set(rendered.map((object) => object.groupKind));
    const renderedKeys = new Set(rendered.map((object) => keyString(object)));
    const unmanaged: UnmanagedObject[] = [];
    for (const object of live) {
        const key = keyOfLive(object);
        const text = keyString(key);
        if (renderedKeys.has(text) || excluded.has(text) || !kinds.has(key.groupKind)) {
            continue;
        }
        const ours = object.metadata.labels?.[PART_OF[0]] === PART_OF[1];
        // Cluster-scoped objects are the whole cluster's: only those carrying the program's labels are its business.
        const inScope = key.namespace !== "" && scopes.has(`${key.groupKind}|${key.namespace}`);
        if (!inScope && !ours) {
            continue;
        }
        const owner = object.metadata.ownerReferences?.[0];
        const note = notes.get(text) ?? (ours ? "carries the program's labels but the program no longer creates it: delete it if nothing uses it"
            : owner === undefined ? undefined : `owned by ${owner.kind} ${owner.name}`);
        unmanaged.push({ kind: key.groupKind, namespace: key.namespace, name: key.name, ...(note === undefined ? {} : { note }) });
    }
    return unmanaged.sort((a, b) => compareStrings(a.kind, b.kind) || compareStrings(a.namespace, b.namespace) || compareStrings(a.name, b.name));
}
