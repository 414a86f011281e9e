/**
 * A render writes files that are kept and uploaded (CI artifacts): a secret config value must reach them only as
 * `[secret]`. The program reads config as plain strings (`pulumi.runtime.allConfig()`) and wraps what it knows is
 * secret (`kubernetes:kubeconfig`); a value set as a secret under any other key would be written in clear, as
 * `pulumi up` would store it in clear in the state. This finds such values so the render can refuse.
 */
import type { ResourceRecord } from "./contract";
import type { StackSettings } from "./settings";

// Below this length a secret matches unrelated text by chance: it is only found as a whole string.
const MIN_SUBSTRING_LENGTH = 4;

/** Every string inside `node` (itself, or the leaves of an object or array), appended to `out`. */
function strings(node: unknown, out: string[]): string[] {
    if (typeof node === "string") {
        out.push(node);
    } else if (node !== null && typeof node === "object") {
        for (const child of Object.values(node)) {
            strings(child, out);
        }
    }
    return out;
}

/** The plaintexts of a secret key: its value, or each string inside a structured (JSON) value. */
function plaintexts(value: string): string[] {
    const trimmed = value.trim();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
        try {
            return strings(JSON.parse(trimmed), []);
        } catch {
            // Not JSON: the string itself is the secret.
        }
    }
    return [value];
}

function holds(text: string, secret: string): boolean {
    return secret.length >= MIN_SUBSTRING_LENGTH ? text.includes(secret) : text === secret;
}

/**
 * One line per secret key whose value appears in clear in a resource (URN, name, inputs, options) or a stack
 * output, naming the key and where, never the value.
 */
export function findSecretLeaks(settings: StackSettings, resources: readonly ResourceRecord[], outputs: Readonly<Record<string, unknown>>): string[] {
    if (settings.secretKeys.length === 0) {
        return [];
    }
    const places = [
        ...resources.map((record) => ({ where: `${record.type}::${record.name}`, texts: strings(record, []) })),
        { where: "the stack outputs", texts: strings(outputs, []) },
    ];
    const leaks: string[] = [];
    for (const key of [...new Set(settings.secretKeys)].sort()) {
        const value = settings.config[key];
        const secrets = value === undefined ? [] : plaintexts(value).filter((secret) => secret !== "");
        const found = places.filter((place) => place.texts.some((text) => secrets.some((secret) => holds(text, secret))));
        if (found.length > 0) {
            const shownPlaces = found.slice(0, 3).map((place) => place.where).join(", ") + (found.length > 3 ? ` and ${found.length - 3} more` : "");
            leaks.push(`${key} is a secret but its value would be written in clear to ${shownPlaces}`);
        }
    }
    return leaks;
}
