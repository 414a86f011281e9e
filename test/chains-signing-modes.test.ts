/**
 * Tekton Chains signing through the render harness: adoption of an existing key, keyless signing, and the
 * absence of private key material in every written render file.
 */
import * as assert from "node:assert/strict";
import { type RenderResult, type ResourceRecord } from "../render";
import { at, exampleRender, manifest, ofType } from "./harness";
import { adoptedPublicKey, adoptionRender, CLUSTER_ROLE, everyoneGrants, KEY_PAIR, keylessRender, keylessUrls, knownStringData, leakedKeyMaterial, NAMESPACE, planted, plantedKeyMaterial, plantedRender, ROLE_BINDING, SECRET, type SpiedRender, tektonConfigChain, VIEWER, writtenFiles } from "./chains-render";

describe("Chains signing, adoption of an existing key", () => {
    let render: SpiedRender;
    before(async () => {
        render = await adoptionRender();
    });

    it("registers no new key material: no key pair, no dynamic resource of ours, no signing-secrets", () => {
        assert.deepEqual(ofType(render.result, KEY_PAIR), []);
        // The S3 key rotation guard is ours too, but records a state name only.
        assert.deepEqual(render.result.resources.filter((record) => record.type.startsWith("pulumi-nodejs:dynamic/pipeline-service:"))
            .map((record) => record.type), ["pulumi-nodejs:dynamic/pipeline-service:S3KeyRotationGuard"]);
        assert.deepEqual(ofType(render.result, SECRET).filter((record) => at(record.inputs, "metadata", "name") === "signing-secrets"), []);
        assert.equal(render.secrets.has("signing-secrets"), false);
        for (const [objectName, secret] of render.secrets) {
            assert.ok(!secret.stringData || !("cosign.key" in secret.stringData), `${objectName} carries a private key`);
        }
    });

    it("publishes exactly the configured public key, readable by system:authenticated", () => {
        assert.deepEqual(knownStringData(render, "public-key"), { "cosign.pub": adoptedPublicKey });
        assert.equal(render.result.outputs.chainsPublicKey, adoptedPublicKey);
        const binding = manifest(render.result, ROLE_BINDING, VIEWER, NAMESPACE);
        assert.deepEqual(everyoneGrants(render.result.resources), [`${binding.urn} at subjects.0.name`]);
        manifest(render.result, CLUSTER_ROLE, VIEWER);
    });

    it("still keeps the operator from generating (and overwriting) a key", () => {
        assert.equal(tektonConfigChain(render.result).generateSigningSecret, false);
    });
});

describe("Chains signing, keyless", () => {
    let render: SpiedRender;
    before(async () => {
        render = await keylessRender();
    });

    it("creates no key pair, no signing-secrets, no public-key and no viewer RBAC", () => {
        const { result } = render;
        assert.deepEqual(ofType(result, KEY_PAIR), []);
        const chainsSecrets = ofType(result, SECRET).filter((record) => ["signing-secrets", "public-key"].includes(String(at(record.inputs, "metadata", "name"))));
        assert.deepEqual(chainsSecrets, []);
        const viewerRbac = [...ofType(result, CLUSTER_ROLE), ...ofType(result, ROLE_BINDING)].filter((record) => at(record.inputs, "metadata", "name") === VIEWER);
        assert.deepEqual(viewerRbac, []);
        assert.deepEqual(everyoneGrants(result.resources), []);
        assert.equal(result.outputs.chainsPublicKey ?? undefined, undefined);
    });

    it("switches the TektonConfig to Fulcio certificates (x509) and Rekor, at the configured URLs", () => {
        const chain = tektonConfigChain(render.result);
        assert.deepEqual({
            taskrunSigner: chain["artifacts.taskrun.signer"],
            pipelinerunSigner: chain["artifacts.pipelinerun.signer"],
            ociSigner: chain["artifacts.oci.signer"],
            fulcioEnabled: chain["signers.x509.fulcio.enabled"],
            fulcioAddress: chain["signers.x509.fulcio.address"],
            fulcioIssuer: chain["signers.x509.fulcio.issuer"],
            transparencyEnabled: chain["transparency.enabled"],
            transparencyUrl: chain["transparency.url"],
            generateSigningSecret: chain.generateSigningSecret,
            disabled: chain.disabled,
        }, {
            taskrunSigner: "x509",
            pipelinerunSigner: "x509",
            ociSigner: "x509",
            fulcioEnabled: true,
            fulcioAddress: keylessUrls.fulcioUrl,
            fulcioIssuer: keylessUrls.fulcioOidcIssuer,
            transparencyEnabled: "true",
            transparencyUrl: keylessUrls.rekorUrl,
            generateSigningSecret: false,
            disabled: false,
        });
    });

    it("differs from key mode's Chains settings (which sign with the key, without Fulcio)", async () => {
        const keyChain = tektonConfigChain(await exampleRender("dev"));
        assert.equal(keyChain["signers.x509.fulcio.enabled"], undefined);
        assert.equal(keyChain["artifacts.oci.signer"], undefined);
    });
});

describe("Chains signing: no private key material in any written render file", () => {
    it("the checks catch what they look for", () => {
        const material = plantedKeyMaterial();
        const files = new Map([["ok.yaml", `cosign.pub: ${material.publicKey}`], ["key.yaml", material.privateKey], ["pw.json", `{"p":"${material.password}"}`]]);
        assert.deepEqual(leakedKeyMaterial(files, [material.password]), ["key.yaml: PEM private key", `pw.json: planted value ${material.password.slice(0, 12)}…`]);
        const sloppy: ResourceRecord = { ...manifestLike("ClusterRoleBinding"), inputs: { subjects: [{ kind: "Group", name: "system:unauthenticated" }] } };
        assert.deepEqual(everyoneGrants([sloppy]), [`${sloppy.urn} at subjects.0.name`]);
    });

    const renders: Record<string, () => Promise<RenderResult>> = {
        "dev example": () => exampleRender("dev"),
        "prod example": () => exampleRender("prod"),
        "dev, key material planted": async () => (await plantedRender()).result,
        "adoption": async () => (await adoptionRender()).result,
        "keyless": async () => (await keylessRender()).result,
    };
    for (const [label, render] of Object.entries(renders)) {
        it(label, async () => {
            const files = writtenFiles(await render());
            assert.ok(files.size > 2, "nothing written");
            assert.deepEqual(leakedKeyMaterial(files, [planted.privateKey, planted.password, planted.privateKey.split("\n")[1]]), []);
        });
    }
});

/** A minimal record for the violation checks. */
function manifestLike(kind: string): ResourceRecord {
    return {
        urn: `urn:pulumi:test::pipeline-service::kubernetes:rbac.authorization.k8s.io/v1:${kind}::sloppy`,
        type: `kubernetes:rbac.authorization.k8s.io/v1:${kind}`, name: "sloppy", parent: null, custom: true, provider: null,
        dependencies: [], protect: false, retainOnDelete: false, ignoreChanges: [], deleteBeforeReplace: false, additionalSecretOutputs: [], replaceOnChanges: [], aliases: [], unknownOutputs: [], propertyDependencies: {},
        inputs: {},
    };
}
