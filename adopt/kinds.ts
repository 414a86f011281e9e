/**
 * The Kubernetes kinds the program creates, as `oc get` names them, and the one command that dumps them from a
 * cluster for `npm run adopt`. A test holds this table equal to the Kubernetes types the renders register (every
 * variant of a stack: exporter on and off, key and keyless signing), so the dump covers exactly what the program
 * manages.
 */

/** One Kubernetes kind the program creates. */
export interface KubernetesKind {
    /** The render's type token, `kubernetes:<group>/<version>:<Kind>` (`core` for the core group). */
    readonly type: string;
    /** The resource's plural name (lower case), as the API serves it. */
    readonly plural: string;
}

/** Every Kubernetes kind some render of the program creates, by type token. */
export const KUBERNETES_KINDS: readonly KubernetesKind[] = [
    { type: "kubernetes:apps/v1:Deployment", plural: "deployments" },
    { type: "kubernetes:core/v1:ConfigMap", plural: "configmaps" },
    { type: "kubernetes:core/v1:Namespace", plural: "namespaces" },
    { type: "kubernetes:core/v1:Secret", plural: "secrets" },
    { type: "kubernetes:core/v1:Service", plural: "services" },
    { type: "kubernetes:core/v1:ServiceAccount", plural: "serviceaccounts" },
    { type: "kubernetes:external-secrets.io/v1:ExternalSecret", plural: "externalsecrets" },
    { type: "kubernetes:external-secrets.io/v1:SecretStore", plural: "secretstores" },
    { type: "kubernetes:monitoring.coreos.com/v1:PrometheusRule", plural: "prometheusrules" },
    { type: "kubernetes:monitoring.coreos.com/v1:ServiceMonitor", plural: "servicemonitors" },
    { type: "kubernetes:networking.k8s.io/v1:Ingress", plural: "ingresses" },
    { type: "kubernetes:operator.tekton.dev/v1alpha1:TektonConfig", plural: "tektonconfigs" },
    { type: "kubernetes:operators.coreos.com/v1alpha1:CatalogSource", plural: "catalogsources" },
    { type: "kubernetes:operators.coreos.com/v1alpha1:Subscription", plural: "subscriptions" },
    { type: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", plural: "clusterroles" },
    { type: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding", plural: "clusterrolebindings" },
    { type: "kubernetes:rbac.authorization.k8s.io/v1:Role", plural: "roles" },
    { type: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", plural: "rolebindings" },
    { type: "kubernetes:security.openshift.io/v1:SecurityContextConstraints", plural: "securitycontextconstraints" },
];

/** A kind without its version: what a live object and a rendered one are matched on (`operators.coreos.com/Subscription`). */
export type GroupKind = string;

/** The group of a type token or an apiVersion: `core` for the core group (apiVersion `v1`). */
function groupOfApiVersion(apiVersion: string): string {
    return apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "core";
}

/** `operators.coreos.com/Subscription` from an object's apiVersion and kind. */
export function groupKindOf(apiVersion: string, kind: string): GroupKind {
    return `${groupOfApiVersion(apiVersion)}/${kind}`;
}

/** The group/kind of a render type token `kubernetes:<group>/<version>:<Kind>`, or undefined for any other type. */
export function groupKindOfType(type: string): GroupKind | undefined {
    const match = /^kubernetes:([^/:]+)\/[^/:]+:([A-Za-z0-9]+)$/.exec(type);
    return match === null ? undefined : `${match[1]}/${match[2]}`;
}

/** Whether a render type token is a Kubernetes object (not the provider, which is `pulumi:providers:kubernetes`). */
export function isKubernetesType(type: string): boolean {
    return groupKindOfType(type) !== undefined;
}

/** `plural.group` as `oc get` takes it unambiguously (`subscriptions.operators.coreos.com`; core kinds bare). */
export function ocResourceName(kind: KubernetesKind): string {
    const group = (groupKindOfType(kind.type) ?? "").split("/")[0];
    return group === "core" ? kind.plural : `${kind.plural}.${group}`;
}

/**
 * A jq filter for the dump: every Secret's values replaced by `(removed)` (empty ones stay empty), except `cosign.pub`
 * (a public key, compared with `chains.existingPublicKey`), and its `last-applied-configuration` annotation (which
 * holds the values in clear) dropped. `npm run adopt` reads which keys a Secret holds, never their values.
 */
export const SECRET_SCRUB_FILTER = '.items |= map(if .kind == "Secret" then '
    + '(.data |= (if . == null then . else with_entries(if .key == "cosign.pub" or .value == "" then . else .value = "(removed)" end) end)) '
    + '| del(.metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"]) else . end)';

/** The `oc get` that dumps every object of the kinds the program manages, cluster-wide, as one `kind: List`. */
export function ocGetCommand(): string {
    const resources = KUBERNETES_KINDS.map(ocResourceName).sort();
    return `oc get ${resources.join(",")} -A -o json`;
}

/** The documented dump: {@link ocGetCommand} piped through {@link SECRET_SCRUB_FILTER} into `file`. */
export function liveDumpCommand(file: string): string {
    return `${ocGetCommand()} \\\n  | jq '${SECRET_SCRUB_FILTER}' > ${file}`;
}
