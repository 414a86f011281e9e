/**
 * `PipelinesAsCode`: the GitHub App credentials PaC reads, synced from Vault by External Secrets with an
 * aggressive refresh (a rotated secret must reach the cluster quickly), and the webhook URL to give the App.
 *
 * The webhook endpoint itself is the Route `pipelines-as-code-controller` that the operator creates in
 * `openshift-pipelines` (edge TLS); this program creates no second Route and only exports its URL.
 */
import * as apiextensions from "@pulumi/kubernetes/apiextensions";
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as pulumi from "@pulumi/pulumi";
import type { OperatorLine } from "../../lib/operator-lines";
import { kubernetesLabels } from "../shared/labels";
import type { PipelinesAsCodeSpec } from "../tekton/types";
import {
    buildGithubAppExternalSecret, buildPipelinesAsCodeSpec, buildVaultSecretStore, EXTERNAL_SECRETS_API_VERSION, PAC_SECRET_NAME, pacWebhookUrl,
    type ConsoleLinks,
    type PacBehaviour,
} from "./builders";

export const VAULT_SECRET_STORE_NAME = "pipelines-as-code-vault";

/** Where the GitHub App credentials live in Vault and how the store reaches it. */
export interface VaultSettings {
    /** Vault address (`https://…`). */
    readonly server: string;
    /** Mount path of Vault's Kubernetes auth method for this cluster. */
    readonly authMountPath: string;
    /** Vault role bound to the store's service account. */
    readonly role: string;
    /** Service account the SecretStore authenticates as. */
    readonly serviceAccountName: string;
    /** KV secrets engine mount. */
    readonly kvMount: string;
    /** KV engine version. */
    readonly kvVersion: "v1" | "v2";
    /** Path below the KV mount with github-application-id, github-private-key, webhook.secret. */
    readonly githubAppSecretPath: string;
    /** PEM CA bundle of the Vault server's certificate. */
    readonly caBundle?: string;
    /** ExternalSecret refresh interval (Go duration): aggressive, so a rotated secret lands quickly. */
    readonly refreshInterval: string;
}

export interface PipelinesAsCodeArgs {
    /** Namespace of PaC (already created). */
    readonly namespace: pulumi.Input<string>;
    /** The cluster's apps domain (the operator's Route host lives under it). */
    readonly appsDomain: string;
    /** Replaces the computed webhook URL. */
    readonly webhookUrlOverride?: string;
    /** Console links PaC puts on check runs and task results. */
    readonly console: ConsoleLinks;
    /** Replicas and behaviour settings. */
    readonly behaviour: PacBehaviour;
    /** The OpenShift Pipelines line the PaC block is emitted for. */
    readonly line: OperatorLine;
    readonly vault: VaultSettings;
}

export class PipelinesAsCode extends pulumi.ComponentResource {
    /** The URL to set as the GitHub App's webhook URL. */
    public readonly webhookUrl: pulumi.Output<string>;
    /** The TektonConfig's `spec.platforms.openshift.pipelinesAsCode`. */
    public readonly tektonPipelinesAsCode: pulumi.Output<PipelinesAsCodeSpec>;

    constructor(name: string, args: PipelinesAsCodeArgs, opts?: pulumi.ComponentResourceOptions) {
        super("pipeline-service:pac:PipelinesAsCode", name, {}, opts);

        const labels = kubernetesLabels("pipelines-as-code");
        const serviceAccount = new corev1.ServiceAccount(`${name}-vault`, {
            metadata: { name: args.vault.serviceAccountName, namespace: args.namespace, labels },
        }, { parent: this });

        const namespace = pulumi.output(args.namespace);
        const storeManifest = pulumi.all([namespace, serviceAccount.metadata.name]).apply(([ns, serviceAccountName]) => buildVaultSecretStore({
            name: VAULT_SECRET_STORE_NAME,
            namespace: ns,
            server: args.vault.server,
            path: args.vault.kvMount,
            version: args.vault.kvVersion,
            authMountPath: args.vault.authMountPath,
            role: args.vault.role,
            serviceAccountName,
            caBundleBase64: args.vault.caBundle === undefined ? undefined : Buffer.from(args.vault.caBundle).toString("base64"),
        }));
        const store = new apiextensions.CustomResource(`${name}-vault`, {
            apiVersion: EXTERNAL_SECRETS_API_VERSION,
            kind: "SecretStore",
            metadata: storeManifest.apply((manifest) => ({ ...manifest.metadata, labels })),
            spec: storeManifest.apply((manifest) => manifest.spec),
        }, { parent: this });

        const externalSecretManifest = pulumi.all([namespace, store.metadata.name]).apply(([ns, storeName]) => buildGithubAppExternalSecret({
            // Named after the Secret it keeps in sync.
            name: PAC_SECRET_NAME,
            namespace: ns,
            storeName,
            refreshInterval: args.vault.refreshInterval,
            vaultKey: args.vault.githubAppSecretPath,
        }));
        new apiextensions.CustomResource(`${name}-github-app`, {
            apiVersion: EXTERNAL_SECRETS_API_VERSION,
            kind: "ExternalSecret",
            metadata: externalSecretManifest.apply((manifest) => ({ ...manifest.metadata, labels })),
            spec: externalSecretManifest.apply((manifest) => manifest.spec),
        }, { parent: this });

        this.webhookUrl = namespace.apply((ns) => pacWebhookUrl(args.appsDomain, ns, args.webhookUrlOverride));
        this.tektonPipelinesAsCode = pulumi.output(buildPipelinesAsCodeSpec(args.console, args.behaviour, args.line));
        this.registerOutputs({ webhookUrl: this.webhookUrl, tektonPipelinesAsCode: this.tektonPipelinesAsCode });
    }
}
