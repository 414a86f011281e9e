/**
 * The ring rollout of deploy.yml when something fails, run as GitHub Actions would run it (test/deploy-simulation.ts):
 * a failed update halts the rollout (queued stacks stop, running ones finish, no later ring starts), a failed plan
 * deploys nothing, and nothing in the workflows cancels a running `up`.
 */
import * as assert from "node:assert/strict";
import { interpolate, loadExpressions, type Json } from "./actions-expressions";
import { deploy, deployRing, fleetPlan, waitTimersFromDocs } from "./deploy-workflows";
import { ringResult, simulate } from "./deploy-simulation";
import { FIXTURE_FLEET } from "./fleet-plans";

describe("deploy.yml: ring rollout, halted", function () {
    before(loadExpressions);

    const fixturePlan = fleetPlan(FIXTURE_FLEET);

    it("never lets a staging (ring 0) failure reach production", () => {
        const run = simulate({ plan: fixturePlan, failing: ["stone-stg-rh02"], waitTimers: waitTimersFromDocs(fixturePlan) });
        assert.deepEqual(run.ups.filter((up) => up.ring !== 0), []);
        assert.equal(ringResult(run, "ring-0"), "failure");
        for (const job of ["ring-1", "ring-2", "ring-3", "ring-4"]) assert.equal(ringResult(run, job), "skipped", job);
        assert.deepEqual(run.environments.filter((name) => name.startsWith("soak-")), [], "no soak after a failed ring");
        // The queued fourth ring-0 stack stops itself; the running ones finish (nothing cancelled mid-`up`).
        assert.deepEqual(run.halted, ["stone-stg-rh03"]);
        assert.deepEqual(run.cancelledWhileRunning, []);
    });

    it("halts on the first failure in ring 1: queued stacks do not run `up` or get credentials, running ones finish, no later ring starts", () => {
        const plan = fleetPlan([
            { stack: "stg", ring: 0, soakHours: 1 },
            ...["a", "b", "c", "d", "e"].map((name) => ({ stack: `prd-${name}`, ring: 1 })),
            { stack: "prd-z", ring: 2 },
        ], 2);
        const run = simulate({ plan, failing: ["prd-a"], waitTimers: waitTimersFromDocs(plan) });
        assert.deepEqual(run.ups.filter((up) => up.ring === 1).map((up) => up.stack), ["prd-a", "prd-b"], run.log);
        assert.deepEqual(run.halted, ["prd-c", "prd-d", "prd-e"]);
        for (const stack of run.halted) assert.ok(!run.credentials.includes(stack), `${stack} got AWS credentials after the halt`);
        assert.match(run.log, /rollout halted, not updating: Ring 1 \/ Update prd-a failed/);
        assert.deepEqual(run.cancelledWhileRunning, []);
        assert.equal(ringResult(run, "ring-1"), "failure");
        assert.equal(ringResult(run, "ring-2"), "skipped", "halted, not 'empty'");
        assert.ok(!run.ups.some((up) => up.stack === "prd-z"));
        assert.ok(!run.environments.includes("soak-after-ring-1"));
    });

    it("deploys nothing when the fleet CLI exits non-zero", () => {
        const run = simulate({ plan: fixturePlan, fleetExitCode: 1 });
        assert.equal(ringResult(run, "plan"), "failure");
        assert.match(run.log, /npm run fleet -- --json exited 1/);
        assert.deepEqual(run.ups, []);
        for (const job of ["ring-0", "ring-1", "ring-2", "ring-3", "ring-4", "hotfix"]) assert.equal(ringResult(run, job), "skipped", job);
    });

    it("never cancels a running `up`: no fail-fast, one rollout at a time, one update per stack at a time", () => {
        const up = deployRing.jobs["up"];
        assert.equal(up?.strategy?.["fail-fast"], false);
        assert.deepEqual(up?.concurrency, { group: "deploy-${{ matrix.stack }}", "cancel-in-progress": false });
        assert.equal(up?.environment, "${{ matrix.stack }}");
        assert.equal(up?.permissions?.["actions"], "read", "the halt check lists this run's jobs");
        assert.match(up?.steps?.[0]?.run ?? "", /gh api --paginate "repos\/\$GITHUB_REPOSITORY\/actions\/runs\/\$GITHUB_RUN_ID\/attempts\/\$GITHUB_RUN_ATTEMPT\/jobs"/, "the halt check is the first step");
        assert.equal(deploy.concurrency?.["cancel-in-progress"], false);
        const group = (event: string): Json => interpolate(deploy.concurrency?.group ?? "", { github: { event_name: event, run_id: "7" } }, { success: true, failure: false, cancelled: false });
        assert.equal(group("push"), "deploy-rollout", "every push shares one group");
        assert.notEqual(group("workflow_dispatch"), group("push"), "an emergency deploy does not queue behind a soaking rollout");
        for (const [id, job] of Object.entries(deploy.jobs)) {
            if (job.uses === undefined) continue;
            assert.equal(job.permissions?.["actions"], "read", id);
            assert.equal(job.permissions?.["id-token"], "write", id);
            assert.equal(job.secrets, "inherit", `${id}: environment secrets reach a called workflow only with secrets: inherit`);
        }
        assert.equal(deploy.jobs["plan"]?.permissions, undefined, "the plan job runs with the workflow's read-only token");
        assert.deepEqual(deployRing.jobs["finished"]?.permissions, {}, "only the updates need the caller's OIDC and actions permissions");
        assert.deepEqual(deployRing.jobs["soak"]?.permissions, {});
    });
});
