/**
 * Invariants no policy can judge under `pulumi preview`, checked over the render instead (`npm run policy:check`
 * runs them after the pack; a render test pins them too). The engine's `AnalyzerResourceOptions`
 * (pulumi/pulumi `proto/pulumi/analyzer.proto`; `PolicyResourceOptions` in @pulumi/policy) carry protect,
 * ignoreChanges, deleteBeforeReplace, aliases, customTimeouts, additionalSecretOutputs and parent, but not
 * `retainOnDelete`, so a pack policy that required it would pass whatever the program does.
 *
 * Not part of the pack: `index.ts` serves `policies.ts` only.
 */
import { asRecord, identityOf, isDynamicResourceType, isKeylessChains, PIPELINES_NAMESPACE, SIGNING_SECRET_NAME, tektonConfigForm, TYPES } from "./resource-facts";

/** What an invariant reads of one rendered resource (a record of `out/<stack>/resources.json`). */
export interface RenderedResource {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly retainOnDelete: boolean;
    readonly inputs: Readonly<Record<string, unknown>>;
}

/** One broken invariant, against the resource that breaks it. */
export interface InvariantViolation {
    readonly invariant: string;
    readonly urn: string;
    readonly message: string;
}

/** A check over the whole render. */
export interface RenderInvariant {
    readonly name: string;
    /** Why it holds, and why no pack policy can check it. */
    readonly description: string;
    check(resources: readonly RenderedResource[]): InvariantViolation[];
}

export const chainsSigningKeyRetained: RenderInvariant = {
    name: "chains-signing-key-retained",
    description:
        "Checks whether, in key mode, the resources holding the Chains signing key (Secret signing-secrets in openshift-pipelines and " +
        "any dynamic resource whose name or type mentions cosign) are retained on delete, so removing them from the program never " +
        "deletes the cluster's long-lived key. retainOnDelete never reaches a policy in `pulumi preview`.",
    check(resources) {
        const keyless = resources.some((r) => tektonConfigForm(r.type) !== undefined && isKeylessChains(asRecord(r.inputs.spec) ?? {}));
        if (keyless) {
            return [];
        }
        const holders = resources.filter((r) => {
            const id = identityOf(r.inputs);
            const isSigningSecret = r.type === TYPES.secret && id.name === SIGNING_SECRET_NAME && id.namespace === PIPELINES_NAMESPACE;
            return isSigningSecret || (isDynamicResourceType(r.type) && `${r.type} ${r.name}`.toLowerCase().includes("cosign"));
        });
        return holders.filter((r) => !r.retainOnDelete).map((r) => ({
            invariant: this.name,
            urn: r.urn,
            message: `${r.name} is not retained on delete: set retainOnDelete: true so removing it from the program never deletes the signing key in the cluster.`,
        }));
    },
};

/** Every render invariant. */
export const renderInvariants: readonly RenderInvariant[] = [chainsSigningKeyRetained];

/** Every violation of every invariant over `resources`. */
export function checkRenderInvariants(resources: readonly RenderedResource[]): InvariantViolation[] {
    return renderInvariants.flatMap((invariant) => invariant.check(resources));
}
