/**
 * The file `pulumi import --file` reads, as pulumi/pulumi declares it: `pkg/cmd/pulumi/operations/import.go`, structs
 * `importFile` and `importSpec`, read by `parseImportFile` (pulumi/pulumi at 1b5949891b3c, August 2026; `logicalName`
 * since #14745, December 2023, the newest field used here). Each entry's `name` is its key in the file, `logicalName`
 * the resource's Pulumi name; a `parent` is the `name` of another entry (or a nameTable key), a `provider` a nameTable
 * key only. The URN the engine gives an entry is built from its parent's type, its type and its logicalName, so an
 * entry lands where the program registers the resource when `name` is the render's URN and `logicalName` its name.
 */
import { z } from "zod";

/** One entry of `resources` (json tags of `importSpec`; absent fields are Go's zero values, which `omitempty` leaves out). */
export const importSpecSchema = z.strictObject({
    type: z.string().min(1),
    name: z.string().min(1),
    id: z.string().min(1).optional(),
    parent: z.string().min(1).optional(),
    provider: z.string().min(1).optional(),
    version: z.string().min(1).optional(),
    pluginDownloadUrl: z.string().min(1).optional(),
    properties: z.array(z.string()).optional(),
    component: z.literal(true).optional(),
    remote: z.literal(true).optional(),
    inputs: z.record(z.string(), z.unknown()).optional(),
    outputs: z.record(z.string(), z.unknown()).optional(),
    logicalName: z.string().min(1).optional(),
    parameterization: z.strictObject({ pluginName: z.string(), pluginVersion: z.string(), value: z.string() }).optional(),
    extension: z.strictObject({ name: z.string(), version: z.string(), value: z.string() }).optional(),
});

/** The whole file (json tags of `importFile`; `providerInputs` is deprecated there and never written here). */
export const importFileSchema = z.strictObject({
    nameTable: z.record(z.string(), z.string().startsWith("urn:pulumi:")).optional(),
    resources: z.array(importSpecSchema).optional(),
});

export type ImportSpec = z.output<typeof importSpecSchema>;
export type ImportFile = z.output<typeof importFileSchema>;

/** The qualified type of a URN (`urn:pulumi:<stack>::<project>::<qualified type>::<name>`). */
function qualifiedTypeOf(urn: string): string {
    return urn.split("::")[2] ?? "";
}

/** The per-entry checks of `parseImportFile`: an ID unless a component, remote only for a component, a named provider. */
function entryProblems(spec: ImportSpec, nameTable: Readonly<Record<string, string>>): string[] {
    const problems: string[] = [];
    if (spec.component !== true && spec.id === undefined) {
        problems.push(`resource '${spec.name}' of type '${spec.type}' has no ID`);
    }
    if (spec.component === true && spec.id !== undefined) {
        problems.push(`resource '${spec.name}' of type '${spec.type}' has an ID, but is marked as a component`);
    }
    if (spec.remote === true && spec.component !== true) {
        problems.push(`resource '${spec.name}' is marked as remote, but not as a component`);
    }
    if (spec.provider !== undefined && !(spec.provider in nameTable)) {
        problems.push(`the provider '${spec.provider}' for resource '${spec.name}' has no entry in 'nameTable'`);
    }
    return problems;
}

/**
 * The URN pulumi gives each entry, resolved parent first as `parseImportFile` loops until every parent's URN is known:
 * `urn:pulumi:<stack>::<project>::<parent's qualified type>$<type>::<logicalName>` (no parent: the type alone).
 */
function entryUrns(file: ImportFile, stack: string, project: string): Map<string, string | undefined> {
    const urns = new Map<string, string | undefined>(Object.entries(file.nameTable ?? {}));
    const byName = new Map((file.resources ?? []).map((spec) => [spec.name, spec]));
    const urnOf = (name: string, seen: ReadonlySet<string>): string | undefined => {
        if (urns.has(name)) {
            return urns.get(name);
        }
        const spec = byName.get(name);
        if (spec === undefined || seen.has(name)) {
            return undefined;
        }
        const parentUrn = spec.parent === undefined ? "" : urnOf(spec.parent, new Set([...seen, name]));
        const urn = parentUrn === undefined ? undefined
            : `urn:pulumi:${stack}::${project}::${parentUrn === "" ? "" : `${qualifiedTypeOf(parentUrn)}$`}${spec.type}::${spec.logicalName ?? spec.name}`;
        urns.set(name, urn);
        return urn;
    };
    return new Map((file.resources ?? []).map((spec) => [spec.name, urnOf(spec.name, new Set())]));
}

/**
 * What `parseImportFile` would refuse in `file`, in its words, plus the one thing it cannot check: that each entry's
 * URN is the one `expectedUrns` (the render's URNs by entry name) says. Empty when pulumi would accept the file and
 * every entry lands on the render's URN.
 */
export function importFileProblems(file: ImportFile, stack: string, project: string, expectedUrns?: ReadonlyMap<string, string>): string[] {
    const resources = file.resources ?? [];
    const nameTable = file.nameTable ?? {};
    const problems = resources.flatMap((spec) => entryProblems(spec, nameTable));
    const names = resources.map((spec) => spec.name);
    const urns = entryUrns(file, stack, project);
    const taken = new Set(Object.values(nameTable));
    for (const spec of resources) {
        if (names.indexOf(spec.name) !== names.lastIndexOf(spec.name)) {
            problems.push(`resource '${spec.name}' is not the only one with this name`);
        }
        if (spec.parent !== undefined && !names.includes(spec.parent) && !(spec.parent in nameTable)) {
            problems.push(`the parent '${spec.parent}' for resource '${spec.name}' has no entry in 'nameTable'`);
            continue;
        }
        const urn = urns.get(spec.name);
        if (urn === undefined) {
            problems.push(`resource '${spec.name}' has a parent chain that never resolves`);
            continue;
        }
        if (taken.has(urn)) {
            problems.push(`resource '${spec.name}' has an ambiguous URN, set name (or logical name) to be unique`);
        }
        taken.add(urn);
        const expected = expectedUrns?.get(spec.name);
        if (expectedUrns !== undefined && expected !== urn) {
            problems.push(`resource '${spec.name}' would be imported as ${urn}, not ${expected ?? "a URN of the render"}`);
        }
    }
    return problems;
}
