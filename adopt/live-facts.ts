/**
 * What runs, as the config check (config-check.ts) compares it with the stack's config: the live objects and AWS
 * resources the program would take over.
 */
import type { ResourceRecord } from "../render/contract";
import type { Located, LiveFacts } from "./config-check";
import type { RenderedObject } from "./conflicts";
import { keyOfLive, keyString, qualifiedName, stringAt, type AwsDump, type LiveObject } from "./inputs";

/** The live object the program's only object of `groupKind` would take over, or (for a CatalogSource) the one the live Subscription uses. */
function located(live: ReadonlyMap<string, LiveObject>, rendered: readonly RenderedObject[], groupKind: string): Located | undefined {
    const object = rendered.find((candidate) => candidate.groupKind === groupKind);
    const found = object === undefined ? undefined : live.get(keyString(object));
    return found === undefined ? undefined : { object: found, label: `${found.kind} ${qualifiedName(keyOfLive(found))}` };
}

export function liveFacts(live: ReadonlyMap<string, LiveObject>, rendered: readonly RenderedObject[], resources: readonly ResourceRecord[], aws: AwsDump | undefined): LiveFacts {
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
