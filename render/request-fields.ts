/**
 * What a RegisterResource request says, as a record holds it: the engine's URN of a resource and of each of its
 * aliases, its provider reference, and where each input came from. The request's fields the recorder reads.
 */
import { unknownValue } from "@pulumi/pulumi/runtime/rpc";
import type * as structproto from "google-protobuf/google/protobuf/struct_pb";
import { UNKNOWN_MARK } from "./contract";
import type { StackSettings } from "./settings";

export interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): structproto.Struct | undefined;
    getProtect(): boolean;
    getRetainondelete(): boolean;
    getProvider(): string;
    getDependenciesList(): string[];
    getDeletebeforereplace(): boolean;
    getIgnorechangesList(): string[];
    getAdditionalsecretoutputsList(): string[];
    getReplaceonchangesList(): string[];
    getAliasesList(): AliasMessage[];
    getPropertydependenciesMap(): { entries(): Iterable<[string, { getUrnsList(): string[] }]> };
}
export interface AliasMessage {
    hasUrn(): boolean;
    getUrn(): string;
    getSpec(): { getName(): string; getType(): string; getStack(): string; getProject(): string; hasParenturn(): boolean; getParenturn(): string; hasNoparent(): boolean; getNoparent(): boolean } | undefined;
}
/**
 * An alias as the URN it names: a URN as given; a spec with each part it leaves empty taken from the resource itself
 * (name, type, stack, project, parent), as the engine resolves aliases (pulumi/pulumi sdk/go/common/resource
 * alias.go, `Alias.GetURN`: an empty part means "unchanged").
 */
export function aliasUrn(alias: AliasMessage, settings: StackSettings, parentUrn: string, type: string, name: string, stackUrn: string | undefined): string {
    const spec = alias.getSpec();
    if (alias.hasUrn() || spec === undefined) {
        return alias.getUrn();
    }
    const parent = spec.hasNoparent() && spec.getNoparent() ? "" : spec.hasParenturn() ? spec.getParenturn() : parentUrn;
    const at = { ...settings, stack: spec.getStack() || settings.stack, project: spec.getProject() || settings.project };
    return engineUrn(at, parent, spec.getType() || type, spec.getName() || name, stackUrn);
}

/** Each top-level input's dependency URNs (sorted, deduplicated), keys sorted; inputs with none left out. */
export function propertyDependenciesOf(request: RegisterRequest): Record<string, string[]> {
    const entries = [...request.getPropertydependenciesMap().entries()]
        .map(([key, dependencies]) => [key, [...new Set(dependencies.getUrnsList())].sort()] as const)
        .filter(([, urns]) => urns.length > 0)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries);
}

/** The engine's URN: the parent's qualified type chain, except that the root stack is never part of it. */
export function engineUrn(settings: StackSettings, parentUrn: string, type: string, name: string, stackUrn: string | undefined): string {
    let qualifiedType = type;
    if (parentUrn && parentUrn !== stackUrn) {
        qualifiedType = `${parentUrn.split("::")[2]}$${type}`;
    }
    return `urn:pulumi:${settings.stack}::${settings.project}::${qualifiedType}::${name}`;
}

export function providerReference(reference: string): string | null {
    if (!reference) {
        return null;
    }
    const separator = reference.lastIndexOf("::");
    const id = reference.slice(separator + 2);
    return id === unknownValue ? `${reference.slice(0, separator)}::${UNKNOWN_MARK}` : reference;
}
