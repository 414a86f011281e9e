/**
 * `npm run policy:check -- out/<stack>/resources.json [--config <policy-config.json>]`
 *
 * Evaluates the policy pack's own policy objects (`policy/policies.ts`, the array `policy/index.ts` serves) against a
 * render's resources file, without the Pulumi CLI. Arguments are built the way @pulumi/policy 1.21's analyzer
 * (`server.js`: makeAnalyzeRpcFun / makeAnalyzeStackRpcFun) builds them, with two differences it documents:
 * props are the recorded inputs for stack policies too (the engine passes outputs there), and `opts` also carries
 * the recorded `retainOnDelete` (the engine's protocol does not have it).
 *
 * A value recorded as "(known after apply)" behaves like an engine unknown: a policy that reads it throws
 * {@link UnknownDuringPreviewError} and is reported as skipped, keeping violations it reported before.
 *
 * Exit codes: 0 no mandatory violation, 1 a mandatory violation (or a policy crashed), 2 missing/invalid input.
 */
import * as fs from "node:fs";
import { parseArgs } from "node:util";
import type {
    EnforcementLevel,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
} from "@pulumi/policy";
import { z } from "zod";
import { policies as packPolicies } from "../policy/policies";
import { resourceRecordFields, UNKNOWN_MARK, type ResourceRecord as RenderedResource } from "../render/contract";
import { formatTable, resourceLabeller } from "../render/table";

/** How the render writes a value unknown until apply (the render's own constant). */
export const UNKNOWN_VALUE = UNKNOWN_MARK;

/** One resource of `out/<stack>/resources.json` (the render's contract), plus per-input dependencies where known. */
export interface ResourceRecord extends RenderedResource {
    readonly inputs: Record<string, unknown>;
    /** Per-input dependencies (URNs), when the render records them. */
    readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

/**
 * The render contract's record (render/contract.ts), read leniently: the option fields default as the engine
 * defaults them, so hand-written or older files check too; unknown fields are dropped.
 */
const f = resourceRecordFields;
const resourceRecordSchema = z.object({
    ...f,
    parent: f.parent.default(null),
    custom: f.custom.default(true),
    provider: f.provider.default(null),
    dependencies: f.dependencies.default([]),
    protect: f.protect.default(false),
    retainOnDelete: f.retainOnDelete.default(false),
    ignoreChanges: f.ignoreChanges.default([]),
    deleteBeforeReplace: f.deleteBeforeReplace.default(false),
    additionalSecretOutputs: f.additionalSecretOutputs.default([]),
    propertyDependencies: z.record(z.string(), z.array(z.string())).optional(),
});

/** A policy object of the pack. */
export type PackPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** Per-policy config: an enforcement level, or properties (and optionally `enforcementLevel`), as the CLI accepts. */
export type PolicyConfigEntry = EnforcementLevel | ({ readonly enforcementLevel?: EnforcementLevel } & Readonly<Record<string, unknown>>);

/** Options of {@link checkResources}. */
export interface CheckOptions {
    /** Policy name → config, merged over each policy's `configSchema` defaults. */
    readonly config?: Readonly<Record<string, PolicyConfigEntry>>;
    /** Stack tags handed to policies (empty by default). */
    readonly stackTags?: ReadonlyMap<string, string>;
    /** Policies to run: the pack's own array unless a test needs a probe policy. */
    readonly policies?: readonly PackPolicy[];
}

/** A reported violation. */
export interface PolicyViolation {
    /** Policy name. */
    readonly policy: string;
    /** Effective enforcement level ("remediate" reports as "mandatory", as the engine does). */
    readonly level: EnforcementLevel;
    /** The resource it concerns; undefined for a stack-wide violation. */
    readonly urn?: string;
    /** What to change. */
    readonly message: string;
}

/** A policy run that touched a value unknown until apply (the engine reports "can't run policy during preview"). */
export interface SkippedPolicy {
    /** Policy name. */
    readonly policy: string;
    /** The resource being validated; undefined for a stack policy. */
    readonly urn?: string;
    /** "skipped (unknown during preview): …". */
    readonly reason: string;
}

/** A policy that declared itself not applicable (`args.notApplicable`). */
export interface NotApplicablePolicy {
    /** Policy name. */
    readonly policy: string;
    /** The resource being validated; undefined for a stack policy. */
    readonly urn?: string;
    /** The reason it gave. */
    readonly reason?: string;
}

/** Result of {@link checkResources}. */
export interface CheckResult {
    /** Every violation, in policy order then resource order. */
    readonly violations: PolicyViolation[];
    /** Policy runs skipped because they read an unknown value. */
    readonly skipped: SkippedPolicy[];
    /** Policy runs that declared themselves not applicable. */
    readonly notApplicable: NotApplicablePolicy[];
}

/** Thrown when a policy reads a value that is unknown until apply. */
export class UnknownDuringPreviewError extends Error {
    /** Property path that was read, e.g. `spec.image`. */
    readonly path: string;
    constructor(path: readonly PropertyKey[]) {
        const dotted = path.map(String).join(".");
        super(`value at .${dotted} can't be known during preview`);
        this.name = "UnknownDuringPreviewError";
        this.path = dotted;
    }
}

class NotApplicableError extends Error {
    readonly reason?: string;
    constructor(reason?: string) {
        super(reason ?? "Policy does not apply");
        this.reason = reason;
    }
}

function throwNotApplicable(reason?: string): never {
    throw new NotApplicableError(reason);
}

/**
 * Wraps inputs so that reading a "(known after apply)" value throws, like @pulumi/policy's `unknownCheckingProxy`
 * (`proxy.js`) does for the engine's unknown sentinels. Only `get` is trapped, exactly as there.
 */
export function unknownCheckingProxy<T>(value: T, path: readonly PropertyKey[] = []): T {
    if (!(value instanceof Object)) {
        return value;
    }
    return new Proxy(value as T & object, {
        get: (target, prop) => {
            const field = Reflect.get(target, prop) as unknown;
            const fieldPath = [...path, prop];
            if (field === UNKNOWN_VALUE) {
                throw new UnknownDuringPreviewError(fieldPath);
            }
            // Proxy invariant: a non-configurable, non-writable own data property must be returned as is.
            const descriptor = Reflect.getOwnPropertyDescriptor(target, prop);
            if (descriptor && "value" in descriptor && descriptor.configurable === false && descriptor.writable === false) {
                return field;
            }
            return unknownCheckingProxy(field, fieldPath);
        },
    });
}

/** A resource class as `isType`/`asType` receive it. */
interface ResourceClassLike {
    readonly __pulumiType?: unknown;
    readonly isInstance?: unknown;
}

/** `isType` as @pulumi/policy implements it (`isTypeOf` in `server.js`): `__pulumiType`, else `isInstance`. */
export function isTypeOf(type: string, resourceClass: unknown): boolean {
    const cls = resourceClass as ResourceClassLike;
    if (typeof cls.__pulumiType === "string" && cls.__pulumiType.length > 0) {
        return cls.__pulumiType === type;
    }
    return typeof cls.isInstance === "function" && (cls.isInstance as (o: unknown) => unknown)({ __pulumiType: type }) === true;
}

/** Validates parsed JSON as a list of resource records (throws a readable error otherwise). */
export function parseResourceRecords(json: unknown): ResourceRecord[] {
    const parsed = z.array(resourceRecordSchema).safeParse(json);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new Error(`not a resources file: ${issue ? `${issue.path.join(".") || "(root)"}: ${issue.message}` : "invalid"}`);
    }
    return parsed.data;
}

function isStackPolicy(policy: PackPolicy): policy is StackValidationPolicy {
    return typeof (policy as StackValidationPolicy).validateStack === "function";
}

/** The policy's effective level: config override, else its own, else the pack default ("advisory"). */
function effectiveLevel(policy: PackPolicy, entry: PolicyConfigEntry | undefined): EnforcementLevel {
    const configured = typeof entry === "string" ? entry : entry?.enforcementLevel;
    const level = configured ?? policy.enforcementLevel ?? "advisory";
    return level === "remediate" ? "mandatory" : level;
}

/** Config a policy sees: `configSchema` defaults, overridden by the given entry (minus `enforcementLevel`). */
function policyConfig(policy: PackPolicy, entry: PolicyConfigEntry | undefined): Record<string, unknown> {
    const config: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
        if (schema.default !== undefined) {
            config[key] = schema.default;
        }
    }
    if (typeof entry === "object") {
        for (const [key, value] of Object.entries(entry)) {
            if (key !== "enforcementLevel") {
                config[key] = value;
            }
        }
    }
    for (const key of policy.configSchema?.required ?? []) {
        if (config[key] === undefined) {
            throw new Error(`policy ${policy.name}: required config "${key}" is missing`);
        }
    }
    return config;
}

/** Splits a provider reference `<providerURN>::<id>` and finds the provider's record. */
function providerOf(reference: string | null, byUrn: ReadonlyMap<string, ResourceRecord>): PolicyProviderResource | undefined {
    if (!reference) {
        return undefined;
    }
    const separator = reference.lastIndexOf("::");
    const record = byUrn.get(separator > 0 ? reference.slice(0, separator) : reference);
    if (!record) {
        return undefined;
    }
    return { type: record.type, props: unknownCheckingProxy(structuredClone(record.inputs)), urn: record.urn, name: record.name };
}

/** Resource options as the engine builds them, plus the recorded `retainOnDelete`. */
function optionsOf(record: ResourceRecord): PolicyResourceOptions & { readonly retainOnDelete: boolean } {
    return {
        protect: record.protect,
        ignoreChanges: [...record.ignoreChanges],
        ...(record.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}),
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [...record.additionalSecretOutputs],
        ...(record.parent ? { parent: record.parent } : {}),
        retainOnDelete: record.retainOnDelete,
    };
}

/** Builds the stack-policy view of every resource, with parent and dependencies resolved to objects. */
function stackResources(records: readonly ResourceRecord[], byUrn: ReadonlyMap<string, ResourceRecord>): PolicyResource[] {
    const resources = records.map((record): PolicyResource => {
        const props = unknownCheckingProxy(structuredClone(record.inputs));
        const provider = providerOf(record.provider, byUrn);
        return {
            type: record.type,
            props,
            urn: record.urn,
            name: record.name,
            opts: optionsOf(record),
            ...(provider ? { provider } : {}),
            dependencies: [],
            propertyDependencies: {},
            isType: (resourceClass) => isTypeOf(record.type, resourceClass),
            asType: ((resourceClass: unknown) => (isTypeOf(record.type, resourceClass) ? props : undefined)) as PolicyResource["asType"],
        };
    });
    const resourceByUrn = new Map(resources.map((r) => [r.urn, r]));
    const resolve = (urns: readonly string[]): PolicyResource[] => urns.flatMap((u) => resourceByUrn.get(u) ?? []);
    records.forEach((record, index) => {
        const resource = resources[index] as PolicyResource;
        const parent = record.parent ? resourceByUrn.get(record.parent) : undefined;
        if (parent) {
            resource.parent = parent;
        }
        resource.dependencies = resolve(record.dependencies);
        for (const [key, urns] of Object.entries(record.propertyDependencies ?? {})) {
            resource.propertyDependencies[key] = resolve(urns);
        }
    });
    return resources;
}

/** Runs one validation, sorting its outcome into skipped / not applicable; other errors name the policy. */
async function runGuarded(
    policy: PackPolicy,
    urn: string | undefined,
    run: () => Promise<void> | void,
    result: CheckResult,
): Promise<void> {
    try {
        await run();
    } catch (error) {
        if (error instanceof UnknownDuringPreviewError) {
            result.skipped.push({ policy: policy.name, ...(urn ? { urn } : {}), reason: `skipped (unknown during preview): ${error.message}` });
        } else if (error instanceof NotApplicableError) {
            result.notApplicable.push({ policy: policy.name, ...(urn ? { urn } : {}), ...(error.reason ? { reason: error.reason } : {}) });
        } else {
            const cause = error instanceof Error ? error.message : String(error);
            throw new Error(`policy ${policy.name} failed${urn ? ` on ${urn}` : ""}: ${cause}`, { cause: error });
        }
    }
}

/**
 * Evaluates the pack's policies over recorded resources the way the engine does: every resource policy once per
 * resource (inputs as props), every stack policy once over all resources.
 */
export async function checkResources(records: readonly ResourceRecord[], options: CheckOptions = {}): Promise<CheckResult> {
    const result: CheckResult = { violations: [], skipped: [], notApplicable: [] };
    const byUrn = new Map(records.map((r) => [r.urn, r]));
    const stackTags = options.stackTags ?? new Map<string, string>();
    for (const policy of options.policies ?? packPolicies) {
        const entry = options.config?.[policy.name];
        const level = effectiveLevel(policy, entry);
        if (level === "disabled") {
            continue;
        }
        const config = policyConfig(policy, entry);
        const getConfig = <T extends object>(): T => structuredClone(config) as T;
        const report = (urn: string | undefined) => (message: string, violationUrn?: string): void => {
            const target = violationUrn ?? urn;
            result.violations.push({ policy: policy.name, level, ...(target ? { urn: target } : {}), message });
        };
        if (isStackPolicy(policy)) {
            const args: StackValidationArgs = { resources: stackResources(records, byUrn), stackTags, getConfig, notApplicable: throwNotApplicable };
            await runGuarded(policy, undefined, () => policy.validateStack(args, report(undefined)), result);
            continue;
        }
        const validations = policy.validateResource === undefined ? [] : Array.isArray(policy.validateResource) ? policy.validateResource : [policy.validateResource];
        for (const record of records) {
            for (const validate of validations) {
                // Fresh props per run, as the engine deserializes per validation: one policy cannot leak edits into another.
                const props = unknownCheckingProxy(structuredClone(record.inputs));
                const provider = providerOf(record.provider, byUrn);
                const args: ResourceValidationArgs = {
                    type: record.type,
                    props,
                    urn: record.urn,
                    name: record.name,
                    opts: optionsOf(record),
                    ...(provider ? { provider } : {}),
                    stackTags,
                    isType: (resourceClass) => isTypeOf(record.type, resourceClass),
                    asType: ((resourceClass: unknown) => (isTypeOf(record.type, resourceClass) ? props : undefined)) as ResourceValidationArgs["asType"],
                    getConfig,
                    notApplicable: throwNotApplicable,
                };
                await runGuarded(policy, record.urn, () => validate(args, report(record.urn)), result);
            }
        }
    }
    return result;
}

/** Reads and validates a resources file; throws with a clear message when it is missing or invalid. */
export function loadResourceRecords(path: string): ResourceRecord[] {
    let text: string;
    try {
        text = fs.readFileSync(path, "utf8");
    } catch (error) {
        throw new Error(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (error) {
        throw new Error(`${path} is not JSON: ${(error as Error).message}`);
    }
    try {
        return parseResourceRecords(json);
    } catch (error) {
        throw new Error(`${path}: ${(error as Error).message}`);
    }
}

/** Reads a `--config` file: a JSON object of policy name → config entry. */
export function loadPolicyConfig(path: string): Record<string, PolicyConfigEntry> {
    const levels = z.enum(["advisory", "mandatory", "remediate", "disabled"]);
    const schema = z.record(z.string(), z.union([levels, z.looseObject({ enforcementLevel: levels.optional() })]));
    let json: unknown;
    try {
        json = JSON.parse(fs.readFileSync(path, "utf8"));
    } catch (error) {
        throw new Error(`cannot read policy config ${path}: ${(error as Error).message}`);
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
        throw new Error(`policy config ${path} must map policy names to an enforcement level or an object of settings`);
    }
    return parsed.data as Record<string, PolicyConfigEntry>;
}

/** Resource labels for the output: always `Kind::name` (the render's one labeller), `(stack)` for stack-wide. */
function labels(records: readonly ResourceRecord[]): (urn: string | undefined) => string {
    return resourceLabeller(records, { alwaysQualified: true, separator: "::" });
}

/** Renders violations as an aligned text table (LEVEL, POLICY, RESOURCE, MESSAGE). */
export function formatViolations(violations: readonly PolicyViolation[], records: readonly ResourceRecord[]): string {
    const label = labels(records);
    return formatTable(["LEVEL", "POLICY", "RESOURCE", "MESSAGE"], violations.map((v) => [v.level, v.policy, label(v.urn), v.message.replace(/\s+/g, " ")]));
}

const USAGE = `usage: npm run -s policy:check -- <out/<stack>/resources.json> [--config <policy-config.json>]

Runs the policy pack's policies over a render's resources file, without the Pulumi CLI.
Exit codes: 0 no mandatory violation, 1 a mandatory violation (or a policy crashed), 2 missing or invalid input.

  --config <file>  policy config: a JSON object of policy name → enforcement level or settings
  -h, --help       show this help`;

/** Parses CLI arguments (node:util): one resources path and an optional `--config <file>`. */
function cliArgs(argv: readonly string[]): { readonly file?: string; readonly configFile?: string; readonly help: boolean } {
    let parsed;
    try {
        parsed = parseArgs({
            args: [...argv],
            options: { config: { type: "string" }, help: { type: "boolean", short: "h", default: false } },
            allowPositionals: true,
            strict: true,
        });
    } catch (error) {
        throw new Error(`${(error as Error).message}\n\n${USAGE}`);
    }
    const [file, ...extra] = parsed.positionals;
    if (extra.length > 0) {
        throw new Error(`unexpected argument ${extra[0]}\n\n${USAGE}`);
    }
    return { file, configFile: parsed.values.config, help: parsed.values.help ?? false };
}

/** The CLI: returns the exit code (0 clean or advisory only, 1 mandatory violation or policy failure, 2 bad input). */
export async function main(argv: readonly string[], out: (line: string) => void = console.log, err: (line: string) => void = console.error): Promise<number> {
    let records: ResourceRecord[];
    let config: Record<string, PolicyConfigEntry> | undefined;
    try {
        const { file, configFile, help } = cliArgs(argv);
        if (help) {
            out(USAGE);
            return 0;
        }
        if (!file) {
            throw new Error(`missing the resources file\n\n${USAGE}`);
        }
        records = loadResourceRecords(file);
        config = configFile ? loadPolicyConfig(configFile) : undefined;
    } catch (error) {
        err(`policy-check: ${(error as Error).message}`);
        return 2;
    }
    let result: CheckResult;
    try {
        result = await checkResources(records, { config });
    } catch (error) {
        err(`policy-check: ${(error as Error).message}`);
        return 1;
    }
    for (const skip of result.skipped) {
        out(`skipped  ${skip.policy}  ${labels(records)(skip.urn)}  ${skip.reason}`);
    }
    if (result.violations.length > 0) {
        out(formatViolations(result.violations, records));
    }
    const mandatory = result.violations.filter((v) => v.level === "mandatory").length;
    out(`${records.length} resources, ${result.violations.length} violations (${mandatory} mandatory), ${result.skipped.length} skipped`);
    return mandatory > 0 ? 1 : 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (error: unknown) => {
            console.error(error);
            process.exitCode = 1;
        },
    );
}
