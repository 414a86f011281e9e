/**
 * The top-level component: composes the capability components for one cluster and is the only place
 * that wires one component's outputs into another's inputs.
 *
 * Order inside the cluster: the target namespace, the signing key and the Results/PaC Secrets exist before
 * the TektonConfig; the TektonConfig also waits for the operator to be ready and for the RDS host. Nothing
 * else waits for the database.
 */
import * as pulumi from "@pulumi/pulumi";
import type { StackConfig } from "../stacks/types";
import { ChainsSigning } from "./chains/component";
import { PipelineRbac } from "./rbac/component";
import { PipelinesAsCode } from "./pac/component";
import { PipelinesOperator } from "./operator/component";
import { RDS_CA_CONFIGMAP_NAME, RDS_CA_FILE_NAME, RESULTS_DB_SECRET_NAME, RESULTS_S3_SECRET_NAME } from "./results/builders";
import { ResultsStorage } from "./storage/component";
import { POSTGRES_PORT, RESULTS_DB_NAME } from "./storage/builders";
import { TargetNamespace } from "./cluster/component";
import { TektonConfig } from "./tekton/component";
import { TARGET_NAMESPACE } from "./tekton/builders";
import { TektonResults } from "./results/component";

export interface PipelineServiceArgs {
    /** The parsed, defaulted stack configuration. */
    readonly config: StackConfig;
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
}

export class PipelineService extends pulumi.ComponentResource {
    /** The stack outputs, listed once. */
    public readonly stackOutputs: PipelineServiceOutputs;

    constructor(name: string, args: PipelineServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("pipeline-service:index:PipelineService", name, {}, opts);
        const { config } = args;
        const now = args.now ?? new Date();

        const namespace = new TargetNamespace("openshift-pipelines", { name: TARGET_NAMESPACE }, { parent: this });
        const rbac = new PipelineRbac("pipeline-rbac", {}, { parent: this });

        const storage = new ResultsStorage("results-storage", {
            tagContext: config,
            region: config.providers.awsRegion,
            vpcId: config.network.vpcId,
            privateSubnetIds: [...config.network.privateSubnetIds],
            allowedCidrs: config.network.allowedCidrs,
            sizing: config.results,
            logRetentionDays: config.results.logRetentionDays,
            logExpirationDays: config.results.logExpirationDays,
            protectStateful: config.protectStateful,
        }, { parent: this });

        const operator = new PipelinesOperator("pipelines-operator", {
            catalog: config.operator,
            readinessTimeoutSeconds: config.operator.readinessTimeoutSeconds,
            kubeconfig: config.providers.kubeconfig,
            kubeconfigContext: config.providers.kubernetesContext,
        }, { parent: this });

        const chains = new ChainsSigning("tekton-chains", {
            mode: config.chains.signing,
            namespace: namespace.name,
            adoptedPublicKey: config.chains.adoptExistingKey ? config.chains.existingPublicKey : undefined,
            rotationTrigger: config.chains.rotationTrigger,
        }, { parent: this });

        const results = new TektonResults("tekton-results", {
            namespace: namespace.name,
            dbUser: storage.dbUser,
            dbPassword: storage.dbPassword,
            bucketName: storage.bucketName,
            region: config.providers.awsRegion,
            s3Endpoint: storage.s3Endpoint,
            accessKeyId: storage.accessKeyId,
            secretAccessKey: storage.secretAccessKey,
            apiHost: config.resultsApi.host,
            apiTlsSecretName: config.resultsApi.tlsSecretName,
            now,
        }, { parent: this });

        const pac = new PipelinesAsCode("pipelines-as-code", {
            namespace: namespace.name,
            appsDomain: config.appsDomain,
            webhookUrlOverride: config.pipelinesAsCode.webhookUrl,
            vault: config.vault,
            refreshInterval: config.vault.refreshInterval,
        }, { parent: this });

        new TektonConfig("tekton-config", {
            performance: config.pipelines,
            chains: {
                mode: config.chains.signing,
                transparencyEnabled: config.chains.transparencyEnabled,
                rekorUrl: config.chains.rekorUrl,
                fulcioUrl: config.chains.fulcioUrl,
                fulcioOidcIssuer: config.chains.fulcioOidcIssuer,
            },
            results: {
                dbHost: storage.dbHost,
                dbPort: POSTGRES_PORT,
                dbName: RESULTS_DB_NAME,
                dbSecretName: RESULTS_DB_SECRET_NAME,
                s3SecretName: RESULTS_S3_SECRET_NAME,
                caConfigMapName: RDS_CA_CONFIGMAP_NAME,
                caFileName: RDS_CA_FILE_NAME,
            },
            pipelinesAsCode: config.pipelinesAsCode,
            after: [operator.ready, namespace, ...chains.signingKeyResources, results],
        }, { parent: this });

        this.stackOutputs = {
            clusterName: config.clusterName,
            environment: config.environment,
            resultsApiUrl: results.apiUrl,
            pacWebhookUrl: pac.webhookUrl,
            ...(chains.publicKey === undefined ? {} : { chainsPublicKey: chains.publicKey }),
            resultsBucketName: storage.bucketName,
            resultsDbHost: storage.dbHost,
            pipelinesSccClusterRole: rbac.sccClusterRoleName,
        };
        this.registerOutputs({ ...this.stackOutputs });
    }
}
