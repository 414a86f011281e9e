/**
 * Policies on the OpenShift Pipelines operator: TektonConfig components and the OLM catalog.
 *
 * Field names are those of tektoncd/operator `pkg/apis/operator/v1alpha1/tektonconfig_types.go`
 * (`pruner`, `tektonpruner`, `trigger`, `profile`), `tektontrigger_types.go` (`trigger.disabled`),
 * `tektonpruner_types.go` (`tektonpruner.disabled`, a *bool) and `const.go` (profiles lite/basic/all).
 */
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { asRecord, asString, tektonConfigForm, TYPES, type TektonConfigForm } from "./resource-facts";

/** The spec of a TektonConfig or TektonConfigPatch, or undefined for any other resource. */
function tektonConfigSpec(args: ResourceValidationArgs): { readonly spec: Record<string, unknown>; readonly form: TektonConfigForm } | undefined {
    const form = tektonConfigForm(args.type);
    if (form === undefined) {
        return undefined;
    }
    return { spec: asRecord(args.props.spec) ?? {}, form };
}

/**
 * The profile the operator applies: empty defaults to `basic` (`SetDefaults` in `tektonconfig_defaults.go`).
 * Triggers are installed for `all` and `basic` unless `trigger.disabled` (`pkg/reconciler/shared/tektonconfig/tektonconfig.go`).
 */
function effectiveProfile(spec: Record<string, unknown>): string {
    return asString(spec.profile) || "basic";
}

export const tektonTriggersDisabled: ResourceValidationPolicy = {
    name: "tekton-triggers-disabled",
    description:
        "Checks whether the TektonConfig keeps Tekton Triggers uninstalled (spec.trigger.disabled: true). " +
        "The seed: \"Tekton Triggers will be disabled entirely.\" Pipelines as Code receives webhooks instead.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const found = tektonConfigSpec(args);
        if (!found) {
            return;
        }
        const trigger = asRecord(found.spec.trigger);
        if (found.form === "patch") {
            // A patch owns only the fields it sets: judge it only when it touches the switch.
            if (trigger && "disabled" in trigger && trigger.disabled !== true) {
                reportViolation("This TektonConfig patch sets spec.trigger.disabled to something other than true; set it to true so Tekton Triggers stays uninstalled.");
            }
            return;
        }
        if (effectiveProfile(found.spec) !== "lite" && trigger?.disabled !== true) {
            reportViolation(
                "Tekton Triggers would be installed: set spec.trigger.disabled: true " +
                    "(the component switch directly under trigger; trigger.options.disabled or a misspelt key does not remove Triggers).",
            );
        }
    },
};

export const tektonPrunerDisabled: ResourceValidationPolicy = {
    name: "tekton-pruner-disabled",
    description:
        "Checks whether the operator's pruners stay off: spec.pruner.disabled: true and spec.tektonpruner absent or " +
        "disabled: true. The seed: \"The pruner (provided by the Pipelines operator) will be disabled in favor of pruning via Tekton Results.\"",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const found = tektonConfigSpec(args);
        if (!found) {
            return;
        }
        const pruner = asRecord(found.spec.pruner);
        const patch = found.form === "patch";
        if (patch ? pruner !== undefined && "disabled" in pruner && pruner.disabled !== true : pruner?.disabled !== true) {
            reportViolation("The operator's job-based pruner is enabled: set spec.pruner.disabled: true (pruning is left to Tekton Results).");
        }
        if ("tektonpruner" in found.spec) {
            const eventPruner = asRecord(found.spec.tektonpruner);
            if (eventPruner?.disabled !== true) {
                reportViolation("The operator's event-based pruner (spec.tektonpruner) is not disabled: remove spec.tektonpruner or set spec.tektonpruner.disabled: true.");
            }
        }
    },
};

export const tektonProfileWithoutTriggers: ResourceValidationPolicy = {
    name: "tekton-profile-without-triggers",
    description:
        "Checks whether a TektonConfig that disables Triggers avoids profile all. On OpenShift, profile all makes the operator's " +
        "PostReconcile (tektoncd/operator v0.77.1 pkg/reconciler/openshift/tektonconfig/extension.go:174-179) requeue until a " +
        "TektonAddon is Ready before it creates Pipelines-as-Code, and the addon (pkg/reconciler/openshift/tektonaddon/tektonaddon.go:119-128, " +
        "common.TriggerReady) waits for the TektonTrigger that trigger.disabled deletes: PaC never installs and the TektonConfig never turns Ready.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const found = tektonConfigSpec(args);
        if (!found || found.form === "patch" && !("profile" in found.spec)) {
            return;
        }
        if (asRecord(found.spec.trigger)?.disabled === true && effectiveProfile(found.spec) === "all") {
            reportViolation(
                "spec.profile is all while spec.trigger.disabled is true: the operator waits for a TektonAddon that waits for the " +
                    "deleted TektonTrigger, so Pipelines-as-Code is never installed and the TektonConfig never turns Ready. " +
                    "Set spec.profile: basic (Pipelines, Chains, Results and PaC do not depend on the profile).",
            );
        }
    },
};

/** A digest reference: `@sha256:` followed by 64 hex characters. */
const DIGEST_PINNED_IMAGE = /@sha256:[0-9a-f]{64}$/;

export const operatorCatalogPinned: ResourceValidationPolicy = {
    name: "operator-catalog-pinned",
    description:
        "Checks whether the operator CatalogSource image is pinned by @sha256: digest, so the operator build installed " +
        "on a cluster only changes through a reviewed change (the seed deploys a candidate build from a Red Hat build system).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.catalogSource) {
            return;
        }
        const spec = asRecord(args.props.spec) ?? {};
        if (spec.sourceType !== undefined && spec.sourceType !== "grpc") {
            return; // Only grpc catalogs run an image (configmap/internal catalogs have none).
        }
        const image = asString(spec.image);
        if (image === undefined || !DIGEST_PINNED_IMAGE.test(image)) {
            reportViolation(
                `CatalogSource image ${JSON.stringify(image ?? null)} is not pinned by digest: ` +
                    "use <registry>/<repository>@sha256:<64 hex digits> instead of a tag.",
            );
        }
    },
};

/** Config of `controllers-highly-available`. */
export interface HighAvailabilityConfig {
    /** Fewest replicas every controller runs (default 2). */
    readonly minimumReplicas: number;
}

/** Where each controller's replicas are in the TektonConfig spec (docs/operator-facts-v0.77.1.md §5). */
const CONTROLLER_REPLICAS: ReadonlyArray<{ readonly label: string; readonly path: readonly string[] }> = [
    { label: "Pipelines controller", path: ["pipeline", "performance", "replicas"] },
    { label: "Chains controller", path: ["chain", "performance", "replicas"] },
    ...["controller", "watcher", "webhook"].map((part) => ({
        label: `Pipelines-as-Code ${part}`,
        path: ["platforms", "openshift", "pipelinesAsCode", "options", "deployments", `pipelines-as-code-${part}`, "spec", "replicas"],
    })),
    ...["api", "watcher"].map((part) => ({
        label: `Results ${part}`,
        path: ["result", "options", "deployments", `tekton-results-${part}`, "spec", "replicas"],
    })),
];

export const controllersHighlyAvailable: ResourceValidationPolicy = {
    name: "controllers-highly-available",
    description:
        "Checks whether every controller the TektonConfig runs (Pipelines, Chains, the Pipelines-as-Code controller, watcher and " +
        "webhook, the Results API and watcher) has at least minimumReplicas (default 2) replicas, so losing one pod or node stops " +
        "nothing. Mandatory for production; the dev environment's policy config (policy/config/dev.json) makes it advisory.",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            minimumReplicas: { type: "integer", minimum: 1, maximum: 10, default: 2, description: "Fewest replicas of every controller." },
        },
    },
    validateResource: (args, reportViolation) => {
        if (tektonConfigForm(args.type) !== "object") {
            return;
        }
        const { minimumReplicas } = args.getConfig<HighAvailabilityConfig>();
        for (const { label, path } of CONTROLLER_REPLICAS) {
            const replicas = path.reduce<unknown>((node, key) => asRecord(node)?.[key], args.props.spec);
            if (typeof replicas !== "number" || replicas < minimumReplicas) {
                reportViolation(`The ${label} runs ${typeof replicas === "number" ? replicas : "the manifest's single"} replica(s): set spec.${path.join(".")} to at least ${minimumReplicas}.`);
            }
        }
    },
};

/** The policies of this area, in pack order. */
export const tektonPolicies: readonly ResourceValidationPolicy[] = [
    tektonTriggersDisabled, tektonPrunerDisabled, tektonProfileWithoutTriggers, operatorCatalogPinned, controllersHighlyAvailable,
];
