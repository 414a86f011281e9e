/**
 * The policy pack over what the program really renders: the example stacks and the other Chains modes
 * pass with nothing skipped, and a violation planted in a real render is caught.
 */
import * as assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { checkResources } from "../tools/policy-check";
import { renderStack, type ResourceRecord } from "../render";
import { exampleRender } from "./harness";

const TEKTON_CONFIG = "kubernetes:operator.tekton.dev/v1alpha1:TektonConfig";

function mandatory(result: Awaited<ReturnType<typeof checkResources>>) {
    return result.violations.filter((violation) => violation.level === "mandatory");
}

/** A copy of `records` with the TektonConfig's spec changed by `change`. */
function withTektonSpec(records: readonly ResourceRecord[], change: (spec: Record<string, unknown>) => Record<string, unknown>): ResourceRecord[] {
    return records.map((record) => record.type !== TEKTON_CONFIG ? record : {
        ...record,
        inputs: { ...record.inputs, spec: change(structuredClone(record.inputs.spec) as Record<string, unknown>) },
    });
}

describe("policy pack over real renders", () => {
    for (const stack of ["dev", "prod"] as const) {
        it(`passes the ${stack} example with no violation and nothing skipped`, async () => {
            const result = await checkResources((await exampleRender(stack)).resources);
            assert.deepEqual(result.violations, []);
            assert.deepEqual(result.skipped, []);
        });
    }

    it("passes keyless and adopted-key renders", async () => {
        const publicKey = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ type: "spki", format: "pem" }).toString();
        for (const chains of [{ signing: "keyless" }, { adoptExistingKey: true, existingPublicKey: publicKey }]) {
            const render = await renderStack("dev", { overrides: { "pipeline-service:chains": chains } });
            const result = await checkResources(render.resources);
            assert.deepEqual(mandatory(result), [], JSON.stringify(chains));
            assert.deepEqual(result.skipped, []);
        }
    });

    it("catches Triggers and the pruner turned back on in a real render", async () => {
        const records = (await exampleRender("dev")).resources;
        const triggers = await checkResources(withTektonSpec(records, (spec) => ({ ...spec, trigger: { disabled: false } })));
        assert.deepEqual(mandatory(triggers).map((violation) => violation.policy), ["tekton-triggers-disabled"]);
        const pruner = await checkResources(withTektonSpec(records, (spec) => ({ ...spec, tektonpruner: { disabled: false } })));
        assert.deepEqual(mandatory(pruner).map((violation) => violation.policy), ["tekton-pruner-disabled"]);
    });

    it("catches a signing key left unprotected in a real render", async () => {
        const records = (await exampleRender("prod")).resources.map((record) =>
            record.type === "kubernetes:core/v1:Secret" && (record.inputs.metadata as { name?: string }).name === "signing-secrets"
                ? { ...record, protect: false }
                : record);
        const result = await checkResources(records);
        assert.deepEqual(mandatory(result).map((violation) => violation.policy), ["chains-signing-key-protected"]);
    });
});
