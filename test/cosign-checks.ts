/**
 * Independent cosign key checks shared by the key-format and key-pair tests: they parse and decrypt keys
 * the way go-securesystemslib does, without the module under test.
 */
import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import * as path from "node:path";
import * as nacl from "tweetnacl";
import type { CosignScryptN } from "../components/chains/cosign-key";

export const REPO_ROOT = path.resolve(__dirname, "..");
/** Fastest cost cosign still decrypts (go-securesystemslib `legacyParams`), for tests that don't check N. */
export const FAST_N: CosignScryptN = 32768;

export interface Envelope {
    readonly kdf: { readonly name: string; readonly params: { readonly N: number; readonly r: number; readonly p: number }; readonly salt: string };
    readonly cipher: { readonly name: string; readonly nonce: string };
    readonly ciphertext: string;
}

/** Parses a PEM block strictly the way Go's encoding/pem writes it; returns type and body bytes. */
export function parsePem(pem: string): { type: string; body: Buffer; lines: string[] } {
    const match = /^-----BEGIN ([A-Z ]+)-----\n([A-Za-z0-9+/=\n]+)\n-----END ([A-Z ]+)-----\n$/.exec(pem);
    assert.ok(match, "not a single well-formed PEM block ending in a newline");
    assert.equal(match[1], match[3], "BEGIN and END types differ");
    const lines = match[2].split("\n");
    return { type: match[1], body: Buffer.from(lines.join(""), "base64"), lines };
}

/** Decodes the private key PEM into cosign's JSON envelope, independently of the module under test. */
export function envelopeOf(privateKeyPem: string): Envelope {
    const { type, body } = parsePem(privateKeyPem);
    assert.equal(type, "ENCRYPTED SIGSTORE PRIVATE KEY");
    return JSON.parse(body.toString("utf8")) as Envelope;
}

/**
 * Decrypts a cosign private key the way go-securesystemslib `encrypted.Decrypt` does (scrypt →
 * nacl secretbox open). Returns null when authentication fails (e.g. wrong password).
 */
export function decryptCosignKey(privateKeyPem: string, password: string): Buffer | null {
    const env = envelopeOf(privateKeyPem);
    const { N, r, p } = env.kdf.params;
    const key = crypto.scryptSync(Buffer.from(password, "utf8"), Buffer.from(env.kdf.salt, "base64"), 32, {
        N,
        r,
        p,
        maxmem: 256 * N * r,
    });
    const opened = nacl.secretbox.open(
        Buffer.from(env.ciphertext, "base64"),
        Buffer.from(env.cipher.nonce, "base64"),
        key,
    );
    return opened === null ? null : Buffer.from(opened);
}

/** Asserts the pair is a usable cosign key: decrypts, is P-256 PKCS#8, signs, verifies with the public PEM. */
export function assertUsableKeyPair(privateKeyPem: string, publicKeyPem: string, password: string): void {
    const der = decryptCosignKey(privateKeyPem, password);
    assert.ok(der, "private key did not decrypt with its password");
    const privateKey = crypto.createPrivateKey({ key: der, format: "der", type: "pkcs8" });
    assert.equal(privateKey.asymmetricKeyType, "ec");
    assert.equal(privateKey.asymmetricKeyDetails?.namedCurve, "prime256v1");

    assert.equal(parsePem(publicKeyPem).type, "PUBLIC KEY");
    const message = Buffer.from("sha256:0123456789abcdef image digest");
    const signature = crypto.sign("sha256", message, privateKey);
    assert.ok(crypto.verify("sha256", message, publicKeyPem, signature), "public key does not verify the signature");
    assert.equal(crypto.verify("sha256", Buffer.from("tampered"), publicKeyPem, signature), false);
}

