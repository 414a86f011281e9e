/**
 * Pure builders and names for wiring the operator-managed Tekton Results (`TektonConfig.spec.result`) to
 * its AWS storage: the DB and S3 Secrets the operator reads, the RDS CA ConfigMap, and the Ingress that
 * exposes the Results API. No resources are created here; `component.ts` beside it wires these.
 *
 * Sources (tektoncd/operator unless noted):
 * - `pkg/reconciler/kubernetes/tektonresult/tektonresult.go`: `DefaultDbSecretName = "tekton-results-postgres"`,
 *   keys `POSTGRES_USER` / `POSTGRES_PASSWORD`.
 * - `pkg/reconciler/kubernetes/tektonresult/transform.go` (`allowedPropertySecretKeys`,
 *   `updateEnvWithSecretName`): the Secret named by `spec.result.secret_name` feeds exactly the keys
 *   `S3_BUCKET_NAME`, `S3_ENDPOINT`, `S3_HOSTNAME_IMMUTABLE`, `S3_REGION`, `S3_ACCESS_KEY_ID`,
 *   `S3_SECRET_ACCESS_KEY`, `S3_MULTI_PART_SIZE` into the `api` container of Deployment `tekton-results-api`,
 *   each as an `optional` secretKeyRef (a missing key is simply unset). docs/TektonResult.md: upper-case keys,
 *   string values.
 * - `pkg/reconciler/openshift/tektonresult/extension.go`: Service `tekton-results-api-service` carries
 *   `service.beta.openshift.io/serving-cert-secret-name: tekton-results-tls`, so the API serves TLS with a
 *   service-CA certificate; testdata `api-service.yaml`: port name `server`, port 8080. The upstream
 *   pipeline-service Route targeted port `server` with `reencrypt` termination.
 * - openshift/route-controller-manager `pkg/route/ingress/ingress.go` and `pkg/routecontroller/wellknown.go`
 *   (the ingress-to-route controller): see {@link buildResultsApiIngress}.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as k8sInput from "@pulumi/kubernetes/types/input";

/** Secret the operator reads DB credentials from when `spec.result.is_external_db` is true. */
export const RESULTS_DB_SECRET_NAME = "tekton-results-postgres";
/** Key of the DB user name in the Results DB Secret (the operator's default, tektonresult transform.go). */
export const RESULTS_DB_SECRET_USER_KEY = "POSTGRES_USER";
/** Key of the DB password in the Results DB Secret (the operator's default). */
export const RESULTS_DB_SECRET_PASSWORD_KEY = "POSTGRES_PASSWORD";

/** Secret named by `spec.result.secret_name`, holding the S3 log-storage settings. */
export const RESULTS_S3_SECRET_NAME = "tekton-results-s3";
/** Every key the operator maps from {@link RESULTS_S3_SECRET_NAME} into the Results API container. */
export const RESULTS_S3_SECRET_KEYS = [
    "S3_BUCKET_NAME",
    "S3_ENDPOINT",
    "S3_HOSTNAME_IMMUTABLE",
    "S3_REGION",
    "S3_ACCESS_KEY_ID",
    "S3_SECRET_ACCESS_KEY",
    "S3_MULTI_PART_SIZE",
] as const;
/** One key of the Results S3 Secret. */
export type ResultsS3SecretKey = (typeof RESULTS_S3_SECRET_KEYS)[number];

/**
 * Multipart upload part size for log uploads: 5 MiB, the Results default (tektoncd/results
 * `pkg/api/server/v1alpha2/log/s3.go`, `defaultS3MultiPartSize`) and the S3 minimum part size.
 */
export const RESULTS_S3_MULTI_PART_SIZE_BYTES = 5 * 1024 * 1024;

/** Service in front of the Results API and the name of its REST+gRPC port (8080, TLS). */
export const RESULTS_API_SERVICE_NAME = "tekton-results-api-service";
export const RESULTS_API_SERVICE_PORT_NAME = "server";

/** ConfigMap holding the RDS CA bundle (same name as the upstream pipeline-service deployment). */
export const RDS_CA_CONFIGMAP_NAME = "rds-root-crt";
/**
 * Key of {@link RDS_CA_CONFIGMAP_NAME}, hence the file name once mounted. The mount itself (directory,
 * volume, `db_sslrootcert`) belongs to the TektonConfig spec: `RESULTS_DB_CA_MOUNT_DIR` in `tekton-result.ts`.
 */
export const RDS_CA_FILE_NAME = "tekton-results-db-ca.pem";

/** Name of the Results API Ingress (the Route generated from it is named `<this>-<random>`). */
export const RESULTS_API_INGRESS_NAME = "tekton-results";
/**
 * IngressClass the OpenShift ingress operator creates for the default IngressController
 * (`openshift-` + controller name, controller `openshift.io/ingress-to-route`).
 */
export const OPENSHIFT_DEFAULT_INGRESS_CLASS = "openshift-default";

/** Ingress annotation the ingress-to-route controller reads (route-controller-manager `wellknown.go`). */
export const ROUTE_TERMINATION_ANNOTATION = "route.openshift.io/termination";

/**
 * Data of the Results DB Secret. Values pass through untouched, so a `pulumi.Output` marked secret stays
 * secret; use it as `stringData`.
 */
export function resultsDbSecretData<T>(user: T, password: T): Record<typeof RESULTS_DB_SECRET_USER_KEY | typeof RESULTS_DB_SECRET_PASSWORD_KEY, T> {
    // The same key names the TektonConfig announces (`db_secret_user_key` / `db_secret_password_key`).
    return {
        [RESULTS_DB_SECRET_USER_KEY]: user,
        [RESULTS_DB_SECRET_PASSWORD_KEY]: password,
    };
}

/** Inputs of {@link resultsS3SecretData}; `T` is `string` or `pulumi.Output<string>`. */
export interface ResultsS3SecretArgs<T> {
    /** S3 bucket that stores PipelineRun/TaskRun logs. */
    readonly bucket: T;
    /** AWS region of the bucket, e.g. `us-east-1`. */
    readonly region: T;
    /** S3 endpoint URL, e.g. `https://s3.us-east-1.amazonaws.com`. */
    readonly endpoint: T;
    /** Static access key id of the IAM user Results writes logs as. */
    readonly accessKeyId: T;
    /** Static secret access key of that user. */
    readonly secretAccessKey: T;
}

/**
 * Data of the Results S3 Secret (`spec.result.secret_name`), as `stringData`: every key the operator maps,
 * all values strings. Values pass through untouched, so secret Outputs stay secret.
 *
 * The access keys are required: tektoncd/results `pkg/api/server/v1alpha2/log/s3.go` (`initConfig`) always
 * builds a static credentials provider from `S3_ACCESS_KEY_ID` / `S3_SECRET_ACCESS_KEY`, and aws-sdk-go-v2
 * fails an empty static provider ("static credentials are empty") instead of falling back to the default
 * chain, so there is no role-based (IRSA) mode.
 */
export function resultsS3SecretData<T>(args: ResultsS3SecretArgs<T>): Record<ResultsS3SecretKey, T | string> {
    return {
        S3_BUCKET_NAME: args.bucket,
        S3_ENDPOINT: args.endpoint,
        // false: with a custom endpoint the SDK may still prefix the bucket (virtual-hosted style), which
        // is what AWS S3 expects.
        S3_HOSTNAME_IMMUTABLE: "false",
        S3_REGION: args.region,
        S3_ACCESS_KEY_ID: args.accessKeyId,
        S3_SECRET_ACCESS_KEY: args.secretAccessKey,
        S3_MULTI_PART_SIZE: String(RESULTS_S3_MULTI_PART_SIZE_BYTES),
    };
}

/** Data of the RDS CA ConfigMap: one PEM file named {@link RDS_CA_FILE_NAME}. */
export function rdsCaConfigMapData(pem: string): Record<typeof RDS_CA_FILE_NAME, string> {
    if (!pem.includes("-----BEGIN CERTIFICATE-----")) {
        throw new Error("rdsCaConfigMapData: the CA bundle holds no PEM certificate");
    }
    return { [RDS_CA_FILE_NAME]: pem };
}

/** Inputs of {@link buildResultsApiIngress}. */
export interface ResultsApiIngressArgs {
    /** Public host name of the Results API, e.g. `results.apps.example.com`. */
    readonly host: pulumi.Input<string>;
    /**
     * `kubernetes.io/tls` Secret (keys `tls.crt`, `tls.key`) in {@link ResultsApiIngressArgs.namespace} with
     * the certificate for `host`. Omit to use the router's default (wildcard) certificate.
     */
    readonly tlsSecretName?: pulumi.Input<string>;
    /** Namespace of the Results API Service: the TektonConfig `targetNamespace`. */
    readonly namespace: pulumi.Input<string>;
    /** IngressClass; default {@link OPENSHIFT_DEFAULT_INGRESS_CLASS}. */
    readonly ingressClassName?: pulumi.Input<string>;
    /** Labels merged over the defaults (the program passes its own ownership labels). */
    readonly labels?: Readonly<Record<string, string>>;
}

/**
 * The Ingress that exposes the Results API. On OpenShift the ingress-to-route controller turns it into a
 * Route (openshift/route-controller-manager `pkg/route/ingress/ingress.go`):
 *
 * - `route.openshift.io/termination: reencrypt`: the router terminates client TLS and opens a new TLS
 *   connection to the pod. No destination CA annotation is needed: the pod's certificate comes from the
 *   service CA (operator `extension.go`), and the router trusts that CA for re-encrypt routes by default
 *   (openshift/router `--default-destination-ca-path`, set by the ingress operator to the service-CA bundle).
 * - The backend port is given by name, so the Route's `targetPort` is `server` (`targetPortForService`).
 * - TLS: a host listed under `spec.tls` must name a valid `kubernetes.io/tls` Secret, or the controller
 *   creates no Route at all (`tlsSecretIfValid`: a host with an empty `secretName` counts as invalid).
 *   So `spec.tls` is set only with a Secret; without one the termination annotation alone yields a TLS
 *   Route served with the router's default certificate.
 * - The ingress annotations are copied onto the Route (`newRouteForIngress`), which carries the router
 *   tuning the upstream pipeline-service Route used for long-lived log streams.
 * - An explicit `ingressClassName` keeps another ingress controller that is the cluster default from
 *   claiming the Ingress (`ingressManaged`).
 */
export function buildResultsApiIngress(args: ResultsApiIngressArgs): k8sInput.networking.v1.Ingress {
    const tls: k8sInput.networking.v1.IngressTLS[] | undefined = args.tlsSecretName === undefined
        ? undefined
        : [{ hosts: [args.host], secretName: args.tlsSecretName }];
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "Ingress",
        metadata: {
            name: RESULTS_API_INGRESS_NAME,
            namespace: args.namespace,
            labels: { "app.kubernetes.io/part-of": "tekton-results", "app.kubernetes.io/component": "api", ...args.labels },
            annotations: {
                [ROUTE_TERMINATION_ANNOTATION]: "reencrypt",
                // Log streaming and watches keep connections open for a long time (upstream api-route.yaml).
                "haproxy.router.openshift.io/timeout": "86410s",
                // Upstream workaround for OCPBUGS-16375 (health checks resetting long-lived connections).
                "router.openshift.io/haproxy.health.check.interval": "86400s",
                "haproxy.router.openshift.io/hsts_header": "max-age=63072000",
            },
        },
        spec: {
            ingressClassName: args.ingressClassName ?? OPENSHIFT_DEFAULT_INGRESS_CLASS,
            ...(tls === undefined ? {} : { tls }),
            rules: [{
                host: args.host,
                http: {
                    paths: [{
                        path: "/",
                        pathType: "Prefix",
                        backend: {
                            service: {
                                name: RESULTS_API_SERVICE_NAME,
                                port: { name: RESULTS_API_SERVICE_PORT_NAME },
                            },
                        },
                    }],
                },
            }],
        },
    };
}
