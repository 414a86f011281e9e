/**
 * The TektonConfig CR through the render harness: identity, the whole spec against the pure builder for the
 * stack's own config, and ordering (nothing Tekton before the operator is ready; the CR after everything
 * its components mount or read).
 */
import * as assert from "node:assert/strict";
import { SIGNING_SECRET_NAME } from "../components/chains-signing-spec";
import { RDS_CA_CONFIGMAP_NAME, RDS_CA_FILE_NAME, RESULTS_DB_SECRET_NAME, RESULTS_S3_SECRET_NAME } from "../components/results-manifests";
import { POSTGRES_PORT, RESULTS_DB_NAME } from "../components/results-storage-spec";
import { buildTektonConfigSpec, TARGET_NAMESPACE } from "../components/tekton-config-spec";
import { parseStackConfig } from "../stacks/config";
import type { StackConfig } from "../stacks/types";
import { renderStack, UNKNOWN_MARK, type RenderResult, type ResourceRecord } from "../render";
import { at, exampleRender, manifest, ofType, single } from "./harness";

const TEKTON_CONFIG_TYPE = "kubernetes:operator.tekton.dev/v1alpha1:TektonConfig";
const TEKTON_TYPE_PREFIX = "kubernetes:operator.tekton.dev/";
const READINESS_TYPE = "pulumi-nodejs:dynamic:Resource";
const READINESS_NAME = "pipelines-operator-ready";
const SECRET_TYPE = "kubernetes:core/v1:Secret";
const RDS_INSTANCE_TYPE = "aws:rds/instance:Instance";

function configOf(result: RenderResult): StackConfig {
    const { config, project, stack } = result.settings;
    return parseStackConfig(config, project, stack);
}

/**
 * The spec the stack's config must produce: the builder's, with the database wired to what RDS is created
 * with (port and name from the storage spec), and the host unknown until RDS exists.
 */
function expectedSpec(config: StackConfig): unknown {
    const built = buildTektonConfigSpec({
        performance: config.pipelines,
        chains: {
            mode: config.chains.signing,
            transparencyEnabled: config.chains.transparencyEnabled,
            rekorUrl: config.chains.rekorUrl,
            fulcioUrl: config.chains.fulcioUrl,
            fulcioOidcIssuer: config.chains.fulcioOidcIssuer,
        },
        results: {
            dbHost: "placeholder.invalid",
            dbPort: POSTGRES_PORT,
            dbName: RESULTS_DB_NAME,
            dbSecretName: RESULTS_DB_SECRET_NAME,
            s3SecretName: RESULTS_S3_SECRET_NAME,
            caConfigMapName: RDS_CA_CONFIGMAP_NAME,
            caFileName: RDS_CA_FILE_NAME,
        },
        pipelinesAsCode: config.pipelinesAsCode,
    });
    return { ...built, result: { ...built.result, db_host: UNKNOWN_MARK } };
}

/** Operator-owned resources (every Tekton CR) that do not directly depend on the readiness step. */
function tektonResourcesNotWaitingFor(resources: readonly ResourceRecord[], readinessUrn: string): string[] {
    return resources
        .filter((record) => record.type.startsWith(TEKTON_TYPE_PREFIX) && !record.dependencies.includes(readinessUrn))
        .map((record) => record.urn);
}

function assertTektonConfig(result: RenderResult): void {
    const record = single(result, TEKTON_CONFIG_TYPE);
    assert.equal(record.inputs.apiVersion, "operator.tekton.dev/v1alpha1");
    assert.equal(record.inputs.kind, "TektonConfig");
    // The operator only reconciles the cluster-scoped object named `config`.
    assert.equal(at(record.inputs, "metadata", "name"), "config");
    assert.equal(at(record.inputs, "metadata", "namespace"), undefined);
    assert.deepEqual(record.inputs.spec, expectedSpec(configOf(result)));
}

describe("TektonConfig (rendered)", () => {
    for (const stack of ["dev", "prod"] as const) {
        describe(`${stack} stack`, () => {
            it("is `config`, cluster-scoped, with exactly the builder's spec for this config (db_host after apply)", async () => {
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
