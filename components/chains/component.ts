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
import {
    buildPublicKeySecret, buildPublicKeyViewerBinding, buildPublicKeyViewerRole, buildSigningSecret, PUBLIC_KEY_VIEWER_NAME,
} from "./builders";
import { CosignKeyPair } from "./key-pair";

export interface ChainsSigningArgs {
    /** `key`: a cosign key pair unique to the cluster; `keyless`: Fulcio certificates (nothing to create here). */
    readonly mode: "key" | "keyless";
    /** Namespace of the Secrets (the TektonConfig's target namespace, already created). */
    readonly namespace: pulumi.Input<string>;
    /** Keep the cluster's existing signing key: generate nothing and publish this public key (PEM). */
    readonly adoptedPublicKey?: string;
    /**
     * Change deliberately to generate a new key pair (see README: Rotating the signing key). Not enough alone:
     * `signing-secrets` ignores data changes (the engine reuses its stored data even on `--replace`), so it must
     * leave the state and the cluster first, or `public-key` would publish the new key while Chains signs with the old.
     */
    readonly rotationTrigger?: pulumi.Input<string>;
}

export class ChainsSigning extends pulumi.ComponentResource {
    /** Resources the TektonConfig must wait for (the signing key Secret), empty in keyless and adoption modes. */
    public readonly signingKeyResources: pulumi.Resource[];
    /** The cosign public key (PEM); undefined in keyless mode. */
    public readonly publicKey: pulumi.Output<string> | undefined;

    constructor(name: string, args: ChainsSigningArgs, opts?: pulumi.ComponentResourceOptions) {
        super("pipeline-service:chains:ChainsSigning", name, {}, opts);
        if (args.mode === "keyless" && args.adoptedPublicKey !== undefined) {
            throw new Error("ChainsSigning: adoptedPublicKey only applies in key mode");
        }

        this.signingKeyResources = [];
        let publicKey: pulumi.Input<string> | undefined = args.adoptedPublicKey;
        if (args.mode === "key" && args.adoptedPublicKey === undefined) {
            // Protected in every environment: losing it invalidates every signature the cluster made.
            const keyPair = new CosignKeyPair(`${name}-key`, { rotationTrigger: args.rotationTrigger }, { parent: this, protect: true, retainOnDelete: true });
            const signingSecret = new corev1.Secret(`${name}-signing-secrets`, buildSigningSecret(args.namespace, keyPair), {
                parent: this,
                protect: true,
                retainOnDelete: true,
                ignoreChanges: ["data", "stringData"],
            });
            this.signingKeyResources.push(signingSecret);
            publicKey = keyPair.publicKey;
        }

        if (publicKey !== undefined) {
            new corev1.Secret(`${name}-public-key`, buildPublicKeySecret(args.namespace, publicKey), { parent: this });
            const viewer = new rbacv1.ClusterRole(`${name}-public-key-viewer`, buildPublicKeyViewerRole(), { parent: this });
            // The role's name as a literal keeps the binding readable in preview (and by policies).
            new rbacv1.RoleBinding(`${name}-public-key-viewer`, buildPublicKeyViewerBinding(args.namespace, PUBLIC_KEY_VIEWER_NAME), { parent: this, dependsOn: [viewer] });
        }

        this.publicKey = publicKey === undefined ? undefined : pulumi.output(publicKey);
        this.registerOutputs({ publicKey: this.publicKey });
    }
}
