/**
 * Pipelines-as-Code through the render harness, for both example stacks: the Vault SecretStore and its
 * service account, the GitHub App ExternalSecret (checked field by field and by the External Secrets
 * models' schemas), the webhook URL output, the refresh interval's config validation, and that nothing
 * here waits for anything but the target namespace.
 */
import * as assert from "node:assert/strict";
import type * as EsoModels from "@kubernetes-models/external-secrets/external-secrets.io/v1" with { "resolution-mode": "import" };
import type { IExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret" with { "resolution-mode": "import" };
import type { ISecretStore } from "@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore" with { "resolution-mode": "import" };
import { buildRdsCaBundle } from "../components/results/rds-ca-bundle";
import type { StackConfig } from "../stacks/config";
import { loadStackSettings, renderStack, type RenderResult, type ResourceRecord } from "../render";
import { at, configOf, exampleRender, manifest, single, subtree, waitsFor } from "./harness";

// The models package is ESM-only; a real dynamic import() (not rewritten to require() by the CommonJS
// transpile) loads it.
const importEsm = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<unknown>;

const T = {
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    namespace: "kubernetes:core/v1:Namespace",
    secretStore: "kubernetes:external-secrets.io/v1:SecretStore",
    externalSecret: "kubernetes:external-secrets.io/v1:ExternalSecret",
    pipelinesAsCode: "pipeline-service:pac:PipelinesAsCode",
    rdsInstance: "aws:rds/instance:Instance",
} as const;

const NAMESPACE = "openshift-pipelines";
/** The Secret PaC reads its GitHub App from, and its keys (pipelines-as-code GitHub App docs). */
const PAC_SECRET = "pipelines-as-code-secret";
const PAC_SECRET_KEYS = ["github-application-id", "github-private-key", "webhook.secret"];

const dev = loadStackSettings("dev");


/** A structured key of dev's config merged with `patch`. */
function devObject(key: string, patch: Record<string, unknown>): Record<string, unknown> {
    return { ...(JSON.parse(dev.config[`pipeline-service:${key}`] ?? "{}") as Record<string, unknown>), ...patch };
}

/** The one object of `type` in openshift-pipelines. */
function inNamespace(result: RenderResult, type: string): ResourceRecord {
    const record = single(result, type);
    assert.equal(at(record.inputs, "metadata", "namespace"), NAMESPACE, `${type} is not in ${NAMESPACE}`);
    return record;
}

/** What the SecretStore must say for this config (Vault KV + Kubernetes auth, CA only when configured). */
function expectedStoreSpec(config: StackConfig, serviceAccountName: string): unknown {
    const vault = config.vault;
    return {
        provider: {
            vault: {
                server: vault.server,
                path: vault.kvMount,
                version: vault.kvVersion,
                ...(vault.caBundle === undefined ? {} : { caBundle: Buffer.from(vault.caBundle, "utf8").toString("base64") }),
                auth: { kubernetes: { mountPath: vault.authMountPath, role: vault.role, serviceAccountRef: { name: serviceAccountName } } },
            },
        },
    };
}

/** What the ExternalSecret must say for this config. */
function expectedExternalSecretSpec(config: StackConfig, storeName: string): unknown {
    return {
        refreshInterval: config.vault.refreshInterval,
        secretStoreRef: { name: storeName, kind: "SecretStore" },
        // Owner: ESO creates and owns the Secret; Retain: the last synced Secret stays when the Vault entry goes.
        target: { name: PAC_SECRET, creationPolicy: "Owner", deletionPolicy: "Retain" },
        data: PAC_SECRET_KEYS.map((key) => ({ secretKey: key, remoteRef: { key: config.vault.githubAppSecretPath, property: key } })),
    };
}

/** Checks the whole PaC component of one render against its config. */
function checkPipelinesAsCode(result: RenderResult, models: typeof EsoModels): void {
    const config = configOf(result);

    const serviceAccount = manifest(result, T.serviceAccount, config.vault.serviceAccountName, NAMESPACE);
    const store = inNamespace(result, T.secretStore);
    assert.equal(store.inputs.apiVersion, "external-secrets.io/v1");
    assert.equal(store.inputs.kind, "SecretStore");
    assert.deepEqual(store.inputs.spec, expectedStoreSpec(config, String(at(serviceAccount.inputs, "metadata", "name"))));
    // The store authenticates as that service account, so it is created after it.
    assert.ok(store.dependencies.includes(serviceAccount.urn));
    new models.SecretStore(store.inputs as unknown as ISecretStore).validate();

    const externalSecret = inNamespace(result, T.externalSecret);
    assert.equal(externalSecret.inputs.apiVersion, "external-secrets.io/v1");
    assert.equal(externalSecret.inputs.kind, "ExternalSecret");
    assert.deepEqual(externalSecret.inputs.spec, expectedExternalSecretSpec(config, String(at(store.inputs, "metadata", "name"))));
    new models.ExternalSecret(externalSecret.inputs as unknown as IExternalSecret).validate();
}

describe("Pipelines-as-Code", () => {
    let models: typeof EsoModels;
    before(async () => {
        models = await importEsm("@kubernetes-models/external-secrets/external-secrets.io/v1") as typeof EsoModels;
    });

    for (const stack of ["dev", "prod"] as const) {
        describe(`${stack} stack`, () => {
            let result: RenderResult;
            before(async () => {
                result = await exampleRender(stack);
            });

            it("syncs the GitHub App Secret from Vault: ServiceAccount, SecretStore and ExternalSecret exact and schema-valid", () => {
                checkPipelinesAsCode(result, models);
                // The examples configure no Vault CA: the store must not carry an empty one.
                assert.equal(at(inNamespace(result, T.secretStore).inputs, "spec", "provider", "vault", "caBundle"), undefined);
            });

            it("keeps the refresh aggressive (at most 5 minutes)", () => {
                const refresh = String(at(inNamespace(result, T.externalSecret).inputs, "spec", "refreshInterval"));
                assert.match(refresh, /^([1-9][0-9]*s|[1-5]m)$/, `refreshInterval ${refresh}`);
            });

            it("exports the webhook URL of the operator's pipelines-as-code-controller Route", () => {
                const config = configOf(result);
                assert.equal(config.pipelinesAsCode.webhookUrl, undefined, "example stacks use the computed URL");
                assert.equal(result.outputs.pacWebhookUrl, `https://pipelines-as-code-controller-openshift-pipelines.${config.appsDomain}`);
            });

            it("waits for nothing but the target namespace (in particular not for the RDS instance)", () => {
                const component = single(result, T.pipelinesAsCode);
                const inside = subtree(result, component);
                assert.deepEqual(inside.map((record) => record.type).sort(),
                    [T.externalSecret, T.pipelinesAsCode, T.secretStore, T.serviceAccount].sort());
                const allowed = new Set([...inside.map((record) => record.urn), manifest(result, T.namespace, NAMESPACE).urn]);
                const rds = single(result, T.rdsInstance).urn;
                for (const record of inside) {
                    const waits = waitsFor(result, record);
                    assert.ok(!waits.has(rds), `${record.type} ${record.name} waits for the RDS instance`);
                    assert.deepEqual([...waits].filter((urn) => !allowed.has(urn)), [], `${record.type} ${record.name} waits for more than the namespace`);
                }
                // The check does see a wait on the database where there is one.
                assert.ok(waitsFor(result, single(result, "kubernetes:operator.tekton.dev/v1alpha1:TektonConfig")).has(rds));
            });
        });
    }

    describe("with overrides (dev stack)", () => {
        // Real certificates (the RDS roots of one region): the config refuses a bundle X.509 cannot parse.
        const caBundle = buildRdsCaBundle(new Date("2025-06-01T00:00:00Z"), { region: "us-east-1" }).pem;
        const webhookUrl = "https://webhooks.example.com/pipelines-as-code";
        let result: RenderResult;
        before(async () => {
            result = await renderStack("dev", {
                overrides: {
                    "pipeline-service:vault": devObject("vault", {
                        caBundle, kvVersion: "v1", kvMount: "kv", refreshInterval: "30s",
                        authMountPath: "kubernetes-stone-stg-rh01", serviceAccountName: "pac-vault-reader",
                    }),
                    "pipeline-service:pipelinesAsCode": devObject("pipelinesAsCode", { webhookUrl }),
                },
            });
        });

        it("follows the config: CA bundle (base64 PEM), KV v1, mount, auth path, service account, refresh", () => {
            checkPipelinesAsCode(result, models);
            const vault = at(inNamespace(result, T.secretStore).inputs, "spec", "provider", "vault") as Record<string, unknown>;
            assert.equal(Buffer.from(String(vault.caBundle), "base64").toString("utf8"), caBundle);
            assert.equal(vault.version, "v1");
            assert.equal(vault.path, "kv");
            assert.equal(at(vault, "auth", "kubernetes", "mountPath"), "kubernetes-stone-stg-rh01");
            assert.equal(at(vault, "auth", "kubernetes", "serviceAccountRef", "name"), "pac-vault-reader");
            assert.equal(at(inNamespace(result, T.externalSecret).inputs, "spec", "refreshInterval"), "30s");
        });

        it("exports the configured webhook URL instead of the computed one", () => {
            assert.equal(result.outputs.pacWebhookUrl, webhookUrl);
        });
    });

    // The models' schemas check required fields, types and enums, not unknown keys (no
    // additionalProperties: false): the exact deepEqual checks above are what catch an extra key.
    describe("schema validation of the rendered objects", () => {
        let result: RenderResult;
        before(async () => {
            result = await exampleRender("dev");
        });

        it("rejects a misspelt required SecretStore field and an unknown ExternalSecret deletion policy", () => {
            const store = structuredClone(inNamespace(result, T.secretStore).inputs) as { spec: { provider: { vault: Record<string, unknown> } } };
            store.spec.provider.vault.sever = store.spec.provider.vault.server;
            delete store.spec.provider.vault.server;
            assert.throws(() => new models.SecretStore(store as unknown as ISecretStore).validate(), /required property server/);

            const externalSecret = structuredClone(inNamespace(result, T.externalSecret).inputs) as { spec: { target: Record<string, unknown> } };
            externalSecret.spec.target.deletionPolicy = "Keep";
            assert.throws(() => new models.ExternalSecret(externalSecret as unknown as IExternalSecret).validate(), /deletionPolicy/);
        });
    });
});
