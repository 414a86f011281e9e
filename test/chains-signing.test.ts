/**
 * Tekton Chains signing through the render harness (issue 5): the key mode of both example stacks, adoption of
 * an existing key, keyless signing, and the absence of private key material in every written render file.
 *
 * The Kubernetes SDK wraps a Secret's whole `stringData` in one Pulumi secret, so the render shows it only as
 * `[secret]`. To see which keys the Secrets carry and what they are wired to, some renders also run a stack
 * transformation (a spy) that records each Secret's `stringData` as the SDK resolves it, and for key mode plants
 * known key material into the key pair's outputs (the mock runtime echoes a resource's inputs as its outputs).
 */
import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import {
    loadStackSettings, PROJECT_DIR, renderProgram, SECRET_MARK, withConfig, writeRender, type RenderResult, type ResourceRecord,
} from "../render";
import { at, exampleRender, manifest, ofType, single } from "./harness";

const NAMESPACE = "openshift-pipelines";
const SECRET = "kubernetes:core/v1:Secret";
const CLUSTER_ROLE = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole";
const ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding";
const TEKTON_CONFIG = "kubernetes:operator.tekton.dev/v1alpha1:TektonConfig";
const KEY_PAIR = "pulumi-nodejs:dynamic/pipeline-service:CosignKeyPair";
const VIEWER = "tekton-chains-public-key-viewer";
const CHAINS_CONFIG_KEY = "pipeline-service:chains";
/** Groups every user (or every anonymous caller) belongs to: only the public-key viewer may name one. */
const EVERYONE_GROUPS = ["system:authenticated", "system:unauthenticated"];
/** Any PEM private key block: PKCS#8, SEC1, and cosign's ENCRYPTED SIGSTORE / COSIGN PRIVATE KEY. */
const PRIVATE_KEY_PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

interface KeyMaterial {
    readonly privateKey: string;
    readonly password: string;
    readonly publicKey: string;
}

/** A P-256 public key PEM, as `cosign.pub` (and the adoption config) holds it. */
function newPublicKeyPem(): string {
    return crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" }).toString();
}

/** Assembled, so no PEM header of a private key stands in the source for secret scanners to trip on. */
const COSIGN_PEM_TYPE = ["ENCRYPTED", "SIGSTORE", "PRIVATE", "KEY"].join(" ");

/** Key material that looks like cosign's (the PEM type is what a leak check must catch); random, so unique. */
function plantedKeyMaterial(): KeyMaterial {
    const body = crypto.randomBytes(192).toString("base64").replace(/.{64}/g, "$&\n");
    return {
        privateKey: `-----BEGIN ${COSIGN_PEM_TYPE}-----\n${body}\n-----END ${COSIGN_PEM_TYPE}-----\n`,
        password: crypto.randomBytes(32).toString("base64url"),
        publicKey: newPublicKeyPem(),
    };
}

interface SpiedSecret {
    readonly isSecret: boolean;
    /** The resolved `stringData`, absent while unknown (preview of a value only `up` computes). */
    readonly stringData?: Record<string, string>;
}

interface SpiedRender {
    readonly result: RenderResult;
    /** Every Secret's `stringData` by object name. */
    readonly secrets: ReadonlyMap<string, SpiedSecret>;
}

/**
 * Renders the real program with the spy described at the top. The legacy stack transformation is used on
 * purpose: it runs inside the SDK, whereas `registerResourceTransform` runs in the engine, absent under mocks.
 */
async function renderWithSpy(stack: "dev" | "prod", overrides: Readonly<Record<string, unknown>>, plant?: KeyMaterial): Promise<SpiedRender> {
    const isSecret = new Map<string, Promise<boolean>>();
    const values = new Map<string, Record<string, string>>();
    const program = (): unknown => {
        pulumi.runtime.registerStackTransformation((args) => {
            if (args.type === KEY_PAIR && plant) {
                const props = { ...args.props, privateKey: pulumi.secret(plant.privateKey), password: pulumi.secret(plant.password), publicKey: plant.publicKey };
                return { props, opts: args.opts };
            }
            if (args.type === SECRET) {
                const objectName = String(at(args.props, "metadata", "name"));
                const stringData = pulumi.output(args.props.stringData as pulumi.Input<Record<string, string>>);
                isSecret.set(objectName, pulumi.isSecret(stringData));
                stringData.apply((value) => values.set(objectName, value));
            }
            return undefined;
        });
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        return (require(path.join(PROJECT_DIR, "index")) as () => unknown)();
    };
    const result = await renderProgram(withConfig(loadStackSettings(stack), overrides), program);
    const secrets = new Map<string, SpiedSecret>();
    for (const [objectName, secret] of isSecret) {
        secrets.set(objectName, { isSecret: await secret, stringData: values.get(objectName) });
    }
    return { result, secrets };
}

/** A spied Secret's resolved `stringData`; fails when the Secret was not registered or its data is unknown. */
function knownStringData(render: SpiedRender, objectName: string): Record<string, string> {
    const secret = render.secrets.get(objectName);
    assert.ok(secret, `Secret ${objectName} was not registered`);
    assert.equal(secret.isSecret, true, `${objectName} stringData must be a Pulumi secret`);
    assert.ok(secret.stringData, `${objectName} stringData is unknown`);
    return secret.stringData;
}

/** Where any resource names one of {@link EVERYONE_GROUPS} (as subject, SCC group, anything): `urn at path`. */
function everyoneGrants(resources: readonly ResourceRecord[]): string[] {
    const found: string[] = [];
    const walk = (value: unknown, where: string, urn: string): void => {
        if (typeof value === "string" && EVERYONE_GROUPS.includes(value)) {
            found.push(`${urn} at ${where}`);
        } else if (value !== null && typeof value === "object") {
            for (const [key, child] of Object.entries(value)) {
                walk(child, where ? `${where}.${key}` : key, urn);
            }
        }
    };
    for (const record of resources) {
        walk(record.inputs, "", record.urn);
    }
    return found;
}

/** Written files (path → reason) that hold private key material or one of the `planted` strings. */
function leakedKeyMaterial(files: ReadonlyMap<string, string>, planted: readonly string[]): string[] {
    const leaks: string[] = [];
    for (const [file, content] of files) {
        if (PRIVATE_KEY_PEM.test(content)) {
            leaks.push(`${file}: PEM private key`);
        }
        for (const secret of planted.filter((value) => content.includes(value))) {
            leaks.push(`${file}: planted value ${secret.slice(0, 12)}…`);
        }
    }
    return leaks;
}

/** Writes the render as the CLI does and reads every file back. */
function writtenFiles(result: RenderResult): Map<string, string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chains-signing-test-"));
    try {
        return new Map(writeRender(result, dir).map((file) => [path.relative(dir, file), fs.readFileSync(file, "utf8")]));
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

function tektonConfigChain(result: RenderResult): Record<string, unknown> {
    return at(single(result, TEKTON_CONFIG).inputs, "spec", "chain") as Record<string, unknown>;
}

function memo<T>(make: () => Promise<T>): () => Promise<T> {
    let value: Promise<T> | undefined;
    return () => (value ??= make());
}

const planted = plantedKeyMaterial();
const adoptedPublicKey = newPublicKeyPem();
const keylessUrls = {
    fulcioUrl: "https://fulcio.chains-test.example",
    fulcioOidcIssuer: "https://issuer.chains-test.example/auth",
    rekorUrl: "https://rekor.chains-test.example",
};
const plantedRender = memo(() => renderWithSpy("dev", {}, planted));
const adoptionRender = memo(() => renderWithSpy("dev", { [CHAINS_CONFIG_KEY]: { adoptExistingKey: true, existingPublicKey: adoptedPublicKey } }));
const keylessRender = memo(() => renderWithSpy("dev", { [CHAINS_CONFIG_KEY]: { signing: "keyless", ...keylessUrls } }));

for (const stack of ["dev", "prod"] as const) {
    describe(`Chains signing, key mode (${stack} example)`, () => {
        let result: RenderResult;
        before(async () => {
            result = await exampleRender(stack);
        });

        it("generates one cosign key pair, protected, retained on delete, private half and password as secret outputs", () => {
            const keyPair = single(result, KEY_PAIR);
            assert.equal(keyPair.protect, true);
            assert.equal(keyPair.retainOnDelete, true);
            assert.deepEqual([...keyPair.additionalSecretOutputs].sort(), ["password", "privateKey"]);
            // Generated by the provider, never passed in: no key material among the inputs.
            assert.deepEqual(Object.keys(keyPair.inputs).filter((key) => key !== "__provider" && key !== "rotationTrigger"), []);
        });

        it("writes signing-secrets immutable, protected, retained, data changes ignored, no owner reference, data secret", () => {
            const signing = manifest(result, SECRET, "signing-secrets", NAMESPACE);
            assert.equal(signing.inputs.immutable, true);
            assert.equal(signing.protect, true);
            assert.equal(signing.retainOnDelete, true);
            for (const field of ["data", "stringData"]) {
                assert.ok(signing.ignoreChanges.includes(field), `ignoreChanges lacks ${field}`);
            }
            // The operator sets its installer set as the controlling owner; a second controller would be refused.
            assert.equal(at(signing.inputs, "metadata", "ownerReferences"), undefined);
            assert.equal(signing.inputs.stringData, SECRET_MARK);
            assert.equal(signing.inputs.data, undefined);
            assert.ok(signing.dependencies.includes(single(result, KEY_PAIR).urn), "signing-secrets must come from the key pair");
        });

        it("creates signing-secrets before the TektonConfig, which never lets the operator generate a key", () => {
            const signing = manifest(result, SECRET, "signing-secrets", NAMESPACE);
            const tektonConfig = single(result, TEKTON_CONFIG);
            assert.ok(tektonConfig.dependencies.includes(signing.urn), "TektonConfig does not wait for signing-secrets");
            assert.equal(tektonConfigChain(result).generateSigningSecret, false);
        });

        it("publishes public-key (secret data, from the key pair) in openshift-pipelines", () => {
            const publicKey = manifest(result, SECRET, "public-key", NAMESPACE);
            assert.equal(publicKey.inputs.stringData, SECRET_MARK);
            assert.equal(publicKey.inputs.data, undefined);
            assert.ok(publicKey.dependencies.includes(single(result, KEY_PAIR).urn));
        });

        it("grants get/list/watch on the public-key Secret only, to system:authenticated only, in openshift-pipelines", () => {
            const role = manifest(result, CLUSTER_ROLE, VIEWER);
            assert.deepEqual(role.inputs.rules, [
                { apiGroups: [""], resources: ["secrets"], resourceNames: ["public-key"], verbs: ["get", "list", "watch"] },
            ]);
            assert.equal(role.inputs.aggregationRule, undefined);
            const binding = manifest(result, ROLE_BINDING, VIEWER, NAMESPACE);
            assert.deepEqual(binding.inputs.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: VIEWER });
            assert.deepEqual(binding.inputs.subjects, [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "system:authenticated" }]);
        });

        it("names system:authenticated / system:unauthenticated nowhere but in that RoleBinding", () => {
            const binding = manifest(result, ROLE_BINDING, VIEWER, NAMESPACE);
            assert.deepEqual(everyoneGrants(result.resources), [`${binding.urn} at subjects.0.name`]);
        });
    });
}

describe("Chains signing, key mode: what the Secrets hold (dev, key material planted)", () => {
    let render: SpiedRender;
    before(async () => {
        render = await plantedRender();
    });

    it("signing-secrets holds exactly cosign.key, cosign.password, cosign.pub from the key pair, as a secret", () => {
        assert.deepEqual(knownStringData(render, "signing-secrets"), {
            "cosign.key": planted.privateKey,
            "cosign.password": planted.password,
            "cosign.pub": planted.publicKey,
        });
    });

    it("public-key holds exactly cosign.pub, the key pair's public half", () => {
        assert.deepEqual(knownStringData(render, "public-key"), { "cosign.pub": planted.publicKey });
    });

    it("exports the public key, and shows the private half and password only as [secret]", () => {
        assert.equal(render.result.outputs.chainsPublicKey, planted.publicKey);
        const keyPair = single(render.result, KEY_PAIR);
        assert.equal(keyPair.inputs.privateKey, SECRET_MARK);
        assert.equal(keyPair.inputs.password, SECRET_MARK);
    });
});

describe("Chains signing, adoption of an existing key", () => {
    let render: SpiedRender;
    before(async () => {
        render = await adoptionRender();
    });

    it("registers no new key material: no key pair, no dynamic resource of ours, no signing-secrets", () => {
        assert.deepEqual(ofType(render.result, KEY_PAIR), []);
        assert.deepEqual(render.result.resources.filter((record) => record.type.startsWith("pulumi-nodejs:dynamic/pipeline-service:")), []);
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
        dependencies: [], protect: false, retainOnDelete: false, ignoreChanges: [], deleteBeforeReplace: false, additionalSecretOutputs: [],
        inputs: {},
    };
}
