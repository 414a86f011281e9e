/**
 * The adoption plan, pure: from a render of the stack, its parsed config, the cluster dump and (optionally) the AWS
 * dump, what `pulumi import` adopts (the import file) and the report of what happens to everything else. No I/O:
 * tools/adopt.ts reads the files and writes the results.
 */
import { STACK_TYPE, UNKNOWN_MARK, type ResourceRecord } from "../render/contract";
import type { RenderResult } from "../render/recorder";
import type { StackConfig } from "../stacks/config";
import { compareStrings } from "../lib/json-values";
import { awsConflicts, ingressHosts, kubernetesConflicts, renderedObjects, type Conflict, type RenderedObject } from "./conflicts";
import { configMismatches, type Located, type LiveFacts } from "./config-check";
import { diffLiveObject } from "./diff";
import { importRuleOf, type Presence } from "./import-ids";
import type { ImportFile, ImportSpec } from "./import-file";
import { AdoptInputError, keyOfLive, keyString, qualifiedName, stringAt, valueAt, type AwsDump, type LiveObject } from "./inputs";
import type { AdoptReport, CreatedResource, ImportedResource, ObjectChanges, UnmanagedObject } from "./report";

/** What the plan is made from. */
export interface AdoptInputs {
    readonly render: RenderResult;
    readonly config: StackConfig;
    readonly live: readonly LiveObject[];
    readonly aws?: AwsDump;
}

/** The plan: the report always, the import file only when nothing stops the import. */
export interface AdoptPlan {
    readonly report: AdoptReport;
    readonly importFile?: ImportFile;
}

/** The labels the program puts on every Kubernetes object (components/shared/labels.ts). */
const PART_OF = ["app.kubernetes.io/part-of", "pipeline-service"] as const;
/** The data key of a cosign private key in `signing-secrets`. */
const COSIGN_KEY = "cosign.key";
const COSIGN_PUB = "cosign.pub";

/** The TektonConfig's target namespace in the render (where Chains keeps its key). */
function targetNamespace(resources: readonly ResourceRecord[]): string | undefined {
    const config = resources.find((record) => record.custom && record.type.startsWith("kubernetes:operator.tekton.dev/") && record.type.endsWith(":TektonConfig"));
    return config === undefined ? undefined : stringAt(config.inputs, "spec", "targetNamespace");
}

/**
 * Refuses a dump of another cluster: the console's URL (ConfigMap openshift-config-managed/console-public, on every
 * OpenShift 4 cluster) or every Ingress host outside the stack's appsDomain, or a TektonConfig `config` that targets
 * another namespace than the program's.
 */
export function checkSameCluster(live: readonly LiveObject[], appsDomain: string, resources: readonly ResourceRecord[], file: string): void {
    const underDomain = (host: string): boolean => host === appsDomain || host.endsWith(`.${appsDomain}`);
    const console = live.find((object) => object.kind === "ConfigMap" && object.metadata.namespace === "openshift-config-managed" && object.metadata.name === "console-public");
    const consoleUrl = console === undefined ? undefined : stringAt(console, "data", "consoleURL");
    const consoleHost = consoleUrl === undefined ? undefined : /^https?:\/\/([^/:]+)/.exec(consoleUrl)?.[1];
    if (consoleHost !== undefined && !underDomain(consoleHost)) {
        throw new AdoptInputError(`${file} is from another cluster: its console is at ${consoleHost} (ConfigMap openshift-config-managed/console-public), not under the stack's appsDomain ${appsDomain}. `
            + "Dump the cluster the stack deploys to (its kubernetes:context), or check appsDomain.");
    }
    const hosts = live.filter((object) => object.kind === "Ingress").flatMap((object) => ingressHosts(object));
    if (hosts.length > 0 && !hosts.some(underDomain)) {
        throw new AdoptInputError(`${file} is from another cluster: none of its ${hosts.length} Ingress host${hosts.length === 1 ? "" : "s"} (e.g. ${[...hosts].sort(compareStrings)[0]}) is under the stack's appsDomain ${appsDomain}. `
            + "Dump the cluster the stack deploys to (its kubernetes:context), or check appsDomain.");
    }
    const namespace = targetNamespace(resources);
    for (const object of live) {
        const target = stringAt(object, "spec", "targetNamespace");
        if (object.kind === "TektonConfig" && object.metadata.name === "config" && namespace !== undefined && target !== undefined && target !== namespace) {
            throw new AdoptInputError(`${file}: the cluster's TektonConfig config targets namespace ${target}, the program's targets ${namespace}. This is not a cluster the program can adopt as it is: `
                + "changing the target namespace makes the operator reinstall every component there (and, in key mode, delete signing-secrets). Check that this is the right cluster.");
        }
    }
}

/** What a rendered resource is, as a person finds it: its object's place, or its AWS physical name. */
function describe(record: ResourceRecord, rendered: RenderedObject | undefined, lookup: (urn: string) => ResourceRecord | undefined): string {
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

/** A live object's Secret data: whether `key` holds a value (a scrubbed dump's `(removed)` counts). */
function holds(object: LiveObject | undefined, key: string): boolean {
    const value = valueAt(object, "data", key);
    return typeof value === "string" && value !== "";
}

/** The decoded `cosign.pub`, when the dump kept it. */
function publicKeyOf(object: LiveObject): string | undefined {
    const encoded = stringAt(object, "data", COSIGN_PUB);
    if (encoded === undefined || !/^[A-Za-z0-9+/=\s]+$/.test(encoded)) {
        return undefined;
    }
    const decoded = Buffer.from(encoded, "base64").toString("utf8");
    return decoded.includes("-----BEGIN PUBLIC KEY-----") ? decoded.trim() : undefined;
}

interface ChainsOutcome {
    readonly stops: string[];
    readonly notes: Map<string, string>;
}

/** What the cluster's signing key means for this stack's signing mode. */
function chainsOutcome(config: StackConfig, live: ReadonlyMap<string, LiveObject>, namespace: string): ChainsOutcome {
    const stops: string[] = [];
    const notes = new Map<string, string>();
    const key = keyString({ groupKind: "core/Secret", namespace, name: "signing-secrets" });
    const secret = live.get(key);
    const where = `Secret ${namespace}/signing-secrets`;
    const stack = config.stack;
    if (config.chains.signing === "keyless") {
        if (secret !== undefined) {
            notes.set(key, "the cluster's signing key: the stack signs keyless and leaves it as it is");
        }
        return { stops, notes };
    }
    if (!config.chains.adoptExistingKey) {
        if (holds(secret, COSIGN_KEY)) {
            stops.push(`The cluster already has a Chains signing key (${where} holds ${COSIGN_KEY}), and this stack would generate a new one (chains.signing is key, `
                + "chains.adoptExistingKey is not true): every signature made so far verifies only with the existing key. Keep it: "
                + `oc -n ${namespace} get secret signing-secrets -o jsonpath='{.data.cosign\\.pub}' | base64 -d > cosign.pub, then `
                + `pulumi config set --stack ${stack} --path chains.adoptExistingKey true and pulumi config set --stack ${stack} --path chains.existingPublicKey < cosign.pub; `
                + "back the Secret up out of band (the program then leaves it unmanaged, so Pulumi state holds no copy), and run adopt again.");
        } else if (secret !== undefined) {
            stops.push(`${where} exists without a private key (${COSIGN_KEY}), and this stack generates the key and writes it there: importing it would keep it empty `
                + `(the program never changes that Secret's data), and creating it fails while it exists. Delete it (oc -n ${namespace} delete secret signing-secrets) right before the first up.`);
        }
        return { stops, notes };
    }
    if (!holds(secret, COSIGN_KEY)) {
        stops.push(`chains.adoptExistingKey is true, but ${secret === undefined ? `the cluster has no ${where}` : `${where} holds no ${COSIGN_KEY}`}: there is no key to adopt. `
            + "Set chains.adoptExistingKey false to have the program generate the cluster's key, or restore the key from its backup first.");
        return { stops, notes };
    }
    const livePublic = secret === undefined ? undefined : publicKeyOf(secret);
    if (livePublic !== undefined && livePublic !== config.chains.existingPublicKey?.trim()) {
        stops.push(`chains.existingPublicKey is not the public half of the cluster's key: it differs from ${COSIGN_PUB} in ${where}. Take it from there: `
            + `oc -n ${namespace} get secret signing-secrets -o jsonpath='{.data.cosign\\.pub}' | base64 -d > cosign.pub; pulumi config set --stack ${stack} --path chains.existingPublicKey < cosign.pub.`);
    }
    notes.set(key, "the cluster's signing key: left unmanaged on purpose (chains.adoptExistingKey); keep its backup out of band");
    return { stops, notes };
}

/** Dependents of a record (records that wait on it). */
function dependentsOf(resources: readonly ResourceRecord[], urn: string): ResourceRecord[] {
    return resources.filter((record) => record.dependencies.includes(urn));
}

interface Classified {
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

/** What creating a resource does to what runs, in words. */
function consequence(record: ResourceRecord, reason: CreatedResource["reason"], resources: readonly ResourceRecord[], imported: ReadonlyMap<string, ImportedResource>, aws: AwsDump | undefined): string {
    const lookup = (urn: string): ResourceRecord | undefined => resources.find((candidate) => candidate.urn === urn);
    const importedDependents = dependentsOf(resources, record.urn).filter((dependent) => imported.has(dependent.urn)).map((dependent) => imported.get(dependent.urn) as ImportedResource);
    const names = (type: string): string[] => importedDependents.filter((dependent) => dependent.type === type).map((dependent) => dependent.what);
    switch (record.type) {
        case "random:index/randomPassword:RandomPassword": {
            const databases = names("aws:rds/instance:Instance");
            const secrets = names("kubernetes:core/v1:Secret");
            if (databases.length === 0 && secrets.length === 0) {
                return "the new database's master password";
            }
            return `a new database password: the first up sets it as the master password of ${databases.join(", ") || "the new database"}`
                + `${secrets.length === 0 ? "" : ` and writes it into Secret ${secrets.join(", ")}`}; what holds the old one (the Results API, its retention agent) cannot connect until it restarts`;
        }
        case "aws:iam/accessKey:AccessKey": {
            const user = typeof record.inputs.user === "string" ? record.inputs.user : "the user";
            const secrets = dependentsOf(resources, record.urn).filter((dependent) => dependent.type === "kubernetes:core/v1:Secret").map((dependent) => describe(dependent, renderedObjects([dependent])[0], lookup));
            const existingKeys = aws?.getUser?.User.UserName === user ? (aws.listAccessKeys?.AccessKeyMetadata.length ?? 0) : 0;
            if (existingKeys === 0) {
                return `the access key Results uses${secrets.length === 0 ? "" : `, written into Secret ${secrets.join(", ")}`}`;
            }
            return `a new access key for IAM user ${user}, written into Secret ${secrets.join(", ") || "the Results S3 Secret"} by the first up; `
                + `the user's ${existingKeys} existing key${existingKeys === 1 ? "" : "s"} stay${existingKeys === 1 ? "s" : ""} active: delete ${existingKeys === 1 ? "it" : "them"} once Results runs with the new one`;
        }
        case "pulumi-nodejs:dynamic/pipeline-service:CosignKeyPair":
            return "the cluster's Chains signing key, generated once and kept encrypted in the stack state; the first up writes it into signing-secrets";
        case "pulumi-nodejs:dynamic/pipeline-service:S3KeyRotationGuard":
            return "nothing outside the stack: it records results.s3KeyRotation, so a later step that would delete a key in use is refused at preview";
        case "pulumi-nodejs:dynamic:Resource":
            return "nothing in the cluster: during the first up it waits for the operator's CSV of the line and the TektonConfig CRD";
        default:
            return reason === "not-checked" ? "created by the first up, which fails on any that exists already" : "created by the first up";
    }
}

/** Live objects of kinds the program manages, where it manages them, that it will not manage. */
function unmanagedObjects(live: readonly LiveObject[], rendered: readonly RenderedObject[], excluded: ReadonlySet<string>, notes: ReadonlyMap<string, string>): UnmanagedObject[] {
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

/** The live object the program's only object of `groupKind` would take over, or (for a CatalogSource) the one the live Subscription uses. */
function located(live: ReadonlyMap<string, LiveObject>, rendered: readonly RenderedObject[], groupKind: string): Located | undefined {
    const object = rendered.find((candidate) => candidate.groupKind === groupKind);
    const found = object === undefined ? undefined : live.get(keyString(object));
    return found === undefined ? undefined : { object: found, label: `${found.kind} ${qualifiedName(keyOfLive(found))}` };
}

function liveFacts(live: ReadonlyMap<string, LiveObject>, rendered: readonly RenderedObject[], resources: readonly ResourceRecord[], aws: AwsDump | undefined): LiveFacts {
    const subscription = located(live, rendered, "operators.coreos.com/Subscription");
    let catalogSource = located(live, rendered, "operators.coreos.com/CatalogSource");
    if (catalogSource === undefined && subscription !== undefined) {
        const source = stringAt(subscription.object, "spec", "source");
        const sourceNamespace = stringAt(subscription.object, "spec", "sourceNamespace");
        const used = source === undefined || sourceNamespace === undefined ? undefined : live.get(keyString({ groupKind: "operators.coreos.com/CatalogSource", namespace: sourceNamespace, name: source }));
        catalogSource = used === undefined ? undefined : { object: used, label: `CatalogSource ${sourceNamespace ?? ""}/${source ?? ""} (the live Subscription's source)` };
    }
    const instanceRecord = resources.find((record) => record.type === "aws:rds/instance:Instance");
    const identifier = instanceRecord === undefined ? undefined : stringAt(instanceRecord.inputs, "identifier");
    const instance = aws?.describeDbInstances.DBInstances.find((candidate) => candidate.DBInstanceIdentifier === identifier);
    const logGroupName = identifier === undefined ? undefined : `/aws/rds/instance/${identifier}/postgresql`;
    const logGroup = aws?.describeLogGroups.logGroups.find((group) => group.logGroupName === logGroupName);
    return {
        ...(subscription === undefined ? {} : { subscription }),
        ...(catalogSource === undefined ? {} : { catalogSource }),
        ...optional("ingress", located(live, rendered, "networking.k8s.io/Ingress")),
        ...optional("secretStore", located(live, rendered, "external-secrets.io/SecretStore")),
        ...optional("externalSecret", located(live, rendered, "external-secrets.io/ExternalSecret")),
        ...(instance === undefined ? {} : { dbInstance: { instance, label: `RDS instance ${instance.DBInstanceIdentifier}` } }),
        ...(logGroup === undefined ? {} : { postgresLogGroup: { ...(logGroup.retentionInDays === undefined ? {} : { retentionInDays: logGroup.retentionInDays }), label: `log group ${logGroup.logGroupName}` } }),
    };
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
    return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** The provider URN of a record's provider reference (`<urn>::<id>`), or undefined. */
function providerUrnOf(record: ResourceRecord): string | undefined {
    return record.provider === null ? undefined : record.provider.slice(0, record.provider.lastIndexOf("::"));
}

/**
 * The import file: every component (so each imported resource's parent exists), then every resource that exists, in
 * the render's order (parents first); each keyed by its URN, with its Pulumi name as `logicalName`, its parent's URN
 * (none for the stack's children) and its provider by name in the nameTable.
 */
export function buildImportFile(resources: readonly ResourceRecord[], imported: ReadonlyMap<string, ImportedResource>): ImportFile {
    const stackUrns = new Set(resources.filter((record) => record.type === STACK_TYPE).map((record) => record.urn));
    const providerNames = new Map(resources.filter((record) => record.type.startsWith("pulumi:providers:")).map((record) => [record.urn, record.name]));
    const nameTable: Record<string, string> = {};
    const entries: ImportSpec[] = [];
    for (const record of resources) {
        const parent = record.parent === null || stackUrns.has(record.parent) ? {} : { parent: record.parent };
        if (!record.custom && record.type !== STACK_TYPE) {
            entries.push({ type: record.type, name: record.urn, ...parent, component: true, logicalName: record.name });
            continue;
        }
        const entry = imported.get(record.urn);
        if (entry === undefined) {
            continue;
        }
        const providerUrn = providerUrnOf(record);
        const providerName = providerUrn === undefined ? undefined : providerNames.get(providerUrn);
        if (providerUrn !== undefined && providerName !== undefined) {
            nameTable[providerName] = providerUrn;
        }
        entries.push({ type: record.type, name: record.urn, id: entry.id, ...parent, ...(providerName === undefined ? {} : { provider: providerName }), logicalName: record.name });
    }
    return { ...(Object.keys(nameTable).length === 0 ? {} : { nameTable: Object.fromEntries(Object.entries(nameTable).sort(([a], [b]) => compareStrings(a, b))) }), resources: entries };
}

/** The explicit providers the import file names (they must be in state first). */
export function providerUrns(file: ImportFile): string[] {
    return Object.values(file.nameTable ?? {}).sort(compareStrings);
}

/** Too many access keys for the program to add one. */
function accessKeyStop(resources: readonly ResourceRecord[], aws: AwsDump | undefined): string | undefined {
    const key = resources.find((record) => record.type === "aws:iam/accessKey:AccessKey");
    const user = key === undefined ? undefined : stringAt(key.inputs, "user");
    const count = aws?.getUser?.User.UserName === user ? aws?.listAccessKeys?.AccessKeyMetadata.length ?? 0 : 0;
    if (user === undefined || count < 2) {
        return undefined;
    }
    return `IAM user ${user} already has ${count} access keys, the most AWS allows, so the first up cannot create the one the program writes for Results. `
        + `Delete the one Results does not use (aws iam list-access-keys --user-name ${user}, then aws iam delete-access-key --user-name ${user} --access-key-id <id>) and run adopt again.`;
}

/** Every custom resource of the render (but the stack and providers): imported, created, or (unclassified) a stop. */
function classifyAll(resources: readonly ResourceRecord[], rendered: readonly RenderedObject[], live: ReadonlyMap<string, LiveObject>, skip: ReadonlySet<string>,
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

/** The created entries of the report, each with what creating it does. */
function createdEntries(classified: Classified, resources: readonly ResourceRecord[], aws: AwsDump | undefined): CreatedResource[] {
    return [...classified.created.values()].map((entry) => ({
        type: entry.record.type, urn: entry.record.urn, name: entry.record.name, what: entry.what, reason: entry.reason, ...(entry.why === undefined ? {} : { why: entry.why }),
        consequence: entry.consequence ?? consequence(entry.record, entry.reason, resources, classified.imported, aws),
    }));
}

/** The stop that sums up section 3, if anything is in it. */
function conflictsStop(conflicts: readonly Conflict[]): string[] {
    const count = conflicts.length;
    return count === 0 ? [] : [`${count} thing${count === 1 ? "" : "s"} of the program exist${count === 1 ? "s" : ""} under another name (section 3): `
        + "importing now would leave the program creating duplicates beside them. Resolve each as it says."];
}

/** The plan for adopting what runs into the stack: see {@link AdoptPlan}. Throws {@link AdoptInputError} for a dump of another cluster. */
export function planAdoption(inputs: AdoptInputs, liveFile = "the live dump"): AdoptPlan {
    const { render, config, aws } = inputs;
    const resources = render.resources;
    checkSameCluster(inputs.live, config.appsDomain, resources, liveFile);
    const live = new Map(inputs.live.map((object) => [keyString(keyOfLive(object)), object]));
    const rendered = renderedObjects(resources);
    const namespace = targetNamespace(resources) ?? "openshift-pipelines";
    const chains = chainsOutcome(config, live, namespace);
    // In key mode the program's signing-secrets is never imported: the chains outcome says what to do with a live one.
    const skip = new Set(config.chains.signing === "key" && !config.chains.adoptExistingKey ? [keyString({ groupKind: "core/Secret", namespace, name: "signing-secrets" })] : []);
    const classified = classifyAll(resources, rendered, live, skip, aws, chains.stops);
    const conflicts: Conflict[] = [...kubernetesConflicts(rendered, inputs.live), ...(aws === undefined ? [] : awsConflicts(resources, aws, config.clusterName))]
        .sort((a, b) => compareStrings(a.urn, b.urn) || compareStrings(a.existing, b.existing));
    const accessKeys = accessKeyStop(resources, aws);
    const stops = [...classified.stops, ...(accessKeys === undefined ? [] : [accessKeys]), ...conflictsStop(conflicts)];
    const conflicting = new Set(conflicts.map((entry) => entry.existing));
    const conflictKeys = new Set(inputs.live.filter((object) => conflicting.has(`${object.kind} ${qualifiedName(keyOfLive(object))}`)).map((object) => keyString(keyOfLive(object))));
    const report: AdoptReport = {
        stack: render.settings.stack,
        project: render.settings.project,
        verdict: stops.length === 0 ? "import" : "stop",
        stops,
        awsChecked: aws !== undefined,
        imported: [...classified.imported.values()].sort((a, b) => compareStrings(a.type, b.type) || compareStrings(a.urn, b.urn)),
        created: createdEntries(classified, resources, aws).sort((a, b) => compareStrings(a.type, b.type) || compareStrings(a.urn, b.urn)),
        differentName: conflicts,
        unmanaged: unmanagedObjects(inputs.live, rendered, conflictKeys, chains.notes),
        changes: classified.changes.sort((a, b) => compareStrings(a.urn, b.urn)),
        configMismatches: configMismatches(render.settings, config, liveFacts(live, rendered, resources, aws)),
    };
    return stops.length === 0 ? { report, importFile: buildImportFile(resources, classified.imported) } : { report };
}
