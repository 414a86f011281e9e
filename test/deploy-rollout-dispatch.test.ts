/**
 * The emergency deploy of deploy.yml (workflow_dispatch: named stacks, no rings, no soak), run as GitHub Actions
 * would run it (test/deploy-simulation.ts).
 */
import * as assert from "node:assert/strict";
import { loadExpressions } from "./actions-expressions";
import { fleetPlan } from "./deploy-workflows";
import { ACTOR, ringResult, SHA, simulate } from "./deploy-simulation";
import { FIXTURE_FLEET } from "./fleet-plans";

describe("deploy.yml: ring rollout, workflow_dispatch", function () {
    before(loadExpressions);

    const fixturePlan = fleetPlan(FIXTURE_FLEET);

    it("workflow_dispatch deploys exactly the named stacks, skipping rings and soak, and records who, why and what", () => {
        const reason = "CVE-2026-0001 in the Results API";
        const run = simulate({ plan: fixturePlan, event: { name: "workflow_dispatch", stacks: "stone-prd-rh04, dev-rh01 stone-prd-critical01", reason } });
        assert.deepEqual(run.ups.map((up) => up.stack).sort(), ["dev-rh01", "stone-prd-critical01", "stone-prd-rh04"], run.log);
        for (const up of run.ups) {
            assert.equal(up.ring, "hotfix");
            assert.equal(up.inputs["message"], `hotfix ${SHA} by ${ACTOR}, reason ${reason}`);
        }
        for (const stack of ["dev-rh01", "stone-prd-critical01", "stone-prd-rh04"]) assert.ok(run.environments.includes(stack), `${stack} not behind its environment`);
        assert.deepEqual(run.environments.filter((name) => name.startsWith("soak-")), []);
        for (const job of ["ring-0", "ring-1", "ring-2", "ring-3", "ring-4"]) assert.equal(ringResult(run, job), "skipped", job);
        assert.match(run.summary, new RegExp(`who: ${ACTOR}`));
        assert.match(run.summary, new RegExp(`why: ${reason}`));
        assert.match(run.summary, /what: dev-rh01, stone-prd-rh04, stone-prd-critical01/);
    });

    it("workflow_dispatch refuses a stack that is not in the plan, and an empty reason", () => {
        const unknown = simulate({ plan: fixturePlan, event: { name: "workflow_dispatch", stacks: "stone-prd-rh04,stone-prd-rh99", reason: "x" } });
        assert.equal(ringResult(unknown, "plan"), "failure");
        assert.match(unknown.log, /not in the fleet plan: stone-prd-rh99 \(known: dev-rh01, /);
        assert.deepEqual(unknown.ups, []);
        assert.equal(ringResult(unknown, "hotfix"), "skipped");
        const noReason = simulate({ plan: fixturePlan, event: { name: "workflow_dispatch", stacks: "dev-rh01", reason: "  " } });
        assert.deepEqual(noReason.ups, []);
        assert.match(noReason.log, /input reason is empty/);
    });
});
