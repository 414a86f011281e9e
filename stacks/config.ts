/**
 * Parses the stack's Pulumi config exactly once into a frozen {@link StackConfig}.
 * Every problem is collected and reported at once, each naming the full key, the value given and
 * what is allowed; the program throws a `pulumi.RunError` before it registers any resource.
 */
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { expectedInWords, schemaAt } from "./expected";
import { PROJECT, providerConfigSchema, stackConfigSchema, type ProjectConfig, type ProviderConfig } from "./schema";

/** The whole stack configuration: the project's keys, the provider keys, and which stack this is. */
export type StackConfig = ProjectConfig & {
    readonly project: string;
    readonly stack: string;
    readonly providers: ProviderConfig;
};

/** One problem with one key. */
export interface ConfigProblem {
    /** Full key, e.g. `pipeline-service:results.backupRetentionDays`. */
    readonly key: string;
    readonly message: string;
    /** The value given, or undefined when the key is missing. */
    readonly given?: unknown;
}

/** Thrown (as a RunError, so `pulumi up` prints it without a stack trace) when the config is invalid. */
export class StackConfigError extends pulumi.RunError {
    constructor(readonly problems: readonly ConfigProblem[]) {
        super(formatProblems(problems));
        this.name = "StackConfigError";
    }
}

/** Stands in for the value of a key set with `--secret`: an error message never echoes a secret. */
const SECRET_GIVEN = Symbol("secret");

function describeValue(value: unknown): string {
    if (value === undefined) {
        return "missing";
    }
    if (value === SECRET_GIVEN) {
        return "got (secret)";
    }
    const text = JSON.stringify(value);
    return `got ${text.length > 80 ? `${text.slice(0, 77)}...` : text}`;
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
    const lines = problems.map((problem) => `  - ${problem.key}: ${problem.message} (${describeValue(problem.given)})`);
    return `invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${lines.join("\n")}`;
}

function keyOf(path: readonly PropertyKey[]): string {
    if (typeof path[0] === "string" && path[0].includes(":")) {
        return path.map(String).join(".");
    }
    let key = `${PROJECT}:`;
    path.forEach((segment, index) => {
        key += typeof segment === "number" ? `[${segment}]` : `${index === 0 ? "" : "."}${String(segment)}`;
    });
    return key;
}

function problemsFromZod(error: z.ZodError, schema: z.ZodType): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    // A value of the wrong type is that one problem: zod still runs some checks on it (an array's .min on a string).
    const wrongType = new Set(error.issues.filter((issue) => issue.code === "invalid_type").map((issue) => keyOf(issue.path)));
    for (const issue of error.issues) {
        if (issue.code !== "invalid_type" && wrongType.has(keyOf(issue.path))) {
            continue;
        }
        if (issue.code === "unrecognized_keys") {
            for (const unknownKey of issue.keys) {
                problems.push({ key: keyOf([...issue.path, unknownKey]), message: "is not a known key (see docs/configuration.md)", given: "(set)" });
            }
            continue;
        }
        let message = issue.message;
        if (issue.code === "invalid_value" && "values" in issue) {
            message = `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}`;
            if (typeof issue.input === "number" && issue.values.every((value) => typeof value === "string")) {
                // 17 and "17" print alike: say which one is wanted.
                message += ` (a string: quote it, e.g. "${String(issue.values[0])}")`;
            }
        } else if (issue.code === "invalid_type" && issue.input === undefined && !issue.message.startsWith("is required")) {
            message = `is required (${issue.expected})`;
        } else if (issue.code === "invalid_type" && issue.message.startsWith("Invalid input")) {
            message = `must be ${expectedInWords(issue.expected, schemaAt(schema, issue.path))}`;
            if ((issue.expected === "number" || issue.expected === "int") && typeof issue.input === "string" && issue.input.trim() !== "" && Number.isFinite(Number(issue.input))) {
                // "2" and 2 look alike in a message: say the number goes without quotes.
                message += " (unquoted)";
            }
            // A top-level key set to null reaches the program as the text "null" (structured values are JSON).
            if (issue.expected !== "string" && issue.input === "null") {
                problems.push({ key: keyOf(issue.path), message, given: null });
                continue;
            }
        } else if (issue.code === "invalid_union") {
            message = "is not one of the allowed values (see docs/configuration.md)";
        }
        problems.push({ key: keyOf(issue.path), message, given: issue.input });
    }
    return problems;
}

/**
 * Raw `pipeline-service:*` values as the Pulumi runtime holds them: strings, with structured values
 * (objects/arrays set with `--path`) as JSON.
 */
function readRawProjectConfig(all: Readonly<Record<string, string>>): Record<string, unknown> {
    const raw: Record<string, unknown> = {};
    for (const [fullKey, value] of Object.entries(all)) {
        if (!fullKey.startsWith(`${PROJECT}:`)) {
            continue;
        }
        const key = fullKey.slice(PROJECT.length + 1);
        const trimmed = value.trim();
        if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
            try {
                raw[key] = JSON.parse(trimmed);
                continue;
            } catch {
                // Not JSON after all: validation reports it as the wrong type.
            }
        }
        raw[key] = value;
    }
    return raw;
}

function deepFreeze<T>(value: T): T {
    if (value !== null && typeof value === "object" && !pulumi.Output.isInstance(value) && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const child of Object.values(value)) {
            deepFreeze(child);
        }
    }
    return value;
}

/**
 * Validates a raw config map (as `pulumi.runtime.allConfig()` returns it) and returns the typed config,
 * or throws {@link StackConfigError} listing every problem.
 */
export function parseStackConfig(all: Readonly<Record<string, string>>, project: string, stack: string, secretKeys: ReadonlySet<string> = new Set()): StackConfig {
    const providers = providerConfigSchema.safeParse(all, { reportInput: true });
    const result = stackConfigSchema.safeParse(readRawProjectConfig(all), { reportInput: true });
    if (!providers.success || !result.success) {
        const problems = [
            ...(providers.success ? [] : problemsFromZod(providers.error, providerConfigSchema)),
            ...(result.success ? [] : problemsFromZod(result.error, stackConfigSchema)),
        ];
        // A secret is secret as a whole key (`pulumi config set --secret`): none of its value is shown.
        throw new StackConfigError(problems.map((problem) =>
            secretKeys.has(problem.key.split(/[.[]/)[0] ?? "") && problem.given !== undefined ? { ...problem, given: SECRET_GIVEN } : problem));
    }
    return deepFreeze({ ...result.data, project, stack, providers: providers.data });
}

/**
 * Whether a key was set as a secret: the runtime's `isConfigSecret` (@pulumi/pulumi `runtime/config.js`), exported
 * at run time but marked internal, so its declaration is stripped from the typings.
 */
const isConfigSecret = (pulumi.runtime as unknown as { isConfigSecret(key: string): boolean }).isConfigSecret;

/** Reads this stack's config from the Pulumi runtime, once. */
export function loadStackConfig(): StackConfig {
    const all = pulumi.runtime.allConfig();
    return parseStackConfig(all, pulumi.getProject(), pulumi.getStack(), new Set(Object.keys(all).filter((key) => isConfigSecret(key))));
}
