/** What creating each resource new does to what runs, in the words of the report's "created" section. */
import type { ResourceRecord } from "../render/contract";
import { describe, type Classified } from "./classify";
import { renderedObjects } from "./conflicts";
import type { AwsDump } from "./inputs";
import type { CreatedResource, ImportedResource } from "./report";

/** Dependents of a record (records that wait on it). */
function dependentsOf(resources: readonly ResourceRecord[], urn: string): ResourceRecord[] {
    return resources.filter((record) => record.dependencies.includes(urn));
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

/** The created entries of the report, each with what creating it does. */
export function createdEntries(classified: Classified, resources: readonly ResourceRecord[], aws: AwsDump | undefined): CreatedResource[] {
    return [...classified.created.values()].map((entry) => ({
        type: entry.record.type, urn: entry.record.urn, name: entry.record.name, what: entry.what, reason: entry.reason, ...(entry.why === undefined ? {} : { why: entry.why }),
        consequence: entry.consequence ?? consequence(entry.record, entry.reason, resources, classified.imported, aws),
    }));
}
