/**
 * TypeScript mirror of the TektonConfig spec fields this product writes, and nothing else.
 *
 * Source: tektoncd/operator `pkg/apis/operator/v1alpha1/` at v0.77.1 (OpenShift Pipelines 1.20, the oldest line in
 * lib/operator-lines.ts). Every property name is the Go struct's `json:"..."` tag, copied exactly: the operator's
 * webhook decodes the whole object into those structs, so a key spelt differently is rejected or dropped and never
 * applies. test/tekton-keys.test.ts checks every key path a render emits against the list extracted from that tag
 * (test/data/tektonconfig-keys-v0.77.1.json).
 *
 * Fields whose Go type has no `omitempty` are still optional here: the operator's defaulting webhook fills
 * them in.
 */
import type * as pulumi from "@pulumi/pulumi";

/** `T` with each top-level field allowed to be an Output (e.g. the RDS host), the rest staying known. */
export type InputFields<T> = { readonly [K in keyof T]: pulumi.Input<T[K]> };

/** Chains' `BoolValue`: a Go `string` (the typed CRD says `type: string`), so send `"true"`/`"false"`, not a JSON bool. */
// Go: `type BoolValue string` in tektonchain_types.go
export type BoolValue = "true" | "false";

/** One name/value pair. Go: `Param` in common.go. */
export interface Param {
    /** Parameter name, e.g. `createRbacResource`. */
    readonly name: string;
    /** Parameter value: always a string, even for booleans (`"false"`). */
    readonly value: string;
}

/** A container of a partial Deployment, matched by name (a name that matches nothing ADDS a container). */
export interface ContainerOverride {
    readonly name: string;
    /** Replaces the manifest's block when non-empty (transformer_additional_options.go:367-370). */
    readonly resources?: {
        readonly requests?: Readonly<Record<string, string>>;
        readonly limits?: Readonly<Record<string, string>>;
    };
    /** Merged by name with the manifest's mounts (k8s.io/api core/v1 `VolumeMount`). */
    readonly volumeMounts?: ReadonlyArray<{ readonly name: string; readonly mountPath: string; readonly readOnly: boolean }>;
    /** APPENDED to the manifest's args, never merged (transformer_additional_options.go:410-413 at v0.77.1). */
    readonly args?: readonly string[];
}

/**
 * A partial Deployment the operator applies over its manifest. Go: `AdditionalOptions.Deployments`
 * (additional_options.go); volumes and mounts are merged by name, container args are appended
 * (pkg/reconciler/common/transformer_additional_options.go `updateContainers`).
 */
export interface DeploymentOverride {
    readonly spec: {
        readonly replicas?: number;
        readonly template?: {
            /** Pod template annotations, merged key by key (transformer_additional_options.go `updateDeployments`). */
            readonly metadata?: { readonly annotations: Readonly<Record<string, string>> };
            readonly spec: {
                /** Pod volumes (k8s.io/api core/v1 `Volume`), ConfigMap sources only. */
                readonly volumes?: ReadonlyArray<{ readonly name: string; readonly configMap: { readonly name: string } }>;
                readonly containers: readonly ContainerOverride[];
            };
        };
    };
}

/** Go: `AdditionalOptions` in additional_options.go (the `options` block of every component). */
export interface AdditionalOptions {
    /** ConfigMap name → data merged key by key into the manifest's ConfigMap (`updateConfigMaps`). */
    readonly configMaps?: Readonly<Record<string, { readonly data: Readonly<Record<string, string>> }>>;
    /** Deployment name → partial Deployment. */
    readonly deployments?: Readonly<Record<string, DeploymentOverride>>;
    /** HPA name → partial HorizontalPodAutoscaler (created when the manifest has none, transformer_additional_options.go:657-699). */
    readonly horizontalPodAutoscalers?: Readonly<Record<string, { readonly spec: { readonly minReplicas: number } }>>;
}

/**
 * Controller performance knobs. Go: `PerformanceProperties` (+ inlined `PerformanceLeaderElectionConfig`,
 * `DeploymentPerformanceArgs`) in performance_types.go.
 */
export interface PerformanceProperties {
    /** Leader-election buckets; Go `*uint`, validated to 1..10 (performance_validation.go). */
    readonly buckets?: number;
    /** Disables HA; Go `bool` without omitempty, so the typed CRD (≥ 0.80) lists it as required. */
    readonly "disable-ha"?: boolean;
    /** Work-queue workers; Go `*int`. */
    readonly "threads-per-controller"?: number;
    /** Replicas of the component's controller Deployments; Go `*int32`. */
    readonly replicas?: number;
    /** Client QPS; Go `*float32`. */
    readonly "kube-api-qps"?: number;
    /** Client burst; Go `*int`. */
    readonly "kube-api-burst"?: number;
}

/**
 * Go: `Pipeline` with inlined `PipelineProperties`, `OptionalPipelineProperties` and `Resolvers`
 * (tektonpipeline_types.go). `enable-tekton-oci-bundles` is kept by the operator for API compatibility only
 * (no effect since tektoncd/pipeline#7789), so it is deliberately absent.
 */
export interface PipelineSpec {
    /** Go `*bool`. */
    readonly "enable-step-actions"?: boolean;
    /** Default ServiceAccount for runs; Go `string` (OptionalPipelineProperties). */
    readonly "default-service-account"?: string;
    /** Go `*bool` (Resolvers). */
    readonly "enable-bundles-resolver"?: boolean;
    /** Go `*bool` (Resolvers). */
    readonly "enable-hub-resolver"?: boolean;
    /** Go `*bool` (Resolvers). */
    readonly "enable-git-resolver"?: boolean;
    /** Go `*bool` (Resolvers). */
    readonly "enable-cluster-resolver"?: boolean;
    /** Go `string` (PipelineProperties → feature-flags). */
    readonly "enable-api-fields"?: string;
    /** Go `*bool` (PipelineProperties → feature-flags). */
    readonly "enable-param-enum"?: boolean;
    /** Go `*uint` (OptionalPipelineProperties → config-defaults). */
    readonly "default-timeout-minutes"?: number;
    /** Controller performance. */
    readonly performance?: PerformanceProperties;
    /** Manifest overrides. */
    readonly options?: AdditionalOptions;
}

/** A component switch. Go: `Trigger` (tektontrigger_types.go, operator ≥ 0.77) and `Prune` (tektonconfig_types.go): `bool`. */
export interface DisabledSwitch {
    /** Required by the typed CRD (Go `bool`, no omitempty). */
    readonly disabled: boolean;
}

/**
 * Event-based pruner. Go: `Pruner` in tektonpruner_types.go (operator ≥ 0.76): `disabled` is a `*bool` that
 * defaults to true (tektonpruner_defaults.go); the typed CRD's `global-config` is filled by the defaulting webhook.
 */
export type TektonPrunerSpec = DisabledSwitch;

/**
 * Go: `Chain` with inlined `ChainProperties` (tektonchain_types.go). The dotted names are FLAT JSON keys
 * directly under `chain`, not nested objects.
 */
export interface ChainSpec {
    /** Component switch; Go `bool`, required by the typed CRD. */
    readonly disabled?: boolean;
    /** Operator generates `signing-secrets` when true; Go `bool`. */
    readonly generateSigningSecret?: boolean;
    /** Go `string`. */
    readonly "artifacts.taskrun.format"?: string;
    /** Go `*string` (so `""` is kept and means "no storage"). */
    readonly "artifacts.taskrun.storage"?: string;
    /** Go `string`. */
    readonly "artifacts.taskrun.signer"?: string;
    /** Go `string`. */
    readonly "artifacts.pipelinerun.format"?: string;
    /** Go `*string`. */
    readonly "artifacts.pipelinerun.storage"?: string;
    /** Go `string`. */
    readonly "artifacts.pipelinerun.signer"?: string;
    /** Go `*string`. */
    readonly "artifacts.oci.storage"?: string;
    /** Go `string`. */
    readonly "artifacts.oci.signer"?: string;
    /** Go `*bool`. */
    readonly "signers.x509.fulcio.enabled"?: boolean;
    /** Go `string`. */
    readonly "signers.x509.fulcio.address"?: string;
    /** Go `string`. */
    readonly "signers.x509.fulcio.issuer"?: string;
    /** Go `BoolValue` (a string type). */
    readonly "artifacts.pipelinerun.enable-deep-inspection"?: BoolValue;
    /** Go `BoolValue` (a string type). */
    readonly "transparency.enabled"?: BoolValue;
    /** The Chains controller's replicas (tektonchain/transform.go:50). */
    readonly performance?: { readonly "disable-ha": boolean; readonly replicas: number };
    /** Go `string`. */
    readonly "transparency.url"?: string;
}

/** Go: `Result` with inlined `ResultsAPIProperties` (tektonresult_types.go). */
export interface ResultSpec {
    /** Component switch; Go `bool`, required by the typed CRD. */
    readonly disabled?: boolean;
    /** Go `bool` (no omitempty), required by the typed CRD. */
    readonly is_external_db?: boolean;
    /** Host name only, no port; Go `string`. */
    readonly db_host?: string;
    /** Go `*int64`. */
    readonly db_port?: number;
    /** Go `string`. */
    readonly db_name?: string;
    /** libpq sslmode; Go `string`. */
    readonly db_sslmode?: string;
    /** Path of the CA bundle inside the Results API pod; Go `string`. */
    readonly db_sslrootcert?: string;
    /** Go `*bool`. */
    readonly db_enable_auto_migration?: boolean;
    /** DB credentials Secret in the target namespace (operator ≥ 0.76); Go `string`. */
    readonly db_secret_name?: string;
    /** Key of the user name in `db_secret_name`; Go `string`. */
    readonly db_secret_user_key?: string;
    /** Key of the password in `db_secret_name`; Go `string`. */
    readonly db_secret_password_key?: string;
    /** Go `*bool`. */
    readonly logs_api?: boolean;
    /** `File`, `S3`, `GCS`, ...; Go `string`. */
    readonly logs_type?: string;
    /** S3 settings Secret (env for the `tekton-results-api` deployment's `api` container); Go `string`. */
    readonly secret_name?: string;
    /** Go `*bool`. */
    readonly auth_disable?: boolean;
    /** v0.78+ (`ResultsAPIProperties`, tektonresult_types.go:125-130): the operator's own Route for the API. */
    readonly route_enabled?: boolean;
    /** Manifest overrides. */
    readonly options?: AdditionalOptions;
}

/** Go: `PipelinesAsCode` with inlined `PACSettings` (pipelinesascode.go, openshiftpipelinesascode_types.go). */
export interface PipelinesAsCodeSpec {
    /** Go `*bool`. */
    readonly enable?: boolean;
    /** The `pipelines-as-code` ConfigMap settings (string values only). */
    readonly settings?: Readonly<Record<string, string>>;
    /** Manifest overrides (replicas of the PaC deployments). */
    readonly options?: AdditionalOptions;
}

/** Go: `TektonConfigSpec` (with inlined `CommonSpec`) in tektonconfig_types.go; `platforms.openshift` is `OpenShift` in openshift_platform.go. */
/** v0.79+ `Scheduler` (tektonscheduler_types.go:45-64): tekton-kueue, and the multi-cluster switch. */
export interface SchedulerSpec {
    readonly disabled: boolean;
    readonly "multi-cluster-disabled": boolean;
}

export interface TektonConfigSpec {
    /** `lite`, `basic` or `all` (empty = `basic`). */
    readonly profile?: string;
    /** Namespace the operator installs components into (CommonSpec). */
    readonly targetNamespace?: string;
    /** Job-based pruner. */
    readonly pruner?: DisabledSwitch;
    /** Event-based pruner. */
    readonly tektonpruner?: TektonPrunerSpec;
    /** Tekton Pipelines. */
    readonly pipeline?: PipelineSpec;
    /** Tekton Triggers. */
    readonly trigger?: DisabledSwitch;
    readonly scheduler?: SchedulerSpec;
    /** Tekton Chains. */
    readonly chain?: ChainSpec;
    /** Tekton Results. */
    readonly result?: ResultSpec;
    /** Params for all platforms (read by pkg/reconciler/openshift/tektonconfig/rbac.go). */
    readonly params?: ReadonlyArray<Param>;
    /** Platform-specific configuration. */
    readonly platforms?: { readonly openshift?: { readonly pipelinesAsCode?: PipelinesAsCodeSpec } };
}
