/**
 * The operator install (OLM CatalogSource + Subscription) and the readiness step, through the render harness
 * for both example stacks, plus the pure manifest builders.
 *
 * OLM field names checked against operator-framework/api `pkg/operators/v1alpha1/`:
 * - subscription_types.go `SubscriptionSpec`: `source`, `sourceNamespace`, `name` (the package), `channel`,
 *   `startingCSV`, `installPlanApproval`, `config` (`SubscriptionConfig.env`, a list of core/v1 EnvVar);
 * - catalogsource_types.go `CatalogSourceSpec`: `sourceType` (`grpc`), `image`, `updateStrategy`
 *   → `UpdateStrategy.registryPoll` → `RegistryPoll.interval` (a Go duration string; an unparsable one
 *   silently falls back to 15m, which is why the config schema validates it).
 */
import { OPERATOR_PACKAGE } from "../lib/operator-lines";
import * as assert from "node:assert/strict";
import {
    buildCatalogSource, buildSubscription, CATALOG_NAMESPACE, SUBSCRIPTION_NAMESPACE, type OperatorCatalogSettings,
} from "../components/operator/builders";
import type { StackConfig } from "../stacks/config";
import { renderStack, SECRET_MARK, type RenderResult, type ResourceRecord } from "../render";
import { at, configOf, exampleRender, single } from "./harness";

const CATALOG_SOURCE_TYPE = "kubernetes:operators.coreos.com/v1alpha1:CatalogSource";
const SUBSCRIPTION_TYPE = "kubernetes:operators.coreos.com/v1alpha1:Subscription";
const READINESS_TYPE = "pulumi-nodejs:dynamic:Resource";
const READINESS_NAME = "pipelines-operator-ready";

/** The per-environment approval: a new build reaches prod only through an approved install plan. */
const EXPECTED_APPROVAL = { dev: "Automatic", prod: "Manual" } as const;

/** The parsed config the render ran with (the same settings, overrides included). */

interface OperatorRecords {
    readonly catalogSource: ResourceRecord;
    readonly subscription: ResourceRecord;
    readonly readiness: ResourceRecord;
}

function operatorRecords(result: RenderResult): OperatorRecords {
    return {
        catalogSource: single(result, CATALOG_SOURCE_TYPE),
        subscription: single(result, SUBSCRIPTION_TYPE),
        readiness: single(result, READINESS_TYPE, READINESS_NAME),
    };
}

/** What the Subscription's spec must be for `config`, pointing at the rendered CatalogSource. */
function expectedSubscriptionSpec(config: StackConfig, catalogSource: ResourceRecord): Record<string, unknown> {
    return {
        channel: config.operator.channel,
        name: OPERATOR_PACKAGE,
        source: at(catalogSource.inputs, "metadata", "name"),
        sourceNamespace: at(catalogSource.inputs, "metadata", "namespace"),
        installPlanApproval: config.operator.installPlanApproval,
        ...(config.operator.startingCsv === undefined ? {} : { startingCSV: config.operator.startingCsv }),
        // The operator leaves TektonConfig `config` to this program (tektoncd/operator reads it in its
        // tektonconfig controller: only "true" makes it create its own).
        config: { env: [{ name: "AUTOINSTALL_COMPONENTS", value: "false" }] },
    };
}

/** Checks CatalogSource, Subscription and readiness step of a render against the config it was made from. */
function assertOperatorInstall(result: RenderResult): void {
    const config = configOf(result);
    const { catalogSource, subscription, readiness } = operatorRecords(result);

    assert.equal(catalogSource.inputs.apiVersion, "operators.coreos.com/v1alpha1");
    assert.equal(catalogSource.inputs.kind, "CatalogSource");
    assert.equal(at(catalogSource.inputs, "metadata", "namespace"), "openshift-marketplace");
    assert.equal(at(catalogSource.inputs, "metadata", "name"), "pipeline-service-candidate");
    assert.equal(at(catalogSource.inputs, "spec", "sourceType"), "grpc");
    assert.equal(at(catalogSource.inputs, "spec", "image"), config.operator.catalogImage);
    assert.match(String(at(catalogSource.inputs, "spec", "image")), /@sha256:[0-9a-f]{64}$/);
    assert.deepEqual(at(catalogSource.inputs, "spec", "updateStrategy"), { registryPoll: { interval: config.operator.registryPollInterval } });

    assert.equal(subscription.inputs.apiVersion, "operators.coreos.com/v1alpha1");
    assert.equal(subscription.inputs.kind, "Subscription");
    assert.equal(at(subscription.inputs, "metadata", "namespace"), "openshift-operators");
    assert.equal(at(subscription.inputs, "metadata", "name"), "openshift-pipelines-operator");
    assert.deepEqual(subscription.inputs.spec, expectedSubscriptionSpec(config, catalogSource));

    // The readiness step waits for exactly the Subscription that was rendered, and only after it exists.
    assert.ok(readiness.dependencies.includes(subscription.urn), "the readiness step must depend on the Subscription");
    assert.equal(readiness.inputs.subscriptionNamespace, at(subscription.inputs, "metadata", "namespace"));
    assert.equal(readiness.inputs.subscriptionName, at(subscription.inputs, "metadata", "name"));
    assert.equal(readiness.inputs.crdName, "tektonconfigs.operator.tekton.dev");
    assert.equal(readiness.inputs.timeoutSeconds, config.operator.readinessTimeoutSeconds);
    assert.equal(readiness.inputs.context, config.providers.kubernetesContext);
}

describe("PipelinesOperator (rendered)", () => {
    for (const stack of ["dev", "prod"] as const) {
        describe(`${stack} stack`, () => {
            it("renders the CatalogSource, Subscription and readiness step from the stack's config", async () => {
                assertOperatorInstall(await exampleRender(stack));
            });

            it(`approves install plans ${EXPECTED_APPROVAL[stack]}; startingCSV only where configured`, async () => {
                const result = await exampleRender(stack);
                const spec = operatorRecords(result).subscription.inputs.spec as Record<string, unknown>;
                assert.equal(spec.installPlanApproval, EXPECTED_APPROVAL[stack]);
                const startingCsv = configOf(result).operator.startingCsv;
                if (stack === "prod") {
                    // The prod example pins the CSV it was tested with.
                    assert.ok(startingCsv !== undefined);
                    assert.equal(spec.startingCSV, startingCsv);
                } else {
                    assert.equal(startingCsv, undefined);
                    assert.ok(!("startingCSV" in spec), "dev has no starting CSV: the key must be absent, not empty");
                }
            });

            it("has no kubeconfig input when kubernetes:kubeconfig is unset", async () => {
                const { readiness } = operatorRecords(await exampleRender(stack));
                assert.ok(!("kubeconfig" in readiness.inputs));
            });
        });
    }

    describe("with every operator setting overridden (dev)", () => {
        const planted = "PLANTED-readiness-kubeconfig-5c4b3a";
        const operatorOverride = {
            catalogImage: `quay.io/example/other-index@sha256:${"ab".repeat(32)}`,
            // Not "pipelines-1.20" (a real channel): stacks/schema.ts refuses dots in channel names (reported).
            channel: "candidate",
            installPlanApproval: "Manual",
            startingCsv: "openshift-pipelines-operator-rh.v1.20.3",
            registryPollInterval: "10m",
            readinessTimeoutSeconds: 1234,
        };
        let rendered: Promise<RenderResult> | undefined;
        // Not marked secret on purpose: the program must treat a kubeconfig as a secret regardless.
        const render = (): Promise<RenderResult> => (rendered ??= renderStack("dev", {
            overrides: { "pipeline-service:operator": operatorOverride, "kubernetes:kubeconfig": planted },
        }));

        it("follows the config (nothing is a constant that happens to equal the default)", async () => {
            const result = await render();
            assertOperatorInstall(result);
            const { catalogSource, subscription, readiness } = operatorRecords(result);
            assert.equal(at(catalogSource.inputs, "spec", "image"), operatorOverride.catalogImage);
            assert.equal(at(catalogSource.inputs, "spec", "updateStrategy", "registryPoll", "interval"), "10m");
            assert.equal(at(subscription.inputs, "spec", "channel"), "candidate");
            assert.equal(at(subscription.inputs, "spec", "installPlanApproval"), "Manual");
            assert.equal(at(subscription.inputs, "spec", "startingCSV"), operatorOverride.startingCsv);
            assert.equal(readiness.inputs.timeoutSeconds, 1234);
        });

        it("hands the readiness step the kubeconfig as a secret", async () => {
            const { readiness } = operatorRecords(await render());
            assert.equal(readiness.inputs.kubeconfig, SECRET_MARK);
            assert.ok(!JSON.stringify(readiness).includes(planted));
        });
    });
});

describe("operator builders (pure)", () => {
    const digest = `sha256:${"0123456789abcdef".repeat(4)}`;
    const settings: OperatorCatalogSettings = {
        catalogImage: `quay.io/openshift-pipeline/pipelines-index-4.17@${digest}`,
        registryPollInterval: "30m",
        channel: "latest",
        installPlanApproval: "Automatic",
    };

    it("accepts a digest-pinned index image and serves it over grpc", () => {
        const catalog = buildCatalogSource(settings);
        assert.equal(at(catalog, "metadata", "namespace"), CATALOG_NAMESPACE);
        assert.equal(at(catalog, "spec", "sourceType"), "grpc");
        assert.equal(at(catalog, "spec", "image"), settings.catalogImage);
        assert.equal(at(catalog, "spec", "updateStrategy", "registryPoll", "interval"), "30m");
    });

    it("omits startingCSV when absent and sets it when given", () => {
        const without = buildSubscription(settings).spec as Record<string, unknown>;
        assert.ok(!("startingCSV" in without));
        const withCsv = buildSubscription({ ...settings, startingCsv: "openshift-pipelines-operator-rh.v1.20.1" }).spec as Record<string, unknown>;
        assert.equal(withCsv.startingCSV, "openshift-pipelines-operator-rh.v1.20.1");
    });

    it("subscribes to the operator package from the candidate catalog, with auto-install of components off", () => {
        const subscription = buildSubscription({ ...settings, installPlanApproval: "Manual" });
        const catalog = buildCatalogSource(settings);
        assert.equal(at(subscription, "metadata", "namespace"), SUBSCRIPTION_NAMESPACE);
        assert.deepEqual(subscription.spec, {
            channel: "latest",
            name: OPERATOR_PACKAGE,
            source: at(catalog, "metadata", "name"),
            sourceNamespace: at(catalog, "metadata", "namespace"),
            installPlanApproval: "Manual",
            config: { env: [{ name: "AUTOINSTALL_COMPONENTS", value: "false" }] },
        });
    });
});
