/**
 * The stack configuration schema: every `pipeline-service:*` key, its type, what it allows and why.
 * The README's configuration table is generated from this schema (`npm run -s docs:config`) and a test
 * fails when the two drift.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { CLOUDWATCH_RETENTION_DAYS, RDS_BACKUP_RETENTION_DAYS, RDS_STORAGE_GIB, smallestAutoscalingCeiling, storageAutoscalingProblem } from "../lib/aws-limits";
import { GO_DURATION, goDurationSeconds } from "../lib/go-duration";
import { DIGEST_PINNED_IMAGE, DNS_LABEL, DNS_SUBDOMAIN } from "../lib/names";
import { lineOfCsv, OPERATOR_PACKAGE, SUPPORTED_OPERATOR_LINES } from "../lib/operator-lines";

/** The Pulumi project name, and so the namespace of every key below. */
export const PROJECT = "pipeline-service";

const environmentSchema = z.enum(["dev", "prod"]);
/** The stack's environment: it selects the defaults in {@link ENVIRONMENT_DEFAULTS}. */
export type Environment = z.output<typeof environmentSchema>;

const httpsUrl = z.url({ protocol: /^https$/ }).describe("an https:// URL");
const goDuration = z.string().regex(GO_DURATION, { error: "must be a Go duration such as \"90s\", \"5m\" or \"1h\"" });
/** A relative Vault path: segments of letters, digits and `._-`, no leading, trailing or doubled `/`. */
const vaultPath = z.string().regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, { error: "must be a relative Vault path such as pipeline-service/github-app" });
const rdsStorageGib = z.int().min(RDS_STORAGE_GIB.min).max(RDS_STORAGE_GIB.max);

const networkSchema = z.strictObject({
    vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, { error: "must be a VPC id like vpc-0123456789abcdef0" })
        .describe("VPC of the cluster; the database and its security group live here."),
    privateSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { error: "must be a subnet id like subnet-0123456789abcdef0" }))
        .min(2, { error: "needs at least two subnets (RDS requires two availability zones)" })
        .describe("Private subnets (two or more AZs) for the RDS subnet group."),
    allowedCidrs: z.array(z.cidrv4({ error: "must be an IPv4 CIDR such as 10.0.0.0/16" }).refine((cidr) => !cidr.endsWith("/0"), {
        error: "must not be a /0: PostgreSQL is never reachable from everywhere",
    })).min(1).describe("CIDRs allowed to reach PostgreSQL on 5432 (the cluster's node/pod networks)."),
});

const resultsSchema = z.strictObject({
    engineVersion: z.enum(["17", "18"]).default("17")
        .describe("PostgreSQL major version; the parameter group family follows it (postgres17, postgres18)."),
    instanceClass: z.string().regex(/^db\.[a-z0-9]+\.[a-z0-9]+$/, { error: "must be an RDS instance class such as db.t4g.medium" }).optional()
        .describe("RDS instance class."),
    allocatedStorage: rdsStorageGib.optional()
        .describe("Initial storage in GiB (gp3, 20–65536)."),
    maxAllocatedStorage: rdsStorageGib.optional()
        .describe("Storage autoscaling ceiling in GiB; at least 10% above allocatedStorage (an RDS rule)."),
    multiAz: z.boolean().optional().describe("Standby in a second AZ."),
    backupRetentionDays: z.int().min(RDS_BACKUP_RETENTION_DAYS.min).max(RDS_BACKUP_RETENTION_DAYS.max).optional()
        .describe("Automated backup retention (RDS allows 0–35; prod needs ≥ 7)."),
    deletionProtection: z.boolean().optional().describe("RDS deletion protection."),
    logRetentionDays: z.union(CLOUDWATCH_RETENTION_DAYS.map((days) => z.literal(days)))
        .optional().describe("CloudWatch retention for the exported PostgreSQL logs (a value CloudWatch accepts)."),
    kmsKeyArn: z.string().regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key\/[A-Za-z0-9-]+$/, { error: "must be a KMS key ARN" }).optional()
        .describe("Customer-managed KMS key for RDS storage and the bucket. Default: AWS-managed keys (aws/rds, SSE-S3)."),
});

const operatorSchema = z.strictObject({
    catalogImage: z.string().regex(DIGEST_PINNED_IMAGE, { error: "must be an index image pinned by digest (registry/repo@sha256:<64 hex>), not a tag" })
        .describe("Candidate-build index image served by the CatalogSource, pinned by digest."),
    channel: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: "must be an OLM channel name such as latest or pipelines-1.20" }).default("latest")
        .describe("Subscription channel."),
    installPlanApproval: z.enum(["Automatic", "Manual"]).optional()
        .describe("OLM install plan approval."),
    startingCsv: z.string().refine((csv) => lineOfCsv(csv) !== undefined, {
        error: `must be a CSV of a supported line: ${SUPPORTED_OPERATOR_LINES.map((line) => `${OPERATOR_PACKAGE}.v${line.pipelines}.<patch>`).join(", ")}`,
    }).optional()
        .describe("Optional starting CSV for the Subscription."),
    registryPollInterval: goDuration.default("30m").describe("How often OLM polls the index image."),
    readinessTimeoutSeconds: z.int().min(60).max(3600).default(900)
        .describe("How long `pulumi up` waits for the operator CSV to succeed and the TektonConfig CRD to be established."),
});

const pipelinesSchema = z.strictObject({
    threadsPerController: z.int().min(1).max(256).default(32).describe("Pipelines controller worker threads."),
    kubeApiQps: z.number().min(1).max(1000).default(50).describe("Pipelines controller client QPS."),
    kubeApiBurst: z.int().min(1).max(2000).default(50).describe("Pipelines controller client burst."),
    buckets: z.int().min(1).max(10).default(1).describe("Leader-election buckets (1–10) for the Pipelines controller."),
});

const chainsSchema = z.strictObject({
    signing: z.enum(["key", "keyless"]).default("key")
        .describe("key: a cosign key pair unique to the cluster; keyless: Fulcio certificates and Rekor."),
    transparencyEnabled: z.boolean().optional()
        .describe("Upload to the transparency log. Default: false in key mode; always true in keyless mode."),
    rekorUrl: httpsUrl.default("https://rekor.sigstore.dev").describe("Rekor transparency log URL."),
    fulcioUrl: httpsUrl.default("https://fulcio.sigstore.dev").describe("Fulcio CA URL (keyless)."),
    fulcioOidcIssuer: httpsUrl.default("https://oauth2.sigstore.dev/auth").describe("OIDC issuer Fulcio trusts (keyless)."),
    adoptExistingKey: z.boolean().default(false)
        .describe("Keep a cluster's existing signing-secrets: generate nothing, leave it unmanaged, publish existingPublicKey."),
    existingPublicKey: z.string().regex(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----\n?$/, { error: "must be a PEM public key (-----BEGIN PUBLIC KEY-----)" }).optional()
        .describe("The adopted key's cosign.pub (required with adoptExistingKey)."),
    rotationTrigger: z.string().optional()
        .describe("Change deliberately to replace the key pair (see README: rotation invalidates every signature)."),
});

const pipelinesAsCodeSchema = z.strictObject({
    consoleName: z.string().min(1).default("Red Hat Trusted Application Pipeline").describe("Console name PaC shows in check runs."),
    consoleUrl: httpsUrl.describe("Hybrid Application Console base URL."),
    consoleUrlPrDetails: z.string().min(1).describe("Template for a PipelineRun's page ({{ namespace }}, {{ pr }})."),
    consoleUrlPrTaskLog: z.string().min(1).describe("Template for a task's log ({{ namespace }}, {{ pr }}, {{ task }}, {{ pod }})."),
    consoleUrlNamespace: z.string().min(1).describe("Template for a namespace's page ({{ namespace }})."),
    webhookUrl: httpsUrl.optional().describe("Override the exported webhook URL (default: the operator's Route host on the apps domain)."),
});

const vaultSchema = z.strictObject({
    server: httpsUrl.describe("Vault server URL."),
    authMountPath: vaultPath.default("kubernetes").describe("Vault Kubernetes auth mount path."),
    role: z.string().min(1).describe("Vault role bound to the store's service account."),
    serviceAccountName: z.string().regex(DNS_LABEL).default("pipelines-as-code-vault").describe("Service account the SecretStore authenticates as."),
    kvMount: z.string().regex(/^[A-Za-z0-9._-]+$/).default("secret").describe("KV secrets engine mount."),
    kvVersion: z.enum(["v1", "v2"]).default("v2").describe("KV engine version."),
    githubAppSecretPath: vaultPath
        .describe("Path (under the KV mount) holding the properties github-application-id, github-private-key, webhook.secret."),
    caBundle: z.string().regex(/^-----BEGIN CERTIFICATE-----/, { error: "must be PEM certificates" }).optional()
        .describe("PEM CA bundle that signs the Vault server's certificate."),
    refreshInterval: goDuration.default("1m")
        .describe("ExternalSecret refresh (aggressive, so a rotated GitHub App secret lands quickly; ≤ 5m)."),
});

const resultsApiSchema = z.strictObject({
    host: z.string().regex(DNS_SUBDOMAIN, { error: "must be a DNS host name" }).describe("Host name of the Results API Ingress."),
    tlsSecretName: z.string().regex(DNS_LABEL).optional().describe("TLS Secret for the host (default: the router's wildcard certificate)."),
});

/** A five-field cron schedule (minute hour day-of-month month day-of-week), as the Results retention job reads it. */
const CRON = /^([0-9*,/-]+)( [0-9*,/-]+){2} ([0-9*,/-]+|[A-Za-z]{3}) ([0-9*,/-]+|[A-Za-z]{3}(-[A-Za-z]{3})?)$/;

const resultsRetentionSchema = z.strictObject({
    completedRunGracePeriod: goDuration.default("10m")
        .describe("How long after Tekton Results archived a completed PipelineRun/TaskRun its watcher deletes it from the cluster (watcher -completed_run_grace_period; > 0 and ≤ 24h: the operator's pruner stays off)."),
    defaultRetentionDays: z.int().min(1).max(3650).default(30)
        .describe("Results deletes records (database rows) older than this many days (retention policy defaultRetention)."),
    runAt: z.string().regex(CRON, { error: "must be a five-field cron schedule such as \"5 5 * * 0\"" }).default("5 5 * * 0")
        .describe("When the Results retention job runs (cron, the retention policy's runAt)."),
    logExpirationMarginDays: z.int().min(1).max(365).default(7)
        .describe("S3 log objects expire this many days after their records' retention (the retention job deletes rows only, never logs)."),
});

/** Every `pipeline-service:*` key. Objects are structured config (`pulumi config set --path results.multiAz true`). */
const projectKeysSchema = z.strictObject({
    clusterName: z.string().regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, { error: "must be lowercase letters, digits and hyphens" }).max(63)
        .describe("Cluster name; every AWS name and tag derives from it."),
    environment: environmentSchema.describe("Environment: selects the defaults below."),
    appsDomain: z.string().regex(DNS_SUBDOMAIN, { error: "must be a DNS domain such as apps.example.com" })
        .describe("The cluster's apps (router) domain."),
    network: networkSchema.describe("Where the database lives."),
    results: resultsSchema.prefault({}).describe("Tekton Results storage."),
    operator: operatorSchema.describe("Operator catalog and subscription."),
    pipelines: pipelinesSchema.prefault({}).describe("Pipelines controller performance."),
    chains: chainsSchema.prefault({}).describe("Tekton Chains signing."),
    pipelinesAsCode: pipelinesAsCodeSchema.describe("Pipelines-as-Code console links."),
    vault: vaultSchema.describe("Vault for the PaC GitHub App secret."),
    resultsApi: resultsApiSchema.describe("Results API ingress."),
    resultsRetention: resultsRetentionSchema.prefault({}).describe("Pruning through Tekton Results: runs leave the cluster once archived, records and logs age out."),
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
    const grace = goDurationSeconds(config.resultsRetention.completedRunGracePeriod);
    if (grace <= 0 || grace > 24 * 3600) {
        ctx.addIssue({ code: "custom", path: ["resultsRetention", "completedRunGracePeriod"], input: config.resultsRetention.completedRunGracePeriod,
            message: "must be between 1s and 24h: 0 would keep every run in the cluster for ever (the operator's pruner is off)" });
    }
    if (goDurationSeconds(config.vault.refreshInterval) > 300 || config.vault.refreshInterval === "0") {
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
        operator: withDefaults(config.operator, defaults.operator),
        chains: { ...config.chains, transparencyEnabled: config.chains.transparencyEnabled ?? config.chains.signing === "keyless" },
    };
});

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
        protectStateful: true,
    },
});

const AWS_REGION = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$/;

/** The provider keys the program reads (`aws:region`, `kubernetes:*`), as Pulumi users know them. */
export const providerConfigSchema = z.object({
    "aws:region": z.string({ error: (issue) => (issue.input === undefined ? "is required (the AWS region of the cluster, e.g. us-east-1)" : undefined) })
        .regex(AWS_REGION, { error: "must be an AWS region such as us-east-1" })
        .describe("AWS region of the cluster (read by the explicit AWS provider)."),
    "kubernetes:context": z.string().optional()
        .describe("Kubeconfig context of the cluster (explicit Kubernetes provider and the readiness step)."),
    "kubernetes:kubeconfig": z.string().optional()
        .describe("Kubeconfig contents; default: `$KUBECONFIG` / `~/.kube/config`. Always treated as a secret."),
}).transform((keys) => ({
    awsRegion: keys["aws:region"],
    ...(keys["kubernetes:context"] === undefined ? {} : { kubernetesContext: keys["kubernetes:context"] }),
    // A secret whether or not it was set with --secret: a kubeconfig holds credentials.
    ...(keys["kubernetes:kubeconfig"] === undefined ? {} : { kubeconfig: pulumi.secret(keys["kubernetes:kubeconfig"]) }),
}));

/** Provider settings, read from the keys Pulumi users expect. */
export type ProviderConfig = z.output<typeof providerConfigSchema>;
