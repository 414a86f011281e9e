import * as assert from "node:assert/strict";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    COSIGN_PRIVATE_KEY_PEM_TYPE,
    type CosignScryptN,
    cosignPublicKeyFingerprint,
    encryptCosignPrivateKey,
    generateCosignKeyPair,
} from "../components/chains/cosign-key";

import { main } from "../tools/cosign-keygen";
import { assertUsableKeyPair, decryptCosignKey, envelopeOf, FAST_N, parsePem, REPO_ROOT } from "./cosign-checks";

describe("cosign-key: cosign encrypted key format", () => {
    // Shared across the format assertions below: generation with cosign's default N = 65536.
    const pair = generateCosignKeyPair();

    it("round-trips through an independent decrypt: P-256 PKCS#8 that signs for the public key", () => {
        assertUsableKeyPair(pair.privateKeyPem, pair.publicKeyPem, pair.password);
    });

    it("fails to decrypt with a wrong password", () => {
        assert.equal(decryptCosignKey(pair.privateKeyPem, `${pair.password}x`), null);
        assert.equal(decryptCosignKey(pair.privateKeyPem, "password"), null);
    });

    it("uses cosign's PEM type and Go-style 64-character lines", () => {
        assert.equal(COSIGN_PRIVATE_KEY_PEM_TYPE, "ENCRYPTED SIGSTORE PRIVATE KEY");
        for (const pem of [pair.privateKeyPem, pair.publicKeyPem]) {
            const { lines } = parsePem(pem);
            lines.slice(0, -1).forEach((line) => assert.equal(line.length, 64));
            assert.ok(lines[lines.length - 1].length > 0 && lines[lines.length - 1].length <= 64);
        }
        // Assembled, so no PEM header of a private key stands in the source for secret scanners to trip on.
        const pemType = ["ENCRYPTED", "SIGSTORE", "PRIVATE", "KEY"].join(" ");
        assert.ok(pair.privateKeyPem.startsWith(`-----BEGIN ${pemType}-----\n`));
        assert.ok(pair.privateKeyPem.endsWith(`\n-----END ${pemType}-----\n`));
        assert.ok(pair.publicKeyPem.startsWith("-----BEGIN PUBLIC KEY-----\n"));
    });

    it("writes the go-securesystemslib JSON envelope exactly (field names, order, kdf params)", () => {
        const { body } = parsePem(pair.privateKeyPem);
        const json = body.toString("utf8");
        // Compact JSON in Go struct order, as encoding/json emits it.
        assert.match(
            json,
            /^\{"kdf":\{"name":"scrypt","params":\{"N":65536,"r":8,"p":1\},"salt":"[A-Za-z0-9+/]+=*"\},"cipher":\{"name":"nacl\/secretbox","nonce":"[A-Za-z0-9+/]+=*"\},"ciphertext":"[A-Za-z0-9+/]+=*"\}$/,
        );
        const env = envelopeOf(pair.privateKeyPem);
        assert.deepEqual(Object.keys(env), ["kdf", "cipher", "ciphertext"]);
        assert.deepEqual(Object.keys(env.kdf), ["name", "params", "salt"]);
        assert.deepEqual(env.kdf.params, { N: 65536, r: 8, p: 1 });
        assert.deepEqual(Object.keys(env.kdf.params), ["N", "r", "p"]);
        assert.deepEqual(Object.keys(env.cipher), ["name", "nonce"]);
        assert.equal(Buffer.from(env.kdf.salt, "base64").length, 32);
        assert.equal(Buffer.from(env.cipher.nonce, "base64").length, 24);
        // secretbox adds a 16-byte Poly1305 tag to the PKCS#8 DER (138 bytes for P-256 from Node).
        const der = decryptCosignKey(pair.privateKeyPem, pair.password);
        assert.ok(der);
        assert.equal(Buffer.from(env.ciphertext, "base64").length, der.length + 16);
    });

    it("defaults to a 32-byte base64url password without padding", () => {
        assert.match(pair.password, /^[A-Za-z0-9_-]{43}$/);
        assert.equal(Buffer.from(pair.password, "base64url").length, 32);
    });

    it("generates a different key, salt, nonce and password every time", () => {
        const a = generateCosignKeyPair({ scryptN: FAST_N });
        const b = generateCosignKeyPair({ scryptN: FAST_N });
        assert.notEqual(a.publicKeyPem, b.publicKeyPem);
        assert.notEqual(a.password, b.password);
        assert.notEqual(envelopeOf(a.privateKeyPem).kdf.salt, envelopeOf(b.privateKeyPem).kdf.salt);
        assert.notEqual(envelopeOf(a.privateKeyPem).cipher.nonce, envelopeOf(b.privateKeyPem).cipher.nonce);
        // Same password, same key: the random salt and nonce still make the ciphertext differ.
        const der = crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({ format: "der", type: "pkcs8" });
        assert.notEqual(encryptCosignPrivateKey(der, "pw", FAST_N), encryptCosignPrivateKey(der, "pw", FAST_N));
    });

    it("honours an explicit password and each scrypt N that cosign accepts", () => {
        for (const scryptN of [32768, 131072] as const) {
            const custom = generateCosignKeyPair({ password: "correct horse", scryptN });
            assert.equal(custom.password, "correct horse");
            assert.equal(envelopeOf(custom.privateKeyPem).kdf.params.N, scryptN);
            assertUsableKeyPair(custom.privateKeyPem, custom.publicKeyPem, "correct horse");
        }
    });

    it("encryptCosignPrivateKey encrypts the given DER byte for byte", () => {
        const der = crypto.generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({ format: "der", type: "pkcs8" });
        const copy = Buffer.from(der);
        const pem = encryptCosignPrivateKey(der, "pässwörd", FAST_N);
        assert.deepEqual(decryptCosignKey(pem, "pässwörd"), copy);
    });

    it("rejects an empty password, an N cosign would not decrypt, and an empty key", () => {
        assert.throws(() => generateCosignKeyPair({ password: "" }), /non-empty/);
        assert.throws(() => generateCosignKeyPair({ scryptN: 16384 as CosignScryptN }), /scrypt N/);
        assert.throws(() => encryptCosignPrivateKey(Buffer.alloc(0), "pw"), /non-empty/);
    });

    it("fingerprints the public key as SHA-256 of its PKIX DER", () => {
        const der = crypto.createPublicKey(pair.publicKeyPem).export({ format: "der", type: "spki" });
        assert.equal(cosignPublicKeyFingerprint(pair.publicKeyPem), crypto.createHash("sha256").update(der).digest("hex"));
    });
});

describe("cosign-keygen CLI", function () {
    this.timeout(60_000);
    const FILES = ["cosign.key", "cosign.pub", "cosign.password"] as const;
    let tmp: string;

    /** Runs exactly the command line of the `cosign-keygen` npm script. */
    function keygen(...args: string[]): SpawnSyncReturns<string> {
        return spawnSync(
            process.execPath,
            ["-r", require.resolve("../tools/register.js"), "tools/cosign-keygen.ts", ...args],
            { cwd: REPO_ROOT, encoding: "utf8" },
        );
    }

    beforeEach(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "cosign-keygen-"));
    });
    afterEach(() => {
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("writes cosign.key, cosign.pub and cosign.password (0600) into a new directory and prints only their paths", () => {
        const out = path.join(tmp, "nested", "keys");
        const result = keygen("--out", out);
        assert.equal(result.status, 0, result.stderr);

        const paths = FILES.map((f) => path.join(out, f));
        assert.deepEqual(result.stdout.trim().split("\n").sort(), [...paths].sort());
        for (const p of paths) {
            assert.equal(fs.statSync(p).mode & 0o777, 0o600, `${p} mode`);
        }
        const [key, pub, password] = paths.map((p) => fs.readFileSync(p, "utf8"));
        assert.match(password, /^[A-Za-z0-9_-]{43}$/, "password file holds exactly the password, no newline");
        assertUsableKeyPair(key, pub, password);

        // No key material on either stream.
        for (const stream of [result.stdout, result.stderr]) {
            assert.ok(!stream.includes(password));
            assert.ok(!stream.includes("PRIVATE KEY"));
            assert.ok(!stream.includes("PUBLIC KEY"));
            assert.ok(!stream.includes(parsePem(key).lines[0]));
        }
    });

    /** The CLI in process (tools/cosign-keygen.ts main): what it prints, and its exit code. */
    function keygenInProcess(...args: string[]): { status: number; stdout: string; stderr: string } {
        const out: string[] = [];
        const err: string[] = [];
        const status = main(args, { out: (line) => out.push(`${line}\n`), err: (text) => err.push(`${text}\n`) });
        return { status, stdout: out.join(""), stderr: err.join("") };
    }

    for (const existing of FILES) {
        it(`refuses to overwrite and writes nothing when ${existing} already exists`, () => {
            fs.writeFileSync(path.join(tmp, existing), "keep me");
            const result = keygenInProcess(`--out=${tmp}`);
            assert.equal(result.status, 1);
            assert.match(result.stderr, /refusing to overwrite/);
            assert.ok(result.stderr.includes(existing));
            assert.equal(result.stdout, "");
            assert.deepEqual(fs.readdirSync(tmp), [existing]);
            assert.equal(fs.readFileSync(path.join(tmp, existing), "utf8"), "keep me");
        });
    }

    it("treats a missing --out as a usage error and writes nothing", () => {
        const before = fs.readdirSync(REPO_ROOT).filter((f) => f.startsWith("cosign."));
        const result = keygenInProcess();
        assert.equal(result.status, 2);
        assert.match(result.stderr, /--out DIR is required/);
        assert.match(result.stderr, /Usage: cosign-keygen --out DIR/);
        assert.equal(result.stdout, "");
        // Nothing written to the working directory either (cosign's own default location).
        assert.deepEqual(fs.readdirSync(REPO_ROOT).filter((f) => f.startsWith("cosign.")), before);
    });

    it("rejects unknown options, stray arguments and a dangling --out with node:util parseArgs's messages and the usage", () => {
        for (const [args, message] of [
            [["--out", tmp, "--force"], /^cosign-keygen: Unknown option '--force'/],
            [["--out", tmp, "extra"], /^cosign-keygen: Unexpected argument 'extra'/],
            [["--out"], /^cosign-keygen: Option '--out <value>' argument missing/],
        ] as const) {
            const result = keygenInProcess(...args);
            assert.equal(result.status, 2, args.join(" "));
            assert.match(result.stderr, message);
            assert.match(result.stderr, /\n\nUsage: cosign-keygen --out DIR\n/);
        }
        assert.deepEqual(fs.readdirSync(tmp), []);
    });

    it("prints the usage on --help and writes nothing", () => {
        const result = keygenInProcess("--help");
        assert.equal(result.status, 0);
        assert.match(result.stdout, /^Usage: cosign-keygen --out DIR\n[^]*-h, --help/);
        assert.deepEqual(fs.readdirSync(tmp), []);
    });
});
