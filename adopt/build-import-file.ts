/** The import file `pulumi import --file` reads (import-file.ts), built from the render and what the plan imports. */
import { STACK_TYPE, type ResourceRecord } from "../render/contract";
import { compareStrings } from "../lib/json-values";
import type { ImportFile, ImportSpec } from "./import-file";
import type { ImportedResource } from "./report";

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
