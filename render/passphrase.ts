/**
 * The Pulumi CLI's passphrase secrets provider, decrypt side only, so an offline render reads `secure:` config
 * values as `pulumi preview` would. Pure: no files, no environment. Every number is Pulumi's (pulumi/pulumi):
 * - `sdk/go/common/resource/config/crypt.go`, `NewSymmetricCrypterFromPassphrase`: key =
 *   `pbkdf2.Key(passphrase, salt, 1000000, SymmetricCrypterKeyBytes (32), sha256.New)`.
 * - same file, `symmetricCrypter.DecryptValue`: a value is `v1:<nonce>:<ciphertext>` (exactly three
 *   `:`-separated parts, base64.StdEncoding), AES-256-GCM, no additional data; `encryptAES256GCGM` makes a
 *   12-byte nonce and Go's `Seal` appends the 16-byte tag to the ciphertext.
 * - `pkg/secrets/passphrase/manager.go`, `symmetricCrypterFromPhraseAndState`: the stack file's
 *   `encryptionsalt` is `v1:<salt base64>:<check>` (`strings.SplitN(state, ":", 3)`), `<check>` being the
 *   value "pulumi" encrypted as above; anything else decrypting it means an incorrect passphrase.
 *   `NewPassphraseSecretsManager` makes an 8-byte salt (any length decodes).
 */
import { createDecipheriv, createHash, pbkdf2Sync } from "node:crypto";

/** The scheme's constants (see the file comment for where each comes from). */
export const PASSPHRASE_SCHEME = {
    iterations: 1_000_000,
    keyBytes: 32,
    digest: "sha256",
    nonceBytes: 12,
    tagBytes: 16,
    checkValue: "pulumi",
} as const;

/** A value or salt that cannot be what the CLI writes, or does not open with the key; the message is the reason, never plaintext. */
export class CiphertextError extends Error {
    /** `malformed`: not the CLI's format; `undecryptable`: the format is right but the key is not the one. */
    constructor(readonly kind: "malformed" | "undecryptable", message: string) {
        super(message);
        this.name = "CiphertextError";
    }
}

// Go's base64.StdEncoding: standard alphabet, padding required; it skips \r and \n (encoding/base64 `Decode`).
const STD_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeBase64(text: string, what: string): Buffer {
    const compact = text.replace(/[\r\n]/g, "");
    if (!STD_BASE64.test(compact)) {
        throw new CiphertextError("malformed", `${what} is not standard padded base64`);
    }
    return Buffer.from(compact, "base64");
}

/** An `encryptionsalt` split into the PBKDF2 salt and the encrypted check value. */
export interface PassphraseState {
    readonly salt: Buffer;
    readonly check: string;
}

/** Parses a stack file's `encryptionsalt` (`v1:<salt>:<check>`); a wrong shape is a `malformed` CiphertextError. */
export function parseEncryptionSalt(state: string): PassphraseState {
    const first = state.indexOf(":");
    const second = first < 0 ? -1 : state.indexOf(":", first + 1);
    if (second < 0) {
        throw new CiphertextError("malformed", "not three :-separated parts");
    }
    if (state.slice(0, first) !== "v1") {
        throw new CiphertextError("malformed", `unknown version ${JSON.stringify(state.slice(0, first))}, only v1 exists`);
    }
    return { salt: decodeBase64(state.slice(first + 1, second), "the salt"), check: state.slice(second + 1) };
}

// PBKDF2 with 1,000,000 rounds takes ~0.2–1 s: derive once per salt and passphrase in a process.
const keys = new Map<string, Buffer>();

/** The AES-256 key for `passphrase` and `salt`, derived once per process (the cache is keyed by a digest). */
export function deriveKey(passphrase: string, salt: Buffer): Buffer {
    const id = `${salt.toString("base64")}:${createHash("sha256").update(passphrase, "utf8").digest("hex")}`;
    let key = keys.get(id);
    if (key === undefined) {
        // Go's []byte(phrase) is the string's UTF-8 bytes; so is Node's for a string.
        key = pbkdf2Sync(Buffer.from(passphrase, "utf8"), salt, PASSPHRASE_SCHEME.iterations, PASSPHRASE_SCHEME.keyBytes, PASSPHRASE_SCHEME.digest);
        keys.set(id, key);
    }
    return key;
}

/** Decrypts one `v1:<nonce>:<ciphertext>` value with `key`, or throws a CiphertextError saying why not. */
export function decryptValue(key: Buffer, value: string): string {
    const parts = value.split(":");
    if (parts.length !== 3) {
        throw new CiphertextError("malformed", "not three :-separated parts");
    }
    if (parts[0] !== "v1") {
        throw new CiphertextError("malformed", `unknown version ${JSON.stringify(parts[0])}, only v1 exists`);
    }
    const nonce = decodeBase64(parts[1], "the nonce");
    const sealed = decodeBase64(parts[2], "the ciphertext");
    if (nonce.length !== PASSPHRASE_SCHEME.nonceBytes) {
        throw new CiphertextError("malformed", `a ${nonce.length}-byte nonce, the CLI uses ${PASSPHRASE_SCHEME.nonceBytes}`);
    }
    if (sealed.length < PASSPHRASE_SCHEME.tagBytes) {
        throw new CiphertextError("malformed", `too short to hold the ${PASSPHRASE_SCHEME.tagBytes}-byte authentication tag`);
    }
    const decipher = createDecipheriv("aes-256-gcm", key, nonce, { authTagLength: PASSPHRASE_SCHEME.tagBytes });
    decipher.setAuthTag(sealed.subarray(sealed.length - PASSPHRASE_SCHEME.tagBytes));
    try {
        return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - PASSPHRASE_SCHEME.tagBytes)), decipher.final()]).toString("utf8");
    } catch {
        throw new CiphertextError("undecryptable", "authentication failed: sealed with another key, or altered");
    }
}

/** Whether `key` opens the state's check value to "pulumi" (the CLI's passphrase check). */
export function passphraseMatches(key: Buffer, state: PassphraseState): boolean {
    try {
        return decryptValue(key, state.check) === PASSPHRASE_SCHEME.checkValue;
    } catch (error) {
        if (error instanceof CiphertextError && error.kind === "undecryptable") {
            return false;
        }
        throw error;
    }
}
