/**
 * The schema of each structured `pipeline-service:*` key, one object per concern. `schema.ts` puts them
 * together with the cross-field rules and the environment defaults.
 */
import { z } from "zod";
import { CLOUDWATCH_RETENTION_DAYS, RDS_BACKUP_RETENTION_DAYS, RDS_STORAGE_GIB, SECURITY_GROUP_INBOUND_RULES } from "../lib/aws-limits";
import { GO_DURATION } from "../lib/go-duration";
import { DIGEST_PINNED_IMAGE, DNS_LABEL, DNS_SUBDOMAIN, hasDotSegment } from "../lib/names";
import { allowedCidrsProblems, privateSubnetProblems } from "../lib/network";
import { consoleTemplateProblem, PAC_CONSOLE_TEMPLATE_VARIABLES } from "../lib/pac-console";
import { CA_BUNDLE_MAX_BYTES, caBundleProblem } from "../lib/pem-certificates";
import { csvPattern, lineOfCsv, SUPPORTED_OPERATOR_LINES } from "../lib/operator-lines";
import { S3_KEY_ROTATION_STATES } from "../lib/s3-key-rotation";

export const environmentSchema = z.enum(["dev", "prod"]);

const httpsUrl = z.url({ protocol: /^https$/, error: (issue) => (issue.input === undefined ? undefined : "must be an https:// URL") }).describe("an https:// URL");
const goDuration = z.string().regex(GO_DURATION, { error: "must be a Go duration such as \"90s\", \"5m\" or \"1h\"" });
/** A relative Vault path: segments of letters, digits and `._-`, no leading, trailing or doubled `/`. */
const vaultPath = z.string().regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, { error: "must be a relative Vault path such as pipeline-service/github-app", abort: true })
    .refine((path) => !hasDotSegment(path), { error: "must not contain a . or .. segment: the path would name another place in Vault than it reads" });
/** A Vault mount: one path segment. */
const vaultMount = z.string().regex(/^[A-Za-z0-9._-]+$/, { error: "must be one Vault path segment such as secret", abort: true })
    .refine((mount) => !hasDotSegment(mount), { error: "must not be . or ..: it would name another place in Vault" });
/** A console URL template: an https URL using only the variables Pipelines-as-Code fills in for it. */
const consoleUrlTemplate = (template: keyof typeof PAC_CONSOLE_TEMPLATE_VARIABLES) => z.string().min(1).superRefine((text, ctx) => {
    const problem = consoleTemplateProblem(text, PAC_CONSOLE_TEMPLATE_VARIABLES[template]);
    if (problem !== undefined) {
        ctx.addIssue({ code: "custom", input: text, message: problem });
    }
});
const rdsStorageGib = z.int().min(RDS_STORAGE_GIB.min).max(RDS_STORAGE_GIB.max);

export const networkSchema = z.strictObject({
    vpcId: z.string().regex(/^vpc-[0-9a-f]{8,17}$/, { error: "must be a VPC id like vpc-0123456789abcdef0" })
        .describe("VPC of the cluster; the database and its security group live here."),
    privateSubnetIds: z.array(z.string().regex(/^subnet-[0-9a-f]{8,17}$/, { error: "must be a subnet id like subnet-0123456789abcdef0" }))
        .min(2, { error: "needs at least two subnets (RDS requires two availability zones)" })
        .describe("Private subnets (two or more AZs, each listed once) for the RDS subnet group."),
    // Checked below with ipaddr.js (lib/network.ts); the format only documents the type.
    allowedCidrs: z.array(z.string().meta({ format: "cidrv4" })).min(1)
        .describe("CIDRs allowed to reach PostgreSQL on 5432 (the cluster's node/pod networks): network addresses, each listed once, together never all of IPv4."),
    minCidrPrefix: z.int().min(1).max(32).default(8)
        .describe("The widest allowedCidrs block, as a prefix length (8 allows a /8, refuses a /7)."),
    allowPublicCidrs: z.boolean().default(false)
        .describe("Let allowedCidrs hold ranges outside 10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (RFC 1918) and 100.64.0.0/10 (RFC 6598)."),
    securityGroupRuleQuota: z.int().min(1).max(SECURITY_GROUP_INBOUND_RULES.max).default(SECURITY_GROUP_INBOUND_RULES.defaultQuota)
        .describe("Inbound rules the account's quota lets a security group hold (AWS default 60); allowedCidrs takes one each."),
}).superRefine((network, ctx) => {
    for (const problem of [...privateSubnetProblems(network.privateSubnetIds), ...allowedCidrsProblems(network.allowedCidrs, network)]) {
        ctx.addIssue({ code: "custom", path: [...problem.path], input: problem.input, message: problem.message });
    }
});

export const resultsSchema = z.strictObject({
    s3KeyRotation: z.enum(S3_KEY_ROTATION_STATES).default("a")
        .describe("Results S3 access key rotation, one step per `up`: a → a-to-b (key B created, Results switched to it) → b (key A deleted) → b-to-a → a. A step that would delete a key in use is refused at preview (docs: Rotate the Results S3 key)."),
    dbPasswordRotation: z.string().regex(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/, { error: "must be a label such as 2026-12 (letters, digits, - _ .; at most 63)" }).optional()
        .describe("Set or change it to generate a new database password: RDS, the Results Secret and a restart of the Results workloads in one `up` (docs: Rotate the database password)."),
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

export const operatorSchema = z.strictObject({
    catalogImage: z.string().regex(DIGEST_PINNED_IMAGE, { error: "must be an index image pinned by digest (registry/repo@sha256:<64 hex>), not a tag" })
        .describe("Candidate-build index image served by the CatalogSource, pinned by digest."),
    line: z.enum(SUPPORTED_OPERATOR_LINES.map((supported) => supported.pipelines) as [string, ...string[]]).optional()
        .describe("OpenShift Pipelines line the cluster runs (required in prod). The Subscription follows that line's channel `pipelines-1.N`, so a catalog update never moves the cluster to another line; the TektonConfig is emitted for that line. Change it one line at a time."),
    channel: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, { error: "must be an OLM channel name such as latest or pipelines-1.20" }).optional()
        .describe("Subscription channel. Default: the line's `pipelines-1.N` when operator.line is set, else `latest` (dev only: follows every line)."),
    installPlanApproval: z.enum(["Automatic", "Manual"]).optional()
        .describe("OLM install plan approval."),
    startingCsv: z.string().refine((csv) => lineOfCsv(csv) !== undefined, {
        error: `must be a CSV of a supported line: ${SUPPORTED_OPERATOR_LINES.map(csvPattern).join(", ")}`,
    }).optional()
        .describe("Optional starting CSV for the Subscription; it must belong to operator.line."),
    registryPollInterval: goDuration.default("30m").describe("How often OLM polls the index image."),
    readinessTimeoutSeconds: z.int().min(60).max(3600).default(900)
        .describe("How long `pulumi up` waits for the operator CSV to succeed and the TektonConfig CRD to be established."),
});

export const pipelinesSchema = z.strictObject({
    threadsPerController: z.int().min(1).max(256).default(32).describe("Pipelines controller worker threads."),
    kubeApiQps: z.number().min(1).max(1000).default(50).describe("Pipelines controller client QPS."),
    kubeApiBurst: z.int().min(1).max(2000).default(50).describe("Pipelines controller client burst."),
    buckets: z.int().min(1).max(10).default(1).describe("Leader-election buckets (1–10) for the Pipelines controller."),
    // RHTAP's values (infra-deployments main-pipeline-service-configuration), see docs/operator-facts-v0.77.1.md §5f.
    defaultTimeoutMinutes: z.int().min(1).max(10080).default(120).describe("Default PipelineRun/TaskRun timeout (config-defaults default-timeout-minutes)."),
    imagePullBackOffTimeout: goDuration.default("15m").describe("How long a step may sit in ImagePullBackOff before the run fails (config-defaults default-imagepullbackoff-timeout)."),
    enableApiFields: z.enum(["alpha", "beta", "stable"]).default("alpha").describe("Tekton API field gate (feature-flags enable-api-fields); RHTAP tasks use alpha fields."),
    enableParamEnum: z.boolean().default(true).describe("Param enums (feature-flags enable-param-enum)."),
});

export const chainsSchema = z.strictObject({
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
        .describe("Change deliberately to replace the key pair (see docs/chains-signing-key.md: rotation invalidates every signature)."),
    deepInspection: z.boolean().default(true)
        .describe("Attest the images a PipelineRun's TaskRuns produced (artifacts.pipelinerun.enable-deep-inspection)."),
});

export const pipelinesAsCodeSchema = z.strictObject({
    consoleName: z.string().min(1).default("Red Hat Trusted Application Pipeline").describe("Console name PaC shows in check runs."),
    consoleUrl: httpsUrl.describe("Hybrid Application Console base URL."),
    consoleUrlPrDetails: consoleUrlTemplate("consoleUrlPrDetails")
        .describe("https URL template for a PipelineRun's page: {{ namespace }}, {{ pr }} and PaC's standard parameters ({{ revision }}, {{ repo_name }}...)."),
    consoleUrlPrTaskLog: consoleUrlTemplate("consoleUrlPrTaskLog")
        .describe("https URL template for a task's log: {{ namespace }}, {{ pr }}, {{ task }}, {{ pod }}, {{ firstFailedStep }} and the standard parameters."),
    consoleUrlNamespace: consoleUrlTemplate("consoleUrlNamespace")
        .describe("https URL template for a namespace's page: {{ namespace }} and the standard parameters."),
    webhookUrl: httpsUrl.optional().describe("Override the exported webhook URL (default: the operator's Route host on the apps domain)."),
    applicationName: z.string().min(1).default("Red Hat Konflux").describe("Name PaC gives its check runs (application-name)."),
    githubAppTokenScoped: z.boolean().default(true).describe("Scope the GitHub App token to the repository a run belongs to (secret-github-app-token-scoped)."),
    cancelInProgressOnPullRequests: z.boolean().default(false).describe("Cancel a pull request's running PipelineRuns when it is updated (enable-cancel-in-progress-on-pull-requests)."),
});

export const vaultSchema = z.strictObject({
    server: httpsUrl.describe("Vault server URL."),
    authMountPath: vaultPath.default("kubernetes").describe("Vault Kubernetes auth mount path."),
    role: z.string().min(1).describe("Vault role bound to the store's service account."),
    serviceAccountName: z.string().regex(DNS_LABEL).default("pipelines-as-code-vault").describe("Service account the SecretStore authenticates as."),
    kvMount: vaultMount.default("secret").describe("KV secrets engine mount."),
    kvVersion: z.enum(["v1", "v2"]).default("v2").describe("KV engine version."),
    githubAppSecretPath: vaultPath
        .describe("Path (under the KV mount) holding the properties github-application-id, github-private-key, webhook.secret."),
    caBundle: z.string().superRefine((pem, ctx) => {
        const problem = caBundleProblem(pem);
        if (problem !== undefined) {
            // A size, not the text: a private key pasted here by mistake is never echoed.
            ctx.addIssue({ code: "custom", input: `(${Buffer.byteLength(pem, "utf8")} bytes)`, message: problem });
        }
    }).optional()
        .describe(`PEM CA bundle that signs the Vault server's certificate: X.509 CERTIFICATE blocks only, at most ${CA_BUNDLE_MAX_BYTES / 1024} KiB.`),
    refreshInterval: goDuration.default("1m")
        .describe("ExternalSecret refresh (aggressive, so a rotated GitHub App secret lands quickly; ≤ 5m)."),
});

export const resultsApiSchema = z.strictObject({
    host: z.string().regex(DNS_SUBDOMAIN, { error: "must be a DNS host name" }).describe("Host name of the Results API Ingress."),
    tlsSecretName: z.string().regex(DNS_LABEL).optional().describe("TLS Secret for the host (default: the router's wildcard certificate)."),
});

/** A five-field cron schedule (minute hour day-of-month month day-of-week), as the Results retention job reads it. */
const CRON = /^([0-9*,/-]+)( [0-9*,/-]+){2} ([0-9*,/-]+|[A-Za-z]{3}) ([0-9*,/-]+|[A-Za-z]{3}(-[A-Za-z]{3})?)$/;

export const resultsRetentionSchema = z.strictObject({
    completedRunGracePeriod: goDuration.default("10m")
        .describe("How long after Tekton Results archived a completed PipelineRun/TaskRun its watcher deletes it from the cluster (watcher -completed_run_grace_period; > 0 and ≤ 24h: the operator's pruner stays off)."),
    defaultRetentionDays: z.int().min(1).max(3650).default(30)
        .describe("Results deletes records (database rows) older than this many days (retention policy defaultRetention)."),
    runAt: z.string().regex(CRON, { error: "must be a five-field cron schedule such as \"5 5 * * 0\"" }).default("5 5 * * 0")
        .describe("When the Results retention job runs (cron, the retention policy's runAt)."),
    logExpirationMarginDays: z.int().min(1).max(365).default(7)
        .describe("S3 log objects expire this many days after their records' retention (the retention job deletes rows only, never logs)."),
});


const resources = z.strictObject({
    cpu: z.string().regex(/^[0-9]+(\.[0-9]+)?m?$/, { error: "must be a Kubernetes CPU quantity such as 250m or 1" }).optional(),
    memory: z.string().regex(/^[0-9]+(Ki|Mi|Gi|Ti)?$/, { error: "must be a Kubernetes memory quantity such as 512Mi or 2Gi" }).optional(),
});
const containerResources = (requests: { cpu: string; memory: string }, limits: { memory: string }) => z.strictObject({
    requests: resources.prefault({}).transform((given) => ({ ...requests, ...given })),
    limits: resources.prefault({}).transform((given) => ({ ...limits, ...given })),
}).prefault({});
const replicas = z.int().min(1).max(10);

/** How many replicas the controllers run, and what the Results workloads may use. Replicas default per environment. */
export const workloadsSchema = z.strictObject({
    pipelinesControllerReplicas: replicas.optional()
        .describe("Replicas of the Pipelines controller and remote resolvers (spec.pipeline.performance.replicas; ≥ pipelines.buckets)."),
    pipelinesWebhookMinReplicas: z.int().min(1).max(20).optional()
        .describe("Minimum replicas of the Pipelines webhook's HorizontalPodAutoscaler."),
    pipelinesAsCodeReplicas: replicas.optional().describe("Replicas of each Pipelines-as-Code deployment (controller, watcher, webhook)."),
    chainsControllerReplicas: replicas.optional().describe("Replicas of the Chains controller (spec.chain.performance.replicas)."),
    resultsApiReplicas: replicas.optional().describe("Replicas of the Results API."),
    resultsWatcherReplicas: replicas.optional().describe("Replicas of the Results watcher."),
    // Upstream pipeline-service's watcher-config.yaml sized the watcher at 250m/2Gi.
    resultsApiResources: containerResources({ cpu: "100m", memory: "512Mi" }, { memory: "1Gi" })
        .describe("Resource requests and limits of the Results API container (cpu, memory)."),
    resultsWatcherResources: containerResources({ cpu: "250m", memory: "2Gi" }, { memory: "2Gi" })
        .describe("Resource requests and limits of the Results watcher container (cpu, memory)."),
});

/** An SNS topic ARN: `arn:<partition>:sns:<region>:<12-digit account>:<topic>`. */
const SNS_TOPIC_ARN = /^arn:aws(-cn|-us-gov|-iso|-iso-b)?:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

export const observabilitySchema = z.strictObject({
    enabled: z.boolean().default(true)
        .describe("Monitoring: ServiceMonitors for what the operator does not scrape, alerts with runbooks, the console dashboard, RDS/S3 alarms (may be false in dev only)."),
    alarmTopicArn: z.string().regex(SNS_TOPIC_ARN, { error: "must be an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:pipeline-service-alerts" }).optional()
        .describe("SNS topic the CloudWatch alarms publish to; required in prod (optional in dev: alarms then notify nobody)."),
    exporterImage: z.string().regex(DIGEST_PINNED_IMAGE, { error: "must be an image pinned by digest (registry/repo@sha256:<64 hex>)" }).optional()
        .describe("pipeline-service-exporter image, pinned by digest; unset: no exporter."),
    externalSecretsNamespace: z.string().regex(DNS_LABEL, { error: "must be a namespace name (DNS label)" }).default("external-secrets")
        .describe("Namespace of the External Secrets Operator, whose metrics Service is scraped for the sync status."),
    rdsMonitoringIntervalSeconds: z.union([z.literal(1), z.literal(5), z.literal(10), z.literal(15), z.literal(30), z.literal(60)]).default(60)
        .describe("RDS Enhanced Monitoring interval in seconds (1, 5, 10, 15, 30 or 60; Security Hub RDS.6)."),
    performanceInsightsRetentionDays: z.int().min(7).max(731).refine((days) => days === 7 || days === 731 || days % 31 === 0, {
        error: "must be 7, 731 or a multiple of 31 (the retention periods Performance Insights offers)",
    }).default(7).describe("Performance Insights retention in days (7 is the free tier)."),
    runbookBaseUrl: httpsUrl.optional()
        .describe("Where docs/runbooks of this repository is published; each alert's runbook_url is <base>/<alert>.md (default: the upstream repository on main)."),
    secretStaleAfterRefreshes: z.int().min(2).max(100).default(3)
        .describe("Alert when the PaC GitHub App ExternalSecret last synced more than this many vault.refreshInterval ago."),
});

/** The last ring the deploy workflow promotes to (.github/workflows/deploy.yml has one ring job per ring 0..MAX_RING). */
export const MAX_RING = 4;
/**
 * The longest soak: a rollout through every ring must finish inside one workflow run, which GitHub ends after 35 days
 * (docs.github.com, "Usage limits, billing, and administration": workflow run time), so (MAX_RING) soaks of a week fit.
 */
export const MAX_SOAK_HOURS = 168;
/** infra-deployments' planned soak per production ring (design.md "The fleet"). */
export const DEFAULT_SOAK_HOURS = 24;

export const rolloutSchema = z.strictObject({
    ring: z.int().min(0).max(MAX_RING).optional()
        .describe(`Rollout ring: 0 is pre-production (every dev stack: development and staging clusters), 1–${MAX_RING} are production, promoted in order. Required in prod (1 or above); dev stacks are ring 0.`),
    soakHours: z.int().min(0).max(MAX_SOAK_HOURS).default(DEFAULT_SOAK_HOURS)
        .describe(`Hours to wait after this stack's ring before the next ring starts (a ring waits for the longest soak among its stacks; 72 for a critical cluster; at most ${MAX_SOAK_HOURS}).`),
});

/** An OpenShift minor release, `4.22`. */
export const OPENSHIFT_RELEASE = /^[0-9]+\.[0-9]+$/;

export const clusterSchema = z.strictObject({
    openshiftVersion: z.string().regex(OPENSHIFT_RELEASE, { error: "must be an OpenShift minor release such as 4.22 (quote it in YAML)" }).optional()
        .describe("OpenShift release of the cluster (e.g. \"4.22\"); when set, operator.line must be a line its catalogs offer."),
});
