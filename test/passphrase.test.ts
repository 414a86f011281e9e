/**
 * The passphrase provider's decrypt side against values the Pulumi CLI wrote (known answers from pulumi/pulumi's
 * own tests), not only against fixtures made the same way.
 */
import * as assert from "node:assert/strict";
import { CiphertextError, decryptValue, deriveKey, parseEncryptionSalt, passphraseMatches, PASSPHRASE_SCHEME } from "../render/passphrase";
import { CLI_STACK, cliStackKey, encryptLikeCli } from "./secrets-fixtures";

function rejects(fn: () => unknown, kind: CiphertextError["kind"], message: RegExp): void {
    assert.throws(fn, (error: unknown) => {
        assert.ok(error instanceof CiphertextError, String(error));
        assert.equal(error.kind, kind);
        assert.match(error.message, message);
        return true;
    });
}

describe("passphrase secrets (Pulumi CLI format)", () => {
    const state = parseEncryptionSalt(CLI_STACK.encryptionsalt);
    let key: Buffer;
    before(() => {
        key = deriveKey(CLI_STACK.passphrase, state.salt);
    });

    it("decrypts a secure: value the Pulumi CLI wrote (tests/roundtrip TestConfigRoundtripComments)", () => {
        assert.equal(state.salt.length, 8);
        assert.equal(passphraseMatches(key, state), true);
        assert.equal(decryptValue(key, CLI_STACK.secure), CLI_STACK.plaintext);
    });

    it("checks a passphrase as the CLI does (pkg/secrets/passphrase/manager_test.go: right \"password\", wrong \"password123\")", () => {
        const managerTestState = parseEncryptionSalt("v1:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==");
        assert.equal(passphraseMatches(deriveKey("password", managerTestState.salt), managerTestState), true);
        assert.equal(passphraseMatches(deriveKey("password123", managerTestState.salt), managerTestState), false);
    });

    it("derives the key with PBKDF2-SHA256, 1,000,000 rounds, 32 bytes, once per salt and passphrase", () => {
        assert.deepEqual(PASSPHRASE_SCHEME, { iterations: 1_000_000, keyBytes: 32, digest: "sha256", nonceBytes: 12, tagBytes: 16, checkValue: "pulumi" });
        assert.deepEqual(key, cliStackKey());
        const started = process.hrtime.bigint();
        assert.equal(deriveKey(CLI_STACK.passphrase, state.salt), key, "not the cached key");
        assert.ok(process.hrtime.bigint() - started < 20_000_000n, "the second derivation ran PBKDF2 again");
    });

    it("decrypts values made with Node's crypto in the same scheme (unicode, empty, multi-line)", () => {
        for (const plaintext of ["", "päss wörd ✓", "apiVersion: v1\nkind: Config\n", "a:b:c"]) {
            assert.equal(decryptValue(key, encryptLikeCli(plaintext)), plaintext);
        }
    });

    it("says why a value is not a ciphertext the CLI writes", () => {
        const good = encryptLikeCli("x").split(":");
        rejects(() => decryptValue(key, "v1:abc"), "malformed", /^not three :-separated parts$/);
        rejects(() => decryptValue(key, `v1:${good[1]}:${good[2]}:extra`), "malformed", /^not three :-separated parts$/);
        rejects(() => decryptValue(key, `v2:${good[1]}:${good[2]}`), "malformed", /^unknown version "v2", only v1 exists$/);
        rejects(() => decryptValue(key, `v1:${good[1].replace(/=+$/, "")}x:${good[2]}`), "malformed", /the nonce is not standard padded base64/);
        rejects(() => decryptValue(key, `v1:${good[1]}:${good[2].replace(/=+$/, "")}`), "malformed", /the ciphertext is not standard padded base64/);
        rejects(() => decryptValue(key, `v1:AAAAAAAAAAA=:${good[2]}`), "malformed", /^a 8-byte nonce, the CLI uses 12$/);
        rejects(() => decryptValue(key, `v1:${good[1]}:AAAA`), "malformed", /^too short to hold the 16-byte authentication tag$/);
        rejects(() => parseEncryptionSalt("ThS5UPxP9qc="), "malformed", /^not three :-separated parts$/);
        rejects(() => parseEncryptionSalt("v0:ThS5UPxP9qc=:v1:a:b"), "malformed", /^unknown version "v0", only v1 exists$/);
    });

    it("tells a value sealed with another key or tampered with from a malformed one", () => {
        const otherKey = Buffer.alloc(32, 7);
        rejects(() => decryptValue(key, encryptLikeCli("x", otherKey)), "undecryptable", /^authentication failed/);
        const [version, nonce, sealed] = CLI_STACK.secure.split(":");
        const flipped = Buffer.from(sealed, "base64");
        flipped[0] ^= 1;
        rejects(() => decryptValue(key, `${version}:${nonce}:${flipped.toString("base64")}`), "undecryptable", /authentication failed/);
    });
});
