/**
 * TypeScript mirror of the parts of the TektonConfig spec this product writes.
 *
 * Source of truth: tektoncd/operator `pkg/apis/operator/v1alpha1/` (read at tekton-operator-0.80.0-173,
 * commit 390143289a66). Every property name below is the Go struct's `json:"..."` tag, copied exactly:
 * the operator's webhook decodes the whole object into those structs, so a key spelt differently is
 * silently dropped (typed CRDs) or rejected (older webhook), and never applies.
 *
 * Only the fields this product sets (plus their parent objects) are mirrored. Fields whose Go type has no
 * `omitempty` are still optional here: the operator's defaulting webhook fills them in.
 */

/** Chains' `BoolValue`: a Go `string` (the typed CRD says `type: string`), so send `"true"`/`"false"`, not a JSON bool. */
// Go: `type BoolValue string` in tektonchain_types.go
export type BoolValue = "true" | "false";

/** One name/value pair. Go: `Param` in common.go. */
export interface Param {
    /** Parameter name, e.g. `createRbacResource`. */
    readonly name?: string;
    /** Parameter value: always a string, even for booleans (`"false"`). */
    readonly value?: string;
}

/** Minimal ConfigMap volume source (k8s.io/api core/v1 `ConfigMapVolumeSource`). */
export interface ConfigMapVolumeSource {
    /** Name of the ConfigMap to mount. */
    readonly name: string;
    /** Keys to project; all keys when absent. */
    readonly items?: ReadonlyArray<{ readonly key: string; readonly path: string }>;
    /** File mode bits for the projected files. */
    readonly defaultMode?: number;
    /** Whether the pod may start without the ConfigMap. */
    readonly optional?: boolean;
}

/** Minimal Secret volume source (k8s.io/api core/v1 `SecretVolumeSource`). */
export interface SecretVolumeSource {
    /** Name of the Secret to mount. */
    readonly secretName: string;
    /** Keys to project; all keys when absent. */
    readonly items?: ReadonlyArray<{ readonly key: string; readonly path: string }>;
    /** File mode bits for the projected files. */
    readonly defaultMode?: number;
    /** Whether the pod may start without the Secret. */
    readonly optional?: boolean;
}

/** Pod volume (k8s.io/api core/v1 `Volume`), limited to the sources this product uses. */
export interface VolumeOverride {
    /** Volume name; the operator merges volumes by this name (transformer_additional_options.go `updateVolumes`). */
    readonly name: string;
    /** ConfigMap source. */
    readonly configMap?: ConfigMapVolumeSource;
    /** Secret source. */
    readonly secret?: SecretVolumeSource;
}

/** Container volume mount (k8s.io/api core/v1 `VolumeMount`). */
export interface VolumeMountOverride {
    /** Volume name; the operator merges mounts by this name. */
    readonly name: string;
    /** Absolute path inside the container. */
    readonly mountPath: string;
    /** Mount read-only. */
    readonly readOnly?: boolean;
    /** Sub-path of the volume to mount. */
    readonly subPath?: string;
}

/** Container environment variable (k8s.io/api core/v1 `EnvVar`), plain values and key references only. */
export interface EnvVarOverride {
    /** Variable name; the operator merges env by this name. */
    readonly name: string;
    /** Literal value. */
    readonly value?: string;
    /** Value taken from a Secret or ConfigMap key. */
    readonly valueFrom?: {
        readonly secretKeyRef?: { readonly name: string; readonly key: string; readonly optional?: boolean };
        readonly configMapKeyRef?: { readonly name: string; readonly key: string; readonly optional?: boolean };
    };
}

/**
 * Partial container (k8s.io/api core/v1 `Container`). For a container that already exists in the manifest the
 * operator applies only `resources`, `env`, `volumeMounts` and `args` (transformer_additional_options.go
 * `updateContainers`, matched by `name`); an unknown name adds a whole new container.
 */
export interface ContainerOverride {
    /** Name of the container in the operator's manifest, e.g. `api`. */
    readonly name: string;
    /** Extra or replacing environment variables. */
    readonly env?: ReadonlyArray<EnvVarOverride>;
    /** Extra or replacing volume mounts. */
    readonly volumeMounts?: ReadonlyArray<VolumeMountOverride>;
    /** Replacing resource requirements. */
    readonly resources?: {
        readonly requests?: Readonly<Record<string, string>>;
        readonly limits?: Readonly<Record<string, string>>;
    };
    /** Arguments merged by key. */
    readonly args?: ReadonlyArray<string>;
}

/** Labels/annotations block of a partial object (k8s.io/apimachinery `ObjectMeta`). */
export interface MetadataOverride {
    /** Labels merged into the object's labels. */
    readonly labels?: Readonly<Record<string, string>>;
    /** Annotations merged into the object's annotations. */
    readonly annotations?: Readonly<Record<string, string>>;
}

/**
 * Partial apps/v1 Deployment or StatefulSet applied by the operator over its own manifest
 * (transformer_additional_options.go `updateDeployments` / `updateStatefulSets`).
 */
export interface WorkloadOverride {
    /** Object labels/annotations. */
    readonly metadata?: MetadataOverride;
    /** Partial workload spec. */
    readonly spec?: {
        /** Replica count. */
        readonly replicas?: number;
        /** Partial pod template. */
        readonly template?: {
            /** Pod labels/annotations. */
            readonly metadata?: MetadataOverride;
            /** Partial pod spec. */
            readonly spec?: {
                /** Volumes merged by name. */
                readonly volumes?: ReadonlyArray<VolumeOverride>;
                /** Containers merged by name. */
                readonly containers?: ReadonlyArray<ContainerOverride>;
                /** Init containers merged by name. */
                readonly initContainers?: ReadonlyArray<ContainerOverride>;
                /** Replacing node selector. */
                readonly nodeSelector?: Readonly<Record<string, string>>;
                /** Replacing priority class. */
                readonly priorityClassName?: string;
            };
        };
    };
}

/** Partial ConfigMap applied over (or added to) the operator's manifest. */
export interface ConfigMapOverride {
    /** Labels/annotations. */
    readonly metadata?: MetadataOverride;
    /** Data keys merged into the ConfigMap. */
    readonly data?: Readonly<Record<string, string>>;
}

/** Go: `WebhookConfigurationOptions` in tektonpipeline_types.go. */
export interface WebhookConfigurationOptions {
    /** admissionregistration/v1 FailurePolicyType. */
    readonly failurePolicy?: "Ignore" | "Fail";
    /** Webhook call timeout. */
    readonly timeoutSeconds?: number;
    /** admissionregistration/v1 SideEffectClass. */
    readonly sideEffects?: "None" | "NoneOnDryRun" | "Some" | "Unknown";
}

/** Go: `AdditionalOptions` in additional_options.go (the `options` block of every component). */
export interface AdditionalOptions {
    /** Stops the operator applying these options (does NOT disable the component). */
    readonly disabled?: boolean;
    /** ConfigMap name → partial ConfigMap. */
    readonly configMaps?: Readonly<Record<string, ConfigMapOverride>>;
    /** Deployment name → partial Deployment. */
    readonly deployments?: Readonly<Record<string, WorkloadOverride>>;
    /** HPA name → partial autoscaling/v2 HorizontalPodAutoscaler (only the replica bounds are mirrored). */
    readonly horizontalPodAutoscalers?: Readonly<
        Record<string, { readonly spec?: { readonly minReplicas?: number; readonly maxReplicas?: number } }>
    >;
    /** StatefulSet name → partial StatefulSet. */
    readonly statefulSets?: Readonly<Record<string, WorkloadOverride>>;
    /** Webhook configuration name → options. */
    readonly webhookConfigurationOptions?: Readonly<Record<string, WebhookConfigurationOptions>>;
}

/**
 * Controller performance knobs. Go: `PerformanceProperties` (+ inlined `PerformanceLeaderElectionConfig`,
 * `PerformanceStatefulsetOrdinalsConfig`, `DeploymentPerformanceArgs`) in performance_types.go.
 */
export interface PerformanceProperties {
    /** Leader-election buckets; Go `*uint`, validated to 1..10 (performance_validation.go). */
    readonly buckets?: number;
    /** StatefulSet-ordinals mode; Go `*bool`. */
    readonly "statefulset-ordinals"?: boolean;
    /** Disables HA; Go `bool` without omitempty, so the typed CRD (≥ 0.80) lists it as required. */
    readonly "disable-ha"?: boolean;
    /** Work-queue workers; Go `*int`. */
    readonly "threads-per-controller"?: number;
    /** Client QPS; Go `*float32`. */
    readonly "kube-api-qps"?: number;
    /** Client burst; Go `*int`. */
    readonly "kube-api-burst"?: number;
    /** Replica count; Go `*int32`. */
    readonly replicas?: number;
}

/**
 * Go: `Pipeline` with inlined `PipelineProperties`, `OptionalPipelineProperties` and `Resolvers`
 * (tektonpipeline_types.go).
 */
export interface PipelineSpec {
    /** Go `*bool`. */
    readonly "enable-step-actions"?: boolean;
    /** Kept by the operator for API compatibility only (no effect since tektoncd/pipeline#7789): never set it. */
    readonly "enable-tekton-oci-bundles"?: boolean;
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
    /** Controller performance. */
    readonly performance?: PerformanceProperties;
    /** Component params. */
    readonly params?: ReadonlyArray<Param>;
    /** Manifest overrides. */
    readonly options?: AdditionalOptions;
}

/** Go: `Trigger` in tektontrigger_types.go. */
export interface TriggerSpec {
    /** Component switch (operator ≥ 0.77); Go `bool`, required by the typed CRD. */
    readonly disabled?: boolean;
    /** Manifest overrides. */
    readonly options?: AdditionalOptions;
}

/** Job-based pruner. Go: `Prune` in tektonconfig_types.go. */
export interface PruneSpec {
    /** Go `bool` (no omitempty), required by the typed CRD. */
    readonly disabled?: boolean;
}

/** Event-based pruner. Go: `Pruner` in tektonpruner_types.go (operator ≥ 0.76). */
export interface TektonPrunerSpec {
    /**
     * Go `*bool`, defaults to true (tektonpruner_defaults.go). The typed CRD also requires `global-config`,
     * which the operator's defaulting webhook fills when absent.
     */
    readonly disabled?: boolean;
    /** Manifest overrides. */
    readonly options?: AdditionalOptions;
}

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
    /** Go `string`. */
    readonly "artifacts.oci.format"?: string;
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
    /** Go `string`. */
    readonly "signers.x509.fulcio.provider"?: string;
    /** Go `string`. */
    readonly "signers.x509.identity.token.file"?: string;
    /** Go `string`. */
    readonly "signers.x509.tuf.mirror.url"?: string;
    /** Go `BoolValue` (a string type). */
    readonly "transparency.enabled"?: BoolValue;
    /** Go `string`. */
    readonly "transparency.url"?: string;
    /** Manifest overrides. */
    readonly options?: AdditionalOptions;
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
    /** Go `string`. */
    readonly logs_path?: string;
    /** S3 settings Secret (env for the `tekton-results-api` deployment's `api` container); Go `string`. */
    readonly secret_name?: string;
    /** Go `*bool`. */
    readonly auth_disable?: boolean;
    /** Go `*bool`. */
    readonly auth_impersonate?: boolean;
    /** Manifest overrides. */
    readonly options?: AdditionalOptions;
    /** Watcher performance. */
    readonly performance?: PerformanceProperties;
}

/** Go: `PipelinesAsCode` with inlined `PACSettings` (pipelinesascode.go, openshiftpipelinesascode_types.go). */
export interface PipelinesAsCodeSpec {
    /** Go `*bool`. */
    readonly enable?: boolean;
    /** The `pipelines-as-code` ConfigMap settings (string values only). */
    readonly settings?: Readonly<Record<string, string>>;
    /** Manifest overrides. */
    readonly options?: AdditionalOptions;
}

/** Go: `OpenShift` in openshift_platform.go. */
export interface OpenShiftPlatformSpec {
    /** Go `*PipelinesAsCode`. */
    readonly pipelinesAsCode?: PipelinesAsCodeSpec;
}

/** Go: `Platforms` in tektonconfig_types.go. */
export interface PlatformsSpec {
    /** OpenShift-specific components. */
    readonly openshift?: OpenShiftPlatformSpec;
}

/** Go: `TektonConfigSpec` (with inlined `CommonSpec`) in tektonconfig_types.go. */
export interface TektonConfigSpec {
    /** `lite`, `basic` or `all` (empty = `basic`). */
    readonly profile?: string;
    /** Namespace the operator installs components into (CommonSpec). */
    readonly targetNamespace?: string;
    /** Job-based pruner. */
    readonly pruner?: PruneSpec;
    /** Event-based pruner. */
    readonly tektonpruner?: TektonPrunerSpec;
    /** Tekton Pipelines. */
    readonly pipeline?: PipelineSpec;
    /** Tekton Triggers. */
    readonly trigger?: TriggerSpec;
    /** Tekton Chains. */
    readonly chain?: ChainSpec;
    /** Tekton Results. */
    readonly result?: ResultSpec;
    /** Params for all platforms (read by pkg/reconciler/openshift/tektonconfig/rbac.go). */
    readonly params?: ReadonlyArray<Param>;
    /** Platform-specific configuration. */
    readonly platforms?: PlatformsSpec;
}
