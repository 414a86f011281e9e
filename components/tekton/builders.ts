/**
 * Pure builder for what the TektonConfig `spec` says about the operator itself and Tekton Pipelines. The
 * capability blocks come from their owners (`chain` from chains/, `result` from results/, PaC settings from
 * pac/); the component puts them together. Key names follow tektoncd/operator `pkg/apis/operator/v1alpha1/`
 * (see types.ts beside this file).
 */
import type { OperatorLine } from "../../lib/operator-lines";
import type { TektonConfigSpec } from "./types";

/** The operator only reconciles a TektonConfig with this name (cluster-scoped). */
export const TEKTON_CONFIG_NAME = "config";

/** Controller performance tuning for Tekton Pipelines (`spec.pipeline.performance`); ranges are the config's. */
export interface PipelinePerformance {
    /** Work-queue workers per controller. */
    readonly threadsPerController: number;
    /** Kubernetes client QPS. */
    readonly kubeApiQps: number;
    /** Kubernetes client burst. */
    readonly kubeApiBurst: number;
    /** Leader-election buckets (the operator allows 1..10, performance_validation.go). */
    readonly buckets: number;
    /** Default run timeout (config-defaults `default-timeout-minutes`). */
    readonly defaultTimeoutMinutes: number;
    /** Go duration a step may wait in ImagePullBackOff (config-defaults `default-imagepullbackoff-timeout`). */
    readonly imagePullBackOffTimeout: string;
    /** feature-flags `enable-api-fields`. */
    readonly enableApiFields: "alpha" | "beta" | "stable";
    /** feature-flags `enable-param-enum`. */
    readonly enableParamEnum: boolean;
}

/** How many replicas the Pipelines controllers and the webhook run. */
export interface PipelineReplicas {
    /** The controller and the remote resolvers (`spec.pipeline.performance.replicas`, transform.go of tektonpipeline). */
    readonly controller: number;
    /** The webhook HPA's minimum. */
    readonly webhookMin: number;
}

/** The spec without its target namespace and the capability blocks. */
export type OperatorSpec = Omit<TektonConfigSpec, "targetNamespace" | "chain" | "result" | "platforms">;

/** Profile, params, both pruners and Triggers off, and the Pipelines settings RHTAP runs with, as `line` understands them. */
export function buildOperatorSpec(performance: PipelinePerformance, replicas: PipelineReplicas, line: OperatorLine): OperatorSpec {
    return {
        // Not `all`: with Triggers disabled it deadlocks the OpenShift operator. `all` makes PostReconcile
        // (tektoncd/operator v0.77.1 pkg/reconciler/openshift/tektonconfig/extension.go:174-179) wait for a Ready
        // TektonAddon, which waits for the TektonTrigger that trigger.disabled deletes (tektonaddon.go:119-128).
        // Pipelines, Chains, Results and PaC do not depend on the profile (shared/tektonconfig/tektonconfig.go:170-269,
        // openshift extension.go:186-196); see docs/operator-facts-v0.77.1.md §1.
        profile: "basic",
        // The operator would otherwise bind pipelines-scc to a `pipeline` SA in every namespace.
        params: [{ name: "createRbacResource", value: "false" }],
        // Pruning is done through Tekton Results; both the job-based and the event-based pruner stay off.
        pruner: { disabled: true },
        tektonpruner: { disabled: true },
        trigger: { disabled: true },
        // Said, not left to the webhook: it defaults `disabled` only when nil (v0.79.2 tektonscheduler_defaults.go:41-47),
        // and an enabled scheduler without Kueue holds back every component after it (docs/operator-facts-v0.79.2.md §2).
        // The pipeline block never carries disable-affinity-assistant, which 1.22 drops (line.droppedKeys).
        ...(line.scheduler ? { scheduler: { disabled: true, "multi-cluster-disabled": true } } : {}),
        pipeline: {
            "default-service-account": "appstudio-pipeline",
            "enable-bundles-resolver": true,
            "enable-cluster-resolver": true,
            "enable-git-resolver": true,
            "enable-hub-resolver": true,
            "enable-step-actions": true,
            // Flat keys of PipelineProperties/OptionalPipelineProperties (feature-flags, config-defaults).
            "enable-api-fields": performance.enableApiFields,
            "enable-param-enum": performance.enableParamEnum,
            "default-timeout-minutes": performance.defaultTimeoutMinutes,
            options: {
                // No flat key for it at v0.77.1 (docs/operator-facts-v0.77.1.md §5e): merged into config-defaults.
                configMaps: { "config-defaults": { data: { "default-imagepullbackoff-timeout": performance.imagePullBackOffTimeout } } },
                horizontalPodAutoscalers: { "tekton-pipelines-webhook": { spec: { minReplicas: replicas.webhookMin } } },
            },
            performance: {
                // Required by the typed CRD (Go bool without omitempty).
                "disable-ha": false,
                "threads-per-controller": performance.threadsPerController,
                "kube-api-qps": performance.kubeApiQps,
                "kube-api-burst": performance.kubeApiBurst,
                buckets: performance.buckets,
                replicas: replicas.controller,
            },
        },
    };
}
