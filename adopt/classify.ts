/**
 * Each custom resource of the render, imported (it exists: with its import ID and its changes) or created new (and
 * why), or a stop when adopt does not know its type.
 */
import { STACK_TYPE, UNKNOWN_MARK, type ResourceRecord } from "../render/contract";
import type { RenderedObject } from "./conflicts";
import { diffLiveObject } from "./diff";
import { importRuleOf, type Presence } from "./import-ids";
import { keyString, qualifiedName, stringAt, type AwsDump, type LiveObject } from "./inputs";
import type { CreatedResource, ImportedResource, ObjectChanges } from "./report";

/** What a rendered resource is, as a person finds it: its object's place, or its AWS physical name. */
export function describe(record: ResourceRecord, rendered: RenderedObject | undefined, lookup: (urn: string) => ResourceRecord | undefined): string {
    if (rendered !== undefined) {
        return qualifiedName(rendered);
    }
    const input = (key: string): string | undefined => {
        const value = stringAt(record.inputs, key);
        return value === UNKNOWN_MARK ? undefined : value;
    };
    switch (record.type) {
        case "aws:iam/userPolicy:UserPolicy":
            return `${input("user") ?? "?"}:${input("name") ?? "?"}`;
        case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
            return `${input("role") ?? "?"}/${input("policyArn") ?? "?"}`;
        case "aws:iam/accessKey:AccessKey":
            return `of user ${input("user") ?? "?"}`;
        default:
            break;
    }
    if (record.type.startsWith("aws:s3/") && record.type !== "aws:s3/bucket:Bucket") {
        // A bucket companion: its bucket is its own input or, in a render, an output of the bucket it depends on.
        const bucket = record.dependencies.map(lookup).find((dependency) => dependency?.type === "aws:s3/bucket:Bucket");
        const bucketName = input("bucket") ?? (bucket === undefined ? undefined : stringAt(bucket.inputs, "bucket"));
        const metric = record.type === "aws:s3/bucketMetric:BucketMetric" ? `${input("name") ?? "?"} ` : "";
        return `${metric}of bucket ${bucketName ?? "?"}`;
    }
    return input("identifier") ?? input("bucket") ?? input("name") ?? record.name;
}

export interface Classified {
    readonly imported: Map<string, ImportedResource>;
    readonly created: Map<string, { readonly record: ResourceRecord; readonly what: string; readonly reason: CreatedResource["reason"]; readonly why?: string; readonly consequence?: string }>;
    readonly changes: ObjectChanges[];
    readonly stops: string[];
}

/** The Kubernetes object of a render record, with the live object of the same kind, namespace and name. */
function classifyKubernetes(object: RenderedObject, live: ReadonlyMap<string, LiveObject>, skip: ReadonlySet<string>, into: Classified): void {
    const key = keyString(object);
    const existing = live.get(key);
    const what = `${object.groupKind.slice(object.groupKind.indexOf("/") + 1)} ${qualifiedName(object)}`;
    if (existing !== undefined && skip.has(key)) {
        into.created.set(object.record.urn, { record: object.record, what: qualifiedName(object), reason: "not-importable",
            why: "the program writes the key it generates into its own copy", consequence: "exists, and is never imported in key mode: resolve the stop above first" });
        return;
    }
    if (existing === undefined) {
        into.created.set(object.record.urn, { record: object.record, what: qualifiedName(object), reason: "absent" });
        return;
    }
    into.imported.set(object.record.urn, { type: object.record.type, urn: object.record.urn, name: object.record.name, what: qualifiedName(object), id: qualifiedName(object) });
    into.changes.push({ type: object.record.type, urn: object.record.urn, what, changes: diffLiveObject(existing, object.record.inputs) });
}

/** A non-Kubernetes custom resource: through the import table. */
function classifyOther(record: ResourceRecord, aws: AwsDump | undefined, lookup: (urn: string) => ResourceRecord | undefined, into: Classified): void {
    const rule = importRuleOf(record.type);
    const what = describe(record, undefined, lookup);
    if (rule === undefined) {
        into.stops.push(`adopt does not know how to find ${record.type} (${record.urn}): classify the type in adopt/import-ids.ts (its import ID, or why it cannot be imported).`);
        return;
    }
    if (!rule.importable) {
        into.created.set(record.urn, { record, what, reason: "not-importable", why: rule.why });
        return;
    }
    if (aws === undefined) {
        into.created.set(record.urn, { record, what, reason: "not-checked", why: "no --aws dump" });
        return;
    }
    const presence: Presence = rule.find(record, aws, lookup);
    if (presence.state === "exists") {
        into.imported.set(record.urn, { type: record.type, urn: record.urn, name: record.name, what, id: presence.id });
    } else if (presence.state === "absent") {
        into.created.set(record.urn, { record, what, reason: "absent" });
    } else {
        into.created.set(record.urn, { record, what, reason: "not-checked", why: presence.why });
    }
}

/** Every custom resource of the render (but the stack and providers): imported, created, or (unclassified) a stop. */
export function classifyAll(resources: readonly ResourceRecord[], rendered: readonly RenderedObject[], live: ReadonlyMap<string, LiveObject>, skip: ReadonlySet<string>,
    aws: AwsDump | undefined, stops: readonly string[]): Classified {
    const classified: Classified = { imported: new Map(), created: new Map(), changes: [], stops: [...stops] };
    const byUrn = new Map(resources.map((record) => [record.urn, record]));
    const renderedByUrn = new Map(rendered.map((object) => [object.record.urn, object]));
    for (const record of resources) {
        if (!record.custom || record.type === STACK_TYPE || record.type.startsWith("pulumi:providers:")) {
            continue;
        }
        const object = renderedByUrn.get(record.urn);
        if (object !== undefined) {
            classifyKubernetes(object, live, skip, classified);
        } else {
            classifyOther(record, aws, (urn) => byUrn.get(urn), classified);
        }
    }
    return classified;
}
