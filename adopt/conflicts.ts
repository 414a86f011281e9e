/**
 * What already runs under another name than the program's, so that adopting would duplicate it (a second
 * Subscription to the operator, a second database) or have two writers fight over one object (an ExternalSecret that
 * writes a Secret the program writes). Each is a reason to stop before importing: the report says what to do.
 */
import { STACK_TYPE, type ResourceRecord } from "../render/contract";
import { groupKindOfType } from "./kinds";
import { keyOfLive, qualifiedName, stringAt, valueAt, type AwsDump, type LiveObject } from "./inputs";

/** One thing that exists under another name. */
export interface Conflict {
    /** The render's resource it duplicates or fights with. */
    readonly type: string;
    readonly urn: string;
    /** What exists: `Subscription openshift-operators/openshift-pipelines`, `RDS instance old-db`. */
    readonly existing: string;
    /** Why it conflicts. */
    readonly why: string;
    /** What to do before running adopt again. */
    readonly resolve: string;
}

/** A rendered Kubernetes object: its record and its manifest's identity. */
export interface RenderedObject {
    readonly record: ResourceRecord;
    readonly groupKind: string;
    readonly namespace: string;
    readonly name: string;
}

/** The rendered Kubernetes objects of a render. */
export function renderedObjects(resources: readonly ResourceRecord[]): RenderedObject[] {
    return resources.flatMap((record) => {
        const groupKind = record.custom && record.type !== STACK_TYPE ? groupKindOfType(record.type) : undefined;
        const name = stringAt(record.inputs, "metadata", "name");
        return groupKind === undefined || name === undefined ? [] : [{ record, groupKind, namespace: stringAt(record.inputs, "metadata", "namespace") ?? "", name }];
    });
}

function label(object: LiveObject): string {
    return `${object.kind} ${qualifiedName(keyOfLive(object))}`;
}

function sameKey(object: LiveObject, rendered: RenderedObject): boolean {
    const key = keyOfLive(object);
    return key.groupKind === rendered.groupKind && key.namespace === rendered.namespace && key.name === rendered.name;
}

/** Live objects of `groupKind` that are not the rendered object itself but match it by `matches`. */
function others(live: readonly LiveObject[], rendered: RenderedObject, matches: (object: LiveObject) => boolean): LiveObject[] {
    return live.filter((object) => keyOfLive(object).groupKind === rendered.groupKind && !sameKey(object, rendered) && matches(object));
}

function conflict(rendered: RenderedObject, object: LiveObject, why: string, resolve: string): Conflict {
    return { type: rendered.record.type, urn: rendered.record.urn, existing: label(object), why, resolve };
}

/** The hosts of an Ingress's rules. */
export function ingressHosts(object: LiveObject | Readonly<Record<string, unknown>>): string[] {
    const rules = valueAt(object, "spec", "rules");
    return Array.isArray(rules) ? rules.map((rule: unknown) => stringAt(rule, "host")).filter((host): host is string => host !== undefined) : [];
}

/** The Secret an ExternalSecret writes: `spec.target.name`, else its own name. */
function externalSecretTarget(object: LiveObject | Readonly<Record<string, unknown>>): string | undefined {
    return stringAt(object, "spec", "target", "name") ?? stringAt(object, "metadata", "name");
}

/** One kind's rule: the live objects that duplicate the rendered object, each as a conflict. */
type SameThingRule = (rendered: RenderedObject, live: readonly LiveObject[]) => Conflict[];

/** What counts as the same thing under another name, per kind the program creates. */
const SAME_THING_RULES: Readonly<Record<string, SameThingRule>> = {
    "operator.tekton.dev/TektonConfig": (object, live) => others(live, object, () => true).map((other) => conflict(object, other,
        `a TektonConfig not named ${object.name}: the operator reconciles ${object.name} only, and the program creates it`,
        `find out what created it and delete it (oc delete tektonconfig ${other.metadata.name}) once nothing depends on it`)),
    "operators.coreos.com/Subscription": (object, live) => {
        const pkg = stringAt(object.record.inputs, "spec", "name");
        return others(live, object, (candidate) => stringAt(candidate, "spec", "name") === pkg).map((other) => conflict(object, other,
            `a Subscription to ${pkg ?? "the operator"} under another name than the program's ${qualifiedName(object)}: the first up would add a second one for the same operator`,
            `delete it (oc -n ${other.metadata.namespace ?? ""} delete subscription ${other.metadata.name}): OLM leaves the installed CSV and the running operator alone; `
            + "then run adopt again, which lists the program's Subscription as created new"));
    },
    "operators.coreos.com/CatalogSource": (object, live) => {
        const image = stringAt(object.record.inputs, "spec", "image");
        return others(live, object, (candidate) => image !== undefined && stringAt(candidate, "spec", "image") === image).map((other) => conflict(object, other,
            `serves the same index image as the program's CatalogSource ${qualifiedName(object)}: it would run twice`,
            `delete it once no Subscription uses it (oc -n ${other.metadata.namespace ?? ""} delete catalogsource ${other.metadata.name})`));
    },
    "networking.k8s.io/Ingress": (object, live) => {
        const hosts = new Set(ingressHosts(object.record.inputs));
        return others(live, object, (candidate) => ingressHosts(candidate).some((host) => hosts.has(host))).map((other) => conflict(object, other,
            `claims the Results API host ${[...hosts].join(", ")}, which the program's Ingress ${qualifiedName(object)} claims`,
            `delete it (oc -n ${other.metadata.namespace ?? ""} delete ingress ${other.metadata.name}) right before the first up, or give resultsApi.host another name`));
    },
};

/**
 * Two writers of one Secret: an ExternalSecret the program does not manage, writing a Secret the program writes
 * (itself, or through its own ExternalSecret).
 */
function secondWriters(rendered: readonly RenderedObject[], live: readonly LiveObject[]): Conflict[] {
    const renderedKeys = new Set(rendered.map((object) => `${object.groupKind}|${object.namespace}|${object.name}`));
    const writtenSecrets = new Map<string, RenderedObject>();
    for (const object of rendered) {
        if (object.groupKind === "core/Secret") {
            writtenSecrets.set(`${object.namespace}/${object.name}`, object);
        } else if (object.groupKind === "external-secrets.io/ExternalSecret") {
            writtenSecrets.set(`${object.namespace}/${externalSecretTarget(object.record.inputs) ?? object.name}`, object);
        }
    }
    return live.flatMap((other) => {
        const key = keyOfLive(other);
        if (key.groupKind !== "external-secrets.io/ExternalSecret" || renderedKeys.has(`${key.groupKind}|${key.namespace}|${key.name}`)) {
            return [];
        }
        const target = `${key.namespace}/${externalSecretTarget(other) ?? key.name}`;
        const writer = writtenSecrets.get(target);
        return writer === undefined ? [] : [conflict(writer, other,
            `writes Secret ${target}, which the program ${writer.groupKind === "core/Secret" ? "writes" : `writes through ExternalSecret ${qualifiedName(writer)}`}: the two would overwrite each other`,
            `delete it, but orphan the Secret first if its creationPolicy is Owner (deleting it deletes the Secret): oc -n ${key.namespace} patch externalsecret ${key.name} `
            + "--type merge -p '{\"spec\":{\"target\":{\"creationPolicy\":\"Orphan\"}}}', then oc delete it")];
    });
}

/** Kubernetes objects that exist under another name than the program's, or that write what the program writes. */
export function kubernetesConflicts(rendered: readonly RenderedObject[], live: readonly LiveObject[]): Conflict[] {
    const sameThings = rendered.flatMap((object) => SAME_THING_RULES[object.groupKind]?.(object, live) ?? []);
    return [...sameThings, ...secondWriters(rendered, live)];
}

function tag(tags: readonly { readonly Key: string; readonly Value: string }[] | undefined, key: string): string | undefined {
    return tags?.find((entry) => entry.Key === key)?.Value;
}

/**
 * AWS resources that exist for this cluster under another name: an RDS instance tagged `cluster: <clusterName>` with the
 * rendered instance's `component` tag, or a bucket whose name holds the cluster name and `tekton-results` (list-buckets
 * shows no tags).
 */
export function awsConflicts(resources: readonly ResourceRecord[], aws: AwsDump, clusterName: string): Conflict[] {
    const conflicts: Conflict[] = [];
    for (const record of resources) {
        if (record.type === "aws:rds/instance:Instance") {
            const identifier = stringAt(record.inputs, "identifier");
            const component = stringAt(record.inputs, "tags", "component");
            for (const instance of aws.describeDbInstances.DBInstances) {
                const tags = instance.TagList;
                if (instance.DBInstanceIdentifier !== identifier && tag(tags, "cluster") === clusterName && (component === undefined || tag(tags, "component") === component)) {
                    conflicts.push({ type: record.type, urn: record.urn, existing: `RDS instance ${instance.DBInstanceIdentifier}`,
                        why: `tagged for cluster ${clusterName} (${component === undefined ? "" : `component ${component}, `}as the program tags its database), but the program's is ${identifier ?? "another"}: the first up would create a second database`,
                        resolve: "decide which database Results keeps: the program's identifier is derived from clusterName and cannot be configured; migrate the data or retire the old instance first" });
                }
            }
        }
        if (record.type === "aws:s3/bucket:Bucket") {
            const bucket = stringAt(record.inputs, "bucket");
            for (const entry of aws.listBuckets.Buckets) {
                if (entry.Name !== bucket && entry.Name.includes(clusterName) && entry.Name.includes("tekton-results")) {
                    conflicts.push({ type: record.type, urn: record.urn, existing: `S3 bucket ${entry.Name}`,
                        why: `named for this cluster's Tekton Results, but the program's bucket is ${bucket ?? "another"}: the first up would create a second, empty bucket and Results would write its logs there`,
                        resolve: "decide which bucket keeps the logs: the program's name is derived and cannot be configured; copy the objects over or retire the old bucket first" });
                }
            }
        }
    }
    return conflicts;
}
