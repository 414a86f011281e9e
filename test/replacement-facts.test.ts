/**
 * The replacement facts (fleet/facts/) against what they describe: our dynamic providers' own diff answers exactly
 * what dynamic-replacement.json says for every key, and every type any render variant creates is classified (a new
 * type fails here until its replacement rules are written down with their source).
 */
import * as assert from "node:assert/strict";
import type * as pulumi from "@pulumi/pulumi";
import { cosignKeyPairProvider } from "../components/chains/key-pair";
import { operatorReadinessProvider } from "../components/operator/readiness-provider";
import { rotationGuardProvider } from "../components/storage/rotation";
import dynamicFacts from "../fleet/facts/dynamic-replacement.json";
import { classified } from "../fleet/replacement";
import { exampleRender } from "./harness";
import { variantRender, VARIANTS, type Variant } from "./adopt-fixtures";

type Provider = pulumi.dynamic.ResourceProvider;

/** Old inputs for each provider: valid, so that a change of one key is the only difference. */
const CASES: Readonly<Record<string, { readonly provider: Provider; readonly olds: Record<string, unknown> }>> = {
    "pulumi-nodejs:dynamic/pipeline-service:CosignKeyPair": { provider: cosignKeyPairProvider as Provider, olds: { rotationTrigger: "2026-01" } },
    "pulumi-nodejs:dynamic/pipeline-service:S3KeyRotationGuard": { provider: rotationGuardProvider as Provider, olds: { s3KeyRotation: "a" } },
    "pulumi-nodejs:dynamic:Resource": {
        provider: operatorReadinessProvider as Provider,
        olds: { subscriptionNamespace: "openshift-operators", subscriptionName: "sub", crdName: "tektonconfigs.operator.tekton.dev", line: "1.20", timeoutSeconds: 600, kubeconfig: "k", context: "c", tektonConfigName: "config" },
    },
};

/** A changed value of `key` that the provider accepts (the readiness line may only move to the next line). */
function changed(key: string, value: unknown): unknown {
    if (key === "line") {
        return "1.21";
    }
    if (key === "s3KeyRotation") {
        return "a-to-b";
    }
    return typeof value === "number" ? value + 1 : `${String(value)}-changed`;
}

describe("replacement facts", () => {
    describe("our dynamic providers: dynamic-replacement.json is what their diff answers", () => {
        const types = dynamicFacts.types as Record<string, { replaceOn: string[]; updateOn: string[] }>;

        it("lists exactly the dynamic types the tests know", () => {
            assert.deepEqual(Object.keys(types).sort(), Object.keys(CASES).sort());
        });

        for (const [type, { provider, olds }] of Object.entries(CASES)) {
            it(`${type}: replace exactly on replaceOn, a change exactly on replaceOn and updateOn`, async () => {
                const fact = types[type] as { replaceOn: string[]; updateOn: string[] };
                for (const key of [...Object.keys(olds), "somethingNew"]) {
                    const news = { ...olds, [key]: changed(key, olds[key]) };
                    const result = await (provider.diff as NonNullable<Provider["diff"]>)("id", olds, news);
                    assert.equal(result.changes === true, fact.replaceOn.includes(key) || fact.updateOn.includes(key), `${key}: changes`);
                    assert.equal((result.replaces ?? []).includes(key), fact.replaceOn.includes(key), `${key}: replaces`);
                }
            });
        }
    });

    it("classifies every type the dev, prod and adoption variant renders create", async () => {
        const renders = [await exampleRender("dev"), await exampleRender("prod"), ...await Promise.all((Object.keys(VARIANTS) as Variant[]).map((variant) => variantRender(variant)))];
        const types = [...new Set(renders.flatMap((render) => render.resources.filter((record) => record.custom).map((record) => record.type)))].sort();
        assert.deepEqual(types.filter((type) => !classified(type)), []);
        assert.ok(types.length > 40, `${types.length} custom types`);
    });
});
