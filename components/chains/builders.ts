/**
 * Pure manifests for Tekton Chains signing: the `signing-secrets` key Secret, the `public-key` Secret and
 * the RBAC that lets every authenticated user read the public key (after
 * openshift-pipelines/pipeline-service operator/gitops/argocd/pipeline-service/tekton-chains).
 */
import type * as k8sInput from "@pulumi/kubernetes/types/input";
import type * as pulumi from "@pulumi/pulumi";
import { kubernetesLabels } from "../shared/labels";
import type { ChainSpec } from "../tekton/types";

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
export function buildSigningSecret(namespace: pulumi.Input<string>, key: CosignKeyMaterial): k8sInput.core.v1.Secret {
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
export function buildPublicKeySecret(namespace: pulumi.Input<string>, publicKey: pulumi.Input<string>): k8sInput.core.v1.Secret {
    return {
        metadata: { name: PUBLIC_KEY_SECRET_NAME, namespace, labels: kubernetesLabels("chains-signing") },
        type: "Opaque",
        stringData: { [COSIGN_KEYS.publicKey]: publicKey },
    };
}

/** Read access to the `public-key` Secret and nothing else. */
export function buildPublicKeyViewerRole(): k8sInput.rbac.v1.ClusterRole {
    return {
        metadata: { name: PUBLIC_KEY_VIEWER_NAME, labels: kubernetesLabels("chains-signing") },
        rules: [{ apiGroups: [""], resources: ["secrets"], resourceNames: [PUBLIC_KEY_SECRET_NAME], verbs: ["get", "list", "watch"] }],
    };
}

/** Grants that role to every authenticated user, in the namespace of the Secret only. */
export function buildPublicKeyViewerBinding(namespace: pulumi.Input<string>, roleName: pulumi.Input<string>): k8sInput.rbac.v1.RoleBinding {
    return {
        metadata: { name: PUBLIC_KEY_VIEWER_NAME, namespace, labels: kubernetesLabels("chains-signing") },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: roleName },
        subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: AUTHENTICATED_GROUP }],
    };
}

/**
 * How this cluster signs, decided once from config:
 * - `generated-key`: a cosign key pair unique to the cluster, generated and kept by this program;
 * - `adopted-key`: the cluster's existing `signing-secrets`, left unmanaged; only its public key is published;
 * - `keyless`: Fulcio certificates (x509 signer) with every signature in the Rekor transparency log.
 */
export type SigningSettings =
    | {
        readonly mode: "generated-key";
        /** Rekor URL to upload signatures to; absent: no transparency log. */
        readonly transparencyLogUrl?: string;
        /** Change deliberately to generate a new key pair (see docs/chains-signing-key.md, "Rotating the signing key"). */
        readonly rotationTrigger?: string;
    }
    | {
        readonly mode: "adopted-key";
        /** Rekor URL to upload signatures to; absent: no transparency log. */
        readonly transparencyLogUrl?: string;
        /** The adopted key's `cosign.pub` (PEM). */
        readonly publicKey: string;
    }
    | {
        readonly mode: "keyless";
        /** Rekor URL: short-lived Fulcio certificates are only verifiable later through the Rekor entry. */
        readonly transparencyLogUrl: string;
        /** Fulcio CA URL (`signers.x509.fulcio.address`). */
        readonly fulcioUrl: string;
        /** OIDC issuer Fulcio trusts (`signers.x509.fulcio.issuer`). */
        readonly fulcioOidcIssuer: string;
    };

/** The Chains controller: replicas (`spec.chain.performance`, tektonchain/transform.go:50) and attestation depth. */
export interface ChainsController {
    readonly replicas: number;
    /** Attest what a PipelineRun's TaskRuns produced, not only its own results. */
    readonly deepInspection: boolean;
}

/**
 * `spec.chain` of the TektonConfig: in-toto attestations for TaskRuns and PipelineRuns, OCI storage, and the
 * signer that {@link SigningSettings} chose. Keys are the flat dotted JSON keys of the operator's
 * `ChainProperties` (see tekton/types.ts).
 */
export function buildChainSpec(signing: SigningSettings, controller: ChainsController): ChainSpec {
    const common: ChainSpec = {
        disabled: false,
        "artifacts.pipelinerun.enable-deep-inspection": controller.deepInspection ? "true" : "false",
        // disable-ha: a Go bool without omitempty, which the typed CRD requires (as for the Pipelines controller).
        performance: { "disable-ha": false, replicas: controller.replicas },
        // This program owns the cosign key pair; true would let the operator overwrite/empty signing-secrets.
        generateSigningSecret: false,
        "artifacts.taskrun.format": "in-toto",
        "artifacts.taskrun.storage": "",
        "artifacts.oci.storage": "oci",
        "artifacts.pipelinerun.format": "in-toto",
        "artifacts.pipelinerun.storage": "oci",
    };
    if (signing.mode !== "keyless") {
        return signing.transparencyLogUrl === undefined
            ? { ...common, "transparency.enabled": "false" }
            : { ...common, "transparency.enabled": "true", "transparency.url": signing.transparencyLogUrl };
    }
    return {
        ...common,
        "artifacts.taskrun.signer": "x509",
        "artifacts.pipelinerun.signer": "x509",
        "artifacts.oci.signer": "x509",
        "signers.x509.fulcio.enabled": true,
        "signers.x509.fulcio.address": signing.fulcioUrl,
        "signers.x509.fulcio.issuer": signing.fulcioOidcIssuer,
        "transparency.enabled": "true",
        "transparency.url": signing.transparencyLogUrl,
    };
}
