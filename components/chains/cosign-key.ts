/**
 * Cosign key material for Tekton Chains, generated in-process with Node's crypto.
 *
 * The private key is written in cosign's own encrypted format so that Tekton Chains (and `cosign sign
 * --key`) can load it exactly as if `cosign generate-key-pair` had produced it. The format, as read from
 * upstream source:
 *
 * - sigstore/cosign `pkg/cosign/keys.go` (`marshalKeyPair`, `LoadPrivateKey`): an ECDSA P-256 key,
 *   marshalled as PKCS#8 DER, encrypted with `encrypted.Encrypt`, stored as a PEM block of type
 *   `ENCRYPTED SIGSTORE PRIVATE KEY` (`ENCRYPTED COSIGN PRIVATE KEY` is still accepted on load). The
 *   public key is PKIX DER in a `PUBLIC KEY` PEM block.
 * - secure-systems-lab/go-securesystemslib `encrypted/encrypted.go`: the PEM body is the JSON
 *   `{"kdf":{"name":"scrypt","params":{"N":…,"r":8,"p":1},"salt":…},"cipher":{"name":"nacl/secretbox",
 *   "nonce":…},"ciphertext":…}` (Go struct order; `[]byte` fields are standard padded base64), with a
 *   32-byte salt, a 24-byte nonce and a 32-byte scrypt key. `Decrypt` rejects any scrypt parameters
 *   other than N ∈ {2^15, 2^16, 2^17} with r = 8, p = 1; `Encrypt` uses N = 2^16.
 *
 * This module has no Pulumi dependency: the dynamic resource in `key-pair.ts` and the
 * `tools/cosign-keygen.ts` CLI both call {@link generateCosignKeyPair}.
 */
import * as crypto from "node:crypto";
import * as nacl from "tweetnacl";

/** PEM type cosign (≥ 2.0.1) writes for an encrypted private key. */
export const COSIGN_PRIVATE_KEY_PEM_TYPE = "ENCRYPTED SIGSTORE PRIVATE KEY";

/** The scrypt cost parameters cosign's decrypter accepts (go-securesystemslib `CheckParams`). */
export const COSIGN_SCRYPT_N_VALUES = [32768, 65536, 131072] as const;

/** An scrypt cost parameter N that cosign will decrypt. */
export type CosignScryptN = (typeof COSIGN_SCRYPT_N_VALUES)[number];

/** cosign's default scrypt cost (go-securesystemslib `standardParams`). */
export const DEFAULT_COSIGN_SCRYPT_N: CosignScryptN = 65536;

// Fixed by go-securesystemslib `encrypted/encrypted.go`.
const SCRYPT_R = 8;
const SCRYPT_P = 1;
const SALT_BYTES = 32;
const SECRETBOX_KEY_BYTES = 32;
const SECRETBOX_NONCE_BYTES = 24;
const DEFAULT_PASSWORD_BYTES = 32;

/** A freshly generated cosign key pair, in the shape `cosign generate-key-pair` stores it. */
export interface CosignKeyPair {
    /** Encrypted private key PEM (`ENCRYPTED SIGSTORE PRIVATE KEY`); the `cosign.key` entry. */
    readonly privateKeyPem: string;
    /** PKIX public key PEM (`PUBLIC KEY`); the `cosign.pub` entry. */
    readonly publicKeyPem: string;
    /** Password that decrypts {@link CosignKeyPair.privateKeyPem}; the `cosign.password` entry. */
    readonly password: string;
}

/** Options for {@link generateCosignKeyPair}. */
export interface GenerateCosignKeyPairOptions {
    /**
     * Password to encrypt the private key with. Must be non-empty. Default: 32 random bytes,
     * base64url-encoded without padding (43 characters).
     */
    readonly password?: string;
    /** scrypt cost parameter N. Default {@link DEFAULT_COSIGN_SCRYPT_N} (65536), as cosign uses. */
    readonly scryptN?: CosignScryptN;
}

/** Returns a random password suitable for a cosign key (32 random bytes, base64url, no padding). */
export function generateCosignPassword(): string {
    return crypto.randomBytes(DEFAULT_PASSWORD_BYTES).toString("base64url");
}

/**
 * Wraps DER bytes in a PEM block the way Go's `encoding/pem` does: standard base64 in 64-character
 * lines, every line (including the END line) terminated by a newline.
 */
function toPem(type: string, der: Buffer): string {
    const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
    return `-----BEGIN ${type}-----\n${lines.join("\n")}\n-----END ${type}-----\n`;
}

function assertValidPassword(password: unknown): asserts password is string {
    // cosign refuses an empty password for keys it generates; an empty one would also make the
    // "secret" trivially decryptable by anyone holding the key file.
    if (typeof password !== "string" || password.length === 0) {
        throw new Error("cosign key password must be a non-empty string");
    }
}

function assertValidScryptN(scryptN: unknown): asserts scryptN is CosignScryptN {
    if (!(COSIGN_SCRYPT_N_VALUES as readonly unknown[]).includes(scryptN)) {
        throw new Error(
            `scrypt N must be one of ${COSIGN_SCRYPT_N_VALUES.join(", ")} (the only values cosign decrypts)`,
        );
    }
}

/**
 * Encrypts a PKCS#8 DER private key in cosign's format and returns the
 * `ENCRYPTED SIGSTORE PRIVATE KEY` PEM.
 *
 * @param pkcs8Der - the private key, PKCS#8 DER (what Go's `x509.MarshalPKCS8PrivateKey` produces)
 * @param password - non-empty password; its UTF-8 bytes are the scrypt passphrase
 * @param scryptN - scrypt cost; one of {@link COSIGN_SCRYPT_N_VALUES}
 */
export function encryptCosignPrivateKey(
    pkcs8Der: Buffer,
    password: string,
    scryptN: CosignScryptN = DEFAULT_COSIGN_SCRYPT_N,
): string {
    if (!Buffer.isBuffer(pkcs8Der) || pkcs8Der.length === 0) {
        throw new Error("private key must be a non-empty PKCS#8 DER buffer");
    }
    assertValidPassword(password);
    assertValidScryptN(scryptN);

    const salt = crypto.randomBytes(SALT_BYTES);
    const nonce = crypto.randomBytes(SECRETBOX_NONCE_BYTES);
    const key = crypto.scryptSync(Buffer.from(password, "utf8"), salt, SECRETBOX_KEY_BYTES, {
        N: scryptN,
        r: SCRYPT_R,
        p: SCRYPT_P,
        // scrypt needs 128·N·r bytes; Node's default ceiling (32 MiB) is below that for N ≥ 2^15.
        maxmem: 2 * 128 * scryptN * SCRYPT_R,
    });
    const ciphertext = nacl.secretbox(pkcs8Der, nonce, key);
    key.fill(0);

    // Field order mirrors the Go structs (`data`, `scryptKDF`, `scryptParams`, `secretBoxCipher`).
    const envelope = {
        kdf: {
            name: "scrypt",
            params: { N: scryptN, r: SCRYPT_R, p: SCRYPT_P },
            salt: salt.toString("base64"),
        },
        cipher: { name: "nacl/secretbox", nonce: nonce.toString("base64") },
        ciphertext: Buffer.from(ciphertext).toString("base64"),
    };
    return toPem(COSIGN_PRIVATE_KEY_PEM_TYPE, Buffer.from(JSON.stringify(envelope), "utf8"));
}

/**
 * Generates an ECDSA P-256 key pair in cosign's format: the private key encrypted under `password`
 * (random when not given), the public key as PKIX PEM.
 */
export function generateCosignKeyPair(options: GenerateCosignKeyPairOptions = {}): CosignKeyPair {
    const password = options.password ?? generateCosignPassword();
    const scryptN = options.scryptN ?? DEFAULT_COSIGN_SCRYPT_N;
    assertValidPassword(password);
    assertValidScryptN(scryptN);

    const { privateKey, publicKey } = crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" });
    const pkcs8Der = privateKey.export({ format: "der", type: "pkcs8" });
    try {
        return {
            privateKeyPem: encryptCosignPrivateKey(pkcs8Der, password, scryptN),
            publicKeyPem: publicKey.export({ format: "pem", type: "spki" }).toString(),
            password,
        };
    } finally {
        pkcs8Der.fill(0);
    }
}

/**
 * SHA-256 fingerprint (lower-case hex) of a public key's PKIX DER encoding. Not secret; useful as a
 * stable identifier of a key pair.
 */
export function cosignPublicKeyFingerprint(publicKeyPem: string): string {
    const der = crypto.createPublicKey(publicKeyPem).export({ format: "der", type: "spki" });
    return crypto.createHash("sha256").update(der).digest("hex");
}
