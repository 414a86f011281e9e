/**
 * Pure builders: a render record → the AnalyzeRequest / AnalyzeStackRequest the engine would send the pack.
 *
 * Engine behaviour reproduced (pulumi/pulumi):
 * - `pkg/resource/deploy/step_generator.go` generateSteps: Analyze gets the resource's (checked) inputs and the options
 *   protect, ignoreChanges, deleteBeforeReplace, additionalSecretOutputs, aliases, customTimeouts, parent; and its
 *   provider's URN, type, name and inputs. AnalyzeResources: AnalyzeStack gets every registered resource's outputs,
 *   the same options, parent, dependencies and propertyDependencies.
 * - `sdk/go/common/resource/plugin/analyzer_plugin.go` Analyze / AnalyzeStack / marshalResourceOptions /
 *   marshalProvider: properties are marshalled with KeepUnknowns, KeepSecrets and SkipInternalKeys (no `__` keys);
 *   deleteBeforeReplaceDefined says whether the program set deleteBeforeReplace at all.
 * - `sdk/go/common/resource/plugin/rpc.go` MarshalPropertyValue: a secret becomes the secret envelope
 *   `{"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value}`, a computed (unknown) value the
 *   unknown string sentinel `04da6b54-80e4-46f7-96ec-b56ff0331ba9`, whatever its type.
 *
 * Never passed, because the engine never passes them: retainOnDelete, custom, provider id, the record's `__provider`.
 */
import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import { providerUrnOf, SECRET_MARK, UNKNOWN_MARK, urnName, type ResourceRecord } from "./records";

/** A JSON value as it travels in a protobuf Struct. */
export type WireValue = null | boolean | number | string | WireValue[] | { [key: string]: WireValue };

/** What stands in for a secret's value: the render does not record it, so only its secretness survives. */
export const SECRET_PLACEHOLDER = SECRET_MARK;

/** Whether a key is internal (`__`-prefixed) and skipped by `MarshalOptions.SkipInternalKeys`. */
function isInternalKey(key: string): boolean {
    return key.startsWith("__");
}

/**
 * A recorded value in the engine's wire form: `[secret]` → secret envelope around a placeholder, `(known after
 * apply)` → the unknown sentinel, `__` keys dropped at every level (MarshalProperties recurses with the same options).
 */
export function toWire(value: unknown): WireValue {
    if (value === SECRET_MARK) {
        return { [specialSigKey]: specialSecretSig, value: SECRET_PLACEHOLDER };
    }
    if (value === UNKNOWN_MARK) {
        return unknownValue;
    }
    if (Array.isArray(value)) {
        return value.map(toWire);
    }
    if (value !== null && typeof value === "object") {
        const out: { [key: string]: WireValue } = {};
        for (const [key, child] of Object.entries(value)) {
            if (!isInternalKey(key) && child !== undefined) {
                out[key] = toWire(child);
            }
        }
        return out;
    }
    if (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || value === null) {
        return value;
    }
    throw new TypeError(`cannot marshal a ${typeof value} property value`);
}

/** A property map in wire form, as a protobuf Struct. */
export function toStruct(properties: Readonly<Record<string, unknown>>): structproto.Struct {
    return structproto.Struct.fromJavaScript(toWire(properties) as Record<string, structproto.JavaScriptValue>);
}

/**
 * Structs already made, by the object they were made from. A render's records are checked many times (a fleet checks
 * each stack, the tests check one render under many configs) and never changed once rendered or read (edits copy
 * them); protobuf messages are only read when serialized, so one Struct may sit in many requests.
 */
const structs = new WeakMap<object, structproto.Struct>();

/** Stack outputs' Structs by the function that made the outputs (a pure function of the record), then by record. */
const outputStructs = new WeakMap<object, WeakMap<ResourceRecord, structproto.Struct>>();

function cachedStruct(key: object, make: () => structproto.Struct): structproto.Struct {
    let struct = structs.get(key);
    if (struct === undefined) {
        struct = make();
        structs.set(key, struct);
    }
    return struct;
}

/** A record's inputs as a Struct, made once per inputs object. */
function inputsStruct(record: ResourceRecord): structproto.Struct {
    return cachedStruct(record.inputs, () => toStruct(record.inputs));
}

/** `AnalyzerResourceOptions` as `marshalResourceOptions` builds them from the goal (never retainOnDelete). */
export function resourceOptions(record: ResourceRecord): analyzerproto.AnalyzerResourceOptions {
    const options = new analyzerproto.AnalyzerResourceOptions();
    options.setProtect(record.protect);
    options.setIgnorechangesList([...record.ignoreChanges]);
    // The record keeps only the boolean: a program that set deleteBeforeReplace: false explicitly is recorded like one
    // that never set it, so "defined" is modelled as "true" (the Node SDK sends defined = option !== undefined).
    options.setDeletebeforereplace(record.deleteBeforeReplace);
    options.setDeletebeforereplacedefined(record.deleteBeforeReplace);
    options.setAdditionalsecretoutputsList([...record.additionalSecretOutputs]);
    // Aliases as the URNs the render resolved; the render does not record custom timeouts (the program sets none: 0 s).
    options.setAliasesList([...record.aliases]);
    const timeouts = new analyzerproto.AnalyzerResourceOptions.CustomTimeouts();
    timeouts.setCreate(0);
    timeouts.setUpdate(0);
    timeouts.setDelete(0);
    options.setCustomtimeouts(timeouts);
    if (record.parent) {
        options.setParent(record.parent);
    }
    return options;
}

/** The provider resource of a record (`sg.getProviderResource`): URN, type, name and the provider's inputs. */
export function providerResource(record: ResourceRecord, byUrn: ReadonlyMap<string, ResourceRecord>): analyzerproto.AnalyzerProviderResource | undefined {
    const providerUrn = providerUrnOf(record.provider);
    const provider = providerUrn === undefined ? undefined : byUrn.get(providerUrn);
    if (provider === undefined) {
        return undefined;
    }
    const out = new analyzerproto.AnalyzerProviderResource();
    out.setUrn(provider.urn);
    out.setType(provider.type);
    out.setName(urnName(provider.urn));
    out.setProperties(inputsStruct(provider));
    return out;
}

/** Records by URN, for provider lookups. */
export function indexByUrn(records: readonly ResourceRecord[]): Map<string, ResourceRecord> {
    return new Map(records.map((record) => [record.urn, record]));
}

/** The Analyze request for one resource: its inputs, options and provider. */
export function analyzeRequest(record: ResourceRecord, byUrn: ReadonlyMap<string, ResourceRecord>): analyzerproto.AnalyzeRequest {
    const request = new analyzerproto.AnalyzeRequest();
    request.setUrn(record.urn);
    request.setType(record.type);
    request.setName(urnName(record.urn));
    request.setProperties(inputsStruct(record));
    request.setOptions(resourceOptions(record));
    const provider = providerResource(record, byUrn);
    if (provider) {
        request.setProvider(provider);
    }
    return request;
}

/**
 * A resource's outputs in a first-time preview: its inputs, plus the outputs the render recorded as unknown in a first
 * preview (`unknownOutputs`, render/unknown-outputs.ts). Additional secret outputs are secret (the engine marks them
 * after the provider returns); an unset one is a secret unknown, as the render's own preview state has it.
 */
export function previewOutputs(record: ResourceRecord): Record<string, unknown> {
    const outputs: Record<string, unknown> = { ...record.inputs };
    for (const key of record.unknownOutputs) {
        if (!(key in outputs) && !isInternalKey(key)) {
            outputs[key] = UNKNOWN_MARK;
        }
    }
    for (const key of record.additionalSecretOutputs) {
        const value = outputs[key];
        if (value !== SECRET_MARK) {
            // The secret envelope passes through toWire unchanged apart from its value.
            outputs[key] = { [specialSigKey]: specialSecretSig, value: value === undefined ? UNKNOWN_MARK : value };
        }
    }
    return outputs;
}

/** One AnalyzeStack entry: outputs, options, provider, parent and dependencies (no per-property dependencies recorded). */
export function analyzerStackResource(
    record: ResourceRecord,
    outputs: Readonly<Record<string, unknown>>,
    byUrn: ReadonlyMap<string, ResourceRecord>,
    made?: WeakMap<ResourceRecord, structproto.Struct>,
): analyzerproto.AnalyzerResource {
    const resource = new analyzerproto.AnalyzerResource();
    resource.setUrn(record.urn);
    resource.setType(record.type);
    resource.setName(urnName(record.urn));
    let properties = made?.get(record);
    if (properties === undefined) {
        properties = toStruct(outputs);
        made?.set(record, properties);
    }
    resource.setProperties(properties);
    resource.setOptions(resourceOptions(record));
    const provider = providerResource(record, byUrn);
    if (provider) {
        resource.setProvider(provider);
    }
    if (record.parent) {
        resource.setParent(record.parent);
    }
    resource.setDependenciesList([...record.dependencies]);
    return resource;
}

/** The AnalyzeStack request over every registered resource (the engine's `news`, providers and components included). */
export function analyzeStackRequest(
    records: readonly ResourceRecord[],
    outputsOf: (record: ResourceRecord) => Readonly<Record<string, unknown>>,
): analyzerproto.AnalyzeStackRequest {
    const byUrn = indexByUrn(records);
    const request = new analyzerproto.AnalyzeStackRequest();
    let made = outputStructs.get(outputsOf);
    if (made === undefined) {
        made = new WeakMap();
        outputStructs.set(outputsOf, made);
    }
    const structsOf = made;
    request.setResourcesList(records.map((record) => analyzerStackResource(record, outputsOf(record), byUrn, structsOf)));
    return request;
}
