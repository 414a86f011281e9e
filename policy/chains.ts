/**
 * Policies on Tekton Chains: the cluster's signing key must survive every change, and its public half must be
 * readable by every authenticated user (and nothing else must be).
 *
 * Facts: the operator deletes `signing-secrets` with the Chains component (`chain.disabled`, a profile without
 * Chains, a changed target namespace) and may regenerate it with `generateSigningSecret`
 * (tektoncd/operator `pkg/apis/operator/v1alpha1/tektonchain_types.go`: `Disabled bool json:"disabled"`,
 * `GenerateSigningSecret bool json:"generateSigningSecret"`; Chains is installed only for profiles all/basic in
 * `pkg/reconciler/shared/tektonconfig/tektonconfig.go`). The product uses profile `all`.
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { boundRole, isBinding, isEveryoneSubject, ruleExceedsReadOf, ruleGrantsOnSecret, rulesOf } from "./rbac";
import {
    asArray,
    asRecord,
    describe,
    identityOf,
    isDynamicResourceType,
    isKeylessChains,
    isNamedObject,
    PIPELINES_NAMESPACE,
    PUBLIC_KEY_SECRET_NAME,
    SIGNING_SECRET_NAME,
    stackUsesKeylessChains,
    tektonConfigForm,
    TYPES,
} from "./resource-facts";

export const chainsStaysEnabled: ResourceValidationPolicy = {
    name: "chains-stays-enabled",
    description:
        "Checks whether, in key mode, the TektonConfig keeps Chains installed: chain.disabled not true and " +
        "targetNamespace openshift-pipelines (Chains is gated by chain.disabled alone, for every profile). Otherwise the operator deletes signing-secrets with the Chains component and the " +
        "cluster's long-lived signing key is gone (the seed: rotating it \"invalidates any artifact that was built using that secret\").",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const form = tektonConfigForm(args.type);
        if (form === undefined) {
            return;
        }
        const spec = asRecord(args.props.spec) ?? {};
        if (isKeylessChains(spec)) {
            return; // Keyless signing holds no key the operator could delete.
        }
        const chain = asRecord(spec.chain);
        if (chain?.disabled === true) {
            reportViolation("spec.chain.disabled is true: the operator would delete signing-secrets. Remove it or set it to false.");
        }
        if ("targetNamespace" in spec && spec.targetNamespace !== PIPELINES_NAMESPACE) {
            reportViolation(
                `spec.targetNamespace is ${JSON.stringify(spec.targetNamespace)}: keep it ${PIPELINES_NAMESPACE}, ` +
                    "where signing-secrets lives; changing it makes the operator delete the key.",
            );
        }
    },
};

/** Whether `ignoreChanges` covers the property `field` (exactly, or by the `*` wildcard). */
function ignoresChangesTo(ignoreChanges: readonly string[], field: string): boolean {
    return ignoreChanges.some((path) => path === field || path === "*");
}

/** Checks the resource options every holder of the signing key needs; reports each gap. */
function checkKeyHolderOptions(resource: PolicyResource, label: string, report: (message: string) => void): void {
    if (resource.opts.protect !== true) {
        report(`${label} is not protected: set the resource option protect: true so no update or destroy can delete the signing key.`);
    }
    if (resource.opts.deleteBeforeReplace === true) {
        report(`${label} sets deleteBeforeReplace: remove it; a replacement must never delete the existing key first.`);
    }
}

export const chainsSigningKeyProtected: StackValidationPolicy = {
    name: "chains-signing-key-protected",
    description:
        "Checks whether, in key mode, the resources holding the Chains signing key (Secret signing-secrets in openshift-pipelines, " +
        "and any Node.js dynamic resource (pulumi-nodejs:dynamic…) whose name or type mentions \"cosign\") are protected and cannot be " +
        "replaced silently (immutable Secret, ignoreChanges on data/stringData, no deleteBeforeReplace, no operator-generated key). " +
        "The seed: the signing secret \"is a long lived secret. Rotating the secret is extremely disruptive\". " +
        "retainOnDelete never reaches a policy (AnalyzerResourceOptions lack it): render-invariants.ts checks it over the render.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const resources = args.resources;
        if (stackUsesKeylessChains(resources)) {
            args.notApplicable("Chains signs keyless (signers.x509.fulcio.enabled): there is no signing key to protect.");
        }
        const secrets = resources.filter((r) => isNamedObject(r, TYPES.secret, SIGNING_SECRET_NAME, PIPELINES_NAMESPACE));
        // The key pair's own resource: a dynamic resource whose name or type token mentions cosign.
        const keyHolders = resources.filter((r) => isDynamicResourceType(r.type) && `${r.type} ${r.name}`.toLowerCase().includes("cosign"));
        if (secrets.length === 0 && keyHolders.length > 0) {
            reportViolation(
                `No Secret ${SIGNING_SECRET_NAME} in ${PIPELINES_NAMESPACE}, though the stack generates a cosign key: the program must ` +
                    "write it there (protected, immutable) before the TektonConfig installs Chains.",
            );
        }
        // Neither a key pair nor the Secret: the cluster's existing key is adopted and managed outside this stack.
        for (const secret of secrets) {
            const label = describe(secret);
            const report = (message: string): void => reportViolation(message, secret.urn);
            checkKeyHolderOptions(secret, label, report);
            if (secret.props.immutable !== true) {
                report(`${label} is not immutable: set immutable: true so its key data can never be rewritten in place.`);
            }
            const missing = ["data", "stringData"].filter((field) => !ignoresChangesTo(secret.opts.ignoreChanges, field));
            if (missing.length > 0) {
                report(`${label} does not ignore changes to ${missing.join(" and ")}: add them to ignoreChanges so a changed key input never replaces the Secret.`);
            }
        }
        for (const holder of keyHolders) {
            checkKeyHolderOptions(holder, `Dynamic resource ${holder.name}`, (message) => reportViolation(message, holder.urn));
        }
        for (const config of resources.filter((r) => tektonConfigForm(r.type) !== undefined)) {
            const chain = asRecord(asRecord(config.props.spec)?.chain);
            if (chain?.generateSigningSecret === true) {
                reportViolation(
                    "spec.chain.generateSigningSecret is true: set it to false; this program owns the key and the operator " +
                        "could otherwise generate or overwrite signing-secrets.",
                    config.urn,
                );
            }
        }
    },
};

/** Whether a binding's scope covers the public-key Secret: cluster-wide, or a RoleBinding in the pipelines namespace. */
function bindingCoversPipelinesNamespace(binding: PolicyResource): boolean {
    return binding.type === TYPES.clusterRoleBinding || identityOf(binding.props).namespace === PIPELINES_NAMESPACE;
}

export const chainsPublicKeyReadableByAuthenticated: StackValidationPolicy = {
    name: "chains-public-key-readable-by-authenticated",
    description:
        "Checks whether, in key mode, Secret public-key exists in openshift-pipelines and Group system:authenticated may get it, " +
        "and whether every role bound to system:authenticated or system:unauthenticated grants nothing but get/list/watch on " +
        "secrets [public-key]. The seed: the public key \"is readable by all authenticated users to allow them to verify signed " +
        "artifacts\"; the private signing-secrets must never become readable.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const resources = args.resources;
        const bindings = resources.filter(isBinding);
        if (!stackUsesKeylessChains(resources)) {
            if (!resources.some((r) => isNamedObject(r, TYPES.secret, PUBLIC_KEY_SECRET_NAME, PIPELINES_NAMESPACE))) {
                reportViolation(`No Secret ${PUBLIC_KEY_SECRET_NAME} in ${PIPELINES_NAMESPACE}: create it with the cosign public key (key cosign.pub) so users can verify signatures.`);
            }
            const readable = bindings.some((binding) => {
                const toAuthenticated = asArray(binding.props.subjects).some((s) => {
                    const subject = asRecord(s) ?? {};
                    return subject.kind === "Group" && subject.name === "system:authenticated";
                });
                const role = boundRole(binding, resources);
                return (
                    toAuthenticated &&
                    bindingCoversPipelinesNamespace(binding) &&
                    role !== undefined &&
                    rulesOf(role).some((rule) => ruleGrantsOnSecret(rule, "get", PUBLIC_KEY_SECRET_NAME))
                );
            });
            if (!readable) {
                reportViolation(
                    `Nothing lets Group system:authenticated get Secret ${PUBLIC_KEY_SECRET_NAME}: bind it (RoleBinding in ${PIPELINES_NAMESPACE}) ` +
                        `to a role with a rule for secrets, resourceNames [${PUBLIC_KEY_SECRET_NAME}], verbs get/list/watch.`,
                );
            }
        }
        for (const binding of bindings) {
            if (!asArray(binding.props.subjects).some(isEveryoneSubject)) {
                continue;
            }
            const roleRef = asRecord(binding.props.roleRef) ?? {};
            const role = boundRole(binding, resources);
            const bindingLabel = describe(binding);
            if (role === undefined) {
                reportViolation(
                    `${bindingLabel} binds every user to ${String(roleRef.kind)} ${String(roleRef.name)}, which this stack does not define, ` +
                        `so it cannot be shown to grant only read on ${PUBLIC_KEY_SECRET_NAME}: bind a role of this stack instead.`,
                    binding.urn,
                );
                continue;
            }
            if (asRecord(role.props.aggregationRule) !== undefined) {
                reportViolation(`${bindingLabel} binds every user to aggregated ${describe(role)}, whose rules come from elsewhere: bind a role with explicit rules.`, binding.urn);
            }
            rulesOf(role).forEach((rule, index) => {
                const excess = ruleExceedsReadOf(rule, PUBLIC_KEY_SECRET_NAME);
                if (excess !== undefined) {
                    reportViolation(
                        `${bindingLabel} binds every user to ${describe(role)}, whose rule ${index} ${excess}: ` +
                            `limit it to apiGroups [""], resources [secrets], resourceNames [${PUBLIC_KEY_SECRET_NAME}], verbs get/list/watch.`,
                        binding.urn,
                    );
                }
            });
        }
    },
};

/** The policies of this area, in pack order. */
export const chainsPolicies: readonly (ResourceValidationPolicy | StackValidationPolicy)[] = [
    chainsPublicKeyReadableByAuthenticated,
    chainsSigningKeyProtected,
    chainsStaysEnabled,
];
