/**
 * The one declaration of the render contract, `out/<stack>/resources.json` (see docs/render-contract.md):
 * the record's zod schema, the TypeScript type derived from it, and the marks that stand in
 * for values a render must not or cannot show. The recorder writes it, the policy check (analyzer/) and the test
 * fixtures read it; nothing else redeclares it.
 */
import { z } from "zod";

/** How a secret value appears in every rendered file and on stdout. */
export const SECRET_MARK = "[secret]";
/** How a value unknown until `pulumi up` appears. */
export const UNKNOWN_MARK = "(known after apply)";
/** What stands in for a dynamic provider's serialized code (absolute paths inside would break determinism). */
export const DYNAMIC_PROVIDER_MARK = "(serialized dynamic provider)";
/** Type token of the root stack resource, which every render registers first. */
export const STACK_TYPE = "pulumi:pulumi:Stack";

const urn = z.string().min(1);
const strings = z.array(z.string()).readonly();

/** The fields of one record, each with its schema, in the order the file writes them. */
export const resourceRecordFields = {
    urn,
    type: z.string().min(1),
    /** Logical name (the second argument of the resource's constructor). */
    name: z.string(),
    /** Parent URN; null only for the stack itself. */
    parent: urn.nullable(),
    /** false for component resources (and the stack). */
    custom: z.boolean(),
    /** Provider reference `<provider URN>::<id>`, or null for the default provider / a component. */
    provider: z.string().nullable(),
    /** URNs this resource waits for on `pulumi up`. */
    dependencies: z.array(urn).readonly(),
    protect: z.boolean(),
    retainOnDelete: z.boolean(),
    ignoreChanges: strings,
    deleteBeforeReplace: z.boolean(),
    additionalSecretOutputs: strings,
    /** The `replaceOnChanges` option: input paths whose change the engine turns into a replacement. */
    replaceOnChanges: strings,
    /**
     * The `aliases` option, each as the URN it names (a spec's name, type, parent, stack and project filled in from
     * the resource's own URN, as the engine resolves it): a resource whose alias is a base URN is that resource.
     */
    aliases: strings,
    /**
     * Output properties a first `pulumi preview` leaves unknown: those the resource's SDK class declares and the
     * program did not set, for providers that plan computed values (render/unknown-outputs.ts). Sorted.
     */
    unknownOutputs: strings,
    /**
     * For each top-level input the program derived from other resources' outputs, the URNs it came from (sorted), as
     * the SDK sends them (`propertyDependencies`): where a `[secret]` or unknown value comes from, without its value.
     */
    propertyDependencies: z.record(z.string(), z.array(urn).readonly()).readonly(),
    /** Inputs as the engine receives them, redacted with the marks above, keys sorted. */
    inputs: z.record(z.string(), z.unknown()).readonly(),
} as const;

/** One registered resource, exactly as written: every field present, no other field (strict). */
export const resourceRecordSchema = z.strictObject(resourceRecordFields).readonly();

/** One registered resource: the contract of `out/<stack>/resources.json`. */
export type ResourceRecord = z.output<typeof resourceRecordSchema>;

/** The whole file: records in canonical order (parents, providers and dependencies first). */
export const resourcesFileSchema = z.array(resourceRecordSchema).readonly();
