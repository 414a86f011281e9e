/**
 * The pure builders of the TektonConfig's blocks: the operator part (tekton/), `chain` (chains/), `result`
 * (results/) and the PaC settings (pac/). Each is checked against the exact object the operator must get.
 */
import { strict as assert } from "node:assert";
import { buildChainSpec } from "../components/chains/builders";
import { buildPipelinesAsCodeSpec } from "../components/pac/builders";
import { buildResultSpec, RESULTS_DB_CA_MOUNT_DIR } from "../components/results/tekton-result";
import { buildOperatorSpec, TEKTON_CONFIG_NAME } from "../components/tekton/builders";
import type { AdditionalOptions } from "../components/tekton/types";
import { lineNamed, type OperatorLine } from "../lib/operator-lines";

const line = (name: string) => lineNamed(name) as OperatorLine;

const CONTROLLER = { replicas: 2, deepInspection: true };
const chainsCommon = {
    disabled: false,
    "artifacts.pipelinerun.enable-deep-inspection": "true",
    performance: { "disable-ha": false, replicas: 2 },
    generateSigningSecret: false,
    "artifacts.taskrun.format": "in-toto",
    "artifacts.taskrun.storage": "",
    "artifacts.oci.storage": "oci",
    "artifacts.pipelinerun.format": "in-toto",
    "artifacts.pipelinerun.storage": "oci",
};

describe("buildOperatorSpec", () => {
    const operatorSpec = (name: string) => buildOperatorSpec(
        { threadsPerController: 32, kubeApiQps: 50.5, kubeApiBurst: 50, buckets: 4, defaultTimeoutMinutes: 120, imagePullBackOffTimeout: "15m", enableApiFields: "alpha", enableParamEnum: true },
        { controller: 4, webhookMin: 2 },
        line(name),
    );
    const spec = operatorSpec("1.20");

    it("says the scheduler is off on 1.22 (and has no scheduler key before, where the operator has none)", () => {
        assert.deepEqual(operatorSpec("1.22").scheduler, { disabled: true, "multi-cluster-disabled": true });
        assert.equal("scheduler" in operatorSpec("1.21"), false);
        assert.equal("scheduler" in spec, false);
        assert.deepEqual({ ...operatorSpec("1.22"), scheduler: undefined }, { ...spec, scheduler: undefined });
    });

    it("never carries pipeline.disable-affinity-assistant, which 1.22's webhook drops", () => {
        for (const name of ["1.20", "1.21", "1.22"]) {
            assert.equal("disable-affinity-assistant" in (operatorSpec(name).pipeline ?? {}), false, name);
        }
    });

    it("names the one object the operator reconciles", () => {
        assert.equal(TEKTON_CONFIG_NAME, "config");
    });

    it("sets profile basic (all deadlocks with Triggers off) and the RBAC param as a string", () => {
        assert.equal(spec.profile, "basic");
        assert.deepEqual(spec.params, [{ name: "createRbacResource", value: "false" }]);
    });

    it("disables Triggers and both pruners with real booleans", () => {
        assert.deepEqual(spec.trigger, { disabled: true });
        assert.deepEqual(spec.pruner, { disabled: true });
        assert.deepEqual(spec.tektonpruner, { disabled: true });
    });

    it("configures the pipeline: SA, resolvers, feature flags, defaults, performance and replicas, the webhook HPA floor, no OCI bundles flag", () => {
        assert.deepEqual(spec.pipeline, {
            "default-service-account": "appstudio-pipeline",
            "enable-bundles-resolver": true,
            "enable-cluster-resolver": true,
            "enable-git-resolver": true,
            "enable-hub-resolver": true,
            "enable-step-actions": true,
            "enable-api-fields": "alpha",
            "enable-param-enum": true,
            "default-timeout-minutes": 120,
            options: {
                configMaps: { "config-defaults": { data: { "default-imagepullbackoff-timeout": "15m" } } },
                horizontalPodAutoscalers: { "tekton-pipelines-webhook": { spec: { minReplicas: 2 } } },
            },
            performance: { "disable-ha": false, "threads-per-controller": 32, "kube-api-qps": 50.5, "kube-api-burst": 50, buckets: 4, replicas: 4 },
        });
    });

    it("leaves the namespace and the capability blocks to their owners", () => {
        assert.deepEqual(Object.keys(spec).sort(), ["params", "pipeline", "profile", "pruner", "tektonpruner", "trigger"]);
    });
});

describe("buildChainSpec", () => {
    it("generated key without transparency: flat chain keys, the string \"false\", no signer keys", () => {
        const chain = buildChainSpec({ mode: "generated-key" }, CONTROLLER);
        assert.deepEqual(chain, { ...chainsCommon, "transparency.enabled": "false" });
        assert.ok(!("artifacts" in chain), "chain keys must be flat dotted keys");
    });

    it("adopted key with transparency: the string \"true\" and the Rekor URL", () => {
        assert.deepEqual(buildChainSpec({ mode: "adopted-key", publicKey: "pem", transparencyLogUrl: "https://rekor.example.test" }, CONTROLLER), {
            ...chainsCommon,
            "transparency.enabled": "true",
            "transparency.url": "https://rekor.example.test",
        });
    });

    it("keyless: x509 signers with Fulcio, and the transparency log always on", () => {
        const chain = buildChainSpec({
            mode: "keyless",
            transparencyLogUrl: "https://rekor.example.test",
            fulcioUrl: "https://fulcio.example.test",
            fulcioOidcIssuer: "https://issuer.example.test",
        }, CONTROLLER);
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
});

const RESOURCES = { requests: { cpu: "100m", memory: "512Mi" }, limits: { memory: "1Gi" } };

describe("buildResultSpec", () => {
    const resultSpec = (name: string) => buildResultSpec(
        { host: "results.abc.us-east-1.rds.amazonaws.com", port: 5432, name: "tekton_results" },
        { completedRunGracePeriod: "10m", defaultRetentionDays: 30, runAt: "5 5 * * 0" },
        { apiReplicas: 2, watcherReplicas: 3, apiResources: RESOURCES, watcherResources: RESOURCES },
        line(name),
    );
    const result = resultSpec("1.20");

    it("turns the operator's own Results Route off from 1.21 (our Ingress exposes the API), and nothing else differs", () => {
        assert.equal("route_enabled" in result, false);
        for (const name of ["1.21", "1.22"]) {
            const { route_enabled: routeEnabled, ...rest } = resultSpec(name);
            assert.equal(routeEnabled, false, name);
            assert.deepEqual(rest, result);
        }
    });

    it("keeps retention on defaultRetention alone on every line (maxRetention overrides it from Results v0.17)", () => {
        for (const name of ["1.20", "1.21", "1.22"]) {
            const options = resultSpec(name).options as AdditionalOptions;
            const data = options.configMaps?.["tekton-results-config-results-retention-policy"]?.data;
            assert.deepEqual(Object.keys(data ?? {}).sort(), ["defaultRetention", "runAt"], name);
        }
    });
    const caMount = (container: string, sized?: { replicas: number; resources: typeof RESOURCES }) => ({
        spec: {
            ...(sized ? { replicas: sized.replicas } : {}),
            template: {
                spec: {
                    volumes: [{ name: "results-db-ca", configMap: { name: "rds-root-crt" } }],
                    containers: [{
                        name: container,
                        ...(sized ? { resources: sized.resources } : {}),
                        volumeMounts: [{ name: "results-db-ca", mountPath: "/etc/results-db-ca", readOnly: true }],
                    }],
                },
            },
        },
    });

    it("external DB with verify-full, S3 logs, auth on, the CA mounted into the API and the retention agent, the watcher pruning, the retention policy", () => {
        assert.equal(RESULTS_DB_CA_MOUNT_DIR, "/etc/results-db-ca");
        assert.deepEqual(result, {
            disabled: false,
            is_external_db: true,
            db_host: "results.abc.us-east-1.rds.amazonaws.com",
            db_port: 5432,
            db_name: "tekton_results",
            db_secret_name: "tekton-results-postgres",
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
                configMaps: { "tekton-results-config-results-retention-policy": { data: { defaultRetention: "30", runAt: "5 5 * * 0" } } },
                deployments: {
                    "tekton-results-api": caMount("api", { replicas: 2, resources: RESOURCES }),
                    "tekton-results-retention-policy-agent": caMount("retention-policy-agent"),
                    "tekton-results-watcher": {
                        spec: {
                            replicas: 3,
                            template: { spec: { containers: [{ name: "watcher", resources: RESOURCES, args: ["-completed_run_grace_period=10m", "-check_owner=false", "-logs_api=true"] }] } },
                        },
                    },
                },
            },
        });
    });
});

describe("buildPipelinesAsCodeSpec", () => {
    const pacSpec = (name: string) => buildPipelinesAsCodeSpec({
        consoleName: "Konflux",
        consoleUrl: "https://console.example.test",
        consoleUrlPrDetails: "https://console.example.test/ns/{{ namespace }}/pipelinerun/{{ pr }}",
        consoleUrlPrTaskLog: "https://console.example.test/ns/{{ namespace }}/pipelinerun/{{ pr }}/logs/{{ task }}",
        consoleUrlNamespace: "https://console.example.test/ns/{{ namespace }}",
    }, { replicas: 2, applicationName: "Konflux CI", githubAppTokenScoped: true, cancelInProgressOnPullRequests: false }, line(name));

    it("states from 1.21 the two settings PaC v0.39's webhook adds, with the values it writes", () => {
        for (const name of ["1.21", "1.22"]) {
            const settings = pacSpec(name).settings ?? {};
            assert.equal(settings["error-log-snippet-number-of-lines"], "3", name);
            assert.equal(settings["require-ok-to-test-sha"], "false", name);
            const rest = Object.fromEntries(Object.entries(settings).filter(([key]) => !["error-log-snippet-number-of-lines", "require-ok-to-test-sha"].includes(key)));
            assert.deepEqual(rest, pacSpec("1.20").settings);
        }
    });

    it("enables Pipelines-as-Code with the console settings, its behaviour settings and the replicas of its three deployments", () => {
        const spec = buildPipelinesAsCodeSpec({
            consoleName: "Konflux",
            consoleUrl: "https://console.example.test",
            consoleUrlPrDetails: "https://console.example.test/ns/{{ namespace }}/pipelinerun/{{ pr }}",
            consoleUrlPrTaskLog: "https://console.example.test/ns/{{ namespace }}/pipelinerun/{{ pr }}/logs/{{ task }}",
            consoleUrlNamespace: "https://console.example.test/ns/{{ namespace }}",
        }, { replicas: 2, applicationName: "Konflux CI", githubAppTokenScoped: true, cancelInProgressOnPullRequests: false }, line("1.20"));
        assert.deepEqual(spec, {
            enable: true,
            options: {
                deployments: {
                    "pipelines-as-code-controller": { spec: { replicas: 2 } },
                    "pipelines-as-code-watcher": { spec: { replicas: 2 } },
                    "pipelines-as-code-webhook": { spec: { replicas: 2 } },
                },
            },
            settings: {
                "application-name": "Konflux CI",
                "secret-github-app-token-scoped": "true",
                "enable-cancel-in-progress-on-pull-requests": "false",
                "custom-console-name": "Konflux",
                "custom-console-url": "https://console.example.test",
                "custom-console-url-pr-details": "https://console.example.test/ns/{{ namespace }}/pipelinerun/{{ pr }}",
                "custom-console-url-pr-tasklog": "https://console.example.test/ns/{{ namespace }}/pipelinerun/{{ pr }}/logs/{{ task }}",
                "custom-console-url-namespace": "https://console.example.test/ns/{{ namespace }}",
            },
        });
    });
});
