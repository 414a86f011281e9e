import * as assert from "node:assert/strict";
import { spawnSync, type SpawnSyncReturns } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as nacl from "tweetnacl";
import {
    COSIGN_PRIVATE_KEY_PEM_TYPE,
    type CosignScryptN,
    cosignPublicKeyFingerprint,
    encryptCosignPrivateKey,
    generateCosignKeyPair,
} from "../components/chains/cosign-key";
import {
    CosignKeyPair,
    type CosignKeyPairProviderOutputs,
    cosignKeyPairProvider,
} from "../components/chains/key-pair";

const REPO_ROOT = path.resolve(__dirname, "..");
/** Fastest cost cosign still decrypts (go-securesystemslib `legacyParams`), for tests that don't check N. */
const FAST_N: CosignScryptN = 32768;

interface Envelope {
    readonly kdf: { readonly name: string; readonly params: { readonly N: number; readonly r: number; readonly p: number }; readonly salt: string };
    readonly cipher: { readonly name: string; readonly nonce: string };
    readonly ciphertext: string;
}

/** Parses a PEM block strictly the way Go's encoding/pem writes it; returns type and body bytes. */
function parsePem(pem: string): { type: string; body: Buffer; lines: string[] } {
    const match = /^-----BEGIN ([A-Z ]+)-----\n([A-Za-z0-9+/=\n]+)\n-----END ([A-Z ]+)-----\n$/.exec(pem);
    assert.ok(match, "not a single well-formed PEM block ending in a newline");
    assert.equal(match[1], match[3], "BEGIN and END types differ");
    const lines = match[2].split("\n");
    return { type: match[1], body: Buffer.from(lines.join(""), "base64"), lines };
}

/** Decodes the private key PEM into cosign's JSON envelope, independently of the module under test. */
function envelopeOf(privateKeyPem: string): Envelope {
    const { type, body } = parsePem(privateKeyPem);
    assert.equal(type, "ENCRYPTED SIGSTORE PRIVATE KEY");
    return JSON.parse(body.toString("utf8")) as Envelope;
}

/**
 * Decrypts a cosign private key the way go-securesystemslib `encrypted.Decrypt` does (scrypt →
 * nacl secretbox open). Returns null when authentication fails (e.g. wrong password).
 */
function decryptCosignKey(privateKeyPem: string, password: string): Buffer | null {
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
function assertUsableKeyPair(privateKeyPem: string, publicKeyPem: string, password: string): void {
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

    for (const existing of FILES) {
        it(`refuses to overwrite and writes nothing when ${existing} already exists`, () => {
            fs.writeFileSync(path.join(tmp, existing), "keep me");
            const result = keygen(`--out=${tmp}`);
            assert.notEqual(result.status, 0);
            assert.match(result.stderr, /refusing to overwrite/);
            assert.ok(result.stderr.includes(existing));
            assert.equal(result.stdout, "");
            assert.deepEqual(fs.readdirSync(tmp), [existing]);
            assert.equal(fs.readFileSync(path.join(tmp, existing), "utf8"), "keep me");
        });
    }

    it("treats a missing --out as a usage error and writes nothing", () => {
        const before = fs.readdirSync(REPO_ROOT).filter((f) => f.startsWith("cosign."));
        const result = keygen();
        assert.equal(result.status, 2);
        assert.match(result.stderr, /--out DIR is required/);
        assert.match(result.stderr, /Usage: cosign-keygen --out DIR/);
        assert.equal(result.stdout, "");
        // Nothing written to the working directory either (cosign's own default location).
        assert.deepEqual(fs.readdirSync(REPO_ROOT).filter((f) => f.startsWith("cosign.")), before);
    });

    it("rejects unknown arguments and a dangling --out", () => {
        const unknown = keygen("--out", tmp, "--force");
        assert.equal(unknown.status, 2);
        assert.match(unknown.stderr, /unknown argument: --force/);
        const dangling = keygen("--out");
        assert.equal(dangling.status, 2);
        assert.match(dangling.stderr, /--out needs a directory/);
        assert.deepEqual(fs.readdirSync(tmp), []);
    });
});

describe("CosignKeyPair dynamic provider", function () {
    this.timeout(60_000);

    async function create(rotationTrigger?: string): Promise<{ id: string; outs: CosignKeyPairProviderOutputs }> {
        const result = await cosignKeyPairProvider.create(rotationTrigger === undefined ? {} : { rotationTrigger });
        assert.ok(result.outs);
        return { id: result.id, outs: result.outs };
    }

    it("create returns a usable cosign key pair, id = public key fingerprint", async () => {
        const { id, outs } = await create();
        assertUsableKeyPair(outs.privateKey, outs.publicKey, outs.password);
        assert.equal(envelopeOf(outs.privateKey).kdf.params.N, 65536);
        assert.equal(id, `sha256:${cosignPublicKeyFingerprint(outs.publicKey)}`);
        assert.ok(!("rotationTrigger" in outs));
    });

    it("create keeps the rotation trigger in the outputs (diff only sees old outputs)", async () => {
        const { outs } = await create("2025-01");
        assert.equal(outs.rotationTrigger, "2025-01");
    });

    it("diff reports no changes for identical inputs or any non-trigger change", async () => {
        assert.ok(cosignKeyPairProvider.diff);
        const { id, outs } = await create("r1");
        const same = await cosignKeyPairProvider.diff(id, outs, { rotationTrigger: "r1" });
        assert.equal(same.changes, false);
        assert.equal(same.replaces, undefined);

        // Unknown/extra inputs (e.g. from a future version of the args) never regenerate the key.
        const extra = { rotationTrigger: "r1", scryptN: 131072, privateKey: "x" } as unknown as { rotationTrigger: string };
        assert.equal((await cosignKeyPairProvider.diff(id, outs, extra)).changes, false);

        const { id: id2, outs: noTrigger } = await create();
        assert.equal((await cosignKeyPairProvider.diff(id2, noTrigger, {})).changes, false);
        assert.equal((await cosignKeyPairProvider.diff(id2, noTrigger, { rotationTrigger: "" })).changes, false);
    });

    it("diff replaces on a changed, added or removed rotationTrigger", async () => {
        assert.ok(cosignKeyPairProvider.diff);
        const { id, outs } = await create("r1");
        for (const news of [{ rotationTrigger: "r2" }, {}]) {
            const result = await cosignKeyPairProvider.diff(id, outs, news);
            assert.equal(result.changes, true);
            assert.deepEqual(result.replaces, ["rotationTrigger"]);
        }
        const { id: id2, outs: noTrigger } = await create();
        assert.deepEqual((await cosignKeyPairProvider.diff(id2, noTrigger, { rotationTrigger: "r1" })).replaces, ["rotationTrigger"]);
    });

    it("survives Pulumi closure serialization and runs in a plain node process", async () => {
        const serialized = await pulumi.runtime.serializeFunction(() => cosignKeyPairProvider, { allowSecrets: true });
        assert.equal(serialized.containsSecrets, false);
        // Same loader as @pulumi/pulumi cmd/dynamic-provider (require-from-string), without ts-node.
        const script = `
            const text = require("fs").readFileSync(0, "utf8");
            const provider = require("require-from-string")(text).handler();
            (async () => {
                const created = await provider.create({ rotationTrigger: "t1" });
                const same = await provider.diff(created.id, created.outs, { rotationTrigger: "t1" });
                const rotated = await provider.diff(created.id, created.outs, { rotationTrigger: "t2" });
                process.stdout.write(JSON.stringify({ created, same, rotated }));
            })().catch((e) => { console.error(e); process.exit(1); });`;
        const result = spawnSync(process.execPath, ["-e", script], { cwd: REPO_ROOT, input: serialized.text, encoding: "utf8" });
        assert.equal(result.status, 0, result.stderr);
        const { created, same, rotated } = JSON.parse(result.stdout) as {
            created: { id: string; outs: CosignKeyPairProviderOutputs };
            same: { changes: boolean };
            rotated: { replaces: string[] };
        };
        assertUsableKeyPair(created.outs.privateKey, created.outs.publicKey, created.outs.password);
        assert.equal(created.outs.rotationTrigger, "t1");
        assert.equal(same.changes, false);
        assert.deepEqual(rotated.replaces, ["rotationTrigger"]);
    });
});

describe("CosignKeyPair resource", function () {
    this.timeout(60_000);

    it("registers the stable type token, marks privateKey and password secret, passes the trigger", async () => {
        const registered: pulumi.runtime.MockResourceArgs[] = [];
        await pulumi.runtime.setMocks(
            {
                newResource: (args) => {
                    registered.push(args);
                    return { id: `${args.name}-id`, state: { ...args.inputs, publicKey: "PUB" } };
                },
                call: () => ({}),
            },
            "project",
            "stack",
            false,
        );
        let seenOpts: pulumi.ResourceOptions | undefined;
        const resource = new CosignKeyPair("chains-signing", { rotationTrigger: "r1" }, {
            protect: true,
            transformations: [(args) => {
                seenOpts = args.opts;
                return undefined;
            }],
        });
        const publicKey = await new Promise<string>((resolve) => resource.publicKey.apply(resolve));
        assert.equal(publicKey, "PUB");
        assert.equal(registered.length, 1);
        assert.equal(registered[0].type, "pulumi-nodejs:dynamic/pipeline-service:CosignKeyPair");
        assert.equal(registered[0].inputs.rotationTrigger, "r1");
        assert.equal(typeof registered[0].inputs.__provider, "string");
        const opts = seenOpts as pulumi.CustomResourceOptions | undefined;
        assert.deepEqual([...(opts?.additionalSecretOutputs ?? [])].sort(), ["password", "privateKey"]);
        assert.equal(opts?.protect, true, "caller options are kept");
    });
});
