/**
 * Which changed inputs make the engine replace a resource instead of updating it, and whether it deletes the old one
 * first: the providers' own rules, read from their source at the versions this project pins and kept as data with
 * their source in fleet/facts/ (aws-replacement.json: terraform-provider-aws ForceNew/RequiresReplace;
 * engine-replacement.json: pulumi-kubernetes diff.go, the terraform bridge, the random provider, provider configs;
 * dynamic-replacement.json: our dynamic providers' diff, held equal to them by a test). Pure.
 */
import { z } from "zod";
import type { ResourceRecord } from "../render/contract";
import awsFacts from "./facts/aws-replacement.json";
import dynamicFacts from "./facts/dynamic-replacement.json";
import engineFacts from "./facts/engine-replacement.json";
import { touches } from "./property-paths";

const awsSchema = z.object({
    types: z.record(z.string(), z.object({
        framework: z.string(),
        replaceOn: z.array(z.string()),
        nameProperty: z.string().nullable(),
        /** pulumi-aws ResourceInfo.DeleteBeforeReplace: every replacement of the type deletes first. */
        deleteBeforeReplace: z.boolean().optional(),
    })),
});
const engineSchema = z.object({
    kubernetes: z.object({
        allKinds: z.array(z.string()),
        kinds: z.record(z.string(), z.object({ replaceOn: z.array(z.string()), mutableOption: z.record(z.string(), z.string()).optional() })),
        namedObjectsDeleteBeforeReplace: z.object({ value: z.boolean() }),
        optionDefaults: z.record(z.string(), z.unknown()),
        providerReplacedWhen: z.array(z.object({ key: z.string() })),
    }),
    aws: z.object({ providerReplacedWhen: z.array(z.object({ key: z.string() })) }),
    random: z.object({ types: z.record(z.string(), z.object({ inputs: z.array(z.string()) })) }),
});
const dynamicSchema = z.object({
    types: z.record(z.string(), z.object({ replaceOn: z.array(z.string()), updateOn: z.array(z.string()) })),
});

const AWS = awsSchema.parse(awsFacts).types;
const ENGINE = engineSchema.parse(engineFacts);
const DYNAMIC = dynamicSchema.parse(dynamicFacts).types;

/** What the engine does with a resource whose inputs changed at `paths`. */
export interface ReplaceVerdict {
    /** The changed paths that force a replacement (the fact's path where the change was inside it); empty: update. */
    readonly replaceBecause: readonly string[];
    /** The old resource is deleted before the new one is created. */
    readonly deleteBeforeReplace: boolean;
    /** The provider reports no change at all for these paths (a dynamic provider that ignores them). */
    readonly noChange: boolean;
}

/** The Kubernetes kind key of a type token (`kubernetes:core/v1:Secret` → `v1/Secret`, groups kept). */
export function kubernetesKind(type: string): string {
    const [, groupVersion = "", kind = ""] = type.split(":");
    return `${groupVersion.replace(/^core\//, "")}/${kind}`;
}

/** Whether the facts say how the engine diffs this type (components and the stack need none). */
export function classified(type: string): boolean {
    return type in AWS || type in DYNAMIC || type in ENGINE.random.types || type.startsWith("kubernetes:")
        || type === "pulumi:providers:kubernetes" || type === "pulumi:providers:aws";
}

/**
 * Whether an AWS type is replaced when its provider's region changes: pulumi-aws v7 passes the provider's region into
 * each regional resource's own `region` input, which forces a replacement (terraform-provider-aws v6 enhanced region
 * support; fleet/facts/engine-replacement.json `aws`), while the provider itself is only updated. IAM is global.
 */
export function replacedWithProviderRegion(type: string): boolean {
    return (AWS[type]?.replaceOn ?? []).includes("region");
}

/** The provider's settings that change what it replaces: pulumi-kubernetes' mutable-data options. */
export interface ProviderSettings {
    readonly enableSecretMutable: boolean;
    readonly enableConfigMapMutable: boolean;
}

/** The Kubernetes provider's settings from its record (the facts' defaults where the program sets nothing). */
export function kubernetesSettings(provider: ResourceRecord | undefined): ProviderSettings {
    const defaults = ENGINE.kubernetes.optionDefaults;
    const flag = (name: "enableSecretMutable" | "enableConfigMapMutable"): boolean => {
        const given = provider?.inputs[name];
        return given === true || given === "true" || (given === undefined && defaults[name] === true);
    };
    return { enableSecretMutable: flag("enableSecretMutable"), enableConfigMapMutable: flag("enableConfigMapMutable") };
}

/** The forcing properties (the facts' paths, as the provider names them) that the changed paths touch. */
function forcing(facts: readonly string[], paths: readonly string[]): string[] {
    return [...new Set(paths.filter((path) => !path.startsWith("(")).flatMap((path) => facts.filter((fact) => touches(fact, path))))].sort();
}

/**
 * The engine's verdict for a resource present in both renders whose inputs changed at `paths` (record-diff's paths;
 * resource options in parentheses never force a replacement by themselves).
 */
export function replaceVerdict(base: ResourceRecord, head: ResourceRecord, paths: readonly string[], settings: ProviderSettings): ReplaceVerdict {
    const verdict = providerVerdict(base, head, paths, settings);
    // replaceOnChanges turns changes the provider reports into replacements, never a diff of its own (pulumi/pulumi
    // step_generator.go applyReplaceOnChanges): `*` is every changed input.
    const inputPaths = paths.filter((path) => !path.startsWith("("));
    const asked = head.replaceOnChanges.includes("*") ? inputPaths : forcing(head.replaceOnChanges, inputPaths);
    if (verdict.noChange || asked.length === 0) {
        return verdict;
    }
    return { ...verdict, replaceBecause: [...new Set([...verdict.replaceBecause, ...asked])].sort(), deleteBeforeReplace: verdict.deleteBeforeReplace || head.deleteBeforeReplace };
}

/** The provider's own verdict (its replacement rules), before the engine applies replaceOnChanges. */
function providerVerdict(base: ResourceRecord, head: ResourceRecord, paths: readonly string[], settings: ProviderSettings): ReplaceVerdict {
    const type = head.type;
    const optionDeleteFirst = head.deleteBeforeReplace;
    const inputPaths = paths.filter((path) => !path.startsWith("("));
    if (type in DYNAMIC) {
        const fact = DYNAMIC[type] as { replaceOn: string[]; updateOn: string[] };
        const because = forcing(fact.replaceOn, inputPaths);
        const noChange = because.length === 0 && forcing(fact.updateOn, inputPaths).length === 0;
        return { replaceBecause: because, deleteBeforeReplace: optionDeleteFirst, noChange };
    }
    if (type in ENGINE.random.types) {
        // Every input of a random resource forces a new value (keepers included).
        return { replaceBecause: [...inputPaths].sort(), deleteBeforeReplace: optionDeleteFirst, noChange: false };
    }
    if (type in AWS) {
        const fact = AWS[type] as { framework: string; replaceOn: string[]; nameProperty: string | null; deleteBeforeReplace?: boolean };
        const because = forcing(fact.replaceOn, inputPaths);
        // The bridge deletes first when the auto-named property was set explicitly (SDKv2: nameRequiresDeleteBeforeReplace).
        // (pulumi-terraform-bridge pkg/tfbridge/schema.go nameRequiresDeleteBeforeReplace, called from Provider.Diff: it
        // reads the new inputs; Plugin Framework resources delete first only when their ResourceInfo says so.)
        const named = fact.framework === "sdkv2" && fact.nameProperty !== null && head.inputs[fact.nameProperty] !== undefined;
        return { replaceBecause: because, deleteBeforeReplace: because.length > 0 && (optionDeleteFirst || named || fact.deleteBeforeReplace === true), noChange: false };
    }
    if (type === "pulumi:providers:kubernetes" || type === "pulumi:providers:aws") {
        let keys = (type === "pulumi:providers:kubernetes" ? ENGINE.kubernetes : ENGINE.aws).providerReplacedWhen.map((entry) => entry.key);
        // pulumi-kubernetes DiffConfig: while clusterIdentifier is set and unchanged, only it and renderYamlToDirectory
        // replace the provider (a new kubeconfig or context for the same cluster does not).
        if (type === "pulumi:providers:kubernetes" && base.inputs.clusterIdentifier !== undefined && base.inputs.clusterIdentifier === head.inputs.clusterIdentifier) {
            keys = keys.filter((key) => key === "renderYamlToDirectory");
        }
        return { replaceBecause: forcing(keys, inputPaths), deleteBeforeReplace: optionDeleteFirst, noChange: false };
    }
    if (type.startsWith("kubernetes:")) {
        const kind = ENGINE.kubernetes.kinds[kubernetesKind(type)];
        // An immutable Secret or ConfigMap is replaced on its data whatever the option says (diff.go forceNewProperties).
        const immutable = head.inputs.immutable === true;
        const mutable = new Set(Object.entries(immutable ? {} : kind?.mutableOption ?? {})
            .filter(([, option]) => (option === "enableSecretMutable" && settings.enableSecretMutable) || (option === "enableConfigMapMutable" && settings.enableConfigMapMutable))
            .map(([path]) => path));
        const facts = [...ENGINE.kubernetes.allKinds, ...(kind?.replaceOn ?? []).filter((path) => !mutable.has(path))];
        const because = forcing(facts, inputPaths);
        const named = ENGINE.kubernetes.namedObjectsDeleteBeforeReplace.value && typeof (head.inputs.metadata as { name?: unknown } | undefined)?.name === "string";
        return { replaceBecause: because, deleteBeforeReplace: because.length > 0 && (optionDeleteFirst || named), noChange: false };
    }
    return { replaceBecause: [], deleteBeforeReplace: false, noChange: false };
}
