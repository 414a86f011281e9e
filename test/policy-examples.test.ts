/**
 * The policy pack over what the program really renders: the example stacks and the other Chains modes
 * pass with nothing skipped, and a violation planted in a real render is caught.
 */
import * as assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { checkRenderInvariants } from "../policy/render-invariants";
import { renderStack, type ResourceRecord } from "../render";
import { exampleRender } from "./harness";
import { checkWithPack, type PackResult } from "./policy-runtime";

const TEKTON_CONFIG = "kubernetes:operator.tekton.dev/v1alpha1:TektonConfig";

/** The dev environment's policy config (controllers-highly-available advisory), as CI passes it for a dev stack. */
const DEV_POLICY_CONFIG = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "policy", "config", "dev.json"), "utf8")) as Record<string, unknown>;

function mandatory(result: PackResult) {
    return result.violations.filter((violation) => violation.level === "mandatory");
}

/** A copy of `records` with the TektonConfig's spec changed by `change`. */
function withTektonSpec(records: readonly ResourceRecord[], change: (spec: Record<string, unknown>) => Record<string, unknown>): ResourceRecord[] {
    return records.map((record) => record.type !== TEKTON_CONFIG ? record : {
        ...record,
        inputs: { ...record.inputs, spec: change(structuredClone(record.inputs.spec) as Record<string, unknown>) },
    });
}

describe("policy pack over real renders (the real @pulumi/policy runtime)", () => {
    for (const stack of ["dev", "prod"] as const) {
        it(`passes the ${stack} example's first preview: no violation, and no mandatory policy degrades to "can't run"`, async () => {
            const render = await exampleRender(stack);
            const result = await checkWithPack(render.resources, stack === "dev" ? DEV_POLICY_CONFIG : undefined);
            assert.deepEqual(result.violations.filter((v) => v.level === "mandatory" || stack === "prod"), []);
            assert.deepEqual(result.notRunInPreview, []);
            assert.deepEqual(checkRenderInvariants(render.resources), []);
        });
    }

    it("passes keyless and adopted-key renders", async () => {
        const publicKey = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).publicKey.export({ type: "spki", format: "pem" }).toString();
        for (const chains of [{ signing: "keyless" }, { adoptExistingKey: true, existingPublicKey: publicKey }]) {
            const render = await renderStack("dev", { overrides: { "pipeline-service:chains": chains } });
            const result = await checkWithPack(render.resources, DEV_POLICY_CONFIG);
            assert.deepEqual(mandatory(result), [], JSON.stringify(chains));
            assert.deepEqual(result.notRunInPreview, []);
            assert.deepEqual(checkRenderInvariants(render.resources), []);
        }
    });

    it("catches Triggers and the pruner turned back on in a real render", async () => {
        const records = (await exampleRender("dev")).resources;
        const triggers = await checkWithPack(withTektonSpec(records, (spec) => ({ ...spec, trigger: { disabled: false } })), DEV_POLICY_CONFIG);
        assert.deepEqual(mandatory(triggers).map((violation) => violation.policy), ["tekton-triggers-disabled"]);
        const pruner = await checkWithPack(withTektonSpec(records, (spec) => ({ ...spec, tektonpruner: { disabled: false } })), DEV_POLICY_CONFIG);
        assert.deepEqual(mandatory(pruner).map((violation) => violation.policy), ["tekton-pruner-disabled"]);
    });

    it("catches a signing key left unprotected in a real render", async () => {
        const records = (await exampleRender("prod")).resources.map((record) =>
            record.type === "kubernetes:core/v1:Secret" && (record.inputs.metadata as { name?: string }).name === "signing-secrets"
                ? { ...record, protect: false }
                : record);
        const result = await checkWithPack(records);
        assert.deepEqual(mandatory(result).map((violation) => violation.policy), ["chains-signing-key-protected"]);
    });

    it("catches a signing key not retained on delete through the render invariants, which the pack cannot see", async () => {
        const records = (await exampleRender("prod")).resources.map((record) =>
            (record.type === "kubernetes:core/v1:Secret" && (record.inputs.metadata as { name?: string }).name === "signing-secrets") || record.type.endsWith(":CosignKeyPair")
                ? { ...record, retainOnDelete: false }
                : record);
        assert.deepEqual(mandatory(await checkWithPack(records)), []);
        assert.deepEqual(checkRenderInvariants(records).map((violation) => [violation.invariant, violation.urn.split("::").pop()]), [
            ["chains-signing-key-retained", "tekton-chains-key"],
            ["chains-signing-key-retained", "tekton-chains-signing-secrets"],
        ]);
    });
});
