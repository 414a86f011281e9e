/**
 * RBAC policies and the readers the Chains public-key policy shares.
 *
 * Shapes are Kubernetes rbac.authorization.k8s.io/v1: `rules[].{apiGroups,resources,verbs,resourceNames}`,
 * `subjects[].{kind,name}`, `roleRef.{kind,name}`, ClusterRole `aggregationRule`.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { APPSTUDIO_SCC_ROLE, asArray, asRecord, asString, identityOf, TYPES } from "./resource-facts";

/** Subjects that stand for "everyone": every authenticated user, every anonymous request. */
export const EVERYONE_GROUPS: readonly string[] = ["system:authenticated", "system:unauthenticated"];
/** The user anonymous requests run as. */
const ANONYMOUS_USER = "system:anonymous";

/** One PolicyRule of a Role or ClusterRole. */
export interface RbacRule {
    /** API groups (`""` is core). */
    readonly apiGroups: readonly string[];
    /** Resources, e.g. `secrets`. */
    readonly resources: readonly string[];
    /** Verbs, e.g. `get`. */
    readonly verbs: readonly string[];
    /** Names the rule is limited to; empty means every object. */
    readonly resourceNames: readonly string[];
    /** Non-resource URLs (ClusterRole only). */
    readonly nonResourceURLs: readonly string[];
}

function strings(value: unknown): string[] {
    return asArray(value).filter((v): v is string => typeof v === "string");
}

/** The rules of a Role or ClusterRole resource. */
export function rulesOf(role: PolicyResource): RbacRule[] {
    return asArray(role.props.rules).map((raw) => {
        const rule = asRecord(raw) ?? {};
        return {
            apiGroups: strings(rule.apiGroups),
            resources: strings(rule.resources),
            verbs: strings(rule.verbs),
            resourceNames: strings(rule.resourceNames),
            nonResourceURLs: strings(rule.nonResourceURLs),
        };
    });
}

/** Whether the rule grants `verb` on core `secrets` named `name` (wildcards included). */
export function ruleGrantsOnSecret(rule: RbacRule, verb: string, name: string): boolean {
    const coreGroup = rule.apiGroups.includes("") || rule.apiGroups.includes("*");
    const secrets = rule.resources.includes("secrets") || rule.resources.includes("*");
    const verbOk = rule.verbs.includes(verb) || rule.verbs.includes("*");
    const nameOk = rule.resourceNames.length === 0 || rule.resourceNames.includes(name);
    return coreGroup && secrets && verbOk && nameOk;
}

/**
 * Why a rule is more than read access to the one Secret `name`, or undefined when it is exactly that:
 * apiGroups [""], resources [secrets], verbs within get/list/watch, resourceNames exactly [name].
 */
export function ruleExceedsReadOf(rule: RbacRule, name: string): string | undefined {
    if (rule.nonResourceURLs.length > 0) {
        return `grants non-resource URLs ${rule.nonResourceURLs.join(",")}`;
    }
    if (rule.apiGroups.length !== 1 || rule.apiGroups[0] !== "") {
        return `applies to API groups [${rule.apiGroups.join(",")}], not only the core group`;
    }
    if (rule.resources.length !== 1 || rule.resources[0] !== "secrets") {
        return `grants on resources [${rule.resources.join(",")}], not only secrets`;
    }
    const extraVerbs = rule.verbs.filter((v) => !["get", "list", "watch"].includes(v));
    if (extraVerbs.length > 0) {
        return `grants verbs [${extraVerbs.join(",")}] beyond get/list/watch`;
    }
    if (rule.resourceNames.length !== 1 || rule.resourceNames[0] !== name) {
        return rule.resourceNames.length === 0
            ? "grants on every Secret (no resourceNames)"
            : `grants on Secrets [${rule.resourceNames.join(",")}], not only ${name}`;
    }
    return undefined;
}

/** Whether a binding subject stands for every authenticated or anonymous caller. */
export function isEveryoneSubject(subject: unknown): boolean {
    const s = asRecord(subject) ?? {};
    return (s.kind === "Group" && EVERYONE_GROUPS.includes(asString(s.name) ?? "")) || (s.kind === "User" && s.name === ANONYMOUS_USER);
}

/** Whether a resource is a RoleBinding or ClusterRoleBinding. */
export function isBinding(resource: PolicyResource): boolean {
    return resource.type === TYPES.roleBinding || resource.type === TYPES.clusterRoleBinding;
}

/** The role a binding refers to, looked up among the stack's Roles and ClusterRoles (undefined if not in the stack). */
export function boundRole(binding: PolicyResource, resources: readonly PolicyResource[]): PolicyResource | undefined {
    const roleRef = asRecord(binding.props.roleRef) ?? {};
    const name = asString(roleRef.name);
    if (roleRef.kind === "ClusterRole") {
        return resources.find((r) => r.type === TYPES.clusterRole && identityOf(r.props).name === name);
    }
    if (roleRef.kind === "Role") {
        const namespace = identityOf(binding.props).namespace;
        return resources.find((r) => r.type === TYPES.role && identityOf(r.props).name === name && identityOf(r.props).namespace === namespace);
    }
    return undefined;
}

export const appstudioPipelinesSccUnbound: StackValidationPolicy = {
    name: "appstudio-pipelines-scc-unbound",
    description:
        "Checks whether no RoleBinding or ClusterRoleBinding in the stack references the appstudio-pipelines-scc role. " +
        "The seed: \"The Pipeline Service component creates the appstudio-pipelines-scc ClusterRole, but does not bind this role " +
        "to any service account\" (the platform binds it per tenant).",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const binding of args.resources.filter(isBinding)) {
            const roleRef = asRecord(binding.props.roleRef) ?? {};
            if (roleRef.name === APPSTUDIO_SCC_ROLE) {
                const id = identityOf(binding.props);
                reportViolation(
                    `${binding.type.endsWith(":ClusterRoleBinding") ? "ClusterRoleBinding" : "RoleBinding"} ${id.name ?? binding.name} binds ` +
                        `${APPSTUDIO_SCC_ROLE}: remove the binding; this stack only creates the role, tenants' bindings come from the platform.`,
                    binding.urn,
                );
            }
        }
    },
};

/** The policies of this area, in pack order. */
export const rbacPolicies: readonly StackValidationPolicy[] = [appstudioPipelinesSccUnbound];
