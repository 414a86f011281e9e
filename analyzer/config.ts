/**
 * Policy config as the Pulumi CLI reads, reconciles and validates it before it calls Configure
 * (pulumi/pulumi `pkg/resource/analyzer/config.go`, `pkg/engine/update.go` loadPolicyPlugins,
 * `sdk/go/common/resource/plugin/analyzer_plugin.go` GetAnalyzerInfo / Configure).
 *
 * JSON-schema validation uses ajv: the CLI uses gojsonschema, which has no Node.js port; ajv is Node's standard,
 * maintained validator of the same drafts, and its errors are rewritten into gojsonschema's wording (`ResultError
 * String()`: "<field>: <description>", "(root): " trimmed), so messages read as the CLI prints them.
 */
import * as fs from "node:fs";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import { UserError } from "./records";

export type EnforcementLevel = "advisory" | "mandatory" | "remediate" | "disabled";
/** apitype.EnforcementLevel.IsValid (`sdk/go/common/apitype/policy.go`). */
const LEVELS: readonly EnforcementLevel[] = ["advisory", "mandatory", "remediate", "disabled"];

function isLevel(value: unknown): value is EnforcementLevel {
    return typeof value === "string" && (LEVELS as readonly string[]).includes(value);
}

/** plugin.AnalyzerPolicyConfig: a level ("" when not given) and properties. */
export interface PolicyConfig {
    readonly enforcementLevel: EnforcementLevel | "";
    readonly properties?: Readonly<Record<string, unknown>>;
}

/** What the CLI learns from GetAnalyzerInfo about one policy. */
export interface PolicyInfo {
    readonly name: string;
    readonly enforcementLevel: EnforcementLevel;
    /** `configSchema.properties` (with the injected `enforcementLevel`), when the pack supports config. */
    readonly properties?: Readonly<Record<string, Record<string, unknown>>>;
    readonly required?: readonly string[];
}

/** Pack identity and policies from GetAnalyzerInfo. */
export interface PackInfo {
    readonly name: string;
    readonly version: string;
    readonly policies: readonly PolicyInfo[];
}

const LEVEL_FROM_PROTO: Readonly<Record<number, EnforcementLevel>> = {
    [analyzerproto.EnforcementLevel.ADVISORY]: "advisory",
    [analyzerproto.EnforcementLevel.MANDATORY]: "mandatory",
    [analyzerproto.EnforcementLevel.REMEDIATE]: "remediate",
    [analyzerproto.EnforcementLevel.DISABLED]: "disabled",
};

/** The wire enum of a level (marshalEnforcementLevel). */
export function levelToProto(level: EnforcementLevel): analyzerproto.EnforcementLevel {
    return { advisory: analyzerproto.EnforcementLevel.ADVISORY, mandatory: analyzerproto.EnforcementLevel.MANDATORY, remediate: analyzerproto.EnforcementLevel.REMEDIATE, disabled: analyzerproto.EnforcementLevel.DISABLED }[level];
}

/** A level from the wire (convertEnforcementLevel). */
export function levelFromProto(level: analyzerproto.EnforcementLevel): EnforcementLevel {
    const converted = LEVEL_FROM_PROTO[level];
    if (converted === undefined) {
        throw new Error(`unknown enforcement level ${level}`);
    }
    return converted;
}

/** GetAnalyzerInfo as the CLI converts it: every policy with config support gets `enforcementLevel` in its schema. */
export function packInfoOf(info: analyzerproto.AnalyzerInfo): PackInfo {
    const policies = info.getPoliciesList().map((policy): PolicyInfo => {
        const base = { name: policy.getName(), enforcementLevel: levelFromProto(policy.getEnforcementlevel()) };
        if (!info.getSupportsconfig()) {
            return base;
        }
        const schema = policy.getConfigschema();
        const properties = { ...((schema?.getProperties()?.toJavaScript() ?? {}) as Record<string, Record<string, unknown>>) };
        properties.enforcementLevel = { type: "string", enum: ["advisory", "mandatory", "remediate", "disabled"] };
        return { ...base, properties, required: schema?.getRequiredList() ?? [] };
    });
    policies.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return { name: info.getName(), version: info.getVersion(), policies };
}

/** extractEnforcementLevel: takes `enforcementLevel` out of an object entry, validating it. */
function extractLevel(props: Record<string, unknown>): EnforcementLevel | "" {
    if (!("enforcementLevel" in props)) {
        return "";
    }
    const value = props.enforcementLevel;
    if (typeof value !== "string") {
        throw new UserError(`${JSON.stringify(value)} is not a valid enforcement level; must be a string`);
    }
    if (!isLevel(value)) {
        throw new UserError(`${JSON.stringify(value)} is not a valid enforcement level`);
    }
    delete props.enforcementLevel;
    return value;
}

/** parsePolicyPackConfig: a JSON object of policy name → level string or object of properties. */
export function parsePolicyConfig(text: string): Map<string, PolicyConfig> {
    const result = new Map<string, PolicyConfig>();
    if (text.trim() === "") {
        return result; // "Gracefully allow empty content."
    }
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (error) {
        throw new UserError((error as Error).message);
    }
    if (json === null || typeof json !== "object" || Array.isArray(json)) {
        throw new UserError("policy config must be a JSON object");
    }
    for (const [name, value] of Object.entries(json)) {
        if (typeof value === "string") {
            if (!isLevel(value)) {
                throw new UserError(`parsing enforcement level for ${JSON.stringify(name)}: ${JSON.stringify(value)} is not a valid enforcement level`);
            }
            result.set(name, { enforcementLevel: value });
        } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
            const props = { ...(value as Record<string, unknown>) };
            let level: EnforcementLevel | "";
            try {
                level = extractLevel(props);
            } catch (error) {
                throw new UserError(`parsing enforcement level for ${JSON.stringify(name)}: ${(error as Error).message}`);
            }
            if (level !== "" || Object.keys(props).length > 0) {
                result.set(name, { enforcementLevel: level, ...(Object.keys(props).length > 0 ? { properties: props } : {}) });
            }
        } else {
            throw new UserError(`parsing ${JSON.stringify(name)}: ${String(value)} is not a valid value; must be a string or object`);
        }
    }
    return result;
}

/** LoadPolicyPackConfigFromFile. */
export function loadPolicyConfig(file: string): Map<string, PolicyConfig> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        throw new UserError(`cannot read policy config ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    try {
        return parsePolicyConfig(text);
    } catch (error) {
        // The CLI's message alone does not say which file it is about.
        throw error instanceof UserError ? new UserError(`policy config ${file}: ${error.message}`) : error;
    }
}

/** createConfigWithDefaults + applyConfig ("all" first, then each named entry, unknown names included). */
function reconcile(policies: readonly PolicyInfo[], config: ReadonlyMap<string, PolicyConfig>): Map<string, PolicyConfig> {
    const result = new Map<string, PolicyConfig>();
    for (const policy of policies) {
        const defaults = Object.entries(policy.properties ?? {}).filter(([, schema]) => "default" in schema);
        result.set(policy.name, { enforcementLevel: policy.enforcementLevel, ...(defaults.length > 0 ? { properties: Object.fromEntries(defaults.map(([key, schema]) => [key, schema.default])) } : {}) });
    }
    const all = config.get("all");
    if (all !== undefined && all.enforcementLevel !== "") {
        for (const [name, entry] of result) {
            result.set(name, { ...entry, enforcementLevel: all.enforcementLevel });
        }
    }
    for (const [name, given] of config) {
        const current = result.get(name);
        const properties = given.properties && Object.keys(given.properties).length > 0 ? { ...(current?.properties ?? {}), ...given.properties } : current?.properties;
        result.set(name, { enforcementLevel: given.enforcementLevel !== "" ? given.enforcementLevel : current?.enforcementLevel ?? "", ...(properties ? { properties } : {}) });
    }
    return result;
}

/** gojsonschema's wording for an ajv error (locales.go DefaultLocale), prefixed with the field as ResultError.String. */
function gojsonschemaMessage(error: ErrorObject, data: unknown): string {
    const field = error.instancePath.split("/").slice(1).join(".");
    const p = error.params as Record<string, unknown>;
    const valueAt = error.instancePath.split("/").slice(1).reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], data);
    const given = valueAt === null ? "null" : Array.isArray(valueAt) ? "array" : typeof valueAt === "number" ? (Number.isInteger(valueAt) ? "integer" : "number") : typeof valueAt;
    const descriptions: Record<string, () => string> = {
        type: () => `Invalid type. Expected: ${String(p.type)}, given: ${given}`,
        required: () => `${String(p.missingProperty)} is required`,
        minimum: () => `Must be greater than or equal to ${String(p.limit)}`,
        maximum: () => `Must be less than or equal to ${String(p.limit)}`,
        exclusiveMinimum: () => `Must be greater than ${String(p.limit)}`,
        exclusiveMaximum: () => `Must be less than ${String(p.limit)}`,
        minLength: () => `String length must be greater than or equal to ${String(p.limit)}`,
        maxLength: () => `String length must be less than or equal to ${String(p.limit)}`,
        pattern: () => `Does not match pattern '${String(p.pattern)}'`,
        enum: () => `${field} must be one of the following: ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(", ")}`,
        multipleOf: () => `Must be a multiple of ${String(p.multipleOf)}`,
        minItems: () => `Array must have at least ${String(p.limit)} items`,
        maxItems: () => `Array must have at most ${String(p.limit)} items`,
        additionalProperties: () => `Additional property ${String(p.additionalProperty)} is not allowed`,
    };
    const description = descriptions[error.keyword]?.() ?? error.message ?? error.keyword;
    return field === "" ? description : `${field}: ${description}`;
}

let ajv: Ajv | undefined;
/** Compiled validators by schema text: a pack's schemas are the same on every check (a fleet checks one per stack). */
const validators = new Map<string, ValidateFunction>();

function validatorOf(schema: Readonly<Record<string, unknown>>): ValidateFunction {
    const key = JSON.stringify(schema);
    let validator = validators.get(key);
    if (validator === undefined) {
        // strict false: policy schemas may carry keywords ajv does not know (gojsonschema ignores them too).
        ajv ??= new Ajv({ allErrors: true, strict: false });
        validator = ajv.compile(schema);
        validators.set(key, validator);
    }
    return validator;
}

/** validatePolicyPackConfig: each policy with a schema, validated as {type: object, properties, required}. */
function validate(policies: readonly PolicyInfo[], config: ReadonlyMap<string, PolicyConfig>): string[] {
    const errors: string[] = [];
    for (const policy of policies) {
        if (policy.properties === undefined) {
            continue;
        }
        const schema = { type: "object", properties: policy.properties, ...(policy.required?.length ? { required: policy.required } : {}) };
        const props = config.get(policy.name)?.properties ?? {};
        const check = validatorOf(schema);
        if (!check(props)) {
            for (const error of check.errors ?? []) {
                errors.push(`${policy.name}: ${gojsonschemaMessage(error, props)}`);
            }
        }
    }
    return errors;
}

/** Options of {@link reconcilePolicyConfig}. */
export interface ReconcileOptions {
    /** Where the pack was loaded from, as `--policy-pack` gave it (for the CLI's messages). Default "policy". */
    readonly packPath?: string;
    /**
     * Also refuse names that are no policy of the pack (default true). Not the CLI: it refuses an unknown name only
     * when the entry has properties but no level (Configure: `invalid enforcement level ""`); an unknown name with a
     * level is sent to the pack and silently ignored there.
     */
    readonly refuseUnknownNames?: boolean;
}

/**
 * ReconcilePolicyPackConfig and the checks loadPolicyPlugins and analyzer.Configure make, in their order; throws a
 * UserError with the CLI's message. Returns the ConfigureAnalyzerRequest to send (defaults filled, `all` applied).
 */
export function reconcilePolicyConfig(info: PackInfo, config: ReadonlyMap<string, PolicyConfig>, options: ReconcileOptions = {}): analyzerproto.ConfigureAnalyzerRequest {
    const packPath = options.packPath ?? "policy";
    const known = new Set(info.policies.map((p) => p.name));
    if (options.refuseUnknownNames ?? true) {
        const unknown = [...config.keys()].filter((name) => name !== "all" && !known.has(name)).sort();
        if (unknown.length > 0) {
            throw new UserError(
                `policy config for ${JSON.stringify(info.name)} names no policy of the pack: ${unknown.join(", ")} ` +
                    `(policies: ${[...known].join(", ")}). The Pulumi CLI would ignore a misspelt name that sets a level.`,
            );
        }
    }
    const result = reconcile(info.policies, config);
    const errors = validate(info.policies, result);
    if (errors.length > 0) {
        // pkg/engine/update.go appendValidationErrors: sorted, one diagnostic each, then "validating policy config".
        const lines = errors.sort().map((e) => `validating policy config: ${info.name} ${info.version}  ${e}`);
        throw new UserError(`${lines.join("\n")}\nvalidating policy config`);
    }
    const request = new analyzerproto.ConfigureAnalyzerRequest();
    const map = request.getPolicyconfigMap();
    for (const [name, entry] of result) {
        if (entry.enforcementLevel === "") {
            throw new UserError(`configuring policy pack ${JSON.stringify(info.name)} at ${JSON.stringify(packPath)}: invalid enforcement level ""`);
        }
        const policyConfig = new analyzerproto.PolicyConfig();
        policyConfig.setEnforcementlevel(levelToProto(entry.enforcementLevel));
        policyConfig.setProperties(structproto.Struct.fromJavaScript((entry.properties ?? {}) as Record<string, structproto.JavaScriptValue>));
        map.set(name, policyConfig);
    }
    return request;
}
