/**
 * `ChainsSigning`: the cluster's Tekton Chains signing key and its public half.
 *
 * "The signing secret is unique to each cluster, and is a long lived secret. Rotating the secret is extremely
 * disruptive, as it invalidates any artifact that was built using that secret." So, in key mode:
 * - the key pair is generated once per stack by a dynamic resource and kept (encrypted) in stack state;
 * - `signing-secrets` is immutable, `protect`ed, retained on delete and ignores data changes: no `up` or
 *   `destroy` rotates or removes it by accident. If the cluster loses it (the operator deletes it with the
 *   Chains component), `pulumi refresh` then `pulumi up` writes the same key back from state;
 * - it is created before the TektonConfig (the Chains controller cannot start without it), and the
 *   TektonConfig keeps `generateSigningSecret: false` so the operator never writes a key of its own.
 * With `adoptExistingKey` the cluster's existing `signing-secrets` is left alone (unmanaged) and only its
 * public key, from config, is published. In keyless mode (Fulcio + Rekor) there is no key and nothing here.
 */
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as rbacv1 from "@pulumi/kubernetes/rbac/v1";
import * as pulumi from "@pulumi/pulumi";
import type { ChainSpec } from "../tekton/types";
import {
    buildChainSpec, buildPublicKeySecret, buildPublicKeyViewerBinding, buildPublicKeyViewerRole, buildSigningSecret, PUBLIC_KEY_VIEWER_NAME,
    type ChainsController,
    type SigningSettings,
} from "./builders";
import { CosignKeyPair } from "./key-pair";

export interface ChainsSigningArgs {
    /** How the cluster signs (decided once, from config). */
    readonly signing: SigningSettings;
    /** The Chains controller's replicas and attestation depth. */
    readonly controller: ChainsController;
    /** Namespace of the Secrets (the TektonConfig's target namespace, already created). */
    readonly namespace: pulumi.Input<string>;
}

export class ChainsSigning extends pulumi.ComponentResource {
    /** Resources the TektonConfig must wait for (the signing key Secret); empty unless the key is generated here. */
    public readonly signingKeyResources: pulumi.Resource[];
    /** The cosign public key (PEM); undefined in keyless mode. */
    public readonly publicKey: pulumi.Output<string> | undefined;
    /** The TektonConfig's `spec.chain` for this signing mode. */
    public readonly tektonChain: pulumi.Output<ChainSpec>;

    constructor(name: string, args: ChainsSigningArgs, opts?: pulumi.ComponentResourceOptions) {
        super("pipeline-service:chains:ChainsSigning", name, {}, opts);
        const { signing } = args;

        this.signingKeyResources = [];
        let publicKey: pulumi.Input<string> | undefined;
        if (signing.mode === "generated-key") {
            // Protected in every environment: losing it invalidates every signature the cluster made.
            // Rotation is not enough alone: `signing-secrets` ignores data changes (the engine reuses its stored
            // data even on `--replace`), so it must leave the state and the cluster first
            // (docs/chains-signing-key.md).
            const keyPair = new CosignKeyPair(`${name}-key`, { rotationTrigger: signing.rotationTrigger }, { parent: this, protect: true, retainOnDelete: true });
            const signingSecret = new corev1.Secret(`${name}-signing-secrets`, buildSigningSecret(args.namespace, keyPair), {
                parent: this,
                protect: true,
                retainOnDelete: true,
                ignoreChanges: ["data", "stringData"],
            });
            this.signingKeyResources.push(signingSecret);
            publicKey = keyPair.publicKey;
        } else if (signing.mode === "adopted-key") {
            publicKey = signing.publicKey;
        }

        if (publicKey !== undefined) {
            new corev1.Secret(`${name}-public-key`, buildPublicKeySecret(args.namespace, publicKey), { parent: this });
            const viewer = new rbacv1.ClusterRole(`${name}-public-key-viewer`, buildPublicKeyViewerRole(), { parent: this });
            // The role's name as a literal keeps the binding readable in preview (and by policies).
            new rbacv1.RoleBinding(`${name}-public-key-viewer`, buildPublicKeyViewerBinding(args.namespace, PUBLIC_KEY_VIEWER_NAME), { parent: this, dependsOn: [viewer] });
        }

        this.publicKey = publicKey === undefined ? undefined : pulumi.output(publicKey);
        this.tektonChain = pulumi.output(buildChainSpec(signing, args.controller));
        this.registerOutputs({ publicKey: this.publicKey, tektonChain: this.tektonChain });
    }
}
