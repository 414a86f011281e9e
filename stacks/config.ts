/**
 * Parses the stack's Pulumi config exactly once into a frozen {@link StackConfig}.
 * Every problem is collected and reported at once, each naming the full key, the value given and
 * what is allowed; the program throws a `pulumi.RunError` before it registers any resource.
 */
import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";
import { smallestAutoscalingCeiling } from "../components/storage/builders";
import { ENVIRONMENT_DEFAULTS } from "./defaults";
import { PROJECT, stackConfigSchema, type ParsedStackConfig } from "./schema";
import type { ProviderConfig, StackConfig } from "./types";

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

function describeValue(value: unknown): string {
    if (value === undefined) {
        return "missing";
    }
    const text = JSON.stringify(value);
    return `got ${text.length > 80 ? `${text.slice(0, 77)}...` : text}`;
}

export function formatProblems(problems: readonly ConfigProblem[]): string {
    const lines = problems.map((problem) => `  - ${problem.key}: ${problem.message} (${describeValue(problem.given)})`);
    return `invalid stack configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${lines.join("\n")}`;
}

function keyOf(path: readonly PropertyKey[]): string {
    let key = `${PROJECT}:`;
    path.forEach((segment, index) => {
        key += typeof segment === "number" ? `[${segment}]` : `${index === 0 ? "" : "."}${String(segment)}`;
    });
    return key;
}

function problemsFromZod(error: z.ZodError): ConfigProblem[] {
    const problems: ConfigProblem[] = [];
    for (const issue of error.issues) {
        if (issue.code === "unrecognized_keys") {
            for (const unknownKey of issue.keys) {
                problems.push({ key: keyOf([...issue.path, unknownKey]), message: "is not a known key (see the README's configuration reference)", given: "(set)" });
            }
            continue;
        }
        let message = issue.message;
        if (issue.code === "invalid_value" && "values" in issue) {
            message = `must be one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}`;
        } else if (issue.code === "invalid_type" && issue.input === undefined) {
            message = `is required (${issue.expected})`;
        } else if (issue.code === "invalid_union") {
            message = "is not one of the allowed values (see the README's configuration reference)";
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

const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$/;

function readProviderConfig(all: Readonly<Record<string, string>>, problems: ConfigProblem[]): ProviderConfig {
    const awsRegion = all["aws:region"];
    if (awsRegion === undefined) {
        problems.push({ key: "aws:region", message: "is required (the AWS region of the cluster, e.g. us-east-1)" });
    } else if (!AWS_REGION.test(awsRegion)) {
        problems.push({ key: "aws:region", message: "must be an AWS region such as us-east-1", given: awsRegion });
    }
    const context = all["kubernetes:context"];
    const kubeconfig = all["kubernetes:kubeconfig"];
    return {
        awsRegion: awsRegion ?? "",
        ...(context === undefined ? {} : { kubernetesContext: context }),
        // A secret whether or not it was set with --secret: a kubeconfig holds credentials.
        ...(kubeconfig === undefined ? {} : { kubeconfig: pulumi.secret(kubeconfig) }),
    };
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

function applyDefaults(parsed: ParsedStackConfig, project: string, stack: string, providers: ProviderConfig): StackConfig {
    const envDefaults = ENVIRONMENT_DEFAULTS[parsed.environment];
    const results = parsed.results;
    return {
        project,
        stack,
        clusterName: parsed.clusterName,
        environment: parsed.environment,
        appsDomain: parsed.appsDomain,
        protectStateful: envDefaults.protectStateful,
        network: parsed.network,
        results: {
            ...results,
            instanceClass: results.instanceClass ?? envDefaults.instanceClass,
            allocatedStorage: results.allocatedStorage ?? envDefaults.allocatedStorage,
            maxAllocatedStorage: results.maxAllocatedStorage ?? Math.max(envDefaults.maxAllocatedStorage, smallestAutoscalingCeiling(results.allocatedStorage ?? envDefaults.allocatedStorage)),
            multiAz: results.multiAz ?? envDefaults.multiAz,
            backupRetentionDays: results.backupRetentionDays ?? envDefaults.backupRetentionDays,
            deletionProtection: results.deletionProtection ?? envDefaults.deletionProtection,
            logRetentionDays: results.logRetentionDays ?? envDefaults.logRetentionDays,
        },
        operator: {
            ...parsed.operator,
            installPlanApproval: parsed.operator.installPlanApproval ?? envDefaults.installPlanApproval,
        },
        pipelines: parsed.pipelines,
        chains: {
            ...parsed.chains,
            transparencyEnabled: parsed.chains.transparencyEnabled ?? parsed.chains.signing === "keyless",
        },
        pipelinesAsCode: parsed.pipelinesAsCode,
        vault: parsed.vault,
        resultsApi: parsed.resultsApi,
        providers,
    };
}

/**
 * Validates a raw config map (as `pulumi.runtime.allConfig()` returns it) and returns the typed config,
 * or throws {@link StackConfigError} listing every problem.
 */
export function parseStackConfig(all: Readonly<Record<string, string>>, project: string, stack: string): StackConfig {
    const problems: ConfigProblem[] = [];
    const providers = readProviderConfig(all, problems);
    const result = stackConfigSchema.safeParse(readRawProjectConfig(all), { reportInput: true });
    if (!result.success) {
        problems.push(...problemsFromZod(result.error));
    }
    if (problems.length > 0 || !result.success) {
        throw new StackConfigError(problems);
    }
    return deepFreeze(applyDefaults(result.data, project, stack, providers));
}

/** Reads this stack's config from the Pulumi runtime, once. */
export function loadStackConfig(): StackConfig {
    return parseStackConfig(pulumi.runtime.allConfig(), pulumi.getProject(), pulumi.getStack());
}
