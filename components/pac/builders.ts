/**
 * Pure builders for the Pipelines-as-Code GitHub App credentials, synced from Vault by the External
 * Secrets Operator (ESO), and the PaC webhook URL.
 *
 * The objects are typed with the `external-secrets.io/v1` models of `@kubernetes-models/external-secrets`
 * (generated from external-secrets `apis/externalsecrets/v1`), so a misspelt field is a compile error. The
 * models package is ESM-only; only its types are imported here, so nothing of it loads at run time.
 *
 * Field names checked against external-secrets `apis/externalsecrets/v1/secretstore_vault_types.go`
 * (`server`, `path`, `version` v1|v2, `caBundle` []byte → base64, `auth.kubernetes.{mountPath, role,
 * serviceAccountRef}`) and `externalsecret_types.go` (`refreshInterval`, `secretStoreRef.{name, kind}`,
 * `target.{name, creationPolicy, deletionPolicy}`, `data[].{secretKey, remoteRef.{key, property}}`).
 * PaC Secret name and keys: design notes (pipelines-as-code GitHub App docs).
 */
import type { ISecretStore } from "@kubernetes-models/external-secrets/external-secrets.io/v1/SecretStore" with { "resolution-mode": "import" };
import type { IExternalSecret } from "@kubernetes-models/external-secrets/external-secrets.io/v1/ExternalSecret" with { "resolution-mode": "import" };
import type { OperatorLine } from "../../lib/operator-lines";
import type { PipelinesAsCodeSpec } from "../tekton/types";

/** API version of every ESO object built here (served since ESO v0.16; v1beta1 is gone from v0.17). */
export const EXTERNAL_SECRETS_API_VERSION = "external-secrets.io/v1";

/** The Secret Pipelines-as-Code reads its GitHub App credentials from. */
export const PAC_SECRET_NAME = "pipelines-as-code-secret";
/** Keys of {@link PAC_SECRET_NAME}: App id, App private key (PEM), webhook HMAC secret. */
export const PAC_SECRET_KEYS = ["github-application-id", "github-private-key", "webhook.secret"] as const;
/** One key of the PaC Secret. */
export type PacSecretKey = (typeof PAC_SECRET_KEYS)[number];

/** Route of the PaC controller the operator installs in the TektonConfig's `targetNamespace`. */
export const PAC_CONTROLLER_ROUTE_NAME = "pipelines-as-code-controller";


/** Inputs of {@link buildVaultSecretStore}. All plain config values. */
export interface VaultSecretStoreArgs {
    /** SecretStore name. */
    readonly name: string;
    /** Namespace of the SecretStore; ExternalSecrets can only use a SecretStore in their own namespace. */
    readonly namespace: string;
    /** Vault address, `https://…` (the Kubernetes auth exchange sends a service account token). */
    readonly server: string;
    /** Mount path of the KV secrets engine, e.g. `secret`. */
    readonly path: string;
    /** KV engine version. */
    readonly version: "v1" | "v2";
    /** Mount path of Vault's Kubernetes auth method for this cluster, e.g. `kubernetes` or `auth-<cluster>`. */
    readonly authMountPath: string;
    /** Vault role bound to {@link VaultSecretStoreArgs.serviceAccountName} in that auth method. */
    readonly role: string;
    /** Service account (in {@link VaultSecretStoreArgs.namespace}) whose token ESO presents to Vault. */
    readonly serviceAccountName: string;
    /** Base64 of the PEM CA bundle that signed Vault's certificate; omit when a public CA signed it. */
    readonly caBundleBase64?: string;
}

/**
 * A namespaced `SecretStore` for Vault with Kubernetes auth.
 *
 * Why a SecretStore and not a ClusterSecretStore: least privilege. Only `openshift-pipelines` consumes
 * these credentials; a ClusterSecretStore could be referenced by an ExternalSecret in any namespace, so
 * anyone able to create ExternalSecrets anywhere could read what the Vault role can read. A namespaced
 * store also authenticates with a service account of that namespace, so the Vault role can be bound to
 * exactly one namespace/service account pair.
 */
export function buildVaultSecretStore(args: VaultSecretStoreArgs): ISecretStore {
    return {
        apiVersion: EXTERNAL_SECRETS_API_VERSION,
        kind: "SecretStore",
        metadata: { name: args.name, namespace: args.namespace },
        spec: {
            provider: {
                vault: {
                    server: args.server,
                    path: args.path,
                    version: args.version,
                    ...(args.caBundleBase64 === undefined ? {} : { caBundle: args.caBundleBase64 }),
                    auth: {
                        kubernetes: {
                            mountPath: args.authMountPath,
                            role: args.role,
                            // No namespace: a SecretStore may only use service accounts of its own namespace.
                            serviceAccountRef: { name: args.serviceAccountName },
                        },
                    },
                },
            },
        },
    };
}

/** Inputs of {@link buildGithubAppExternalSecret}. */
export interface GithubAppExternalSecretArgs {
    /** ExternalSecret name. */
    readonly name: string;
    /** Namespace of the ExternalSecret, its SecretStore and the resulting Secret. */
    readonly namespace: string;
    /** Name of the (namespaced) SecretStore to read from. */
    readonly storeName: string;
    /**
     * How often ESO re-reads Vault (Go duration, e.g. `5m`). Keep it short so a rotated GitHub App key or
     * webhook secret reaches the cluster quickly; `0` would sync only once.
     */
    readonly refreshInterval: string;
    /** Vault entry (KV path below the store's mount) holding one property per {@link PAC_SECRET_KEYS} key. */
    readonly vaultKey: string;
}

/**
 * The ExternalSecret that keeps `pipelines-as-code-secret` in sync with Vault.
 *
 * - `creationPolicy: Owner`: ESO creates the Secret and owns it (it goes away with the ExternalSecret).
 * - `deletionPolicy: Retain`: if the Vault entry disappears, the last synced Secret stays, so PaC keeps
 *   working while the entry is restored. While Vault is unreachable the Secret also keeps its data and the
 *   ExternalSecret reports `SecretSyncedError`.
 * - Each Secret key reads the Vault property of the same name.
 */
export function buildGithubAppExternalSecret(args: GithubAppExternalSecretArgs): IExternalSecret {
    return {
        apiVersion: EXTERNAL_SECRETS_API_VERSION,
        kind: "ExternalSecret",
        metadata: { name: args.name, namespace: args.namespace },
        spec: {
            refreshInterval: args.refreshInterval,
            secretStoreRef: { name: args.storeName, kind: "SecretStore" },
            target: {
                name: PAC_SECRET_NAME,
                creationPolicy: "Owner",
                deletionPolicy: "Retain",
            },
            data: PAC_SECRET_KEYS.map((key) => ({
                secretKey: key,
                remoteRef: { key: args.vaultKey, property: key },
            })),
        },
    };
}

/**
 * URL to configure as the GitHub App's webhook: the host of the Route `pipelines-as-code-controller` that
 * the operator creates in the target namespace (default OpenShift route host `<route>-<namespace>.<apps
 * domain>`), or `override` when the webhook goes elsewhere (e.g. through a fan-out proxy).
 */
export function pacWebhookUrl(appsDomain: string, namespace: string, override?: string): string {
    return override ?? `https://${PAC_CONTROLLER_ROUTE_NAME}-${namespace}.${appsDomain}`;
}

/** Where Pipelines-as-Code links check runs and task results: the console (HAC) URL and its templates. */
export interface ConsoleLinks {
    /** `custom-console-name`. */
    readonly consoleName: string;
    /** `custom-console-url`. */
    readonly consoleUrl: string;
    /** `custom-console-url-pr-details` (`{{ namespace }}`, `{{ pr }}`). */
    readonly consoleUrlPrDetails: string;
    /** `custom-console-url-pr-tasklog` (`{{ namespace }}`, `{{ pr }}`, `{{ task }}`, `{{ pod }}`). */
    readonly consoleUrlPrTaskLog: string;
    /** `custom-console-url-namespace` (`{{ namespace }}`). */
    readonly consoleUrlNamespace: string;
}

/** How PaC runs: replicas of its deployments and the settings RHTAP sets. */
export interface PacBehaviour {
    /** Replicas of each of the controller, watcher and webhook. */
    readonly replicas: number;
    /** `application-name`: the name of PaC's check runs. */
    readonly applicationName: string;
    /** `secret-github-app-token-scoped`. */
    readonly githubAppTokenScoped: boolean;
    /** `enable-cancel-in-progress-on-pull-requests`. */
    readonly cancelInProgressOnPullRequests: boolean;
}

/**
 * The PaC deployments (pipelines-as-code v0.37.8 `config/400-controller.yaml`, `500-watcher.yaml`,
 * `600-webhook.yaml`); replicas only through options (openshiftpipelinesascode/transform.go:76,112).
 */
export const PAC_DEPLOYMENTS = ["pipelines-as-code-controller", "pipelines-as-code-watcher", "pipelines-as-code-webhook"] as const;

/**
 * The TektonConfig's `spec.platforms.openshift.pipelinesAsCode`: PaC on, linking to the console, with the settings
 * `line`'s webhook adds stated as it writes them (it replaces the whole map: a key we leave out is a diff on every
 * refresh, and an `up` that removes it only makes the webhook add it again).
 */
export function buildPipelinesAsCodeSpec(console: ConsoleLinks, behaviour: PacBehaviour, line: OperatorLine): PipelinesAsCodeSpec {
    return {
        enable: true,
        options: { deployments: Object.fromEntries(PAC_DEPLOYMENTS.map((name) => [name, { spec: { replicas: behaviour.replicas } }])) },
        settings: {
            "application-name": behaviour.applicationName,
            "secret-github-app-token-scoped": String(behaviour.githubAppTokenScoped),
            "enable-cancel-in-progress-on-pull-requests": String(behaviour.cancelInProgressOnPullRequests),
            "custom-console-name": console.consoleName,
            "custom-console-url": console.consoleUrl,
            "custom-console-url-pr-details": console.consoleUrlPrDetails,
            "custom-console-url-pr-tasklog": console.consoleUrlPrTaskLog,
            "custom-console-url-namespace": console.consoleUrlNamespace,
            ...line.pacSettingsAdded,
        },
    };
}
