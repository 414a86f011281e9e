import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as pulumi from "@pulumi/pulumi";
import { cosignPublicKeyFingerprint } from "../components/chains/cosign-key";
import {
    CosignKeyPair,
    type CosignKeyPairProviderOutputs,
    cosignKeyPairProvider,
} from "../components/chains/key-pair";

import { assertUsableKeyPair, envelopeOf, REPO_ROOT } from "./cosign-checks";

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
