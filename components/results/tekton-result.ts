/**
 * The TektonConfig's `spec.result`: operator-managed Tekton Results on the external RDS database (TLS,
 * `verify-full`) and S3 logs. Results owns this block because it names Results' own objects (the Secrets,
 * the CA ConfigMap and where it is mounted); only the database address comes from the storage.
 * Key names: tektoncd/operator `pkg/apis/operator/v1alpha1/tektonresult_types.go` (see tekton/types.ts).
 */
import type * as pulumi from "@pulumi/pulumi";
import type { OperatorLine } from "../../lib/operator-lines";
import type { InputFields, ResultSpec } from "../tekton/types";
import {
    RDS_CA_CONFIGMAP_NAME, RDS_CA_FILE_NAME, RESULTS_DB_SECRET_NAME, RESULTS_DB_SECRET_PASSWORD_KEY, RESULTS_DB_SECRET_USER_KEY, RESULTS_S3_SECRET_NAME,
} from "./builders";

/**
 * The Results workloads the operator installs, by Deployment and container name: results v0.16.0
 * `config/base/*.yaml` with the `tekton-results-` name prefix of its release_base.yaml (docs/operator-facts-v0.77.1.md §0.2, §2.4).
 */
export const RESULTS_WORKLOADS = {
    api: { deployment: "tekton-results-api", container: "api" },
    watcher: { deployment: "tekton-results-watcher", container: "watcher" },
    retentionAgent: { deployment: "tekton-results-retention-policy-agent", container: "retention-policy-agent" },
} as const;
/** The retention policy ConfigMap (results v0.16.0 `config/base/config-results-retention-policy.yaml`, prefixed). */
export const RESULTS_RETENTION_CONFIGMAP = "tekton-results-config-results-retention-policy";
/** Volume name for the DB CA bundle; must not clash with the manifest's own `config` and `tls` volumes. */
export const RESULTS_DB_CA_VOLUME = "results-db-ca";
/**
 * Where the CA ConfigMap is mounted in the Results API container. Deliberately not nested under `/etc/tls`
 * (the read-only `tls` Secret mount): a mount point inside a read-only volume cannot be created.
 */
export const RESULTS_DB_CA_MOUNT_DIR = "/etc/results-db-ca";


/** How Results prunes: the watcher deletes archived runs, the retention job ages out records. */
export interface ResultsRetention {
    /** Go duration after archiving until the watcher deletes a completed run (> 0). */
    readonly completedRunGracePeriod: string;
    /** Records older than this many days are deleted. */
    readonly defaultRetentionDays: number;
    /** Cron schedule of the retention job. */
    readonly runAt: string;
}

/**
 * The watcher's own flags that make "pruning through Results" true (results v0.16.0 `cmd/watcher/main.go`):
 * `-completed_run_grace_period` (default 0: never delete), `-check_owner=false` (true also keeps runs with any
 * owner), and `-logs_api=true` (the watcher's own switch: `spec.result.logs_api` configures the API alone, so
 * without it no log reaches S3 before the run is deleted). Operator 0.77 has no `spec.result.watcher`; the
 * operator APPENDS these to the container's args.
 */
export function watcherArgs(retention: ResultsRetention): string[] {
    return [`-completed_run_grace_period=${retention.completedRunGracePeriod}`, "-check_owner=false", "-logs_api=true"];
}

/** Which credentials the Results workloads must restart onto (non-secret marks of a rotation, from config). */
export interface CredentialMarks {
    /** The S3 key slot the Secret names, while a rotation is under way or done; absent: the first key (slot a). */
    readonly s3KeySlot?: string;
    /** The database password rotation label; absent: the first password. */
    readonly dbPassword?: string;
}

/** Pod template annotation that changes when the Results S3 key changes (the API reads it from env at start). */
export const S3_KEY_ANNOTATION = "pipeline-service.io/results-s3-key";
/** Pod template annotation that changes when the database password changes. */
export const DB_PASSWORD_ANNOTATION = "pipeline-service.io/results-db-password";

/**
 * The pod template annotations of one workload: a new value rolls its pods, so they read the rotated Secret (env
 * from a Secret is read at container start only). The operator merges them into the Deployment it renders
 * (tektoncd/operator `pkg/reconciler/common/transformer_additional_options.go` `updateDeployments`, the
 * `spec.template.metadata.annotations` merge: line 272 at v0.77.1, 273 at v0.78.2 and v0.79.2).
 */
function restartOn(marks: CredentialMarks, uses: { readonly s3: boolean; readonly db: boolean }): { metadata?: { annotations: Record<string, string> } } {
    const annotations: Record<string, string> = {
        ...(uses.s3 && marks.s3KeySlot !== undefined ? { [S3_KEY_ANNOTATION]: marks.s3KeySlot } : {}),
        ...(uses.db && marks.dbPassword !== undefined ? { [DB_PASSWORD_ANNOTATION]: marks.dbPassword } : {}),
    };
    return Object.keys(annotations).length === 0 ? {} : { metadata: { annotations } };
}

/** Container resources, as Kubernetes quantities. */
export interface ContainerResources {
    readonly requests: { readonly cpu?: string; readonly memory?: string };
    readonly limits: { readonly cpu?: string; readonly memory?: string };
}

/** Replicas and resources of the Results API and watcher. */
export interface ResultsWorkloads {
    readonly apiReplicas: number;
    readonly watcherReplicas: number;
    readonly apiResources: ContainerResources;
    readonly watcherResources: ContainerResources;
}

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
export function buildResultSpec(
    database: ResultsDatabaseAddress, retention: ResultsRetention, workloads: ResultsWorkloads, line: OperatorLine, marks: CredentialMarks = {},
): InputFields<ResultSpec> {
    // Both the API and the retention agent connect with verify-full and read db_sslrootcert (the agent exits
    // without it: results v0.16.0 cmd/retention-policy-agent/main.go:55-57); the operator mounts no CA itself.
    const mount = [{ name: RESULTS_DB_CA_VOLUME, mountPath: RESULTS_DB_CA_MOUNT_DIR, readOnly: true }];
    const volumes = [{ name: RESULTS_DB_CA_VOLUME, configMap: { name: RDS_CA_CONFIGMAP_NAME } }];
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
        // The API is exposed once, by our Ingress (TektonResults): from 1.21 the operator would also create an edge
        // Route (webhook default, tektonresult_defaults.go:31-42) to a port that serves TLS itself (results
        // config/base/env/config SERVER_PORT 8080, TLS_PATH), bypassing the host, certificate and policy we own.
        ...(line.resultsRoute ? { route_enabled: false } : {}),
        options: {
            configMaps: {
                // Merged key by key; defaultRetention alone, never the deprecated maxRetention: v0.16 reads
                // defaultRetention first, v0.17+ lets maxRetention override it (pkg/apis/config/retention.go:138-172 at
                // each tag, docs/operator-facts-v0.78.2.md §5), so only this is the same on every line.
                [RESULTS_RETENTION_CONFIGMAP]: { data: { defaultRetention: String(retention.defaultRetentionDays), runAt: retention.runAt } },
            },
            deployments: {
                // Replicas only through options: spec.result.performance applies to the watcher alone and would add
                // args it may not accept (docs/operator-facts-v0.77.1.md §5d, §2.1).
                [RESULTS_WORKLOADS.api.deployment]: {
                    spec: {
                        replicas: workloads.apiReplicas,
                        // The API holds the S3 key (the operator puts it in the api container's env alone) and a DB pool.
                        template: {
                            ...restartOn(marks, { s3: true, db: true }),
                            spec: { volumes, containers: [{ name: RESULTS_WORKLOADS.api.container, resources: workloads.apiResources, volumeMounts: mount }] },
                        },
                    },
                },
                [RESULTS_WORKLOADS.retentionAgent.deployment]: {
                    spec: { template: { ...restartOn(marks, { s3: false, db: true }), spec: { volumes, containers: [{ name: RESULTS_WORKLOADS.retentionAgent.container, volumeMounts: mount }] } } },
                },
                [RESULTS_WORKLOADS.watcher.deployment]: {
                    spec: {
                        replicas: workloads.watcherReplicas,
                        template: { spec: { containers: [{ name: RESULTS_WORKLOADS.watcher.container, resources: workloads.watcherResources, args: watcherArgs(retention) }] } },
                    },
                },
            },
        },
    };
}
