/**
 * Pure manifests for Tekton Chains signing: the `signing-secrets` key Secret, the `public-key` Secret and
 * the RBAC that lets every authenticated user read the public key (after
 * openshift-pipelines/pipeline-service operator/gitops/argocd/pipeline-service/tekton-chains).
 */
import type * as k8s from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import { kubernetesLabels } from "../shared/labels";

export const SIGNING_SECRET_NAME = "signing-secrets";
export const PUBLIC_KEY_SECRET_NAME = "public-key";
export const PUBLIC_KEY_VIEWER_NAME = "tekton-chains-public-key-viewer";
export const AUTHENTICATED_GROUP = "system:authenticated";
/** Keys cosign writes and Chains reads (cosign pkg/cosign/kubernetes/secret.go). */
export const COSIGN_KEYS = { privateKey: "cosign.key", password: "cosign.password", publicKey: "cosign.pub" } as const;

/** Key material, as plain strings or Pulumi outputs. */
export interface CosignKeyMaterial {
    readonly privateKey: pulumi.Input<string>;
    readonly password: pulumi.Input<string>;
    readonly publicKey: pulumi.Input<string>;
}

/**
 * `signing-secrets`: immutable, and without an owner reference of ours (the operator adds its installer
 * set as controller; a second controller reference would be refused).
 */
export function buildSigningSecret(namespace: pulumi.Input<string>, key: CosignKeyMaterial): k8s.types.input.core.v1.Secret {
    return {
        metadata: { name: SIGNING_SECRET_NAME, namespace, labels: kubernetesLabels("chains-signing") },
        type: "Opaque",
        immutable: true,
        stringData: {
            [COSIGN_KEYS.privateKey]: key.privateKey,
            [COSIGN_KEYS.password]: key.password,
            [COSIGN_KEYS.publicKey]: key.publicKey,
        },
    };
}

/** `public-key`: the cosign public key only, for anyone verifying signed artifacts. */
export function buildPublicKeySecret(namespace: pulumi.Input<string>, publicKey: pulumi.Input<string>): k8s.types.input.core.v1.Secret {
    return {
        metadata: { name: PUBLIC_KEY_SECRET_NAME, namespace, labels: kubernetesLabels("chains-signing") },
        type: "Opaque",
        stringData: { [COSIGN_KEYS.publicKey]: publicKey },
    };
}

/** Read access to the `public-key` Secret and nothing else. */
export function buildPublicKeyViewerRole(): k8s.types.input.rbac.v1.ClusterRole {
    return {
        metadata: { name: PUBLIC_KEY_VIEWER_NAME, labels: kubernetesLabels("chains-signing") },
        rules: [{ apiGroups: [""], resources: ["secrets"], resourceNames: [PUBLIC_KEY_SECRET_NAME], verbs: ["get", "list", "watch"] }],
    };
}

/** Grants that role to every authenticated user, in the namespace of the Secret only. */
export function buildPublicKeyViewerBinding(namespace: pulumi.Input<string>, roleName: pulumi.Input<string>): k8s.types.input.rbac.v1.RoleBinding {
    return {
        metadata: { name: PUBLIC_KEY_VIEWER_NAME, namespace, labels: kubernetesLabels("chains-signing") },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: roleName },
        subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: AUTHENTICATED_GROUP }],
    };
}
