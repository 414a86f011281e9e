/**
 * Policies on secret material: the Pipelines-as-Code ExternalSecret's sync, and key material that must only ever
 * live in core/v1 Secrets.
 *
 * ExternalSecret fields (external-secrets/external-secrets `apis/externalsecrets/v1/externalsecret_types.go`):
 * `spec.refreshInterval` (a Go duration, default "1h0m0s"; "0" fetches once), `spec.refreshPolicy`
 * (CreatedOnce | Periodic | OnChange; only Periodic honours the interval), `spec.target.deletionPolicy`
 * (Delete | Merge | Retain, default Retain).
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { asRecord, asString, TYPES } from "./resource-facts";

/** Go duration units in milliseconds (time.ParseDuration accepts ns, us, µs, ms, s, m, h). */
const DURATION_UNITS_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const DURATION_PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/gy;

/** Parses a Go duration string ("5m", "1h0m0s", "0") into milliseconds; undefined when it is not one. */
export function parseGoDuration(text: string): number | undefined {
    const trimmed = text.trim();
    if (trimmed === "0") {
        return 0;
    }
    if (trimmed === "") {
        return undefined;
    }
    let total = 0;
    DURATION_PART.lastIndex = 0;
    let consumed = 0;
    for (let match = DURATION_PART.exec(trimmed); match !== null; match = DURATION_PART.exec(trimmed)) {
        total += Number(match[1]) * (DURATION_UNITS_MS[match[2] ?? ""] ?? Number.NaN);
        consumed = DURATION_PART.lastIndex;
    }
    return consumed === trimmed.length && Number.isFinite(total) ? total : undefined;
}

/** Config of `external-secret-refresh`. */
export interface ExternalSecretRefreshConfig {
    /** Longest allowed `spec.refreshInterval`, a Go duration (default "5m"). */
    readonly maxRefreshInterval: string;
}

/** The refresh interval ESO applies when none is set. */
const ESO_DEFAULT_REFRESH_INTERVAL = "1h0m0s";

export const externalSecretRefresh: ResourceValidationPolicy = {
    name: "external-secret-refresh",
    description:
        "Checks whether every ExternalSecret refreshes periodically at most every maxRefreshInterval (policy config, default 5m) and " +
        "keeps its target Secret (deletionPolicy Retain) when the Vault entry goes away. The seed: \"The refresh rate for the " +
        "synchronization is aggressive so that rotating the secrets do not generate too long of an outage.\"",
    enforcementLevel: "mandatory",
    configSchema: {
        properties: {
            maxRefreshInterval: {
                type: "string",
                default: "5m",
                pattern: "^([0-9]+(\\.[0-9]*)?(ns|us|µs|ms|s|m|h))+$",
                description: "Longest allowed spec.refreshInterval, as a Go duration (e.g. 5m, 90s).",
            },
        },
    },
    validateResource: (args, reportViolation) => {
        if (args.type !== TYPES.externalSecret) {
            return;
        }
        const { maxRefreshInterval } = args.getConfig<ExternalSecretRefreshConfig>();
        const boundMs = parseGoDuration(maxRefreshInterval);
        if (boundMs === undefined) {
            throw new Error(`external-secret-refresh: maxRefreshInterval ${JSON.stringify(maxRefreshInterval)} is not a Go duration`);
        }
        const spec = asRecord(args.props.spec) ?? {};
        const refreshPolicy = asString(spec.refreshPolicy);
        if (refreshPolicy !== undefined && refreshPolicy !== "Periodic") {
            reportViolation(`spec.refreshPolicy is ${refreshPolicy}, which never refreshes on a schedule: remove it or set it to Periodic.`);
        }
        const interval = asString(spec.refreshInterval) ?? ESO_DEFAULT_REFRESH_INTERVAL;
        const intervalMs = parseGoDuration(interval);
        if (intervalMs === undefined) {
            reportViolation(`spec.refreshInterval ${JSON.stringify(interval)} is not a Go duration: set e.g. "${maxRefreshInterval}".`);
        } else if (intervalMs === 0) {
            reportViolation(`spec.refreshInterval ${JSON.stringify(interval)} syncs only once: set it to at most ${maxRefreshInterval} so rotated secrets arrive quickly.`);
        } else if (intervalMs < 1000) {
            reportViolation(`spec.refreshInterval ${JSON.stringify(interval)} is under 1s: every refresh reads Vault, so keep it between 1s and ${maxRefreshInterval}.`);
        } else if (intervalMs > boundMs) {
            reportViolation(
                `spec.refreshInterval is ${interval}${spec.refreshInterval === undefined ? " (the default)" : ""}, longer than ${maxRefreshInterval}: ` +
                    `set it to at most ${maxRefreshInterval} so a rotated secret reaches the cluster quickly.`,
            );
        }
        const deletionPolicy = asString(asRecord(spec.target)?.deletionPolicy) ?? "Retain";
        if (deletionPolicy !== "Retain") {
            reportViolation(`spec.target.deletionPolicy is ${deletionPolicy}: set it to Retain so the last synced Secret stays when the Vault entry is gone.`);
        }
    },
};

/** A piece of key material found in a plain input. Holds where and what, never the value. */
export interface KeyMaterialFinding {
    /** Dotted path of the input, e.g. `metadata.annotations.example.com/key`. */
    readonly path: string;
    /** What was found. */
    readonly kind: "PEM private key" | "AWS secret access key" | "cosign password";
}

/** A PEM private key of any type (PKCS#8, RSA, EC, OPENSSH, ENCRYPTED, ENCRYPTED SIGSTORE/COSIGN) with a body. */
const PEM_PRIVATE_KEY = /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[A-Za-z0-9+/=\s:,\\-]{32,}/;
/** Base64 text long enough to hide a PEM block (ConfigMap binaryData, base64 in annotations). */
const BASE64_BLOB = /^[A-Za-z0-9+/]{64,}={0,2}$/;
/** The shape of an AWS secret access key: 40 characters of base64 alphabet without padding. */
const AWS_SECRET_KEY_SHAPE = /^[A-Za-z0-9/+]{40}$/;
/** An AWS secret access key written next to its name in text (credentials files, env files). */
const AWS_SECRET_KEY_IN_TEXT = /(?:secret[_-]?access[_-]?key|aws[_-]?secret[_-]?key)["']?\s*[:=]\s*["']?[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/i;
/** A cosign password assigned in text; `$VAR`, quotes only or templates are references, not passwords. */
const COSIGN_PASSWORD_IN_TEXT = /cosign[._-]password["']?\s*[:=]\s*["']?(?![$"'\s{])\S/i;
/** Keys that name a cosign password: `cosign.password` (cosign's Secret key), `COSIGN_PASSWORD` (its env var). */
const COSIGN_PASSWORD_KEY = /^(?:.*\/)?(?:cosign\.password|cosign_password)$/i;

/** Whether a key names an AWS secret access key (aws_secret_access_key, S3_SECRET_ACCESS_KEY, secretAccessKey…). */
function isAwsSecretKeyName(key: string): boolean {
    const normalized = key.toLowerCase().replace(/[^a-z0-9]/g, "");
    return normalized.endsWith("secretaccesskey") || normalized.endsWith("awssecretkey");
}

/** Whether text holds a PEM private key, directly or base64-encoded. */
function holdsPrivateKey(text: string): boolean {
    if (PEM_PRIVATE_KEY.test(text)) {
        return true;
    }
    return BASE64_BLOB.test(text) && text.length % 4 === 0 && PEM_PRIVATE_KEY.test(Buffer.from(text, "base64").toString("latin1"));
}

/**
 * An own property's raw value. Reading through the descriptor bypasses the engine's unknown-checking proxy (it traps
 * only `get`), so the scan judges every known value and passes over unknown ones instead of giving up on the resource.
 */
function rawValue(container: object, key: string): unknown {
    return Reflect.getOwnPropertyDescriptor(container, key)?.value as unknown;
}

/**
 * Finds key material in a resource's inputs by content. `isExempt` skips subtrees (e.g. a Secret's `data`).
 * Under the engine a policy sees secret values unwrapped, so secretness cannot be used: content is what counts.
 */
export function findKeyMaterial(inputs: unknown, isExempt: (path: readonly string[]) => boolean = () => false): KeyMaterialFinding[] {
    const findings: KeyMaterialFinding[] = [];
    const visit = (value: unknown, path: readonly string[], depth: number): void => {
        if (depth > 64 || isExempt(path)) {
            return;
        }
        const key = path[path.length - 1] ?? "";
        const where = path.join(".");
        if (key !== "" && COSIGN_PASSWORD_KEY.test(key) && value !== null && value !== undefined && value !== "") {
            findings.push({ path: where, kind: "cosign password" });
        }
        if (typeof value === "string") {
            if (holdsPrivateKey(value)) {
                findings.push({ path: where, kind: "PEM private key" });
            }
            if ((isAwsSecretKeyName(key) && AWS_SECRET_KEY_SHAPE.test(value)) || AWS_SECRET_KEY_IN_TEXT.test(value)) {
                findings.push({ path: where, kind: "AWS secret access key" });
            }
            if (COSIGN_PASSWORD_IN_TEXT.test(value)) {
                findings.push({ path: where, kind: "cosign password" });
            }
            return;
        }
        if (typeof value !== "object" || value === null) {
            return;
        }
        // Environment-variable shape {name, value}: the name says what the value is.
        const envName = asString(rawValue(value, "name"));
        const envValue = asString(rawValue(value, "value"));
        if (envName !== undefined && envValue !== undefined && envValue !== "") {
            if (isAwsSecretKeyName(envName) && AWS_SECRET_KEY_SHAPE.test(envValue)) {
                findings.push({ path: `${where}.value`, kind: "AWS secret access key" });
            }
            if (COSIGN_PASSWORD_KEY.test(envName)) {
                findings.push({ path: `${where}.value`, kind: "cosign password" });
            }
        }
        for (const child of Object.keys(value)) {
            visit(rawValue(value, child), [...path, child], depth + 1);
        }
    };
    visit(inputs, [], 0);
    return findings;
}

/** Resource types whose `data`/`stringData` is where key material belongs. */
const SECRET_TYPES: readonly string[] = [TYPES.secret, TYPES.secretPatch];

export const noKeyMaterialOutsideSecrets: ResourceValidationPolicy = {
    name: "no-key-material-outside-secrets",
    description:
        "Checks whether any plain input (ConfigMap data, custom resources, annotations, labels, AWS tags, dynamic-resource inputs…) " +
        "holds key material: a PEM private key (including cosign's ENCRYPTED SIGSTORE/COSIGN PRIVATE KEY), an AWS secret access key, " +
        "or a cosign password. Only core/v1 Secret data/stringData may hold keys. Detection is by content because the engine hands " +
        "policies secret values unwrapped. Provider resources are not judged (their credentials come from secret stack config).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type.startsWith("pulumi:providers:")) {
            return;
        }
        const isSecret = SECRET_TYPES.includes(args.type);
        const findings = findKeyMaterial(args.props, (path) => isSecret && path.length >= 1 && (path[0] === "data" || path[0] === "stringData"));
        if (findings.length > 0) {
            const listed = findings.slice(0, 5).map((f) => `${f.kind} at ${f.path}`);
            const more = findings.length > 5 ? ` and ${findings.length - 5} more` : "";
            reportViolation(
                `Key material in plain inputs: ${listed.join("; ")}${more}. Move it into a core/v1 Secret's data/stringData and reference ` +
                    "the Secret (never put keys or passwords in ConfigMaps, annotations, labels, tags or other inputs).",
            );
        }
    },
};

/** The policies of this area, in pack order. */
export const secretsPolicies: readonly ResourceValidationPolicy[] = [externalSecretRefresh, noKeyMaterialOutsideSecrets];
