/**
 * The typed, defaulted stack configuration every component's args come from.
 */
import type * as pulumi from "@pulumi/pulumi";

export type Environment = "dev" | "prod";

export interface NetworkConfig {
    readonly vpcId: string;
    readonly privateSubnetIds: readonly string[];
    readonly allowedCidrs: readonly string[];
}

export interface ResultsStorageConfig {
    readonly engineVersion: "17" | "18";
    readonly instanceClass: string;
    readonly allocatedStorage: number;
    readonly maxAllocatedStorage: number;
    readonly multiAz: boolean;
    readonly backupRetentionDays: number;
    readonly deletionProtection: boolean;
    readonly logRetentionDays: number;
    readonly kmsKeyArn?: string;
    readonly logExpirationDays?: number;
}

export interface OperatorConfig {
    readonly catalogImage: string;
    readonly channel: string;
    readonly installPlanApproval: "Automatic" | "Manual";
    readonly startingCsv?: string;
    readonly registryPollInterval: string;
    readonly readinessTimeoutSeconds: number;
}

export interface PipelinesPerformanceConfig {
    readonly threadsPerController: number;
    readonly kubeApiQps: number;
    readonly kubeApiBurst: number;
    readonly buckets: number;
}

export interface ChainsConfig {
    readonly signing: "key" | "keyless";
    readonly transparencyEnabled: boolean;
    readonly rekorUrl: string;
    readonly fulcioUrl: string;
    readonly fulcioOidcIssuer: string;
    readonly adoptExistingKey: boolean;
    readonly existingPublicKey?: string;
    readonly rotationTrigger?: string;
}

export interface PipelinesAsCodeConfig {
    readonly consoleName: string;
    readonly consoleUrl: string;
    readonly consoleUrlPrDetails: string;
    readonly consoleUrlPrTaskLog: string;
    readonly consoleUrlNamespace: string;
    readonly webhookUrl?: string;
}

export interface VaultConfig {
    readonly server: string;
    readonly authMountPath: string;
    readonly role: string;
    readonly serviceAccountName: string;
    readonly kvMount: string;
    readonly kvVersion: "v1" | "v2";
    readonly githubAppSecretPath: string;
    readonly caBundle?: string;
    readonly refreshInterval: string;
}

export interface ResultsApiConfig {
    readonly host: string;
    readonly tlsSecretName?: string;
}

/** Provider settings, read from the keys Pulumi users expect (`aws:region`, `kubernetes:*`). */
export interface ProviderConfig {
    readonly awsRegion: string;
    readonly kubernetesContext?: string;
    /** Kubeconfig contents; a Pulumi secret when set with `--secret`. */
    readonly kubeconfig?: pulumi.Output<string>;
}

export interface StackConfig {
    readonly project: string;
    readonly stack: string;
    readonly clusterName: string;
    readonly environment: Environment;
    readonly appsDomain: string;
    /** `protect` the database, bucket and signing key (prod). */
    readonly protectStateful: boolean;
    readonly network: NetworkConfig;
    readonly results: ResultsStorageConfig;
    readonly operator: OperatorConfig;
    readonly pipelines: PipelinesPerformanceConfig;
    readonly chains: ChainsConfig;
    readonly pipelinesAsCode: PipelinesAsCodeConfig;
    readonly vault: VaultConfig;
    readonly resultsApi: ResultsApiConfig;
    readonly providers: ProviderConfig;
}
