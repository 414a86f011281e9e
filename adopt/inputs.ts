/**
 * The two dumps `npm run adopt` reads, checked: the cluster's objects (the output of {@link ocGetCommand}, a
 * `kind: List`) and, optionally, the AWS account's answers to the read-only calls of aws.ts. Every problem is an
 * {@link AdoptInputError} whose message is one paragraph naming the file and what is wrong, never a value of it.
 */
import { z } from "zod";
import { groupKindOf, type GroupKind } from "./kinds";

/** A dump that cannot be used: the message is one paragraph for the user (exit 1). */
export class AdoptInputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "AdoptInputError";
    }
}

const metadataSchema = z.looseObject({
    name: z.string().min(1),
    namespace: z.string().min(1).optional(),
    labels: z.record(z.string(), z.string()).nullish(),
    annotations: z.record(z.string(), z.string()).nullish(),
    ownerReferences: z.array(z.looseObject({ kind: z.string(), name: z.string() })).nullish(),
});

/** One object of the dump: what matching needs is checked, the rest is kept as it is. */
const liveObjectSchema = z.looseObject({
    apiVersion: z.string().min(1),
    kind: z.string().min(1),
    metadata: metadataSchema,
});

/** One live Kubernetes object as the dump holds it. */
export type LiveObject = z.output<typeof liveObjectSchema>;

/** Where an object is: its group/kind, namespace ("" when cluster-scoped) and name. */
export interface ObjectKey {
    readonly groupKind: GroupKind;
    readonly namespace: string;
    readonly name: string;
}

/** The key of a live object. */
export function keyOfLive(object: LiveObject): ObjectKey {
    return { groupKind: groupKindOf(object.apiVersion, object.kind), namespace: object.metadata.namespace ?? "", name: object.metadata.name };
}

/** One string per key, for maps. */
export function keyString(key: ObjectKey): string {
    return `${key.groupKind}|${key.namespace}|${key.name}`;
}

/** `namespace/name`, or `name` when cluster-scoped: also the Kubernetes provider's import ID. */
export function qualifiedName(key: Pick<ObjectKey, "namespace" | "name">): string {
    return key.namespace === "" ? key.name : `${key.namespace}/${key.name}`;
}

/** Where JSON.parse stopped, from its message, without the text it quotes (which could be a secret). */
function parseFailure(error: unknown): string {
    const message = error instanceof Error ? error.message : "";
    if (/end of JSON input/.test(message)) {
        return "it ends early";
    }
    const position = /at position (\d+)/.exec(message)?.[1];
    return position === undefined ? "it does not parse" : `it does not parse at character ${position}`;
}

/** JSON text, or an {@link AdoptInputError} saying the file is empty or not JSON. */
function parseJson(text: string, file: string, what: string): unknown {
    if (text.trim() === "") {
        throw new AdoptInputError(`${file} is empty: expected ${what}.`);
    }
    try {
        return JSON.parse(text) as unknown;
    } catch (error) {
        throw new AdoptInputError(`${file} is not JSON (${parseFailure(error)}): expected ${what}. A dump written with -o yaml, or cut short, reads like this.`);
    }
}

const WHAT_LIVE = "the JSON `oc get … -A -o json` prints (a kind: List with items), see npm run adopt -- --help";

/** The dump's objects, checked: a `kind: List` with an `items` array of Kubernetes objects, at least one. */
export function parseLiveDump(text: string, file: string): readonly LiveObject[] {
    const parsed = parseJson(text, file, WHAT_LIVE);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new AdoptInputError(`${file} is not a Kubernetes List: its JSON is ${Array.isArray(parsed) ? "an array" : typeof parsed === "object" ? "null" : `a ${typeof parsed}`}, expected ${WHAT_LIVE}.`);
    }
    const list = parsed as { kind?: unknown; items?: unknown };
    if (list.kind !== "List" || !Array.isArray(list.items)) {
        const kind = typeof list.kind === "string" ? `kind ${JSON.stringify(list.kind.slice(0, 60))}` : "no kind";
        throw new AdoptInputError(`${file} is not a Kubernetes List: it has ${kind} and ${Array.isArray(list.items) ? "an items array" : "no items array"}, expected ${WHAT_LIVE}. `
            + "A dump of a single object (oc get secret x -o json) reads like this: dump every kind at once.");
    }
    if (list.items.length === 0) {
        throw new AdoptInputError(`${file} holds no objects: every OpenShift cluster has namespaces and cluster roles, so the dump is from the wrong context `
            + "or was cut short (check oc whoami --show-context and run the dump again).");
    }
    const objects: LiveObject[] = [];
    list.items.forEach((item: unknown, index) => {
        const checked = liveObjectSchema.safeParse(item);
        if (!checked.success) {
            const where = checked.error.issues.map((issue) => issue.path.join(".") || "(the item)").slice(0, 3).join(", ");
            throw new AdoptInputError(`${file}: items[${index}] is not a Kubernetes object (${where}: missing or of the wrong type); expected every item to have apiVersion, kind and metadata.name, as oc prints them.`);
        }
        objects.push(checked.data);
    });
    return objects;
}

/** Tags as AWS APIs list them. */
const tagList = z.array(z.looseObject({ Key: z.string(), Value: z.string() }));
/** An answer whose "does not exist" the dump script writes as `null`. */
const orMissing = <T extends z.ZodType>(schema: T) => schema.nullable();

/**
 * The AWS dump: one key per read-only call of aws.ts ({@link AWS_CALLS}), each the JSON the AWS CLI printed, or null
 * where AWS answered that the thing asked about does not exist. Only the fields adopt reads are checked.
 */
export const awsDumpSchema = z.strictObject({
    describeDbInstances: z.looseObject({
        DBInstances: z.array(z.looseObject({
            DBInstanceIdentifier: z.string(),
            DBInstanceClass: z.string().optional(),
            Engine: z.string().optional(),
            EngineVersion: z.string().optional(),
            AllocatedStorage: z.number().optional(),
            MaxAllocatedStorage: z.number().optional(),
            MultiAZ: z.boolean().optional(),
            BackupRetentionPeriod: z.number().optional(),
            DeletionProtection: z.boolean().optional(),
            TagList: tagList.optional(),
        })),
    }),
    describeDbSubnetGroups: orMissing(z.looseObject({ DBSubnetGroups: z.array(z.looseObject({ DBSubnetGroupName: z.string() })) })),
    describeDbParameterGroups: orMissing(z.looseObject({ DBParameterGroups: z.array(z.looseObject({ DBParameterGroupName: z.string() })) })),
    describeSecurityGroups: z.looseObject({ SecurityGroups: z.array(z.looseObject({ GroupId: z.string(), GroupName: z.string(), VpcId: z.string().optional() })) }),
    describeLogGroups: z.looseObject({ logGroups: z.array(z.looseObject({ logGroupName: z.string(), retentionInDays: z.number().optional() })) }),
    describeAlarms: z.looseObject({ MetricAlarms: z.array(z.looseObject({ AlarmName: z.string() })) }),
    listBuckets: z.looseObject({ Buckets: z.array(z.looseObject({ Name: z.string() })) }),
    getBucketPolicy: orMissing(z.looseObject({ Policy: z.string() })),
    getBucketLifecycleConfiguration: orMissing(z.looseObject({ Rules: z.array(z.unknown()) })),
    getBucketOwnershipControls: orMissing(z.looseObject({ OwnershipControls: z.looseObject({}) })),
    getPublicAccessBlock: orMissing(z.looseObject({ PublicAccessBlockConfiguration: z.looseObject({}) })),
    getBucketEncryption: orMissing(z.looseObject({ ServerSideEncryptionConfiguration: z.looseObject({}) })),
    getBucketVersioning: orMissing(z.looseObject({ Status: z.string().optional() })),
    listBucketMetricsConfigurations: orMissing(z.looseObject({ MetricsConfigurationList: z.array(z.looseObject({ Id: z.string() })).optional() })),
    getUser: orMissing(z.looseObject({ User: z.looseObject({ UserName: z.string() }) })),
    listAccessKeys: orMissing(z.looseObject({ AccessKeyMetadata: z.array(z.looseObject({ Status: z.string().optional() })) })),
    listUserPolicies: orMissing(z.looseObject({ PolicyNames: z.array(z.string()) })),
    getRole: orMissing(z.looseObject({ Role: z.looseObject({ RoleName: z.string() }) })),
    listAttachedRolePolicies: orMissing(z.looseObject({ AttachedPolicies: z.array(z.looseObject({ PolicyArn: z.string() })) })),
});

/** The checked AWS dump. */
export type AwsDump = z.output<typeof awsDumpSchema>;

const WHAT_AWS = "the JSON object the script of npm run adopt -- --stack <stack> --aws-script prints (one key per read-only AWS call)";

/** The AWS dump, checked against {@link awsDumpSchema}; a problem names the keys, never a value. */
export function parseAwsDump(text: string, file: string): AwsDump {
    const parsed = parseJson(text, file, WHAT_AWS);
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new AdoptInputError(`${file} is not the documented AWS dump: its JSON is ${Array.isArray(parsed) ? "an array" : "not an object"}, expected ${WHAT_AWS}.`);
    }
    const checked = awsDumpSchema.safeParse(parsed);
    if (checked.success) {
        return checked.data;
    }
    const problems = checked.error.issues.slice(0, 6).map((issue) => {
        if (issue.code === "unrecognized_keys") {
            return `unknown key${issue.keys.length === 1 ? "" : "s"} ${issue.keys.join(", ")}`;
        }
        const where = issue.path.join(".");
        return issue.code === "invalid_type" && issue.input === undefined ? `${where} is missing` : `${where} is not what the AWS CLI prints (${issue.code.replace(/_/g, " ")})`;
    });
    const more = checked.error.issues.length > problems.length ? ` and ${checked.error.issues.length - problems.length} more` : "";
    throw new AdoptInputError(`${file} is not the documented AWS dump: ${problems.join("; ")}${more}. Expected ${WHAT_AWS}.`);
}

/** The value at `segments` in a live object (or any JSON), undefined when a step is missing. */
export function valueAt(value: unknown, ...segments: readonly (string | number)[]): unknown {
    let current = value;
    for (const segment of segments) {
        if (current === null || typeof current !== "object") {
            return undefined;
        }
        current = (current as Record<string | number, unknown>)[segment];
    }
    return current;
}

/** The string at `segments`, or undefined. */
export function stringAt(value: unknown, ...segments: readonly (string | number)[]): string | undefined {
    const found = valueAt(value, ...segments);
    return typeof found === "string" ? found : undefined;
}
