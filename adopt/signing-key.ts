/**
 * What the cluster's Chains signing key (Secret signing-secrets) means for the stack's signing mode: the stops that
 * keep a key in use from being replaced, and the note on a key left unmanaged on purpose.
 */
import type { StackConfig } from "../stacks/config";
import { keyString, stringAt, valueAt, type LiveObject } from "./inputs";

/** The data key of a cosign private key in `signing-secrets`. */
const COSIGN_KEY = "cosign.key";
const COSIGN_PUB = "cosign.pub";

/** A live object's Secret data: whether `key` holds a value (a scrubbed dump's `(removed)` counts). */
function holds(object: LiveObject | undefined, key: string): boolean {
    const value = valueAt(object, "data", key);
    return typeof value === "string" && value !== "";
}

/** The decoded `cosign.pub`, when the dump kept it. */
function publicKeyOf(object: LiveObject): string | undefined {
    const encoded = stringAt(object, "data", COSIGN_PUB);
    if (encoded === undefined || !/^[A-Za-z0-9+/=\s]+$/.test(encoded)) {
        return undefined;
    }
    const decoded = Buffer.from(encoded, "base64").toString("utf8");
    return decoded.includes("-----BEGIN PUBLIC KEY-----") ? decoded.trim() : undefined;
}

export interface ChainsOutcome {
    readonly stops: string[];
    readonly notes: Map<string, string>;
}

/** What the cluster's signing key means for this stack's signing mode. */
export function chainsOutcome(config: StackConfig, live: ReadonlyMap<string, LiveObject>, namespace: string): ChainsOutcome {
    const stops: string[] = [];
    const notes = new Map<string, string>();
    const key = keyString({ groupKind: "core/Secret", namespace, name: "signing-secrets" });
    const secret = live.get(key);
    const where = `Secret ${namespace}/signing-secrets`;
    const stack = config.stack;
    if (config.chains.signing === "keyless") {
        if (secret !== undefined) {
            notes.set(key, "the cluster's signing key: the stack signs keyless and leaves it as it is");
        }
        return { stops, notes };
    }
    if (!config.chains.adoptExistingKey) {
        if (holds(secret, COSIGN_KEY)) {
            stops.push(`The cluster already has a Chains signing key (${where} holds ${COSIGN_KEY}), and this stack would generate a new one (chains.signing is key, `
                + "chains.adoptExistingKey is not true): every signature made so far verifies only with the existing key. Keep it: "
                + `oc -n ${namespace} get secret signing-secrets -o jsonpath='{.data.cosign\\.pub}' | base64 -d > cosign.pub, then `
                + `pulumi config set --stack ${stack} --path chains.adoptExistingKey true and pulumi config set --stack ${stack} --path chains.existingPublicKey < cosign.pub; `
                + "back the Secret up out of band (the program then leaves it unmanaged, so Pulumi state holds no copy), and run adopt again.");
        } else if (secret !== undefined) {
            stops.push(`${where} exists without a private key (${COSIGN_KEY}), and this stack generates the key and writes it there: importing it would keep it empty `
                + `(the program never changes that Secret's data), and creating it fails while it exists. Delete it (oc -n ${namespace} delete secret signing-secrets) right before the first up.`);
        }
        return { stops, notes };
    }
    if (!holds(secret, COSIGN_KEY)) {
        stops.push(`chains.adoptExistingKey is true, but ${secret === undefined ? `the cluster has no ${where}` : `${where} holds no ${COSIGN_KEY}`}: there is no key to adopt. `
            + "Set chains.adoptExistingKey false to have the program generate the cluster's key, or restore the key from its backup first.");
        return { stops, notes };
    }
    const livePublic = secret === undefined ? undefined : publicKeyOf(secret);
    if (livePublic !== undefined && livePublic !== config.chains.existingPublicKey?.trim()) {
        stops.push(`chains.existingPublicKey is not the public half of the cluster's key: it differs from ${COSIGN_PUB} in ${where}. Take it from there: `
            + `oc -n ${namespace} get secret signing-secrets -o jsonpath='{.data.cosign\\.pub}' | base64 -d > cosign.pub; pulumi config set --stack ${stack} --path chains.existingPublicKey < cosign.pub.`);
    }
    notes.set(key, "the cluster's signing key: left unmanaged on purpose (chains.adoptExistingKey); keep its backup out of band");
    return { stops, notes };
}
