/**
 * The stack configuration schema: every `pipeline-service:*` key, its type, what it allows and why.
 * The configuration table of docs/configuration.md is generated from this schema (`npm run -s docs:config`)
 * and a test fails when the two drift.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { smallestAutoscalingCeiling, storageAutoscalingProblem } from "../lib/aws-limits";
import { GO_DURATION, goDurationSeconds } from "../lib/go-duration";
import { DNS_SUBDOMAIN } from "../lib/names";
import {
    csvPattern, lineNamed, lineOfChannel, lineOfCsv, linesOfferedOn, openshiftReleasesOffered, SUPPORTED_OPERATOR_LINES, type OperatorLine,
} from "../lib/operator-lines";
import {
    chainsSchema, clusterSchema, environmentSchema, OPENSHIFT_RELEASE, networkSchema, observabilitySchema, operatorSchema, pipelinesAsCodeSchema, pipelinesSchema, resultsApiSchema,
    resultsRetentionSchema, resultsSchema, rolloutSchema, vaultSchema, workloadsSchema,
} from "./keys";

/** The Pulumi project name, and so the namespace of every key below. */
export const PROJECT = "pipeline-service";

/** The stack's environment: it selects the defaults in {@link ENVIRONMENT_DEFAULTS}. */
export type Environment = z.output<typeof environmentSchema>;

/** Every `pipeline-service:*` key. Objects are structured config (`pulumi config set --path results.multiAz true`). */
const projectKeysSchema = z.strictObject({
    clusterName: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: "must be lowercase letters, digits and hyphens" }).max(63)
        .describe("Cluster name; every AWS name and tag derives from it."),
    environment: environmentSchema.describe("Environment: selects the defaults below."),
    appsDomain: z.string().regex(DNS_SUBDOMAIN, { error: "must be a DNS domain such as apps.example.com" })
        .describe("The cluster's apps (router) domain."),
    network: networkSchema.describe("Where the database lives."),
    results: resultsSchema.prefault({}).describe("Tekton Results storage."),
    cluster: clusterSchema.prefault({}).describe("Facts about the cluster the program checks its choices against."),
    operator: operatorSchema.describe("Operator catalog, subscription and line."),
    pipelines: pipelinesSchema.prefault({}).describe("Pipelines controller performance."),
    chains: chainsSchema.prefault({}).describe("Tekton Chains signing."),
    pipelinesAsCode: pipelinesAsCodeSchema.describe("Pipelines-as-Code console links."),
    vault: vaultSchema.describe("Vault for the PaC GitHub App secret."),
    resultsApi: resultsApiSchema.describe("Results API ingress."),
    resultsRetention: resultsRetentionSchema.prefault({}).describe("Pruning through Tekton Results: runs leave the cluster once archived, records and logs age out."),
    workloads: workloadsSchema.prefault({}).describe("Controller replicas (high availability) and the Results workloads' resources."),
    observability: observabilitySchema.prefault({}).describe("Scraping, alerts, dashboard and AWS alarms."),
    rollout: rolloutSchema.prefault({}).describe("Where this cluster goes in a fleet rollout (rings, soak)."),
});

/**
 * Every `pipeline-service:*` key, cross-field rules, and the environment's defaults filled in: the one
 * declaration of the stack configuration. Each rule lives here and nowhere else.
 */
export const stackConfigSchema = projectKeysSchema.superRefine((config, ctx) => {
    const storage = config.results;
    const storageProblem = storage.allocatedStorage !== undefined && storage.maxAllocatedStorage !== undefined
        ? storageAutoscalingProblem(storage.allocatedStorage, storage.maxAllocatedStorage) : undefined;
    if (storageProblem !== undefined) {
        ctx.addIssue({ code: "custom", path: ["results", "maxAllocatedStorage"], input: storage.maxAllocatedStorage, message: storageProblem });
    }
    if (config.chains.adoptExistingKey && config.chains.existingPublicKey === undefined) {
        ctx.addIssue({ code: "custom", path: ["chains", "existingPublicKey"], input: undefined, message: "is required when chains.adoptExistingKey is true" });
    }
    if (config.chains.adoptExistingKey && config.chains.signing === "keyless") {
        ctx.addIssue({ code: "custom", path: ["chains", "adoptExistingKey"], input: true, message: "only applies to chains.signing key" });
    }
    if (config.chains.signing === "keyless" && config.chains.transparencyEnabled === false) {
        ctx.addIssue({ code: "custom", path: ["chains", "transparencyEnabled"], input: false, message: "must be true in keyless mode (Rekor holds the signing certificates)" });
    }
    if (outside(config.operator.registryPollInterval, 60, 24 * 3600)) {
        ctx.addIssue({ code: "custom", path: ["operator", "registryPollInterval"], input: config.operator.registryPollInterval,
            message: "must be between 1m and 24h: OLM polls the index image that often (0 never polls a new candidate build)" });
    }
    const pipelinesReplicas = config.workloads.pipelinesControllerReplicas ?? ENVIRONMENT_DEFAULTS[config.environment].workloads.pipelinesControllerReplicas;
    // Above 10 buckets, or under 1 replica, the range checks already report the key.
    if (pipelinesReplicas >= 1 && config.pipelines.buckets <= 10 && config.pipelines.buckets > pipelinesReplicas) {
        ctx.addIssue({ code: "custom", path: ["pipelines", "buckets"], input: config.pipelines.buckets,
            message: `must not exceed workloads.pipelinesControllerReplicas (${pipelinesReplicas}): a bucket without a replica to lead it buys nothing` });
    }
    if (outside(config.resultsRetention.completedRunGracePeriod, 1e-9, 24 * 3600)) {
        ctx.addIssue({ code: "custom", path: ["resultsRetention", "completedRunGracePeriod"], input: config.resultsRetention.completedRunGracePeriod,
            message: "must be between 1s and 24h: 0 would keep every run in the cluster for ever (the operator's pruner is off)" });
    }
    // The pack's results-db-enhanced-monitoring, results-db-alarms and aws-alarms-notify-in-prod are mandatory in prod:
    // config refuses what the preview would refuse, before anything is registered.
    if (config.environment === "prod" && !config.observability.enabled) {
        ctx.addIssue({ code: "custom", path: ["observability", "enabled"], input: false,
            message: "must be true in prod: production runs with Enhanced Monitoring, the RDS and S3 alarms and the alerts (the policy pack requires them)" });
    }
    if (config.environment === "prod" && config.observability.enabled && config.observability.alarmTopicArn === undefined) {
        ctx.addIssue({ code: "custom", path: ["observability", "alarmTopicArn"], input: undefined,
            message: "is required in prod: the RDS and S3 alarms must page someone" });
    }
    // Rings order a rollout: pre-production first, production after it; a prod stack says where it goes.
    if (config.environment === "prod" && config.rollout.ring === undefined) {
        ctx.addIssue({ code: "custom", path: ["rollout", "ring"], input: undefined,
            message: "is required in prod: the production ring (1 or above) this cluster is promoted in; there is no default" });
    } else if (config.environment === "prod" && config.rollout.ring === 0) {
        ctx.addIssue({ code: "custom", path: ["rollout", "ring"], input: 0,
            message: "must be 1 or above in prod: ring 0 is pre-production, which every change reaches before any production cluster" });
    } else if (config.environment === "dev" && config.rollout.ring !== undefined && config.rollout.ring !== 0) {
        ctx.addIssue({ code: "custom", path: ["rollout", "ring"], input: config.rollout.ring,
            message: "must be 0 in dev: rings 1 and above are production (set environment prod for a production cluster)" });
    }
    for (const issue of operatorLineIssues(config.environment, config.operator, config.cluster)) {
        ctx.addIssue({ code: "custom", ...issue });
    }
    // The same bounds the pack's external-secret-refresh applies: at least 1s (0 syncs once, 1ns hammers Vault), at most 5m.
    if (outside(config.vault.refreshInterval, 1, 300)) {
        ctx.addIssue({ code: "custom", path: ["vault", "refreshInterval"], input: config.vault.refreshInterval,
            message: "must be between 1s and 5m: the refresh is aggressive so a rotated GitHub App secret lands quickly" });
    }
}).transform((config) => {
    const defaults = ENVIRONMENT_DEFAULTS[config.environment];
    const results = withDefaults(config.results, defaults.results);
    return {
        ...config,
        protectStateful: defaults.protectStateful,
        results: {
            ...results,
            // Logs outlive their records by a margin, and never grow without bound.
            logExpirationDays: config.resultsRetention.defaultRetentionDays + config.resultsRetention.logExpirationMarginDays,
            // The environment's ceiling, raised when the stack's own allocation needs more headroom than it gives.
            maxAllocatedStorage: config.results.maxAllocatedStorage ?? Math.max(defaults.results.maxAllocatedStorage, smallestAutoscalingCeiling(results.allocatedStorage)),
        },
        operator: { ...withDefaults(config.operator, defaults.operator), ...pinnedLine(config.operator) },
        workloads: withDefaults(config.workloads, defaults.workloads),
        chains: { ...config.chains, transparencyEnabled: config.chains.transparencyEnabled ?? config.chains.signing === "keyless" },
        rollout: { ...config.rollout, ring: config.rollout.ring ?? 0 },
    };
});

type OperatorKeys = z.output<typeof operatorSchema>;

/** The line a stack is pinned to: operator.line, else the line whose channel it names; undefined when it follows latest. */
function lineOfStack(operator: OperatorKeys): OperatorLine | undefined {
    return operator.line !== undefined ? lineNamed(operator.line) : operator.channel === undefined ? undefined : lineOfChannel(operator.channel);
}

/** The pinned line and the channel the Subscription follows (the line's, unless operator.channel says). */
function pinnedLine(operator: OperatorKeys): { readonly line?: string; readonly channel: string } {
    const line = lineOfStack(operator);
    const channel = operator.channel ?? line?.channel ?? "latest";
    return line === undefined ? { channel } : { line: line.pipelines, channel };
}

/** The operator.line rules: required in prod, channel and starting CSV of that line, offered on the cluster's release. */
function operatorLineIssues(environment: Environment, operator: OperatorKeys, cluster: z.output<typeof clusterSchema>): { path: string[]; input: unknown; message: string }[] {
    const issues: { path: string[]; input: unknown; message: string }[] = [];
    const names = SUPPORTED_OPERATOR_LINES.map((supported) => supported.pipelines).join(", ");
    if (environment === "prod" && operator.line === undefined) {
        issues.push({ path: ["operator", "line"], input: undefined,
            message: `is required in prod: the OpenShift Pipelines line this cluster runs (${names}); the Subscription then follows that line's channel instead of latest` });
    }
    const line = operator.line === undefined ? undefined : lineNamed(operator.line);
    if (operator.channel !== undefined && /^pipelines-/.test(operator.channel) && lineOfChannel(operator.channel) === undefined) {
        issues.push({ path: ["operator", "channel"], input: operator.channel,
            message: `is no supported line's channel (${SUPPORTED_OPERATOR_LINES.map((supported) => supported.channel).join(", ")})` });
    }
    if (line !== undefined && operator.channel !== undefined && operator.channel !== line.channel) {
        issues.push({ path: ["operator", "channel"], input: operator.channel,
            message: `must be ${line.channel} (or unset) for operator.line ${line.pipelines}: ${operator.channel === "latest" ? "latest would let a catalog update move the cluster to the next line" : "a channel of another line installs that line"}` });
    }
    const pinned = lineOfStack(operator);
    const csvLine = operator.startingCsv === undefined ? undefined : lineOfCsv(operator.startingCsv);
    if (pinned !== undefined && csvLine !== undefined && csvLine !== pinned) {
        issues.push({ path: ["operator", "startingCsv"], input: operator.startingCsv,
            message: `must be a CSV of line ${pinned.pipelines} (${csvPattern(pinned)}), the line the stack is pinned to` });
    }
    if (cluster.openshiftVersion !== undefined && OPENSHIFT_RELEASE.test(cluster.openshiftVersion)) {
        const offered = linesOfferedOn(cluster.openshiftVersion);
        if (offered.length === 0) {
            issues.push({ path: ["cluster", "openshiftVersion"], input: cluster.openshiftVersion,
                message: `is a release whose catalogs offer no supported line: supported lines are offered on OpenShift ${openshiftReleasesOffered().join(", ")}` });
        } else if (pinned !== undefined && !offered.includes(pinned)) {
            issues.push({ path: ["operator", line === undefined ? "channel" : "line"], input: line === undefined ? operator.channel : pinned.pipelines,
                message: `${line === undefined ? `follows line ${pinned.pipelines}, which ` : ""}is not offered by the catalogs of OpenShift ${cluster.openshiftVersion} (cluster.openshiftVersion): they offer ${offered.map((supported) => supported.pipelines).join(", ")}` });
        }
    }
    return issues;
}

/** Whether a Go duration lies outside [min, max] seconds; a value that is no Go duration is the syntax check's to report. */
function outside(duration: string, minSeconds: number, maxSeconds: number): boolean {
    const seconds = goDurationSeconds(duration);
    return GO_DURATION.test(duration) && (seconds < minSeconds || seconds > maxSeconds);
}

/** `given` with every key of `defaults` that it leaves unset filled in. */
function withDefaults<T extends object, K extends keyof T>(given: T, defaults: { readonly [P in K]-?: NonNullable<T[P]> }): T & { readonly [P in K]-?: NonNullable<T[P]> } {
    const filled: Record<PropertyKey, unknown> = { ...(given as Record<PropertyKey, unknown>) };
    for (const key of Object.keys(defaults) as K[]) {
        filled[key as PropertyKey] = given[key] ?? defaults[key];
    }
    return filled as T & { readonly [P in K]-?: NonNullable<T[P]> };
}

/** The parsed, defaulted `pipeline-service:*` configuration. */
export type ProjectConfig = z.output<typeof stackConfigSchema>;


/** What the environment defaults: the keys a stack may leave unset and get per-environment values for. */
export type EnvironmentDefaults = {
    readonly results: Required<Pick<z.output<typeof resultsSchema>, "instanceClass" | "allocatedStorage" | "maxAllocatedStorage" | "multiAz" | "backupRetentionDays" | "deletionProtection" | "logRetentionDays">>;
    readonly operator: Required<Pick<z.output<typeof operatorSchema>, "installPlanApproval">>;
    readonly workloads: Required<Omit<z.output<typeof workloadsSchema>, "resultsApiResources" | "resultsWatcherResources">>;
    /** `protect` the database, bucket and signing key. */
    readonly protectStateful: boolean;
};

/**
 * Environment defaults: prod is durable and careful, dev is cheap. A stack file states only what differs.
 */
export const ENVIRONMENT_DEFAULTS: Readonly<Record<Environment, EnvironmentDefaults>> = Object.freeze({
    dev: {
        results: {
            instanceClass: "db.t4g.small",
            allocatedStorage: 20,
            maxAllocatedStorage: 50,
            multiAz: false,
            backupRetentionDays: 1,
            deletionProtection: false,
            logRetentionDays: 7,
        },
        operator: { installPlanApproval: "Automatic" },
        workloads: {
            pipelinesControllerReplicas: 1, pipelinesWebhookMinReplicas: 1, pipelinesAsCodeReplicas: 1,
            chainsControllerReplicas: 1, resultsApiReplicas: 1, resultsWatcherReplicas: 1,
        },
        protectStateful: false,
    },
    prod: {
        results: {
            instanceClass: "db.m7g.large",
            allocatedStorage: 100,
            maxAllocatedStorage: 1000,
            multiAz: true,
            backupRetentionDays: 14,
            deletionProtection: true,
            logRetentionDays: 90,
        },
        // A new operator build reaches prod only when someone approves its install plan.
        operator: { installPlanApproval: "Manual" },
        // Every controller survives the loss of a pod or a node.
        workloads: {
            pipelinesControllerReplicas: 3, pipelinesWebhookMinReplicas: 2, pipelinesAsCodeReplicas: 2,
            chainsControllerReplicas: 2, resultsApiReplicas: 2, resultsWatcherReplicas: 2,
        },
        protectStateful: true,
    },
});

const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$/;

/** The provider keys the program reads (`aws:region`, `kubernetes:*`), as Pulumi users know them. */
const PROVIDER_KEYS = {
    "aws:region": z.string({ error: (issue) => (issue.input === undefined ? "is required (the AWS region of the cluster, e.g. us-east-1)" : undefined) })
        .regex(AWS_REGION, { error: "must be an AWS region such as us-east-1" })
        .describe("AWS region of the cluster (read by the explicit AWS provider)."),
    "kubernetes:context": z.string().min(1, { error: "must not be empty: an empty context means the kubeconfig's current context" }).optional()
        .describe("Kubeconfig context of the cluster (explicit Kubernetes provider and the readiness step); required unless kubernetes:kubeconfig is set."),
    "kubernetes:kubeconfig": z.string().min(1, { error: "must not be empty" }).optional()
        .describe("Kubeconfig contents; default: `$KUBECONFIG` / `~/.kube/config`. Always treated as a secret."),
};

/** The provider keys, checked: unknown `aws:`/`kubernetes:` keys refused, a cluster context or kubeconfig required. */
export const providerConfigSchema = z.object(PROVIDER_KEYS).catchall(z.string()).superRefine((keys, ctx) => {
    // The explicit providers read only these keys: any other `aws:` or `kubernetes:` key would be ignored silently.
    for (const key of Object.keys(keys).filter((candidate) => /^(aws|kubernetes):/.test(candidate) && !(candidate in PROVIDER_KEYS))) {
        ctx.addIssue({ code: "custom", path: [key], input: "(set)", message: `is not a key the program reads (it reads ${Object.keys(PROVIDER_KEYS).join(", ")})` });
    }
    if (keys["kubernetes:context"] === undefined && keys["kubernetes:kubeconfig"] === undefined) {
        ctx.addIssue({ code: "custom", path: ["kubernetes:context"], input: undefined,
            message: "is required (or kubernetes:kubeconfig): without either the provider would deploy to whatever cluster the runner's current kubeconfig context names" });
    }
}).transform((keys) => ({
    awsRegion: keys["aws:region"],
    ...(keys["kubernetes:context"] === undefined ? {} : { kubernetesContext: keys["kubernetes:context"] }),
    // A secret whether or not it was set with --secret: a kubeconfig holds credentials.
    ...(keys["kubernetes:kubeconfig"] === undefined ? {} : { kubeconfig: pulumi.secret(keys["kubernetes:kubeconfig"]) }),
}));

/** Provider settings, read from the keys Pulumi users expect. */
export type ProviderConfig = z.output<typeof providerConfigSchema>;
