import { strict as assert } from "node:assert";
import {
    buildTektonConfigSpec,
    RESULTS_DB_CA_MOUNT_DIR,
    TARGET_NAMESPACE,
    TEKTON_CONFIG_NAME,
    type TektonConfigSpecArgs,
} from "../components/tekton/builders";

const baseArgs: TektonConfigSpecArgs = {
    performance: { threadsPerController: 32, kubeApiQps: 50.5, kubeApiBurst: 50, buckets: 4 },
    chains: {
        mode: "key",
        transparencyEnabled: false,
        rekorUrl: "https://rekor.example.test",
        fulcioUrl: "https://fulcio.example.test",
        fulcioOidcIssuer: "https://issuer.example.test",
    },
    results: {
        dbHost: "results.abc.us-east-1.rds.amazonaws.com",
        dbPort: 5432,
        dbName: "tekton_results",
        dbSecretName: "tekton-results-database",
        s3SecretName: "tekton-results-s3",
        caConfigMapName: "rds-root-crt",
        caFileName: "tekton-results-db-ca.pem",
    },
    pipelinesAsCode: {
        consoleName: "Konflux",
        consoleUrl: "https://console.example.test",
        consoleUrlPrDetails: "https://console.example.test/ns/{{ namespace }}/pipelinerun/{{ pr }}",
        consoleUrlPrTaskLog: "https://console.example.test/ns/{{ namespace }}/pipelinerun/{{ pr }}/logs/{{ task }}",
        consoleUrlNamespace: "https://console.example.test/ns/{{ namespace }}",
    },
};

const chainsCommon = {
    disabled: false,
    generateSigningSecret: false,
    "artifacts.taskrun.format": "in-toto",
    "artifacts.taskrun.storage": "",
    "artifacts.oci.storage": "oci",
    "artifacts.pipelinerun.format": "in-toto",
    "artifacts.pipelinerun.storage": "oci",
};

describe("buildTektonConfigSpec", () => {
    const spec = buildTektonConfigSpec(baseArgs);

    it("exports the operator's fixed names", () => {
        assert.equal(TEKTON_CONFIG_NAME, "config");
        assert.equal(TARGET_NAMESPACE, "openshift-pipelines");
    });

    it("sets namespace, profile and the RBAC param as strings", () => {
        assert.equal(spec.targetNamespace, "openshift-pipelines");
        assert.equal(spec.profile, "all");
        assert.deepEqual(spec.params, [{ name: "createRbacResource", value: "false" }]);
    });

    it("disables Triggers and both pruners with real booleans", () => {
        assert.deepEqual(spec.trigger, { disabled: true });
        assert.deepEqual(spec.pruner, { disabled: true });
        assert.deepEqual(spec.tektonpruner, { disabled: true });
    });

    it("configures the pipeline: SA, resolvers, step actions, performance, no OCI bundles flag", () => {
        assert.deepEqual(spec.pipeline, {
            "default-service-account": "appstudio-pipeline",
            "enable-bundles-resolver": true,
            "enable-cluster-resolver": true,
            "enable-git-resolver": true,
            "enable-hub-resolver": true,
            "enable-step-actions": true,
            performance: {
                "disable-ha": false,
                "threads-per-controller": 32,
                "kube-api-qps": 50.5,
                "kube-api-burst": 50,
                buckets: 4,
            },
        });
        assert.ok(!("enable-tekton-oci-bundles" in (spec.pipeline ?? {})));
    });

    it("key mode: flat chain keys, transparency off as the string \"false\", no signer/fulcio keys", () => {
        assert.deepEqual(spec.chain, { ...chainsCommon, "transparency.enabled": "false" });
        assert.ok(!("artifacts" in (spec.chain ?? {})), "chain keys must be flat dotted keys");
    });

    it("key mode with transparency: string \"true\" and the Rekor URL", () => {
        const chain = buildTektonConfigSpec({ ...baseArgs, chains: { ...baseArgs.chains, transparencyEnabled: true } }).chain;
        assert.deepEqual(chain, {
            ...chainsCommon,
            "transparency.enabled": "true",
            "transparency.url": "https://rekor.example.test",
        });
    });

    it("keyless mode: x509 signers with Fulcio and transparency forced on", () => {
        const chain = buildTektonConfigSpec({ ...baseArgs, chains: { ...baseArgs.chains, mode: "keyless" } }).chain;
        assert.deepEqual(chain, {
            ...chainsCommon,
            "artifacts.taskrun.signer": "x509",
            "artifacts.pipelinerun.signer": "x509",
            "artifacts.oci.signer": "x509",
            "signers.x509.fulcio.enabled": true,
            "signers.x509.fulcio.address": "https://fulcio.example.test",
            "signers.x509.fulcio.issuer": "https://issuer.example.test",
            "transparency.enabled": "true",
            "transparency.url": "https://rekor.example.test",
        });
    });

    it("keyless mode rejects a missing Fulcio URL", () => {
        assert.throws(
            () => buildTektonConfigSpec({ ...baseArgs, chains: { ...baseArgs.chains, mode: "keyless", fulcioUrl: " " } }),
            /fulcioUrl/,
        );
    });

    it("results: external DB with verify-full, S3 logs, auth on and the CA mounted into tekton-results-api/api", () => {
        assert.equal(RESULTS_DB_CA_MOUNT_DIR, "/etc/results-db-ca");
        assert.deepEqual(spec.result, {
            disabled: false,
            is_external_db: true,
            db_host: "results.abc.us-east-1.rds.amazonaws.com",
            db_port: 5432,
            db_name: "tekton_results",
            db_secret_name: "tekton-results-database",
            db_secret_user_key: "POSTGRES_USER",
            db_secret_password_key: "POSTGRES_PASSWORD",
            db_sslmode: "verify-full",
            db_sslrootcert: "/etc/results-db-ca/tekton-results-db-ca.pem",
            db_enable_auto_migration: true,
            logs_api: true,
            logs_type: "S3",
            secret_name: "tekton-results-s3",
            auth_disable: false,
            options: {
                deployments: {
                    "tekton-results-api": {
                        spec: {
                            template: {
                                spec: {
                                    volumes: [{ name: "results-db-ca", configMap: { name: "rds-root-crt" } }],
                                    containers: [
                                        {
                                            name: "api",
                                            volumeMounts: [
                                                { name: "results-db-ca", mountPath: "/etc/results-db-ca", readOnly: true },
                                            ],
                                        },
                                    ],
                                },
                            },
                        },
                    },
                },
            },
        });
    });

    it("results: sslrootcert path lies inside the mounted directory", () => {
        const result = spec.result!;
        const mount = result.options!.deployments!["tekton-results-api"].spec!.template!.spec!.containers![0].volumeMounts![0];
        assert.ok(result.db_sslrootcert!.startsWith(`${mount.mountPath}/`));
    });

    it("enables Pipelines-as-Code with the custom console settings", () => {
        assert.deepEqual(spec.platforms, {
            openshift: {
                pipelinesAsCode: {
                    enable: true,
                    settings: {
                        "custom-console-name": "Konflux",
                        "custom-console-url": "https://console.example.test",
                        "custom-console-url-pr-details":
                            "https://console.example.test/ns/{{ namespace }}/pipelinerun/{{ pr }}",
                        "custom-console-url-pr-tasklog":
                            "https://console.example.test/ns/{{ namespace }}/pipelinerun/{{ pr }}/logs/{{ task }}",
                        "custom-console-url-namespace": "https://console.example.test/ns/{{ namespace }}",
                    },
                },
            },
        });
    });

    it("writes only known top-level keys", () => {
        assert.deepEqual(Object.keys(spec).sort(), [
            "chain",
            "params",
            "pipeline",
            "platforms",
            "profile",
            "pruner",
            "result",
            "targetNamespace",
            "tektonpruner",
            "trigger",
        ]);
    });

    it("rejects out-of-range performance and port values", () => {
        const perf = baseArgs.performance;
        assert.throws(() => buildTektonConfigSpec({ ...baseArgs, performance: { ...perf, buckets: 11 } }), /buckets/);
        assert.throws(() => buildTektonConfigSpec({ ...baseArgs, performance: { ...perf, buckets: 0 } }), /buckets/);
        assert.throws(
            () => buildTektonConfigSpec({ ...baseArgs, performance: { ...perf, threadsPerController: 1.5 } }),
            /threadsPerController/,
        );
        assert.throws(() => buildTektonConfigSpec({ ...baseArgs, performance: { ...perf, kubeApiQps: 0 } }), /kubeApiQps/);
        assert.throws(
            () => buildTektonConfigSpec({ ...baseArgs, results: { ...baseArgs.results, dbPort: 70000 } }),
            /dbPort/,
        );
        assert.throws(
            () => buildTektonConfigSpec({ ...baseArgs, results: { ...baseArgs.results, caFileName: "a/b.pem" } }),
            /caFileName/,
        );
    });
});
