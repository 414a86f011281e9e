import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import {
    OPENSHIFT_DEFAULT_INGRESS_CLASS,
    RDS_CA_CONFIGMAP_NAME,
    RDS_CA_FILE_NAME,
    RESULTS_API_SERVICE_NAME,
    RESULTS_API_SERVICE_PORT_NAME,
    RESULTS_DB_SECRET_NAME,
    RESULTS_S3_SECRET_KEYS,
    RESULTS_S3_SECRET_NAME,
    buildResultsApiIngress,
    rdsCaConfigMapData,
    resultsDbSecretData,
    RESULTS_DB_SECRET_PASSWORD_KEY,
    RESULTS_DB_SECRET_USER_KEY,
    resultsS3SecretData,
} from "../components/results/builders";

/** A stand-in for a secret value: identity proves the builder passed it through without reading it. */
class SecretValue {
    constructor(readonly label: string) {}
    toString(): string {
        throw new Error(`secret ${this.label} was stringified`);
    }
}

describe("results builders: names", () => {
    it("matches what the operator and the Results API expect", () => {
        assert.equal(RESULTS_DB_SECRET_NAME, "tekton-results-postgres");
        assert.equal(RESULTS_S3_SECRET_NAME, "tekton-results-s3");
        assert.deepEqual([...RESULTS_S3_SECRET_KEYS], [
            "S3_BUCKET_NAME", "S3_ENDPOINT", "S3_HOSTNAME_IMMUTABLE", "S3_REGION",
            "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "S3_MULTI_PART_SIZE",
        ]);
        assert.equal(RESULTS_API_SERVICE_NAME, "tekton-results-api-service");
        assert.equal(RESULTS_API_SERVICE_PORT_NAME, "server");
        assert.equal(RDS_CA_CONFIGMAP_NAME, "rds-root-crt");
        // A ConfigMap key, so a plain file name (the mount directory belongs to the TektonConfig spec).
        assert.equal(RDS_CA_FILE_NAME, "tekton-results-db-ca.pem");
    });
});

describe("resultsDbSecretData", () => {
    it("maps user and password to the operator's keys, passing values through", () => {
        const password = new SecretValue("db password");
        const data = resultsDbSecretData<string | SecretValue>("result", password);
        assert.deepEqual(Object.keys(data).sort(), ["POSTGRES_PASSWORD", "POSTGRES_USER"]);
        // The keys the TektonConfig tells the operator to read (db_secret_user_key / db_secret_password_key).
        assert.deepEqual(Object.keys(data).sort(), [RESULTS_DB_SECRET_PASSWORD_KEY, RESULTS_DB_SECRET_USER_KEY].sort());
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

    it("requires both static access keys: no keyless (IRSA) mode, the Results S3 client only takes static keys", () => {
        // @ts-expect-error both keys are required (type-checking fails here if they become optional again)
        const data = resultsS3SecretData<string>(base);
        // Even called untyped, both entries stay in the Secret rather than being silently dropped.
        assert.ok("S3_ACCESS_KEY_ID" in data && "S3_SECRET_ACCESS_KEY" in data);
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

    it("merges given labels over its defaults", () => {
        const ingress = buildResultsApiIngress({
            host: "h.example.com", namespace: "ns",
            labels: { "app.kubernetes.io/part-of": "pipeline-service", "app.kubernetes.io/managed-by": "me" },
        });
        assert.deepEqual((ingress.metadata as { labels: Record<string, string> }).labels, {
            "app.kubernetes.io/part-of": "pipeline-service",
            "app.kubernetes.io/component": "api",
            "app.kubernetes.io/managed-by": "me",
        });
    });

    it("passes Output inputs through untouched", () => {
        const host = pulumi.output("results.apps.example.com");
        const ingress = buildResultsApiIngress({ host, namespace: "openshift-pipelines", tlsSecretName: pulumi.output("t") });
        const spec = ingress.spec as { rules: { host: unknown }[]; tls: { hosts: unknown[] }[] };
        assert.equal(spec.rules[0]?.host, host);
        assert.equal(spec.tls[0]?.hosts[0], host);
    });
});
