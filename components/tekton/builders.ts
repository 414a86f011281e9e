/**
 * Pure builder for the TektonConfig `spec` (no Pulumi Outputs: callers apply it inside `pulumi.all(...).apply`).
 * Key names and value types follow tektoncd/operator `pkg/apis/operator/v1alpha1/` (see types.ts beside it).
 */
import type { ChainSpec, ResultSpec, TektonConfigSpec } from "./types";

/** The operator only reconciles a TektonConfig with this name (cluster-scoped). */
export const TEKTON_CONFIG_NAME = "config";
/** Namespace the operator installs Pipelines, Chains, Results and PaC into. */
export const TARGET_NAMESPACE = "openshift-pipelines";

/** Results API Deployment name in the operator's manifest (operator pkg/reconciler/kubernetes/tektonresult/transform.go `deploymentAPI`). */
export const RESULTS_API_DEPLOYMENT = "tekton-results-api";
/** Results API container name (same file, `apiContainerName`; tektoncd/results config/base/api.yaml). */
export const RESULTS_API_CONTAINER = "api";
/** Volume name for the DB CA bundle; must not clash with the manifest's own `config` and `tls` volumes. */
export const RESULTS_DB_CA_VOLUME = "results-db-ca";
/**
 * Where the CA ConfigMap is mounted in the Results API container. Deliberately not nested under `/etc/tls`
 * (the read-only `tls` Secret mount): a mount point inside a read-only volume cannot be created.
 */
export const RESULTS_DB_CA_MOUNT_DIR = "/etc/results-db-ca";
/** Key of the DB user name in the Results DB Secret (the operator's default, tektonresult transform.go). */
export const RESULTS_DB_SECRET_USER_KEY = "POSTGRES_USER";
/** Key of the DB password in the Results DB Secret (the operator's default). */
export const RESULTS_DB_SECRET_PASSWORD_KEY = "POSTGRES_PASSWORD";

/** Controller performance tuning for Tekton Pipelines (`spec.pipeline.performance`). */
export interface PipelinePerformanceArgs {
    /** Work-queue workers per controller (positive integer). */
    readonly threadsPerController: number;
    /** Kubernetes client QPS (positive number). */
    readonly kubeApiQps: number;
    /** Kubernetes client burst (positive integer). */
    readonly kubeApiBurst: number;
    /** Leader-election buckets, integer 1..10 (operator performance_validation.go). */
    readonly buckets: number;
}

/** Tekton Chains signing mode and sigstore endpoints. */
export interface ChainsArgs {
    /** `key`: cosign key in `signing-secrets`; `keyless`: Fulcio certificates (x509 signer) + Rekor. */
    readonly mode: "key" | "keyless";
    /** Upload to Rekor. Only read in `key` mode: keyless signing always uses the transparency log. */
    readonly transparencyEnabled: boolean;
    /** Rekor URL (`transparency.url`). */
    readonly rekorUrl: string;
    /** Fulcio URL (`signers.x509.fulcio.address`), keyless only. */
    readonly fulcioUrl: string;
    /** OIDC issuer Fulcio trusts (`signers.x509.fulcio.issuer`), keyless only. */
    readonly fulcioOidcIssuer: string;
}

/** Tekton Results with an external PostgreSQL (RDS) and S3 logs. */
export interface ResultsArgs {
    /** Database host name, without port. */
    readonly dbHost: string;
    /** Database port. */
    readonly dbPort: number;
    /** Database name. */
    readonly dbName: string;
    /** Secret in the target namespace with `POSTGRES_USER` / `POSTGRES_PASSWORD`. */
    readonly dbSecretName: string;
    /** Secret in the target namespace with the `S3_*` keys. */
    readonly s3SecretName: string;
    /** ConfigMap in the target namespace holding the RDS CA bundle. */
    readonly caConfigMapName: string;
    /** Key (file name) of the CA bundle inside that ConfigMap. */
    readonly caFileName: string;
}

/** Pipelines-as-Code console links (templates may use `{{ namespace }}`, `{{ pr }}`, `{{ task }}`, `{{ pod }}`). */
export interface PipelinesAsCodeArgs {
    /** `custom-console-name`. */
    readonly consoleName: string;
    /** `custom-console-url`. */
    readonly consoleUrl: string;
    /** `custom-console-url-pr-details`. */
    readonly consoleUrlPrDetails: string;
    /** `custom-console-url-pr-tasklog`. */
    readonly consoleUrlPrTaskLog: string;
    /** `custom-console-url-namespace`. */
    readonly consoleUrlNamespace: string;
}

/** Everything that varies per stack in the TektonConfig. */
export interface TektonConfigSpecArgs {
    /** Pipelines controller performance. */
    readonly performance: PipelinePerformanceArgs;
    /** Chains signing. */
    readonly chains: ChainsArgs;
    /** Results storage. */
    readonly results: ResultsArgs;
    /** Pipelines-as-Code console links. */
    readonly pipelinesAsCode: PipelinesAsCodeArgs;
}

function requirePositiveInteger(value: number, name: string, max?: number): void {
    if (!Number.isInteger(value) || value < 1 || (max !== undefined && value > max)) {
        throw new RangeError(`${name} must be an integer in 1..${max ?? "∞"}, got ${value}`);
    }
}

function requireNonEmpty(value: string, name: string): void {
    if (value.trim() === "") {
        throw new Error(`${name} must not be empty`);
    }
}

function buildChainSpec(chains: ChainsArgs): ChainSpec {
    const common: ChainSpec = {
        disabled: false,
        // This program owns the cosign key pair; true would let the operator overwrite/empty signing-secrets.
        generateSigningSecret: false,
        "artifacts.taskrun.format": "in-toto",
        "artifacts.taskrun.storage": "",
        "artifacts.oci.storage": "oci",
        "artifacts.pipelinerun.format": "in-toto",
        "artifacts.pipelinerun.storage": "oci",
    };
    if (chains.mode === "key") {
        return chains.transparencyEnabled
            ? { ...common, "transparency.enabled": "true", "transparency.url": chains.rekorUrl }
            : { ...common, "transparency.enabled": "false" };
    }
    requireNonEmpty(chains.fulcioUrl, "chains.fulcioUrl");
    requireNonEmpty(chains.fulcioOidcIssuer, "chains.fulcioOidcIssuer");
    requireNonEmpty(chains.rekorUrl, "chains.rekorUrl");
    return {
        ...common,
        "artifacts.taskrun.signer": "x509",
        "artifacts.pipelinerun.signer": "x509",
        "artifacts.oci.signer": "x509",
        "signers.x509.fulcio.enabled": true,
        "signers.x509.fulcio.address": chains.fulcioUrl,
        "signers.x509.fulcio.issuer": chains.fulcioOidcIssuer,
        // Short-lived Fulcio certificates are only verifiable later through the Rekor entry.
        "transparency.enabled": "true",
        "transparency.url": chains.rekorUrl,
    };
}

function buildResultSpec(results: ResultsArgs): ResultSpec {
    requirePositiveInteger(results.dbPort, "results.dbPort", 65535);
    requireNonEmpty(results.dbHost, "results.dbHost");
    requireNonEmpty(results.caFileName, "results.caFileName");
    if (results.caFileName.includes("/")) {
        throw new Error(`results.caFileName must be a ConfigMap key, not a path: ${results.caFileName}`);
    }
    return {
        disabled: false,
        is_external_db: true,
        db_host: results.dbHost,
        db_port: results.dbPort,
        db_name: results.dbName,
        db_secret_name: results.dbSecretName,
        db_secret_user_key: RESULTS_DB_SECRET_USER_KEY,
        db_secret_password_key: RESULTS_DB_SECRET_PASSWORD_KEY,
        db_sslmode: "verify-full",
        db_sslrootcert: `${RESULTS_DB_CA_MOUNT_DIR}/${results.caFileName}`,
        db_enable_auto_migration: true,
        logs_api: true,
        logs_type: "S3",
        secret_name: results.s3SecretName,
        // Clients authenticate with their Kubernetes bearer token.
        auth_disable: false,
        options: {
            deployments: {
                [RESULTS_API_DEPLOYMENT]: {
                    spec: {
                        template: {
                            spec: {
                                volumes: [{ name: RESULTS_DB_CA_VOLUME, configMap: { name: results.caConfigMapName } }],
                                containers: [
                                    {
                                        name: RESULTS_API_CONTAINER,
                                        volumeMounts: [
                                            { name: RESULTS_DB_CA_VOLUME, mountPath: RESULTS_DB_CA_MOUNT_DIR, readOnly: true },
                                        ],
                                    },
                                ],
                            },
                        },
                    },
                },
            },
        },
    };
}

/** Builds the whole TektonConfig `spec` for this product. Throws on out-of-range arguments. */
export function buildTektonConfigSpec(args: TektonConfigSpecArgs): TektonConfigSpec {
    const { performance, pipelinesAsCode } = args;
    requirePositiveInteger(performance.threadsPerController, "performance.threadsPerController");
    requirePositiveInteger(performance.kubeApiBurst, "performance.kubeApiBurst");
    requirePositiveInteger(performance.buckets, "performance.buckets", 10);
    if (!Number.isFinite(performance.kubeApiQps) || performance.kubeApiQps <= 0) {
        throw new RangeError(`performance.kubeApiQps must be a positive number, got ${performance.kubeApiQps}`);
    }

    return {
        targetNamespace: TARGET_NAMESPACE,
        profile: "all",
        // The operator would otherwise bind pipelines-scc to a `pipeline` SA in every namespace.
        params: [{ name: "createRbacResource", value: "false" }],
        // Pruning is done through Tekton Results; both the job-based and the event-based pruner stay off.
        pruner: { disabled: true },
        tektonpruner: { disabled: true },
        trigger: { disabled: true },
        pipeline: {
            "default-service-account": "appstudio-pipeline",
            "enable-bundles-resolver": true,
            "enable-cluster-resolver": true,
            "enable-git-resolver": true,
            "enable-hub-resolver": true,
            "enable-step-actions": true,
            performance: {
                // Required by the typed CRD (Go bool without omitempty).
                "disable-ha": false,
                "threads-per-controller": performance.threadsPerController,
                "kube-api-qps": performance.kubeApiQps,
                "kube-api-burst": performance.kubeApiBurst,
                buckets: performance.buckets,
            },
        },
        chain: buildChainSpec(args.chains),
        result: buildResultSpec(args.results),
        platforms: {
            openshift: {
                pipelinesAsCode: {
                    enable: true,
                    settings: {
                        "custom-console-name": pipelinesAsCode.consoleName,
                        "custom-console-url": pipelinesAsCode.consoleUrl,
                        "custom-console-url-pr-details": pipelinesAsCode.consoleUrlPrDetails,
                        "custom-console-url-pr-tasklog": pipelinesAsCode.consoleUrlPrTaskLog,
                        "custom-console-url-namespace": pipelinesAsCode.consoleUrlNamespace,
                    },
                },
            },
        },
    };
}
