/**
 * `TektonResults`: what the operator-managed Tekton Results needs in its namespace — the database
 * credentials, the S3 configuration, the RDS CA bundle it verifies the server with (`sslmode=verify-full`),
 * and the Ingress that serves the Results API (clients send their Kubernetes bearer token).
 * None of it waits for the RDS instance: only the TektonConfig's `db_host` does.
 */
import * as corev1 from "@pulumi/kubernetes/core/v1";
import * as networkingv1 from "@pulumi/kubernetes/networking/v1";
import * as pulumi from "@pulumi/pulumi";
import { kubernetesLabels } from "../shared/labels";
import { buildRdsCaBundle } from "./rds-ca-bundle";
import type { InputFields, ResultSpec } from "../tekton/types";
import {
    buildResultsApiIngress, rdsCaConfigMapData, RDS_CA_CONFIGMAP_NAME, RESULTS_DB_SECRET_NAME,
    RESULTS_S3_SECRET_NAME, resultsDbSecretData, resultsS3SecretData,
} from "./builders";
import type { OperatorLine } from "../../lib/operator-lines";
import { buildResultSpec, type CredentialMarks, type ResultsDatabaseAddress, type ResultsRetention, type ResultsWorkloads } from "./tekton-result";

export interface TektonResultsArgs {
    /** Namespace Results runs in (already created). */
    readonly namespace: pulumi.Input<string>;
    /** Where the database is (host, port, name): the storage's outputs. */
    readonly database: ResultsDatabaseAddress;
    /** How Results prunes runs, records and (through the bucket) logs. */
    readonly retention: ResultsRetention;
    /** The OpenShift Pipelines line `spec.result` is emitted for. */
    readonly line: OperatorLine;
    /** Which rotated credentials the Results workloads restart onto. */
    readonly credentialMarks: CredentialMarks;
    /** Replicas and resources of the API and the watcher. */
    readonly workloads: ResultsWorkloads;
    readonly dbUser: pulumi.Input<string>;
    /** Database password (secret). */
    readonly dbPassword: pulumi.Input<string>;
    readonly bucketName: pulumi.Input<string>;
    /** AWS region of the bucket and the database (selects the RDS CA roots). */
    readonly region: string;
    readonly s3Endpoint: pulumi.Input<string>;
    readonly accessKeyId: pulumi.Input<string>;
    /** Secret access key (secret). */
    readonly secretAccessKey: pulumi.Input<string>;
    /** Public host of the Results API Ingress. */
    readonly apiHost: string;
    /** TLS Secret for the host; absent: the router's default certificate. */
    readonly apiTlsSecretName?: string;
    /** Certificates must be valid at this instant to enter the CA bundle (the render's clock). */
    readonly now: Date;
}

export class TektonResults extends pulumi.ComponentResource {
    /** The TektonConfig's `spec.result`: Results on this database, these Secrets and this CA. */
    public readonly tektonResult: InputFields<ResultSpec>;
    /** `https://<host>` of the Results API. */
    public readonly apiUrl: pulumi.Output<string>;

    constructor(name: string, args: TektonResultsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("pipeline-service:results:TektonResults", name, {}, opts);

        const labels = kubernetesLabels("tekton-results");
        new corev1.Secret(`${name}-db`, {
            metadata: { name: RESULTS_DB_SECRET_NAME, namespace: args.namespace, labels },
            type: "Opaque",
            stringData: pulumi.secret(resultsDbSecretData(pulumi.output(args.dbUser), pulumi.output(args.dbPassword))),
        }, { parent: this });

        new corev1.Secret(`${name}-s3`, {
            metadata: { name: RESULTS_S3_SECRET_NAME, namespace: args.namespace, labels },
            type: "Opaque",
            // Every value secret, bucket and endpoint included: the Secret is one unit.
            stringData: pulumi.secret(pulumi.output(resultsS3SecretData({
                bucket: args.bucketName,
                region: args.region,
                endpoint: args.s3Endpoint,
                accessKeyId: args.accessKeyId,
                secretAccessKey: args.secretAccessKey,
            }))),
        }, { parent: this });

        const caBundle = buildRdsCaBundle(args.now, { region: args.region });
        new corev1.ConfigMap(`${name}-rds-ca`, {
            metadata: { name: RDS_CA_CONFIGMAP_NAME, namespace: args.namespace, labels },
            data: rdsCaConfigMapData(caBundle.pem),
        }, { parent: this });

        new networkingv1.Ingress(`${name}-api`, buildResultsApiIngress({
            host: args.apiHost,
            tlsSecretName: args.apiTlsSecretName,
            namespace: args.namespace,
            // Like every object of this program: the ownership labels (part-of, component, managed-by).
            labels,
        }), { parent: this });

        this.tektonResult = buildResultSpec(args.database, args.retention, args.workloads, args.line, args.credentialMarks);
        this.apiUrl = pulumi.output(`https://${args.apiHost}`);
        this.registerOutputs({ tektonResult: this.tektonResult, apiUrl: this.apiUrl });
    }
}
