/**
 * `CosignKeyPair`: a Pulumi dynamic resource that generates the Tekton Chains cosign key pair once and
 * keeps it in (encrypted) stack state.
 *
 * Why a dynamic resource and not a plain function call: the key must survive every later `pulumi up`
 * unchanged, because images already signed with it are verified against its public key. A dynamic
 * resource generates the key in `create` only; its `diff` reports "no changes" for every input change
 * except an explicit rotation request, so `update` never runs and the stored key is reused for ever.
 *
 * Rotation: set (or change) `rotationTrigger` to any new string, e.g. a date. Pulumi then *replaces*
 * the resource — a new key pair is generated, the old one is dropped from state. Everything wired to
 * the outputs (the `signing-secrets` and `public-key` Secrets) follows. Signatures made with the old
 * key stop verifying against the new public key, so publish the old public key wherever verifiers
 * still need it before rotating.
 *
 * The provider object is serialized by Pulumi's closure serializer into the state and re-evaluated by
 * the `pulumi-nodejs` dynamic provider process (plain Node, no ts-node). Its functions only reference
 * the local `./cosign-key` module, which the serializer captures by value (it does so for every local
 * module, see @pulumi/pulumi `runtime/closure/createClosure.js` `captureModuleAsync`), and that module
 * only needs `node:crypto` (built in) and `tweetnacl` (a dependency, captured as `require("tweetnacl")`).
 * A `require("./cosign-key")` inside the functions would not work: it would resolve relative to the
 * provider process's working directory and point at a `.ts` file. `test/cosign-key.test.ts` serializes
 * the provider and runs the result in a plain `node` process to keep this honest.
 */
import * as pulumi from "@pulumi/pulumi";
import { cosignPublicKeyFingerprint, generateCosignKeyPair } from "./cosign-key";

/** Arguments of {@link CosignKeyPair}. */
export interface CosignKeyPairArgs {
    /**
     * Opaque rotation request. Any change of this value — including setting it for the first time or
     * removing it — replaces the resource, i.e. generates a new key pair. No other change ever does.
     * An absent value and `""` are treated as equal. Omit it until you want to rotate.
     */
    readonly rotationTrigger?: pulumi.Input<string>;
}

/** Inputs the dynamic provider receives (resolved {@link CosignKeyPairArgs}). */
export interface CosignKeyPairProviderInputs {
    /** See {@link CosignKeyPairArgs.rotationTrigger}. */
    readonly rotationTrigger?: string;
}

/** State the dynamic provider stores: the inputs plus the generated key material. */
export interface CosignKeyPairProviderOutputs extends CosignKeyPairProviderInputs {
    /** Encrypted private key PEM (`ENCRYPTED SIGSTORE PRIVATE KEY`), the `cosign.key` entry. Secret. */
    readonly privateKey: string;
    /** Password of {@link CosignKeyPairProviderOutputs.privateKey}, the `cosign.password` entry. Secret. */
    readonly password: string;
    /** PKIX public key PEM, the `cosign.pub` entry. Not secret. */
    readonly publicKey: string;
}

/**
 * The dynamic provider behind {@link CosignKeyPair}. Exported so tests can call `create`/`diff`
 * directly; programs use the resource class.
 */
export const cosignKeyPairProvider: pulumi.dynamic.ResourceProvider<
    CosignKeyPairProviderInputs,
    CosignKeyPairProviderOutputs
> = {
    async create(inputs: CosignKeyPairProviderInputs): Promise<pulumi.dynamic.CreateResult<CosignKeyPairProviderOutputs>> {
        const pair = generateCosignKeyPair();
        return {
            // The public key fingerprint: unique per key pair, and safe to show in logs and previews.
            id: `sha256:${cosignPublicKeyFingerprint(pair.publicKeyPem)}`,
            outs: {
                // Kept in the outputs because `diff` receives the old *outputs*, not the old inputs.
                ...(inputs.rotationTrigger === undefined ? {} : { rotationTrigger: inputs.rotationTrigger }),
                privateKey: pair.privateKeyPem,
                password: pair.password,
                publicKey: pair.publicKeyPem,
            },
        };
    },

    async diff(
        _id: pulumi.ID,
        olds: CosignKeyPairProviderOutputs,
        news: CosignKeyPairProviderInputs,
    ): Promise<pulumi.dynamic.DiffResult> {
        if ((olds.rotationTrigger ?? "") !== (news.rotationTrigger ?? "")) {
            return { changes: true, replaces: ["rotationTrigger"] };
        }
        // Deliberately "no changes" for anything else: the key is generated once and never updated.
        return { changes: false };
    },
};

/**
 * A cosign ECDSA P-256 key pair for Tekton Chains, generated once on first `pulumi up` and kept in
 * stack state. `privateKey` and `password` are Pulumi secrets (encrypted in state, masked in output).
 *
 * Resource type token: `pulumi-nodejs:dynamic/pipeline-service:CosignKeyPair`. Do not change it (or
 * the resource name) on a live stack: that would replace the resource and rotate the key. Consider
 * `protect: true` in `opts` for production stacks.
 */
export class CosignKeyPair extends pulumi.dynamic.Resource {
    /** Encrypted private key PEM (`cosign.key`). Secret. */
    declare public readonly privateKey: pulumi.Output<string>;
    /** Password of the private key (`cosign.password`). Secret. */
    declare public readonly password: pulumi.Output<string>;
    /** PKIX public key PEM (`cosign.pub`). */
    declare public readonly publicKey: pulumi.Output<string>;
    /** The rotation trigger the current key pair was generated under, if any. */
    declare public readonly rotationTrigger: pulumi.Output<string | undefined>;

    constructor(name: string, args: CosignKeyPairArgs = {}, opts?: pulumi.CustomResourceOptions) {
        super(
            cosignKeyPairProvider,
            name,
            {
                rotationTrigger: args.rotationTrigger,
                // Declared (as undefined) so the engine exposes them as outputs of this resource.
                privateKey: undefined,
                password: undefined,
                publicKey: undefined,
            },
            pulumi.mergeOptions(opts, { additionalSecretOutputs: ["privateKey", "password"] }),
            "pipeline-service",
            "CosignKeyPair",
        );
    }
}
