/**
 * Passphrase-stack fixtures for the secrets tests, made with Node's crypto directly (not render/passphrase.ts),
 * from a real stack the Pulumi CLI wrote: pulumi/pulumi `tests/roundtrip/roundtrip_test.go`,
 * `TestConfigRoundtripComments` (commit 1b5949891b3cefcb9974752b24a5ecef0acc86c8) sets `e.Passphrase` to its own
 * name and writes this `encryptionsalt` and `foo:d: secure: …`, which decrypts to "secret-value".
 */
import { createCipheriv, pbkdf2Sync } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_DIR } from "../render";

export const CLI_STACK = {
    passphrase: "TestConfigRoundtripComments",
    encryptionsalt: "v1:ThS5UPxP9qc=:v1:UZYAXF+ylaJ0rGhv:9OTvBnOEDFgxs7btjzSu+LZ470vLpg==",
    secure: "v1:T1ftqhY0hqr+EJK6:+jvd5PMecFx80tcavzuZY4tLatgIfoe/xR72GA==",
    plaintext: "secret-value",
} as const;

let fixtureKey: Buffer | undefined;

/** The CLI stack's key, derived here once (1,000,000 PBKDF2-SHA256 rounds, 32 bytes) for making fixtures. */
export function cliStackKey(): Buffer {
    fixtureKey ??= pbkdf2Sync(CLI_STACK.passphrase, Buffer.from(CLI_STACK.encryptionsalt.split(":")[1], "base64"), 1_000_000, 32, "sha256");
    return fixtureKey;
}

let nonceCounter = 0;

/** `plaintext` as `pulumi config set --secret` writes it: v1:<12-byte nonce>:<AES-256-GCM ciphertext + tag>. */
export function encryptLikeCli(plaintext: string, key: Buffer = cliStackKey()): string {
    nonceCounter += 1;
    const nonce = Buffer.alloc(12);
    nonce.writeUInt32BE(nonceCounter, 8);
    const cipher = createCipheriv("aes-256-gcm", key, nonce);
    const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `v1:${nonce.toString("base64")}:${sealed.toString("base64")}`;
}

/** The dev example stack's file text, with `head` (top-level lines) before it and `config` lines added. */
export function devStackWith(head: string, config = ""): string {
    return `${head}${fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8")}${config}`;
}

/** A `secure:` config entry (two-space indented under `config:`). */
export function secureEntry(key: string, ciphertext: string): string {
    return `  ${key}:\n    secure: ${ciphertext}\n`;
}
