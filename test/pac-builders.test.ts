import * as assert from "node:assert/strict";
import type * as EsoModels from "@kubernetes-models/external-secrets/external-secrets.io/v1" with { "resolution-mode": "import" };
import {
    EXTERNAL_SECRETS_API_VERSION,
    PAC_SECRET_KEYS,
    PAC_SECRET_NAME,
    buildGithubAppExternalSecret,
    buildVaultSecretStore,
    pacWebhookUrl,
    type GithubAppExternalSecretArgs,
    type VaultSecretStoreArgs,
} from "../components/pac/builders";

// The models package is ESM-only; a real dynamic import() (not rewritten to require() by the CommonJS
// transpile) loads it.
const importEsm = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<unknown>;

const CA_PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

const storeArgs: VaultSecretStoreArgs = {
    name: "vault",
    namespace: "openshift-pipelines",
    server: "https://vault.example.com",
    path: "secret",
    version: "v2",
    authMountPath: "kubernetes-cluster-a",
    role: "pipelines-as-code",
    serviceAccountName: "pac-secret-reader",
};

const externalSecretArgs: GithubAppExternalSecretArgs = {
    name: "pipelines-as-code-github-app",
    namespace: "openshift-pipelines",
    storeName: "vault",
    refreshInterval: "5m",
    vaultKey: "pipeline-service/github-app",
};

describe("pac builders (External Secrets, webhook URL)", () => {
    let models: typeof EsoModels;

    before(async () => {
        models = await importEsm("@kubernetes-models/external-secrets/external-secrets.io/v1") as typeof EsoModels;
    });

    describe("constants", () => {
        it("names the PaC Secret, its keys and the ESO API version", () => {
            assert.equal(EXTERNAL_SECRETS_API_VERSION, "external-secrets.io/v1");
            assert.equal(PAC_SECRET_NAME, "pipelines-as-code-secret");
            assert.deepEqual([...PAC_SECRET_KEYS], ["github-application-id", "github-private-key", "webhook.secret"]);
        });
    });

    describe("buildVaultSecretStore", () => {
        it("builds a namespaced SecretStore with Vault Kubernetes auth that the model validates", () => {
            const store = buildVaultSecretStore(storeArgs);
            new models.SecretStore(store).validate();
            assert.deepEqual(store, {
                apiVersion: "external-secrets.io/v1",
                kind: "SecretStore",
                metadata: { name: "vault", namespace: "openshift-pipelines" },
                spec: {
                    provider: {
                        vault: {
                            server: "https://vault.example.com",
                            path: "secret",
                            version: "v2",
                            auth: {
                                kubernetes: {
                                    mountPath: "kubernetes-cluster-a",
                                    role: "pipelines-as-code",
                                    serviceAccountRef: { name: "pac-secret-reader" },
                                },
                            },
                        },
                    },
                },
            });
        });

        it("adds caBundle only when given, and KV v1 when asked", () => {
            const caBundleBase64 = Buffer.from(CA_PEM).toString("base64");
            const store = buildVaultSecretStore({ ...storeArgs, version: "v1", caBundleBase64 });
            new models.SecretStore(store).validate();
            const vault = store.spec?.provider?.vault;
            assert.equal(vault?.caBundle, caBundleBase64);
            assert.equal(vault?.version, "v1");
            assert.ok(!("caBundle" in (buildVaultSecretStore(storeArgs).spec?.provider?.vault ?? {})));
        });

    });

    describe("buildGithubAppExternalSecret", () => {
        it("syncs the three GitHub App keys into pipelines-as-code-secret, validated by the model", () => {
            const externalSecret = buildGithubAppExternalSecret(externalSecretArgs);
            new models.ExternalSecret(externalSecret).validate();
            assert.deepEqual(externalSecret, {
                apiVersion: "external-secrets.io/v1",
                kind: "ExternalSecret",
                metadata: { name: "pipelines-as-code-github-app", namespace: "openshift-pipelines" },
                spec: {
                    refreshInterval: "5m",
                    secretStoreRef: { name: "vault", kind: "SecretStore" },
                    target: { name: "pipelines-as-code-secret", creationPolicy: "Owner", deletionPolicy: "Retain" },
                    data: [
                        { secretKey: "github-application-id", remoteRef: { key: "pipeline-service/github-app", property: "github-application-id" } },
                        { secretKey: "github-private-key", remoteRef: { key: "pipeline-service/github-app", property: "github-private-key" } },
                        { secretKey: "webhook.secret", remoteRef: { key: "pipeline-service/github-app", property: "webhook.secret" } },
                    ],
                },
            });
        });

        it("refers to a store the builder makes, by name and kind", () => {
            const store = buildVaultSecretStore(storeArgs);
            const externalSecret = buildGithubAppExternalSecret({ ...externalSecretArgs, storeName: store.metadata?.name ?? "" });
            assert.equal(externalSecret.spec?.secretStoreRef?.name, store.metadata?.name);
            assert.equal(externalSecret.spec?.secretStoreRef?.kind, store.kind);
            assert.equal(externalSecret.metadata?.namespace, store.metadata?.namespace);
        });

    });

    describe("model validation runs", () => {
        it("rejects an invalid deletionPolicy", () => {
            const externalSecret = buildGithubAppExternalSecret(externalSecretArgs);
            const tampered = JSON.parse(JSON.stringify(externalSecret)) as { spec: { target: { deletionPolicy: string } } };
            tampered.spec.target.deletionPolicy = "Keep";
            assert.throws(() => new models.ExternalSecret(tampered as never).validate(), /deletionPolicy/);
        });

        it("rejects a SecretStore whose Kubernetes auth lacks mountPath", () => {
            const store = buildVaultSecretStore(storeArgs);
            const tampered = JSON.parse(JSON.stringify(store)) as { spec: { provider: { vault: { auth: { kubernetes: Record<string, unknown> } } } } };
            delete tampered.spec.provider.vault.auth.kubernetes.mountPath;
            assert.throws(() => new models.SecretStore(tampered as never).validate(), /mountPath/);
        });
    });

    describe("pacWebhookUrl", () => {
        it("derives the PaC controller Route host from the apps domain", () => {
            assert.equal(pacWebhookUrl("apps.cluster-a.example.com", "openshift-pipelines"),
                "https://pipelines-as-code-controller-openshift-pipelines.apps.cluster-a.example.com");
        });

        it("returns an override as is (the config checked it is https)", () => {
            assert.equal(pacWebhookUrl("apps.example.com", "openshift-pipelines", "https://smee.example.com/hook"), "https://smee.example.com/hook");
        });

    });
});
