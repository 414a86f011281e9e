/**
 * Which secrets provider encrypted a stack's `secure:` values, and a decrypter for the one an offline render can
 * use: the passphrase provider, with the passphrase from the environment as the CLI reads it. Every refusal is a
 * {@link RenderError} saying what to do; none shows a secret.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { RenderError } from "./errors";
import { CiphertextError, decryptValue, deriveKey, parseEncryptionSalt, passphraseMatches, type PassphraseState } from "./passphrase";

/** The stack file's secrets-provider fields (pulumi/pulumi `sdk/go/common/workspace/project.go`, `ProjectStack`). */
export interface StackSecretsFields {
    readonly encryptionsalt?: unknown;
    readonly secretsprovider?: unknown;
    readonly encryptedkey?: unknown;
}

/** Where the passphrase came from, for messages: the variable's name (and the file), never the passphrase. */
interface Passphrase {
    readonly phrase: string;
    readonly source: string;
}

/**
 * The passphrase as the CLI reads it (pkg/secrets/passphrase/manager.go, `readPassphrase`): PULUMI_CONFIG_PASSPHRASE
 * when set at all (empty is a valid passphrase), else the trimmed contents of PULUMI_CONFIG_PASSPHRASE_FILE when
 * that is non-empty (a relative path from the working directory).
 */
function readPassphrase(env: NodeJS.ProcessEnv): Passphrase | undefined {
    const phrase = env.PULUMI_CONFIG_PASSPHRASE;
    if (phrase !== undefined) {
        return { phrase, source: "PULUMI_CONFIG_PASSPHRASE" };
    }
    const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
    if (file === undefined || file === "") {
        return undefined;
    }
    const absolute = path.resolve(file);
    try {
        return { phrase: fs.readFileSync(absolute, "utf8").trim(), source: `PULUMI_CONFIG_PASSPHRASE_FILE ${absolute}` };
    } catch (error) {
        throw new RenderError(`cannot read PULUMI_CONFIG_PASSPHRASE_FILE ${absolute}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
}

const WHAT_TO_DO = "To render offline, put the values in clear in a copy of the stack file kept out of git and pass it with "
    + "--config-file, or move the stack to the passphrase provider (pulumi stack change-secrets-provider passphrase) and set "
    + "PULUMI_CONFIG_PASSPHRASE.";

function providerRefusal(stack: string, provider: string, keys: readonly string[]): RenderError {
    return new RenderError(`stack ${stack} uses the ${provider} secrets provider; the offline render can't decrypt it: it holds no `
        + `credentials and calls no service, so its secure: values (${keys.join(", ")}) stay encrypted. ${WHAT_TO_DO}`);
}

/**
 * A decrypter for the stack's `secure:` values (`keys` names them, for messages), chosen as the CLI chooses
 * (pkg/cmd/pulumi/stack/secrets.go, `SecretsManagerLoader.GetSecretsManager`): a `secretsprovider` other than
 * `passphrase`/`default` is a cloud KMS; else an `encryptionsalt` means the passphrase provider; else the
 * backend's default, Pulumi Cloud's service provider. Only the passphrase provider works offline.
 */
function stackDecrypter(stack: string, file: string, fields: StackSecretsFields, keys: readonly string[], env: NodeJS.ProcessEnv): (value: string) => string {
    const provider = typeof fields.secretsprovider === "string" ? fields.secretsprovider : "";
    if (provider !== "" && provider !== "passphrase" && provider !== "default") {
        // Name the scheme only (awskms, gcpkms, azurekeyvault, hashivault): the URL is not needed to act.
        throw providerRefusal(stack, /^([a-z0-9+.-]+):\/\//i.exec(provider)?.[1] ?? "cloud", keys);
    }
    if (fields.encryptionsalt === undefined || fields.encryptionsalt === "") {
        if (provider === "passphrase") {
            throw new RenderError(`stack ${stack} uses the passphrase secrets provider but ${file} has no encryptionsalt, so its secure: values `
                + `(${keys.join(", ")}) cannot be decrypted; restore the encryptionsalt line the values were encrypted with`);
        }
        throw providerRefusal(stack, fields.encryptedkey === undefined ? "Pulumi Cloud (service)" : "cloud", keys);
    }
    if (typeof fields.encryptionsalt !== "string") {
        throw new RenderError(`${file}: encryptionsalt must be a string (v1:<salt>:<check value>)`);
    }
    let state: PassphraseState;
    try {
        state = parseEncryptionSalt(fields.encryptionsalt);
    } catch (error) {
        throw new RenderError(`${file}: encryptionsalt is malformed (${(error as Error).message}); pulumi stack init writes v1:<salt base64>:<check value>`);
    }
    const passphrase = readPassphrase(env);
    if (passphrase === undefined) {
        throw new RenderError(`stack ${stack} has secure: values (${keys.join(", ")}) encrypted with a passphrase; set PULUMI_CONFIG_PASSPHRASE `
            + "(or PULUMI_CONFIG_PASSPHRASE_FILE, a file holding it) to the stack's passphrase, as for pulumi preview");
    }
    const key = deriveKey(passphrase.phrase, state.salt);
    let matches: boolean;
    try {
        matches = passphraseMatches(key, state);
    } catch (error) {
        throw new RenderError(`${file}: encryptionsalt is malformed (its check value: ${(error as Error).message}); pulumi stack init writes v1:<salt base64>:v1:<nonce>:<ciphertext>`);
    }
    if (!matches) {
        throw new RenderError(`incorrect passphrase for stack ${stack} (${passphrase.source})`);
    }
    return (value) => decryptValue(key, value);
}

/** One secure value that would not decrypt, as a config problem line: the key, why, never the value. */
function secureValueProblem(key: string, error: unknown): string {
    if (error instanceof CiphertextError) {
        return error.kind === "malformed"
            ? `${key}: secure: value is malformed (${error.message}); pulumi config set --secret writes v1:<nonce base64>:<ciphertext base64>`
            : `${key}: secure: value does not decrypt with this stack's key (${error.message}): was it copied from another stack?`;
    }
    throw error;
}

/**
 * pulumi/pulumi `sdk/go/common/resource/config/object.go`, `isSecureValue`: a mapping whose only key is `secure`
 * with a string value is a secret, at the top of a key or anywhere inside a structured one.
 */
function ciphertextOf(value: unknown): string | undefined {
    if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        const entries = Object.entries(value);
        if (entries.length === 1 && entries[0][0] === "secure" && typeof entries[0][1] === "string") {
            return entries[0][1];
        }
    }
    return undefined;
}

/** Calls `visit` for every secure leaf of `value` with its path (`key.a[0]`); returns the value with each replaced. */
function mapSecure(value: unknown, where: string, visit: (ciphertext: string, where: string) => string): unknown {
    const ciphertext = ciphertextOf(value);
    if (ciphertext !== undefined) {
        return visit(ciphertext, where);
    }
    if (Array.isArray(value)) {
        return value.map((item, index) => mapSecure(item, `${where}[${index}]`, visit));
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([name, item]) => [name, mapSecure(item, `${where}.${name}`, visit)]));
    }
    return value;
}

/**
 * The stack's config (fully qualified keys, values as parsed from YAML) with every `secure:` value decrypted, and the
 * keys holding one: secret as a whole key, as the CLI marks them. Without secure values nothing is asked of the
 * environment; every value that will not decrypt is listed in one RenderError.
 */
export function decryptStackConfig(stack: string, file: string, fields: StackSecretsFields, config: Readonly<Record<string, unknown>>, env: NodeJS.ProcessEnv):
    { readonly values: Record<string, unknown>; readonly secretKeys: string[] } {
    const secretKeys = Object.keys(config).filter((key) => {
        let found = false;
        mapSecure(config[key], key, (ciphertext) => {
            found = true;
            return ciphertext;
        });
        return found;
    });
    if (secretKeys.length === 0) {
        return { values: { ...config }, secretKeys };
    }
    const decrypt = stackDecrypter(stack, file, fields, secretKeys, env);
    const problems: string[] = [];
    const values = Object.fromEntries(Object.entries(config).map(([key, value]) => [key, mapSecure(value, key, (ciphertext, where) => {
        try {
            return decrypt(ciphertext);
        } catch (error) {
            problems.push(secureValueProblem(where, error));
            return "";
        }
    })]));
    if (problems.length > 0) {
        throw new RenderError(`stack ${stack}: ${problems.length} secure: value${problems.length === 1 ? "" : "s"} cannot be decrypted:\n${problems.map((line) => `  - ${line}`).join("\n")}`);
    }
    return { values, secretKeys };
}
