/**
 * Renders and checks shared by the Chains signing tests: spied renders (each Secret's resolved
 * `stringData`), planted key material, and the checks that look for grants to everyone and leaked keys.
 */
import * as assert from "node:assert/strict";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { loadStackSettings, PROJECT_DIR, renderProgram, withConfig, writeRender, type RenderResult, type ResourceRecord } from "../render";
import { at, single } from "./harness";

export const NAMESPACE = "openshift-pipelines";
export const SECRET = "kubernetes:core/v1:Secret";
export const CLUSTER_ROLE = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole";
export const ROLE_BINDING = "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding";
export const TEKTON_CONFIG = "kubernetes:operator.tekton.dev/v1alpha1:TektonConfig";
export const KEY_PAIR = "pulumi-nodejs:dynamic/pipeline-service:CosignKeyPair";
export const VIEWER = "tekton-chains-public-key-viewer";
export const CHAINS_CONFIG_KEY = "pipeline-service:chains";
/** Groups every user (or every anonymous caller) belongs to: only the public-key viewer may name one. */
export const EVERYONE_GROUPS = ["system:authenticated", "system:unauthenticated"];
/** Any PEM private key block: PKCS#8, SEC1, and cosign's ENCRYPTED SIGSTORE / COSIGN PRIVATE KEY. */
export const PRIVATE_KEY_PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

export interface KeyMaterial {
    readonly privateKey: string;
    readonly password: string;
    readonly publicKey: string;
}

/** A P-256 public key PEM, as `cosign.pub` (and the adoption config) holds it. */
export function newPublicKeyPem(): string {
    return crypto.generateKeyPairSync("ec", { namedCurve: "P-256" }).publicKey.export({ type: "spki", format: "pem" }).toString();
}

/** Assembled, so no PEM header of a private key stands in the source for secret scanners to trip on. */
export const COSIGN_PEM_TYPE = ["ENCRYPTED", "SIGSTORE", "PRIVATE", "KEY"].join(" ");

/** Key material that looks like cosign's (the PEM type is what a leak check must catch); random, so unique. */
export function plantedKeyMaterial(): KeyMaterial {
    const body = crypto.randomBytes(192).toString("base64").replace(/.{64}/g, "$&\n");
    return {
        privateKey: `-----BEGIN ${COSIGN_PEM_TYPE}-----\n${body}\n-----END ${COSIGN_PEM_TYPE}-----\n`,
        password: crypto.randomBytes(32).toString("base64url"),
        publicKey: newPublicKeyPem(),
    };
}

export interface SpiedSecret {
    readonly isSecret: boolean;
    /** The resolved `stringData`, absent while unknown (preview of a value only `up` computes). */
    readonly stringData?: Record<string, string>;
}

export interface SpiedRender {
    readonly result: RenderResult;
    /** Every Secret's `stringData` by object name. */
    readonly secrets: ReadonlyMap<string, SpiedSecret>;
}

/**
 * Renders the real program with the spy described at the top. The legacy stack transformation is used on
 * purpose: it runs inside the SDK, whereas `registerResourceTransform` runs in the engine, absent under mocks.
 */
export async function renderWithSpy(stack: "dev" | "prod", overrides: Readonly<Record<string, unknown>>, plant?: KeyMaterial): Promise<SpiedRender> {
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
export function knownStringData(render: SpiedRender, objectName: string): Record<string, string> {
    const secret = render.secrets.get(objectName);
    assert.ok(secret, `Secret ${objectName} was not registered`);
    assert.equal(secret.isSecret, true, `${objectName} stringData must be a Pulumi secret`);
    assert.ok(secret.stringData, `${objectName} stringData is unknown`);
    return secret.stringData;
}

/** Where any resource names one of {@link EVERYONE_GROUPS} (as subject, SCC group, anything): `urn at path`. */
export function everyoneGrants(resources: readonly ResourceRecord[]): string[] {
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
export function leakedKeyMaterial(files: ReadonlyMap<string, string>, planted: readonly string[]): string[] {
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
export function writtenFiles(result: RenderResult): Map<string, string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "chains-signing-test-"));
    try {
        return new Map(writeRender(result, dir).map((file) => [path.relative(dir, file), fs.readFileSync(file, "utf8")]));
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

export function tektonConfigChain(result: RenderResult): Record<string, unknown> {
    return at(single(result, TEKTON_CONFIG).inputs, "spec", "chain") as Record<string, unknown>;
}

export function memo<T>(make: () => Promise<T>): () => Promise<T> {
    let value: Promise<T> | undefined;
    return () => (value ??= make());
}

export const planted = plantedKeyMaterial();
export const adoptedPublicKey = newPublicKeyPem();
export const keylessUrls = {
    fulcioUrl: "https://fulcio.chains-test.example",
    fulcioOidcIssuer: "https://issuer.chains-test.example/auth",
    rekorUrl: "https://rekor.chains-test.example",
};
export const plantedRender = memo(() => renderWithSpy("dev", {}, planted));
export const adoptionRender = memo(() => renderWithSpy("dev", { [CHAINS_CONFIG_KEY]: { adoptExistingKey: true, existingPublicKey: adoptedPublicKey } }));
export const keylessRender = memo(() => renderWithSpy("dev", { [CHAINS_CONFIG_KEY]: { signing: "keyless", ...keylessUrls } }));
