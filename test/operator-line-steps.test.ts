/**
 * What one line step changes in a render, resource by resource and path by path (render/record-diff.ts, as
 * `npm run fleet:diff` shows it): pinning a stack to the line it already emits changes no TektonConfig byte, and each
 * step to the next line changes exactly what docs/operations.md "Upgrade the operator" says it does.
 */
import * as assert from "node:assert/strict";
import { diffRecords, type RecordChange } from "../render";
import { exampleRender, lineRender } from "./harness";

/** The changes as `type name: paths` lines, for a readable comparison. */
function summary(changes: readonly RecordChange[]): string[] {
    return changes.map((change) => `${change.op} ${change.type.slice(change.type.lastIndexOf(":") + 1)} ${change.name}: ${change.paths.join(", ")}`);
}

const SUBSCRIPTION = "update Subscription pipelines-operator-subscription: spec.channel";

describe("operator line steps, as fleet:diff shows them", function () {
    this.timeout(60_000);

    it("pinning the dev stack to 1.20, the line it is emitted as, changes the channel and the readiness step only", async () => {
        assert.deepEqual(summary(diffRecords((await exampleRender("dev")).resources, (await lineRender("dev", "1.20")).resources)), [
            SUBSCRIPTION,
            "update Resource pipelines-operator-ready: line, tektonConfigName",
        ]);
    });

    for (const stack of ["dev", "prod"] as const) {
        it(`${stack}: 1.20 → 1.21 turns the Results Route off and states the two PaC settings`, async () => {
            assert.deepEqual(summary(diffRecords((await lineRender(stack, "1.20")).resources, (await lineRender(stack, "1.21")).resources)), [
                ...(stack === "prod" ? ["update Subscription pipelines-operator-subscription: spec.channel, spec.startingCSV"] : [SUBSCRIPTION]),
                "update Resource pipelines-operator-ready: line",
                "update TektonConfig tekton-config: spec.platforms.openshift.pipelinesAsCode.settings[\"error-log-snippet-number-of-lines\"], " +
                    "spec.platforms.openshift.pipelinesAsCode.settings[\"require-ok-to-test-sha\"], spec.result.route_enabled",
            ]);
        });

        it(`${stack}: 1.21 → 1.22 says the scheduler is off`, async () => {
            assert.deepEqual(summary(diffRecords((await lineRender(stack, "1.21")).resources, (await lineRender(stack, "1.22")).resources)), [
                ...(stack === "prod" ? ["update Subscription pipelines-operator-subscription: spec.channel, spec.startingCSV"] : [SUBSCRIPTION]),
                "update Resource pipelines-operator-ready: line",
                "update TektonConfig tekton-config: spec.scheduler",
            ]);
        });
    }
});
