import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import {
    IRSA_ROLE_ANNOTATION,
    OPENSHIFT_DEFAULT_INGRESS_CLASS,
    RDS_CA_CONFIGMAP_NAME,
    RDS_CA_FILE_NAME,
    RDS_CA_FILE_PATH,
    RDS_CA_MOUNT_DIR,
    RESULTS_API_CONTAINER_NAME,
    RESULTS_API_DEPLOYMENT_NAME,
    RESULTS_API_SERVICE_ACCOUNT_NAME,
    RESULTS_API_SERVICE_NAME,
    RESULTS_API_SERVICE_PORT_NAME,
    RESULTS_DB_SECRET_KEYS,
    RESULTS_DB_SECRET_NAME,
    RESULTS_NAMESPACE,
    RESULTS_S3_SECRET_KEYS,
    RESULTS_S3_SECRET_NAME,
    buildResultsApiIngress,
    rdsCaConfigMapData,
    resultsDbSecretData,
    resultsS3SecretData,
} from "../components/results-manifests";

/** A stand-in for a secret value: identity proves the builder passed it through without reading it. */
class SecretValue {
    constructor(readonly label: string) {}
    toString(): string {
        throw new Error(`secret ${this.label} was stringified`);
    }
}

describe("results-manifests names", () => {
    it("matches what the operator and the Results API expect", () => {
        assert.equal(RESULTS_NAMESPACE, "openshift-pipelines");
        assert.equal(RESULTS_DB_SECRET_NAME, "tekton-results-postgres");
        assert.deepEqual(RESULTS_DB_SECRET_KEYS, { user: "POSTGRES_USER", password: "POSTGRES_PASSWORD" });
        assert.equal(RESULTS_S3_SECRET_NAME, "tekton-results-s3");
        assert.deepEqual([...RESULTS_S3_SECRET_KEYS], [
            "S3_BUCKET_NAME", "S3_ENDPOINT", "S3_HOSTNAME_IMMUTABLE", "S3_REGION",
            "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "S3_MULTI_PART_SIZE",
        ]);
        assert.equal(IRSA_ROLE_ANNOTATION, "eks.amazonaws.com/role-arn");
        assert.equal(RESULTS_API_DEPLOYMENT_NAME, "tekton-results-api");
        assert.equal(RESULTS_API_CONTAINER_NAME, "api");
        assert.equal(RESULTS_API_SERVICE_ACCOUNT_NAME, "tekton-results-api");
        assert.equal(RESULTS_API_SERVICE_NAME, "tekton-results-api-service");
        assert.equal(RESULTS_API_SERVICE_PORT_NAME, "server");
    });

    it("puts the CA file inside its mount directory", () => {
        assert.equal(RDS_CA_CONFIGMAP_NAME, "rds-root-crt");
        assert.equal(RDS_CA_FILE_NAME, "tekton-results-db-ca.pem");
        assert.equal(RDS_CA_MOUNT_DIR, "/etc/results-db-ca");
        assert.equal(RDS_CA_FILE_PATH, "/etc/results-db-ca/tekton-results-db-ca.pem");
        // Not under the Results API's read-only /etc/tls Secret mount.
        assert.ok(!RDS_CA_MOUNT_DIR.startsWith("/etc/tls/"));
    });
});

describe("resultsDbSecretData", () => {
    it("maps user and password to the operator's keys, passing values through", () => {
        const password = new SecretValue("db password");
        const data = resultsDbSecretData<string | SecretValue>("result", password);
        assert.deepEqual(Object.keys(data).sort(), ["POSTGRES_PASSWORD", "POSTGRES_USER"]);
        assert.equal(data.POSTGRES_USER, "result");
        assert.equal(data.POSTGRES_PASSWORD, password);
    });

    it("keeps a Pulumi secret Output secret", async () => {
        const password = pulumi.secret("hunter2");
        const data = resultsDbSecretData(pulumi.output("result"), password);
        assert.equal(data.POSTGRES_PASSWORD, password);
        assert.equal(await pulumi.isSecret(data.POSTGRES_PASSWORD), true);
    });
});

describe("resultsS3SecretData", () => {
    const base = { bucket: "results-logs", region: "us-east-1", endpoint: "https://s3.us-east-1.amazonaws.com" };

    it("with static keys: every operator key, all strings, values passed through", () => {
        const secretAccessKey = new SecretValue("secret key");
        const accessKeyId = new SecretValue("key id");
        const data = resultsS3SecretData<string | SecretValue>({ ...base, accessKeyId, secretAccessKey });
        assert.deepEqual(Object.keys(data).sort(), [...RESULTS_S3_SECRET_KEYS].sort());
        assert.equal(data.S3_BUCKET_NAME, "results-logs");
        assert.equal(data.S3_REGION, "us-east-1");
        assert.equal(data.S3_ENDPOINT, "https://s3.us-east-1.amazonaws.com");
        assert.equal(data.S3_HOSTNAME_IMMUTABLE, "false");
        assert.equal(data.S3_MULTI_PART_SIZE, "5242880");
        assert.equal(data.S3_ACCESS_KEY_ID, accessKeyId);
        assert.equal(data.S3_SECRET_ACCESS_KEY, secretAccessKey);
    });

    it("without keys (IRSA role): omits both key entries, keeps the rest", () => {
        const data = resultsS3SecretData(base);
        assert.deepEqual(Object.keys(data).sort(),
            ["S3_BUCKET_NAME", "S3_ENDPOINT", "S3_HOSTNAME_IMMUTABLE", "S3_MULTI_PART_SIZE", "S3_REGION"]);
        for (const value of Object.values(data)) {
            assert.equal(typeof value, "string");
        }
    });

    it("rejects exactly one key", () => {
        assert.throws(() => resultsS3SecretData({ ...base, accessKeyId: "AKIA" }), /both accessKeyId and secretAccessKey/);
        assert.throws(() => resultsS3SecretData({ ...base, secretAccessKey: "s" }), /both accessKeyId and secretAccessKey/);
    });

    it("keeps a Pulumi secret Output secret", async () => {
        const secretAccessKey = pulumi.secret("wJalrXUtnFEMI");
        const data = resultsS3SecretData({
            bucket: pulumi.output("b"), region: pulumi.output("us-east-1"), endpoint: pulumi.output("https://s3"),
            accessKeyId: pulumi.output("AKIA"), secretAccessKey,
        });
        assert.equal(data.S3_SECRET_ACCESS_KEY, secretAccessKey);
        assert.equal(await pulumi.isSecret(data.S3_SECRET_ACCESS_KEY as pulumi.Output<string>), true);
    });
});

describe("rdsCaConfigMapData", () => {
    it("stores the bundle under the CA file name", () => {
        const pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        assert.deepEqual(rdsCaConfigMapData(pem), { "tekton-results-db-ca.pem": pem });
    });

    it("rejects text without a certificate", () => {
        assert.throws(() => rdsCaConfigMapData(""), /no PEM certificate/);
    });
});

describe("buildResultsApiIngress", () => {
    const annotations = {
        "route.openshift.io/termination": "reencrypt",
        "haproxy.router.openshift.io/timeout": "86410s",
        "router.openshift.io/haproxy.health.check.interval": "86400s",
        "haproxy.router.openshift.io/hsts_header": "max-age=63072000",
    };
    const rules = [{
        host: "results.apps.example.com",
        http: {
            paths: [{
                path: "/",
                pathType: "Prefix",
                backend: { service: { name: "tekton-results-api-service", port: { name: "server" } } },
            }],
        },
    }];

    it("with a TLS Secret: reencrypt Ingress for the Results API service port `server`", () => {
        const ingress = buildResultsApiIngress({
            host: "results.apps.example.com", tlsSecretName: "results-tls", namespace: "openshift-pipelines",
        });
        assert.deepEqual(ingress, {
            apiVersion: "networking.k8s.io/v1",
            kind: "Ingress",
            metadata: {
                name: "tekton-results",
                namespace: "openshift-pipelines",
                labels: { "app.kubernetes.io/part-of": "tekton-results", "app.kubernetes.io/component": "api" },
                annotations,
            },
            spec: {
                ingressClassName: OPENSHIFT_DEFAULT_INGRESS_CLASS,
                tls: [{ hosts: ["results.apps.example.com"], secretName: "results-tls" }],
                rules,
            },
        });
        assert.equal(OPENSHIFT_DEFAULT_INGRESS_CLASS, "openshift-default");
    });

    it("without a TLS Secret: no spec.tls entry (a host without a Secret would block the Route)", () => {
        const ingress = buildResultsApiIngress({ host: "results.apps.example.com", namespace: "openshift-pipelines" });
        const spec = ingress.spec as Record<string, unknown>;
        assert.ok(!("tls" in spec));
        assert.deepEqual(spec.rules, rules);
        const metadata = ingress.metadata as { annotations: Record<string, string> };
        assert.equal(metadata.annotations["route.openshift.io/termination"], "reencrypt");
        // The router trusts the service CA for reencrypt routes: no destination CA Secret is referenced.
        assert.ok(!("route.openshift.io/destination-ca-certificate-secret" in metadata.annotations));
    });

    it("honours an explicit ingress class", () => {
        const ingress = buildResultsApiIngress({ host: "h.example.com", namespace: "ns", ingressClassName: "openshift-internal" });
        assert.equal((ingress.spec as { ingressClassName: string }).ingressClassName, "openshift-internal");
    });

    it("passes Output inputs through untouched", () => {
        const host = pulumi.output("results.apps.example.com");
        const ingress = buildResultsApiIngress({ host, namespace: "openshift-pipelines", tlsSecretName: pulumi.output("t") });
        const spec = ingress.spec as { rules: { host: unknown }[]; tls: { hosts: unknown[] }[] };
        assert.equal(spec.rules[0]?.host, host);
        assert.equal(spec.tls[0]?.hosts[0], host);
    });
});
