/**
 * The one seam between the stack configuration and the components: a pure mapping from the parsed config to
 * `PipelineService`'s args. Config never imports components and components never import config; only this
 * file (and `index.ts`) sees both.
 */
import { DEFAULT_RUNBOOK_BASE_URL } from "./components/observability/alerts";
import type { PipelineServiceArgs } from "./components/pipeline-service";
import { lineNamed, SUPPORTED_OPERATOR_LINES, type OperatorLine } from "./lib/operator-lines";
import type { StackConfig } from "./stacks/config";

/** How the cluster signs, decided here once from `chains.*`. */
function signingOf(chains: StackConfig["chains"]): PipelineServiceArgs["signing"] {
    if (chains.signing === "keyless") {
        return { mode: "keyless", transparencyLogUrl: chains.rekorUrl, fulcioUrl: chains.fulcioUrl, fulcioOidcIssuer: chains.fulcioOidcIssuer };
    }
    const transparency = chains.transparencyEnabled ? { transparencyLogUrl: chains.rekorUrl } : {};
    if (chains.adoptExistingKey && chains.existingPublicKey !== undefined) {
        return { mode: "adopted-key", publicKey: chains.existingPublicKey, ...transparency };
    }
    return { mode: "generated-key", ...transparency, ...(chains.rotationTrigger === undefined ? {} : { rotationTrigger: chains.rotationTrigger }) };
}

/** RDS Enhanced Monitoring and Performance Insights, when `observability.enabled`. */
function databaseMonitoringOf(observability: StackConfig["observability"]): Pick<PipelineServiceArgs["storage"], "monitoring"> {
    return observability.enabled
        ? { monitoring: { monitoringIntervalSeconds: observability.rdsMonitoringIntervalSeconds, performanceInsightsRetentionDays: observability.performanceInsightsRetentionDays } }
        : {};
}

/** The cluster-side monitoring args (the AWS-side keys go to storage). */
function observabilityOf(observability: StackConfig["observability"]): NonNullable<PipelineServiceArgs["observability"]> {
    const { externalSecretsNamespace, secretStaleAfterRefreshes, exporterImage, runbookBaseUrl = DEFAULT_RUNBOOK_BASE_URL } = observability;
    return { externalSecretsNamespace, secretStaleAfterRefreshes, runbookBaseUrl, ...(exporterImage === undefined ? {} : { exporterImage }) };
}

/** Where the credential rotations stand (`results.s3KeyRotation`, `results.dbPasswordRotation`). */
function rotationOf(results: StackConfig["results"]): PipelineServiceArgs["storage"]["rotation"] {
    const { s3KeyRotation, dbPasswordRotation } = results;
    return dbPasswordRotation === undefined ? { s3KeyRotation } : { s3KeyRotation, dbPasswordRotation };
}

/** `PipelineService`'s args for this stack. */
export function toServiceArgs(config: StackConfig): PipelineServiceArgs {
    const { webhookUrl, applicationName, githubAppTokenScoped, cancelInProgressOnPullRequests, ...console } = config.pipelinesAsCode;
    const workloads = config.workloads;
    return {
        cluster: { clusterName: config.clusterName, environment: config.environment },
        region: config.providers.awsRegion,
        storage: {
            network: config.network,
            settings: config.results,
            protectStateful: config.protectStateful,
            rotation: rotationOf(config.results),
            ...databaseMonitoringOf(config.observability),
        },
        operator: {
            catalog: config.operator,
            readinessTimeoutSeconds: config.operator.readinessTimeoutSeconds,
            // The readiness step talks to the same cluster as the Kubernetes provider.
            kubeconfig: config.providers.kubeconfig,
            kubeconfigContext: config.providers.kubernetesContext,
        },
        // An unpinned stack (dev on `latest`) is emitted as the oldest line: every later line only adds keys.
        operatorLine: lineNamed(config.operator.line ?? SUPPORTED_OPERATOR_LINES[0].pipelines) as OperatorLine,
        pipelinePerformance: config.pipelines,
        pipelineReplicas: { controller: workloads.pipelinesControllerReplicas, webhookMin: workloads.pipelinesWebhookMinReplicas },
        chainsController: { replicas: workloads.chainsControllerReplicas, deepInspection: config.chains.deepInspection },
        signing: signingOf(config.chains),
        resultsApi: { apiHost: config.resultsApi.host, apiTlsSecretName: config.resultsApi.tlsSecretName },
        resultsRetention: config.resultsRetention,
        resultsWorkloads: {
            apiReplicas: workloads.resultsApiReplicas,
            watcherReplicas: workloads.resultsWatcherReplicas,
            apiResources: workloads.resultsApiResources,
            watcherResources: workloads.resultsWatcherResources,
        },
        pipelinesAsCode: {
            appsDomain: config.appsDomain,
            webhookUrlOverride: webhookUrl,
            console,
            behaviour: { replicas: workloads.pipelinesAsCodeReplicas, applicationName, githubAppTokenScoped, cancelInProgressOnPullRequests },
            vault: config.vault,
        },
        ...(config.observability.enabled ? { awsMonitoring: { alarmTopicArn: config.observability.alarmTopicArn } } : {}),
        ...(config.observability.enabled ? { observability: observabilityOf(config.observability) } : {}),
    };
}
