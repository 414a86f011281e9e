/**
 * The top-level component: composes the capability components for one cluster and is the only place that
 * wires one component's outputs into another's inputs.
 *
 * Order inside the cluster: the target namespace, the signing key and the Results/PaC Secrets exist before
 * the TektonConfig; the TektonConfig also waits for the operator to be ready and for the RDS host. Nothing
 * else waits for the database.
 */
import * as pulumi from "@pulumi/pulumi";
import type { OperatorLine } from "../lib/operator-lines";
import { activeSlotOf } from "../lib/s3-key-rotation";
import { AwsMonitoring, type AwsMonitoringArgs } from "./observability/aws-alarms";
import { ChainsSigning, type ChainsSigningArgs } from "./chains/component";
import { TARGET_NAMESPACE, TargetNamespace } from "./cluster/component";
import { Observability, type ObservabilityArgs } from "./observability/component";
import { SUBSCRIPTION_NAMESPACE } from "./operator/builders";
import { PipelinesOperator, type PipelinesOperatorArgs } from "./operator/component";
import { PAC_SECRET_NAME } from "./pac/builders";
import { PipelinesAsCode, type PipelinesAsCodeArgs } from "./pac/component";
import { PipelineRbac } from "./rbac/component";
import { TektonResults, type TektonResultsArgs } from "./results/component";
import type { TagContext } from "./shared/labels";
import type { CredentialMarks } from "./results/tekton-result";
import { ResultsStorage, type CredentialRotation, type ResultsStorageArgs } from "./storage/component";
import { TektonConfig, type TektonConfigArgs } from "./tekton/component";

/**
 * What varies per cluster. Each field is the matching child's own args, less what this component wires in
 * from another child's outputs.
 */
export interface PipelineServiceArgs {
    /** Cluster name and environment: AWS names and tags derive from them. */
    readonly cluster: TagContext;
    /** AWS region of the cluster. */
    readonly region: string;
    readonly storage: Omit<ResultsStorageArgs, "tagContext" | "region">;
    readonly operator: PipelinesOperatorArgs;
    /** The OpenShift Pipelines line the TektonConfig is emitted for (the pinned one, else the oldest). */
    readonly operatorLine: OperatorLine;
    readonly pipelinePerformance: TektonConfigArgs["performance"];
    readonly pipelineReplicas: TektonConfigArgs["replicas"];
    readonly chainsController: ChainsSigningArgs["controller"];
    readonly signing: ChainsSigningArgs["signing"];
    readonly resultsApi: Pick<TektonResultsArgs, "apiHost" | "apiTlsSecretName">;
    readonly resultsRetention: TektonResultsArgs["retention"];
    readonly resultsWorkloads: TektonResultsArgs["workloads"];
    readonly pipelinesAsCode: Omit<PipelinesAsCodeArgs, "namespace" | "line">;
    /** CloudWatch alarms on the Results storage; absent when observability is off. */
    readonly awsMonitoring?: Pick<AwsMonitoringArgs, "alarmTopicArn">;
    /** Cluster-side monitoring; absent: none (`observability.enabled: false`). */
    readonly observability?: Pick<ObservabilityArgs, "externalSecretsNamespace" | "secretStaleAfterRefreshes" | "exporterImage" | "runbookBaseUrl">;
    /** Clock for certificate validity (the RDS CA bundle); defaults to now. */
    readonly now?: Date;
}

/** What the stack exports. */
export interface PipelineServiceOutputs {
    readonly clusterName: string;
    readonly environment: string;
    /** Results API base URL (clients send their Kubernetes bearer token). */
    readonly resultsApiUrl: pulumi.Output<string>;
    /** Webhook URL for the GitHub App (the operator's PaC controller Route). */
    readonly pacWebhookUrl: pulumi.Output<string>;
    /** Cosign public key (PEM) that verifies this cluster's signatures; absent in keyless mode. */
    readonly chainsPublicKey?: pulumi.Output<string>;
    readonly resultsBucketName: pulumi.Output<string>;
    readonly resultsDbHost: pulumi.Output<string>;
    /** The unbound ClusterRole granting use of appstudio-pipelines-scc. */
    readonly pipelinesSccClusterRole: pulumi.Output<string>;
    /** Readable summary of the console dashboard (the render writes it as dashboard.md); absent when monitoring is off. */
    readonly dashboardMarkdown?: string;
}

/** What the Results pods restart on: the S3 key slot once a rotation has begun, the DB password rotation label. */
function credentialMarksOf(rotation: CredentialRotation): CredentialMarks {
    return {
        ...(rotation.s3KeyRotation === "a" ? {} : { s3KeySlot: activeSlotOf(rotation.s3KeyRotation) }),
        ...(rotation.dbPasswordRotation === undefined ? {} : { dbPassword: rotation.dbPasswordRotation }),
    };
}

export class PipelineService extends pulumi.ComponentResource {
    /** The stack outputs, listed once. */
    public readonly stackOutputs: PipelineServiceOutputs;

    constructor(name: string, args: PipelineServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("pipeline-service:index:PipelineService", name, {}, opts);
        const now = args.now ?? new Date();

        const namespace = new TargetNamespace(TARGET_NAMESPACE, { name: TARGET_NAMESPACE }, { parent: this });
        const rbac = new PipelineRbac("pipeline-rbac", {}, { parent: this });
        const storage = new ResultsStorage("results-storage", { ...args.storage, tagContext: args.cluster, region: args.region }, { parent: this });
        if (args.awsMonitoring !== undefined) {
            new AwsMonitoring("aws-monitoring", {
                ...args.awsMonitoring,
                tagContext: args.cluster,
                database: { identifier: storage.dbInstanceIdentifier, allocatedStorageGiB: storage.dbAllocatedStorageGiB },
                bucketName: storage.bucketName,
            }, { parent: this });
        }
        const operator = new PipelinesOperator("pipelines-operator", args.operator, { parent: this });
        const chains = new ChainsSigning("tekton-chains", { signing: args.signing, controller: args.chainsController, namespace: namespace.name }, { parent: this });

        const results = new TektonResults("tekton-results", {
            ...args.resultsApi,
            retention: args.resultsRetention,
            line: args.operatorLine,
            credentialMarks: credentialMarksOf(args.storage.rotation),
            workloads: args.resultsWorkloads,
            namespace: namespace.name,
            database: { host: storage.dbHost, port: storage.dbPort, name: storage.dbName },
            dbUser: storage.dbUser,
            dbPassword: storage.dbPassword,
            bucketName: storage.bucketName,
            region: args.region,
            s3Endpoint: storage.s3Endpoint,
            accessKeyId: storage.accessKeyId,
            secretAccessKey: storage.secretAccessKey,
            now,
        }, { parent: this });

        const pac = new PipelinesAsCode("pipelines-as-code", { ...args.pipelinesAsCode, namespace: namespace.name, line: args.operatorLine }, { parent: this });

        new TektonConfig("tekton-config", {
            targetNamespace: namespace.name,
            performance: args.pipelinePerformance,
            replicas: args.pipelineReplicas,
            line: args.operatorLine,
            chain: chains.tektonChain,
            result: results.tektonResult,
            pipelinesAsCode: pac.tektonPipelinesAsCode,
            after: [operator.ready, namespace, ...chains.signingKeyResources, results],
        }, { parent: this });

        const observability = args.observability === undefined ? undefined : new Observability("observability", {
            ...args.observability,
            namespace: namespace.name,
            operatorNamespace: SUBSCRIPTION_NAMESPACE,
            // The ExternalSecret is named after the Secret it keeps in sync (PipelinesAsCode).
            externalSecret: { name: PAC_SECRET_NAME, refreshInterval: args.pipelinesAsCode.vault.refreshInterval },
            region: args.region,
        }, { parent: this });

        this.stackOutputs = {
            clusterName: args.cluster.clusterName,
            environment: args.cluster.environment,
            resultsApiUrl: results.apiUrl,
            pacWebhookUrl: pac.webhookUrl,
            ...(chains.publicKey === undefined ? {} : { chainsPublicKey: chains.publicKey }),
            resultsBucketName: storage.bucketName,
            resultsDbHost: storage.dbHost,
            pipelinesSccClusterRole: rbac.sccClusterRoleName,
            ...(observability === undefined ? {} : { dashboardMarkdown: observability.dashboardMarkdown }),
        };
        this.registerOutputs({ ...this.stackOutputs });
    }
}
