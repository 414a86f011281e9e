/**
 * The TektonConfig's `spec.result`: operator-managed Tekton Results on the external RDS database (TLS,
 * `verify-full`) and S3 logs. Results owns this block because it names Results' own objects (the Secrets,
 * the CA ConfigMap and where it is mounted); only the database address comes from the storage.
 * Key names: tektoncd/operator `pkg/apis/operator/v1alpha1/tektonresult_types.go` (see tekton/types.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { InputFields, ResultSpec } from "../tekton/types";
import {
    RDS_CA_CONFIGMAP_NAME, RDS_CA_FILE_NAME, RESULTS_DB_SECRET_NAME, RESULTS_DB_SECRET_PASSWORD_KEY, RESULTS_DB_SECRET_USER_KEY, RESULTS_S3_SECRET_NAME,
} from "./builders";

/** Results API Deployment name in the operator's manifest (operator pkg/reconciler/kubernetes/tektonresult/transform.go `deploymentAPI`). */
export const RESULTS_API_DEPLOYMENT = "tekton-results-api";
/** Results API container name (same file, `apiContainerName`; tektoncd/results config/base/api.yaml). */
export const RESULTS_API_CONTAINER = "api";
/** Volume name for the DB CA bundle; must not clash with the manifest's own `config` and `tls` volumes. */
export const RESULTS_DB_CA_VOLUME = "results-db-ca";
/**
 * Where the CA ConfigMap is mounted in the Results API container. Deliberately not nested under `/etc/tls`
 * (the read-only `tls` Secret mount): a mount point inside a read-only volume cannot be created.
 */
export const RESULTS_DB_CA_MOUNT_DIR = "/etc/results-db-ca";


/** Where the database is: the storage's outputs. */
export interface ResultsDatabaseAddress {
    /** Database host name, without port (known only once RDS exists). */
    readonly host: pulumi.Input<string>;
    /** Database port. */
    readonly port: pulumi.Input<number>;
    /** Database name. */
    readonly name: pulumi.Input<string>;
}

/**
 * `spec.result`. Each field may be an Output, so the RDS host is the only value unknown in preview and the
 * rest stays visible to `pulumi preview` and the policy pack.
 */
export function buildResultSpec(database: ResultsDatabaseAddress): InputFields<ResultSpec> {
    return {
        disabled: false,
        is_external_db: true,
        db_host: database.host,
        db_port: database.port,
        db_name: database.name,
        db_secret_name: RESULTS_DB_SECRET_NAME,
        db_secret_user_key: RESULTS_DB_SECRET_USER_KEY,
        db_secret_password_key: RESULTS_DB_SECRET_PASSWORD_KEY,
        db_sslmode: "verify-full",
        db_sslrootcert: `${RESULTS_DB_CA_MOUNT_DIR}/${RDS_CA_FILE_NAME}`,
        db_enable_auto_migration: true,
        logs_api: true,
        logs_type: "S3",
        secret_name: RESULTS_S3_SECRET_NAME,
        // Clients authenticate with their Kubernetes bearer token.
        auth_disable: false,
        options: {
            deployments: {
                [RESULTS_API_DEPLOYMENT]: {
                    spec: {
                        template: {
                            spec: {
                                volumes: [{ name: RESULTS_DB_CA_VOLUME, configMap: { name: RDS_CA_CONFIGMAP_NAME } }],
                                containers: [
                                    {
                                        name: RESULTS_API_CONTAINER,
                                        volumeMounts: [
                                            { name: RESULTS_DB_CA_VOLUME, mountPath: RESULTS_DB_CA_MOUNT_DIR, readOnly: true },
                                        ],
                                    },
                                ],
                            },
                        },
                    },
                },
            },
        },
    };
}
