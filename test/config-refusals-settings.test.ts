/**
 * The stack config's refusals of everything but the operator (test/config-refusals-operator.test.ts), one table row
 * each (the key it names and the one problem it reports): missing, unknown and provider keys, the environment and
 * what prod requires, and the settings of Vault, the network, Results and its database, pipelines, Chains, retention,
 * workloads and observability.
 */
import { itRejectsEach, type Refusal } from "./config-refusal-cases";
import { devObject } from "./config-fixtures";

describe("stack config refusals: keys, providers and the services' settings", () => {
    const rejected: ReadonlyArray<Refusal> = [
        { what: "an unknown environment", overrides: { "pipeline-service:environment": "staging" }, key: "pipeline-service:environment", says: /one of "dev", "prod"/ },
        {
            what: "a refresh interval that is not a Go duration",
            overrides: { "pipeline-service:vault": devObject("vault", { refreshInterval: "5 minutes" }) },
            key: "pipeline-service:vault.refreshInterval", says: /Go duration/,
        },
        {
            what: "a refresh interval that is not aggressive",
            overrides: { "pipeline-service:vault": devObject("vault", { refreshInterval: "1h" }) },
            key: "pipeline-service:vault.refreshInterval", says: /between 1s and 5m/,
        },
        {
            what: "a CIDR that is not a CIDR",
            overrides: { "pipeline-service:network": devObject("network", { allowedCidrs: ["10.0.0.0/16", "10.0.0.300/8"] }) },
            key: "pipeline-service:network.allowedCidrs[1]", says: /IPv4 CIDR/,
        },
        {
            what: "a CIDR open to the world",
            overrides: { "pipeline-service:network": devObject("network", { allowedCidrs: ["0.0.0.0/0"] }) },
            key: "pipeline-service:network.allowedCidrs[0]", says: /never reachable from everywhere/,
        },
        {
            what: "backup days outside RDS's range",
            overrides: { "pipeline-service:results": { backupRetentionDays: 36 } },
            key: "pipeline-service:results.backupRetentionDays", says: /<=35|35/,
        },
        { what: "a missing required key", overrides: { "pipeline-service:clusterName": undefined }, key: "pipeline-service:clusterName", says: /is required/ },
        { what: "an unknown top-level key", overrides: { "pipeline-service:clustername": "x" }, key: "pipeline-service:clustername", says: /not a known key/ },
        { what: "an unknown nested key", overrides: { "pipeline-service:results": { multiAZ: true } }, key: "pipeline-service:results.multiAZ", says: /not a known key/ },
        { what: "a missing provider region", overrides: { "aws:region": undefined }, key: "aws:region", says: /is required/ },
        {
            what: "max storage below allocated storage",
            overrides: { "pipeline-service:results": { allocatedStorage: 100, maxAllocatedStorage: 50 } },
            key: "pipeline-service:results.maxAllocatedStorage", says: /at least 10% above allocatedStorage/,
        },
        {
            what: "an IRSA switch (Results cannot use it: its S3 client only takes static keys)",
            overrides: { "pipeline-service:results": { s3Access: "irsa" } },
            key: "pipeline-service:results.s3Access", says: /not a known key/,
        },
        {
            what: "an http Vault server",
            overrides: { "pipeline-service:vault": devObject("vault", { server: "http://vault.example.com" }) },
            key: "pipeline-service:vault.server", says: /^must be an https:\/\/ URL$/,
        },
        {
            what: "a Vault path with a leading slash",
            overrides: { "pipeline-service:vault": devObject("vault", { githubAppSecretPath: "/pipeline-service/github-app" }) },
            key: "pipeline-service:vault.githubAppSecretPath", says: /relative Vault path/,
        },
        {
            what: "a Vault auth mount with a trailing slash",
            overrides: { "pipeline-service:vault": devObject("vault", { authMountPath: "kubernetes/" }) },
            key: "pipeline-service:vault.authMountPath", says: /relative Vault path/,
        },
        {
            what: "a service account name that is not a DNS label",
            overrides: { "pipeline-service:vault": devObject("vault", { serviceAccountName: "Vault_SA" }) },
            key: "pipeline-service:vault.serviceAccountName", says: /Invalid string/,
        },
        {
            what: "a Vault CA bundle that is not PEM",
            overrides: { "pipeline-service:vault": devObject("vault", { caBundle: "hello" }) },
            key: "pipeline-service:vault.caBundle", says: /PEM certificates/,
        },
        {
            what: "an http webhook override",
            overrides: { "pipeline-service:pipelinesAsCode": devObject("pipelinesAsCode", { webhookUrl: "http://smee.example.com/hook" }) },
            key: "pipeline-service:pipelinesAsCode.webhookUrl", says: /^must be an https:\/\/ URL$/,
        },
        {
            what: "an apps domain with a scheme",
            overrides: { "pipeline-service:appsDomain": "https://apps.example.com" },
            key: "pipeline-service:appsDomain", says: /DNS domain/,
        },
        {
            what: "more leader-election buckets than the operator allows",
            overrides: { "pipeline-service:pipelines": { buckets: 11 } },
            key: "pipeline-service:pipelines.buckets", says: /<=10/,
        },
        {
            what: "fractional controller threads",
            overrides: { "pipeline-service:pipelines": { threadsPerController: 1.5 } },
            key: "pipeline-service:pipelines.threadsPerController", says: /^must be a whole number$/,
        },
        {
            what: "a client QPS of zero",
            overrides: { "pipeline-service:pipelines": { kubeApiQps: 0 } },
            key: "pipeline-service:pipelines.kubeApiQps", says: />=1/,
        },
        {
            what: "keyless signing without the transparency log",
            overrides: { "pipeline-service:chains": { signing: "keyless", transparencyEnabled: false } },
            key: "pipeline-service:chains.transparencyEnabled", says: /must be true in keyless mode/,
        },
        { what: "storage below the gp3 minimum", overrides: { "pipeline-service:results": { allocatedStorage: 10 } }, key: "pipeline-service:results.allocatedStorage", says: />=20/ },
        { what: "fractional storage", overrides: { "pipeline-service:results": { allocatedStorage: 20.5 } }, key: "pipeline-service:results.allocatedStorage", says: /^must be a whole number$/ },
        {
            what: "an autoscaling ceiling above RDS's maximum",
            overrides: { "pipeline-service:results": { maxAllocatedStorage: 70000 } },
            key: "pipeline-service:results.maxAllocatedStorage", says: /<=65536/,
        },
        {
            what: "an instance class without the db. prefix",
            overrides: { "pipeline-service:results": { instanceClass: "m7g.large" } },
            key: "pipeline-service:results.instanceClass", says: /RDS instance class/,
        },
        { what: "an unsupported PostgreSQL major", overrides: { "pipeline-service:results": { engineVersion: "16" } }, key: "pipeline-service:results.engineVersion", says: /one of "17", "18"/ },
        {
            what: "a log retention CloudWatch does not offer",
            overrides: { "pipeline-service:results": { logRetentionDays: 10 } },
            key: "pipeline-service:results.logRetentionDays", says: /allowed values/,
        },
        { what: "negative backup retention", overrides: { "pipeline-service:results": { backupRetentionDays: -1 } }, key: "pipeline-service:results.backupRetentionDays", says: />=0/ },
        {
            what: "a zero grace period (runs would stay in the cluster for ever with the operator's pruner off)",
            overrides: { "pipeline-service:resultsRetention": { completedRunGracePeriod: "0s" } },
            key: "pipeline-service:resultsRetention.completedRunGracePeriod", says: /between 1s and 24h/,
        },
        {
            what: "a grace period longer than a day",
            overrides: { "pipeline-service:resultsRetention": { completedRunGracePeriod: "48h" } },
            key: "pipeline-service:resultsRetention.completedRunGracePeriod", says: /between 1s and 24h/,
        },
        {
            what: "a retention schedule that is not cron",
            overrides: { "pipeline-service:resultsRetention": { runAt: "every sunday" } },
            key: "pipeline-service:resultsRetention.runAt", says: /five-field cron schedule/,
        },
        {
            what: "a retention of zero days",
            overrides: { "pipeline-service:resultsRetention": { defaultRetentionDays: 0 } },
            key: "pipeline-service:resultsRetention.defaultRetentionDays", says: />=1/,
        },
        {
            what: "more leader-election buckets than controller replicas",
            overrides: { "pipeline-service:pipelines": { buckets: 3 } },
            key: "pipeline-service:pipelines.buckets", says: /must not exceed workloads\.pipelinesControllerReplicas \(1\)/,
        },
        {
            what: "a memory quantity Kubernetes does not know",
            overrides: { "pipeline-service:workloads": { resultsApiResources: { limits: { memory: "1GB" } } } },
            key: "pipeline-service:workloads.resultsApiResources.limits.memory", says: /Kubernetes memory quantity/,
        },
        {
            what: "no cluster context and no kubeconfig (the runner's current context would be used)",
            overrides: { "kubernetes:context": undefined },
            key: "kubernetes:context", says: /is required \(or kubernetes:kubeconfig\)/,
        },
        {
            what: "an empty kubernetes:context (it means the kubeconfig's current context)",
            overrides: { "kubernetes:context": "" },
            key: "kubernetes:context", says: /must not be empty/,
        },
        {
            what: "an empty kubernetes:kubeconfig",
            overrides: { "kubernetes:kubeconfig": "" },
            key: "kubernetes:kubeconfig", says: /must not be empty/,
        },
        {
            what: "a prod stack whose alarms would notify nobody",
            overrides: { "pipeline-service:environment": "prod", "pipeline-service:rollout": { ring: 1 }, "pipeline-service:operator": devObject("operator", { line: "1.20" }) },
            key: "pipeline-service:observability.alarmTopicArn", says: /is required in prod/,
        },
        {
            what: "a prod stack without monitoring (the pack requires it in prod)",
            overrides: {
                "pipeline-service:environment": "prod", "pipeline-service:rollout": { ring: 1 }, "pipeline-service:observability": { enabled: false },
                "pipeline-service:operator": devObject("operator", { line: "1.20" }),
            },
            key: "pipeline-service:observability.enabled", says: /must be true in prod/,
        },
        {
            what: "an alarm topic that is not an SNS ARN",
            overrides: { "pipeline-service:observability": { alarmTopicArn: "arn:aws:sqs:us-east-1:123456789012:q" } },
            key: "pipeline-service:observability.alarmTopicArn", says: /SNS topic ARN/,
        },
        {
            what: "a Performance Insights retention AWS does not offer",
            overrides: { "pipeline-service:observability": { performanceInsightsRetentionDays: 30 } },
            key: "pipeline-service:observability.performanceInsightsRetentionDays", says: /7, 731 or a multiple of 31/,
        },
        {
            what: "a misspelt provider key",
            overrides: { "kubernetes:contxt": "stone-stg-rh01" },
            key: "kubernetes:contxt", says: /is not a key the program reads/,
        },
        {
            what: "an AWS provider key the explicit provider does not read",
            overrides: { "aws:profile": "admin" },
            key: "aws:profile", says: /is not a key the program reads \(it reads aws:region, kubernetes:context, kubernetes:kubeconfig\)/,
        },
        {
            what: "a refresh interval of 0s (it would sync once)",
            overrides: { "pipeline-service:vault": devObject("vault", { refreshInterval: "0s" }) },
            key: "pipeline-service:vault.refreshInterval", says: /between 1s and 5m/,
        },
        {
            what: "a refresh interval of 1ns",
            overrides: { "pipeline-service:vault": devObject("vault", { refreshInterval: "1ns" }) },
            key: "pipeline-service:vault.refreshInterval", says: /between 1s and 5m/,
        },
        {
            what: "adopting a key without its public key",
            overrides: { "pipeline-service:chains": { adoptExistingKey: true } },
            key: "pipeline-service:chains.existingPublicKey", says: /required/,
        },
    ];

    itRejectsEach(rejected);
});
