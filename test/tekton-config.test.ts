/**
 * The TektonConfig CR through the render harness: identity, invariants of the spec that hold for any stack
 * (Triggers and pruners off, every name it points at exists in the render, the database it talks to is the
 * one RDS is created with, the config's values arrive unchanged), and ordering (nothing Tekton before the
 * operator is ready; the CR after everything its components mount or read).
 */
import * as assert from "node:assert/strict";
import { SIGNING_SECRET_NAME } from "../components/chains/builders";
import { TARGET_NAMESPACE } from "../components/cluster/component";
import { RDS_CA_CONFIGMAP_NAME, RESULTS_DB_SECRET_NAME, RESULTS_S3_SECRET_NAME } from "../components/results/builders";
import { renderStack, UNKNOWN_MARK, type RenderResult, type ResourceRecord } from "../render";
import { at, configOf, exampleRender, manifest, ofType, single } from "./harness";

const TEKTON_CONFIG_TYPE = "kubernetes:operator.tekton.dev/v1alpha1:TektonConfig";
const TEKTON_TYPE_PREFIX = "kubernetes:operator.tekton.dev/";
const READINESS_TYPE = "pulumi-nodejs:dynamic:Resource";
const READINESS_NAME = "pipelines-operator-ready";
const SECRET_TYPE = "kubernetes:core/v1:Secret";
const CONFIGMAP_TYPE = "kubernetes:core/v1:ConfigMap";
const RDS_INSTANCE_TYPE = "aws:rds/instance:Instance";

/** A rendered Kubernetes object of `type` called `name` in `namespace`, if any. */
function objectNamed(result: RenderResult, type: string, name: unknown, namespace: unknown): ResourceRecord | undefined {
    return ofType(result, type).find((record) => at(record.inputs, "metadata", "name") === name && at(record.inputs, "metadata", "namespace") === namespace);
}

/** Operator-owned resources (every Tekton CR) that do not directly depend on the readiness step. */
function tektonResourcesNotWaitingFor(resources: readonly ResourceRecord[], readinessUrn: string): string[] {
    return resources
        .filter((record) => record.type.startsWith(TEKTON_TYPE_PREFIX) && !record.dependencies.includes(readinessUrn))
        .map((record) => record.urn);
}

function assertTektonConfig(result: RenderResult): void {
    const record = single(result, TEKTON_CONFIG_TYPE);
    const spec = record.inputs.spec;
    const config = configOf(result);
    assert.equal(record.inputs.apiVersion, "operator.tekton.dev/v1alpha1");
    assert.equal(record.inputs.kind, "TektonConfig");
    // The operator only reconciles the cluster-scoped object named `config`.
    assert.equal(at(record.inputs, "metadata", "name"), "config");
    assert.equal(at(record.inputs, "metadata", "namespace"), undefined);

    // The product's invariants: Triggers and both pruners off.
    assert.equal(at(spec, "trigger", "disabled"), true);
    assert.equal(at(spec, "pruner", "disabled"), true);
    assert.equal(at(spec, "tektonpruner", "disabled"), true);

    // The namespace is the one the program creates.
    const namespace = at(spec, "targetNamespace");
    assert.equal(namespace, at(single(result, "kubernetes:core/v1:Namespace").inputs, "metadata", "name"));

    // Every object `spec.result` names exists in that namespace, and the CA file is a key of the mounted ConfigMap.
    const resultSpec = at(spec, "result");
    assert.equal(at(resultSpec, "db_host"), UNKNOWN_MARK);
    assert.ok(objectNamed(result, SECRET_TYPE, at(resultSpec, "db_secret_name"), namespace), "db_secret_name names no rendered Secret");
    assert.ok(objectNamed(result, SECRET_TYPE, at(resultSpec, "secret_name"), namespace), "secret_name names no rendered Secret");
    const apiPod = at(resultSpec, "options", "deployments", "tekton-results-api", "spec", "template", "spec") as {
        volumes: { name: string; configMap: { name: string } }[];
        containers: { name: string; volumeMounts: { name: string; mountPath: string }[] }[];
    };
    const mount = apiPod.containers.find((container) => container.name === "api")?.volumeMounts[0];
    assert.ok(mount, "the api container mounts no volume");
    const volume = apiPod.volumes.find((candidate) => candidate.name === mount.name);
    const caConfigMap = objectNamed(result, CONFIGMAP_TYPE, volume?.configMap.name, namespace);
    assert.ok(caConfigMap, "the mounted CA ConfigMap is not rendered");
    const caFile = String(at(resultSpec, "db_sslrootcert"));
    assert.ok(caFile.startsWith(`${mount.mountPath}/`), `${caFile} is not under ${mount.mountPath}`);
    assert.match(String(at(caConfigMap.inputs, "data", caFile.slice(mount.mountPath.length + 1))), /-----BEGIN CERTIFICATE-----/);

    // The stack's own values arrive as they are.
    assert.deepEqual(at(spec, "pipeline", "performance"), {
        "disable-ha": false,
        "threads-per-controller": config.pipelines.threadsPerController,
        "kube-api-qps": config.pipelines.kubeApiQps,
        "kube-api-burst": config.pipelines.kubeApiBurst,
        buckets: config.pipelines.buckets,
        replicas: config.workloads.pipelinesControllerReplicas,
    });
    // Results prunes instead of the operator: the watcher's flags carry the configured grace period.
    assert.deepEqual(at(resultSpec, "options", "deployments", "tekton-results-watcher", "spec", "template", "spec", "containers"), [{
        name: "watcher",
        resources: config.workloads.resultsWatcherResources,
        args: [`-completed_run_grace_period=${config.resultsRetention.completedRunGracePeriod}`, "-check_owner=false", "-logs_api=true"],
    }]);
    const pac = config.pipelinesAsCode;
    assert.deepEqual(at(spec, "platforms", "openshift", "pipelinesAsCode", "settings"), {
        "application-name": pac.applicationName,
        "secret-github-app-token-scoped": String(pac.githubAppTokenScoped),
        "enable-cancel-in-progress-on-pull-requests": String(pac.cancelInProgressOnPullRequests),
        "custom-console-name": pac.consoleName,
        "custom-console-url": pac.consoleUrl,
        "custom-console-url-pr-details": pac.consoleUrlPrDetails,
        "custom-console-url-pr-tasklog": pac.consoleUrlPrTaskLog,
        "custom-console-url-namespace": pac.consoleUrlNamespace,
    });
    assert.equal(at(spec, "chain", "transparency.url"), config.chains.transparencyEnabled || config.chains.signing === "keyless" ? config.chains.rekorUrl : undefined);
    assert.equal(at(spec, "chain", "signers.x509.fulcio.enabled"), config.chains.signing === "keyless" ? true : undefined);
}

describe("TektonConfig (rendered)", () => {
    for (const stack of ["dev", "prod"] as const) {
        describe(`${stack} stack`, () => {
            it("is `config`, cluster-scoped, with Triggers and pruners off, every name it points at rendered, and the config's values", async () => {
                assertTektonConfig(await exampleRender(stack));
            });

            it("talks to the database RDS is created with", async () => {
                const result = await exampleRender(stack);
                const spec = single(result, TEKTON_CONFIG_TYPE).inputs.spec;
                const database = single(result, RDS_INSTANCE_TYPE);
                assert.equal(at(spec, "result", "db_port"), database.inputs.port);
                assert.equal(at(spec, "result", "db_name"), database.inputs.dbName);
                // The host is the RDS endpoint: the only part of the object that waits for the database.
                assert.ok(single(result, TEKTON_CONFIG_TYPE).dependencies.includes(database.urn));
            });

            it("creates every Tekton CR only after the operator readiness step", async () => {
                const result = await exampleRender(stack);
                const readiness = single(result, READINESS_TYPE, READINESS_NAME);
                assert.ok(result.resources.filter((record) => record.type.startsWith(TEKTON_TYPE_PREFIX)).length >= 1);
                assert.deepEqual(tektonResourcesNotWaitingFor(result.resources, readiness.urn), []);
            });

            it("creates the TektonConfig after the namespace, signing key, Results Secrets and CA bundle", async () => {
                const result = await exampleRender(stack);
                const dependencies = single(result, TEKTON_CONFIG_TYPE).dependencies;
                const prerequisites = [
                    manifest(result, "kubernetes:core/v1:Namespace", TARGET_NAMESPACE),
                    manifest(result, SECRET_TYPE, SIGNING_SECRET_NAME, TARGET_NAMESPACE),
                    manifest(result, SECRET_TYPE, RESULTS_DB_SECRET_NAME, TARGET_NAMESPACE),
                    manifest(result, SECRET_TYPE, RESULTS_S3_SECRET_NAME, TARGET_NAMESPACE),
                    // Mounted by the Results API pod (not optional), so it must exist first too.
                    manifest(result, "kubernetes:core/v1:ConfigMap", RDS_CA_CONFIGMAP_NAME, TARGET_NAMESPACE),
                ];
                for (const prerequisite of prerequisites) {
                    assert.ok(dependencies.includes(prerequisite.urn), `TektonConfig must depend on ${prerequisite.urn}`);
                }
            });
        });
    }

    it("the ordering check catches a Tekton CR that does not wait for the operator", async () => {
        const result = await exampleRender("dev");
        const readiness = single(result, READINESS_TYPE, READINESS_NAME);
        const tektonConfig = single(result, TEKTON_CONFIG_TYPE);
        const unordered: ResourceRecord = {
            ...tektonConfig,
            type: "kubernetes:operator.tekton.dev/v1alpha1:TektonChain",
            urn: `${tektonConfig.urn}-chain`,
            dependencies: tektonConfig.dependencies.filter((urn) => urn !== readiness.urn),
        };
        assert.deepEqual(tektonResourcesNotWaitingFor([...result.resources, unordered], readiness.urn), [unordered.urn]);
    });

    describe("keyless signing (dev)", () => {
        let rendered: Promise<RenderResult> | undefined;
        const render = (): Promise<RenderResult> => (rendered ??= renderStack("dev", {
            overrides: { "pipeline-service:chains": { signing: "keyless", rekorUrl: "https://rekor.example.test" } },
        }));

        it("carries the keyless Chains settings from config in the same spec", async () => {
            const result = await render();
            assertTektonConfig(result);
            const chain = at(single(result, TEKTON_CONFIG_TYPE).inputs.spec, "chain");
            assert.equal(at(chain, "signers.x509.fulcio.enabled"), true);
            assert.equal(at(chain, "transparency.url"), "https://rekor.example.test");
        });

        it("still waits for the operator and the Results Secrets, with no signing key to wait for", async () => {
            const result = await render();
            const dependencies = single(result, TEKTON_CONFIG_TYPE).dependencies;
            assert.equal(ofType(result, SECRET_TYPE).filter((record) => at(record.inputs, "metadata", "name") === SIGNING_SECRET_NAME).length, 0);
            assert.ok(dependencies.includes(single(result, READINESS_TYPE, READINESS_NAME).urn));
            assert.ok(dependencies.includes(manifest(result, SECRET_TYPE, RESULTS_DB_SECRET_NAME, TARGET_NAMESPACE).urn));
        });
    });
});
