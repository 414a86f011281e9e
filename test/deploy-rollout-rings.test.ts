/**
 * The ring rollout of deploy.yml when it goes well, run as GitHub Actions would run it (test/deploy-simulation.ts):
 * the rings one after another behind their soak, each stack behind its environment and the plan's parallelism, an
 * empty ring skipped, a soak gate whose wait timer is too short, and what every `pulumi up` is given.
 */
import * as assert from "node:assert/strict";
import { loadExpressions } from "./actions-expressions";
import { deploy, deployRing, fleetPlan, needsOf, ringOf, ringSoakHours, waitTimersFromDocs } from "./deploy-workflows";
import { peakConcurrency, ringResult, simulate } from "./deploy-simulation";
import { FIXTURE_FLEET } from "./fleet-plans";

describe("deploy.yml: ring rollout, ring after ring", function () {
    before(loadExpressions);

    const fixturePlan = fleetPlan(FIXTURE_FLEET);

    it("promotes one commit ring 0 → 1 → 2 → 3, each ring after every stack of the one before and its soak", () => {
        const run = simulate({ plan: fixturePlan, waitTimers: waitTimersFromDocs(fixturePlan) });
        assert.equal(ringResult(run, "plan"), "success", run.log);
        assert.deepEqual(run.ups.map((up) => up.stack).sort(), FIXTURE_FLEET.map((entry) => entry.stack).sort(), run.log);
        const rings = run.ups.map((up) => up.ring as number);
        assert.deepEqual(rings, [...rings].sort((a, b) => a - b), "updates out of ring order");
        for (const up of run.ups) assert.equal(up.ring, ringOf(fixturePlan, up.stack), `${up.stack} deployed by the wrong ring`);
        for (const ring of [1, 2, 3]) {
            const previousFinished = Math.max(...run.ups.filter((up) => up.ring === ring - 1).map((up) => up.finishedAt));
            const firstStarted = Math.min(...run.ups.filter((up) => up.ring === ring).map((up) => up.startedAt));
            assert.ok(firstStarted >= previousFinished + ringSoakHours(fixturePlan, ring - 1) * 3600, `ring ${ring} started before ring ${ring - 1}'s soak passed`);
        }
        // No soak after the last ring with stacks, and none for the empty ring 4.
        assert.deepEqual(run.environments.filter((name) => name.startsWith("soak-")), ["soak-after-ring-0", "soak-after-ring-1", "soak-after-ring-2"]);
        assert.deepEqual(["ring-0", "ring-1", "ring-2", "ring-3", "ring-4"].map((job) => ringResult(run, job)), Array(5).fill("success"));
        assert.equal(ringResult(run, "hotfix"), "skipped");
    });

    it("runs each stack's update behind its own environment, at most maxParallelPerRing at once", () => {
        const run = simulate({ plan: fixturePlan, waitTimers: waitTimersFromDocs(fixturePlan) });
        for (const entry of FIXTURE_FLEET) assert.ok(run.environments.includes(entry.stack), `${entry.stack} not behind its environment`);
        assert.equal(peakConcurrency(run, "Ring 0"), 3, "ring 0 has 4 stacks and maxParallelPerRing 3");
        const five = fleetPlan([1, 2, 3, 4, 5].map((n) => ({ stack: `prd-${n}`, ring: 1 })), 2);
        assert.equal(peakConcurrency(simulate({ plan: five }), "Ring 1"), 2, "the limit comes from the plan");
    });

    it("skips an empty ring without breaking the chain (and tells it from a halted one)", () => {
        const plan = fleetPlan([
            { stack: "stg", ring: 0, soakHours: 2 },
            { stack: "prd-1", ring: 1, soakHours: 24 },
            { stack: "prd-3", ring: 3, soakHours: 24 },
        ]);
        const run = simulate({ plan, waitTimers: waitTimersFromDocs(plan) });
        assert.deepEqual(run.ups.map((up) => up.stack), ["stg", "prd-1", "prd-3"], run.log);
        assert.equal(ringResult(run, "ring-2"), "success");
        assert.equal(run.results.get("ring-2")?.outputs["empty"], "true");
        assert.equal(run.results.get("ring-1")?.outputs["empty"], "false");
        assert.equal(ringResult(run, "ring-2/up"), "skipped");
        assert.deepEqual(run.environments.filter((name) => name.startsWith("soak-")), ["soak-after-ring-0", "soak-after-ring-1"]);
        const ring1Finished = run.ups.find((up) => up.stack === "prd-1")?.finishedAt ?? Infinity;
        const ring3Started = run.ups.find((up) => up.stack === "prd-3")?.startedAt ?? -Infinity;
        assert.ok(ring3Started >= ring1Finished + 24 * 3600, "ring 3 did not wait for ring 1's soak");
        assert.match(run.log, /ring 2 has no stacks/);
    });

    it("fails the soak gate, naming the environment and the minutes to set, when its wait timer is shorter than the plan's soak", () => {
        const plan = fleetPlan([
            { stack: "stg", ring: 0, soakHours: 1 },
            { stack: "prd-1", ring: 1 },
            { stack: "prd-critical", ring: 1, soakHours: 72 },
            { stack: "prd-2", ring: 2 },
        ]);
        const run = simulate({ plan, waitTimers: { ...waitTimersFromDocs(plan), "soak-after-ring-1": 24 * 60 } });
        assert.equal(ringResult(run, "ring-1/soak"), "failure");
        assert.match(run.log, /soak of ring 1 not over: 1441 of 4320 minutes\. Set the wait timer of environment soak-after-ring-1 to at least 4320 minutes: gh api -X PUT repos\/octo\/pipeline-service-iac\/environments\/soak-after-ring-1 -F wait_timer=4320/);
        assert.ok(!run.ups.some((up) => up.stack === "prd-2"), "ring 2 started before the soak");
        assert.equal(ringResult(run, "ring-2"), "skipped");
        // Set as the docs say, the same plan passes.
        assert.ok(simulate({ plan, waitTimers: waitTimersFromDocs(plan) }).ups.some((up) => up.stack === "prd-2"));
    });

    it("passes the policy pack and the stack's environment policy config to every `up`", () => {
        const run = simulate({ plan: fixturePlan, waitTimers: waitTimersFromDocs(fixturePlan) });
        assert.equal(run.ups.length, FIXTURE_FLEET.length);
        for (const up of run.ups) {
            assert.equal(up.inputs["policyPacks"], "policy", up.stack);
            assert.equal(up.inputs["policyPackConfigs"], up.ring === 0 ? "policy/config/dev.json" : "policy/config/prod.json", up.stack);
            assert.equal(up.inputs["refresh"], true);
        }
        const upSteps = [deploy, deployRing].flatMap((workflow) => Object.values(workflow.jobs).flatMap((job) => job.steps ?? []))
            .filter((step) => step.uses?.startsWith("pulumi/actions@") && step.with?.["command"] === "up");
        assert.ok(upSteps.length > 0);
        for (const step of upSteps) {
            assert.equal(step.with?.["policyPacks"], "policy");
            assert.match(String(step.with?.["policyPackConfigs"]), /\S/);
        }
    });

    it("chains the rings 0..4 (MAX_RING) one after another", () => {
        for (const ring of [1, 2, 3, 4]) assert.ok(needsOf(deploy.jobs[`ring-${ring}`] ?? {}).includes(`ring-${ring - 1}`), `ring-${ring} does not need ring-${ring - 1}`);
        assert.equal(deploy.jobs["ring-5"], undefined);
        const five = fleetPlan([{ stack: "stg", ring: 0 }, { stack: "far", ring: 5 }]);
        const run = simulate({ plan: five });
        assert.equal(ringResult(run, "plan"), "failure", "a ring beyond 4 would never be deployed");
        assert.deepEqual(run.ups, []);
    });
});
