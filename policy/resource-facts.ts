/**
 * Facts the policies share: type tokens, well-known names and small readers for the shapes the
 * policies judge. Policies never import `components/`: they judge what was registered.
 *
 * Kubernetes custom resources are matched by type token, never with `isType`: a
 * `k8s.apiextensions.CustomResource` has no `__pulumiType`, so `isType` cannot match it.
 */
import type { PolicyResource } from "@pulumi/policy";

/** Type tokens of the resources the pack judges (`kubernetes:<apiVersion>:<Kind>`, `aws:<module>/<res>:<Res>`). */
export const TYPES = {
    tektonConfig: "kubernetes:operator.tekton.dev/v1alpha1:TektonConfig",
    tektonConfigPatch: "kubernetes:operator.tekton.dev/v1alpha1:TektonConfigPatch",
    catalogSource: "kubernetes:operators.coreos.com/v1alpha1:CatalogSource",
    secret: "kubernetes:core/v1:Secret",
    secretPatch: "kubernetes:core/v1:SecretPatch",
    configMap: "kubernetes:core/v1:ConfigMap",
    clusterRole: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
    role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
    roleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    clusterRoleBinding: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    externalSecret: "kubernetes:external-secrets.io/v1:ExternalSecret",
    prometheusRule: "kubernetes:monitoring.coreos.com/v1:PrometheusRule",
    rdsInstance: "aws:rds/instance:Instance",
    rdsParameterGroup: "aws:rds/parameterGroup:ParameterGroup",
    bucket: "aws:s3/bucket:Bucket",
    bucketPublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    bucketEncryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    bucketLifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    dynamicResource: "pulumi-nodejs:dynamic:Resource",
} as const;

/**
 * Whether a type token is a Node.js dynamic resource: `pulumi-nodejs:dynamic:Resource`, or
 * `pulumi-nodejs:dynamic/<module>:<Name>` when the class passes a module and type name (@pulumi/pulumi ≥ 3.150).
 */
export function isDynamicResourceType(type: string): boolean {
    return type === TYPES.dynamicResource || type.startsWith("pulumi-nodejs:dynamic/");
}

/** The TektonConfig's target namespace, where Chains keeps `signing-secrets` and `public-key`. */
export const PIPELINES_NAMESPACE = "openshift-pipelines";
/** The Secret Chains signs with (tektoncd/chains `config/100-deployment.yaml`). */
export const SIGNING_SECRET_NAME = "signing-secrets";
/** The Secret holding the cosign public key that every authenticated user may read (seed: "Signing Secret"). */
export const PUBLIC_KEY_SECRET_NAME = "public-key";
/** The ClusterRole the seed says is created but never bound. */
export const APPSTUDIO_SCC_ROLE = "appstudio-pipelines-scc";
/** Chains key for keyless signing (tektoncd/operator `pkg/apis/operator/v1alpha1/tektonchain_types.go`). */
export const FULCIO_ENABLED_KEY = "signers.x509.fulcio.enabled";

/** A plain JSON object, or undefined for anything else. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
    return typeof value === "object" && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
}

/** An array, or an empty array for anything else. */
export function asArray(value: unknown): readonly unknown[] {
    return Array.isArray(value) ? value : [];
}

/** A string, or undefined for anything else. */
export function asString(value: unknown): string | undefined {
    return typeof value === "string" ? value : undefined;
}

/** `true` for a boolean true or the string "true" (Kubernetes string-typed flags). */
export function isTrue(value: unknown): boolean {
    return value === true || value === "true";
}

/** Name and namespace of a Kubernetes manifest (`metadata.name`, `metadata.namespace`). */
export interface ObjectIdentity {
    /** `metadata.name`, if set. */
    readonly name?: string;
    /** `metadata.namespace`, if set. */
    readonly namespace?: string;
}

/** Reads `metadata.name` / `metadata.namespace` from Kubernetes props. */
export function identityOf(props: Record<string, unknown>): ObjectIdentity {
    const metadata = asRecord(props.metadata) ?? {};
    return { name: asString(metadata.name), namespace: asString(metadata.namespace) };
}

/** Whether a resource is the Kubernetes object `kind`-token with the given name and namespace. */
export function isNamedObject(resource: PolicyResource, type: string, name: string, namespace?: string): boolean {
    if (resource.type !== type) {
        return false;
    }
    const id = identityOf(resource.props);
    return id.name === name && (namespace === undefined || id.namespace === namespace);
}

/** Resources of one type token. */
export function resourcesOfType(resources: readonly PolicyResource[], type: string): PolicyResource[] {
    return resources.filter((r) => r.type === type);
}

/** How a TektonConfig-shaped resource is applied: a whole object, or a server-side-apply patch. */
export type TektonConfigForm = "object" | "patch";

/** Whether the type token is a TektonConfig (`object`) or a TektonConfigPatch (`patch`). */
export function tektonConfigForm(type: string): TektonConfigForm | undefined {
    if (type === TYPES.tektonConfig) {
        return "object";
    }
    return type === TYPES.tektonConfigPatch ? "patch" : undefined;
}

/**
 * Whether the TektonConfig spec configures keyless Chains signing (`spec.chain["signers.x509.fulcio.enabled"]`
 * true): then no cosign key exists and the key-mode invariants do not apply. The key is a flat dotted JSON key
 * (struct `Chain` in tektoncd/operator `pkg/apis/operator/v1alpha1/tektonchain_types.go`).
 */
export function isKeylessChains(spec: Record<string, unknown>): boolean {
    const chain = asRecord(spec.chain);
    return chain !== undefined && isTrue(chain[FULCIO_ENABLED_KEY]);
}

/** Whether any TektonConfig (or patch) in the stack turns keyless signing on. */
export function stackUsesKeylessChains(resources: readonly PolicyResource[]): boolean {
    return resources.some((r) => tektonConfigForm(r.type) !== undefined && isKeylessChains(asRecord(r.props.spec) ?? {}));
}

/** A short, stable label for messages: `Kind namespace/name` for Kubernetes, else the Pulumi name. */
export function describe(resource: { readonly type: string; readonly name: string; readonly props: Record<string, unknown> }): string {
    if (resource.type.startsWith("kubernetes:")) {
        const kind = resource.type.slice(resource.type.lastIndexOf(":") + 1);
        const id = identityOf(resource.props);
        const name = id.name ?? resource.name;
        return id.namespace ? `${kind} ${id.namespace}/${name}` : `${kind} ${name}`;
    }
    return `${resource.type.slice(resource.type.lastIndexOf(":") + 1)} ${resource.name}`;
}

/**
 * Resources of `type` that `resource` is linked to: through recorded dependencies when it depends on any resource
 * of that type (companion resources reference ids that are unknown before apply), otherwise through `byName`.
 * Reading a companion's `bucket`/`parameterGroupName` only when no dependency links it keeps a policy from
 * touching an unknown value when the link is already known.
 */
export function linkedResources(
    resource: PolicyResource,
    candidates: readonly PolicyResource[],
    byName: (candidate: PolicyResource) => boolean,
): PolicyResource[] {
    const candidateUrns = new Set(candidates.map((c) => c.urn));
    const viaDependencies = resource.dependencies.filter((d) => candidateUrns.has(d.urn));
    if (viaDependencies.length > 0) {
        return candidates.filter((c) => viaDependencies.some((d) => d.urn === c.urn));
    }
    return candidates.filter(byName);
}
