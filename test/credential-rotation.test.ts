/**
 * Rotating the Results credentials, on renders: the S3 key slots step by step (a → a-to-b → b → b-to-a → a), the
 * Secret always naming a key that exists in that step and in the next, the pods restarting onto a new key or
 * password, and the guard refusing a step that would delete a key in use (through the serialized provider, as the
 * engine runs it). The database password rotation renews the password and restarts the workloads that connect.
 */
import * as assert from "node:assert/strict";
import { DB_PASSWORD_ANNOTATION, S3_KEY_ANNOTATION } from "../components/results/tekton-result";
import { rotationGuardProvider } from "../components/storage/rotation";
import { rotationStepProblem, S3_KEY_ROTATION_STATES, type S3KeyRotation } from "../lib/s3-key-rotation";
import { loadStackSettings, renderStack, type RenderResult, type ResourceRecord } from "../render";
import { at, single } from "./harness";
import { runSerialized } from "./serialized-provider";

const ACCESS_KEY = "aws:iam/accessKey:AccessKey";
const SECRET = "kubernetes:core/v1:Secret";
const TEKTON_CONFIG = "kubernetes:operator.tekton.dev/v1alpha1:TektonConfig";
const PASSWORD = "random:index/randomPassword:RandomPassword";

const renders = new Map<string, Promise<RenderResult>>();
/** The prod render with `results` overrides (memoized). */
function renderWith(results: Record<string, unknown>): Promise<RenderResult> {
    const key = JSON.stringify(results);
    let render = renders.get(key);
    if (!render) {
        const current = JSON.parse(loadStackSettings("prod").config["pipeline-service:results"] ?? "{}") as Record<string, unknown>;
        render = renderStack("prod", { overrides: { "pipeline-service:results": { ...current, ...results } } });
        renders.set(key, render);
    }
    return render;
}
const rotationRender = (state: S3KeyRotation) => renderWith({ s3KeyRotation: state });

/** The access keys of a render, by Pulumi name. */
function accessKeys(render: RenderResult): Map<string, ResourceRecord> {
    return new Map(render.resources.filter((record) => record.type === ACCESS_KEY).map((record) => [record.name, record]));
}

/** The access key the Results S3 Secret takes its key id from (through its dependencies). */
function keyOfSecret(render: RenderResult): string {
    const secret = render.resources.find((record) => record.type === SECRET && at(record.inputs, "metadata", "name") === "tekton-results-s3");
    assert.ok(secret, "no tekton-results-s3 Secret");
    const keys = accessKeys(render);
    const named = [...keys.values()].filter((key) => secret.dependencies.includes(key.urn)).map((key) => key.name);
    assert.equal(named.length, 1, `the Secret depends on ${named.length} access keys: ${named.join(", ")}`);
    return named[0] as string;
}

/** The pod template annotations of one Results workload in the TektonConfig. */
function templateAnnotations(render: RenderResult, deployment: string): unknown {
    return at(single(render, TEKTON_CONFIG).inputs, "spec", "result", "options", "deployments", deployment, "spec", "template", "metadata", "annotations");
}

const SLOT_KEY = { a: "results-storage-results", b: "results-storage-results-b" } as const;

describe("Results S3 key rotation on renders", function () {
    this.timeout(60_000);

    const expected: Readonly<Record<S3KeyRotation, { keys: string[]; secret: string; annotation?: string }>> = {
        "a": { keys: [SLOT_KEY.a], secret: SLOT_KEY.a },
        "a-to-b": { keys: [SLOT_KEY.a, SLOT_KEY.b], secret: SLOT_KEY.b, annotation: "b" },
        "b": { keys: [SLOT_KEY.b], secret: SLOT_KEY.b, annotation: "b" },
        "b-to-a": { keys: [SLOT_KEY.a, SLOT_KEY.b], secret: SLOT_KEY.a, annotation: "a" },
    };
    for (const state of S3_KEY_ROTATION_STATES) {
        it(`${state}: keys ${expected[state].keys.join(" + ")}, the Secret names ${expected[state].secret}, the API ${expected[state].annotation === undefined ? "as it was" : `restarts onto slot ${expected[state].annotation}`}`, async () => {
            const render = await rotationRender(state);
            assert.deepEqual([...accessKeys(render).keys()].sort(), [...expected[state].keys].sort());
            assert.equal(keyOfSecret(render), expected[state].secret);
            const annotation = expected[state].annotation;
            assert.deepEqual(templateAnnotations(render, "tekton-results-api"), annotation === undefined ? undefined : { [S3_KEY_ANNOTATION]: annotation });
            // The retention agent and the watcher hold no S3 key.
            assert.equal(templateAnnotations(render, "tekton-results-retention-policy-agent"), undefined);
            assert.equal(templateAnnotations(render, "tekton-results-watcher"), undefined);
        });
    }

    it("keeps the key the Secret named at each step until the step after the pods moved off it (a → a-to-b → b → b-to-a → a)", async () => {
        const cycle: S3KeyRotation[] = [...S3_KEY_ROTATION_STATES, "a"];
        for (let index = 1; index < cycle.length; index++) {
            const [before, after] = [await rotationRender(cycle[index - 1] as S3KeyRotation), await rotationRender(cycle[index] as S3KeyRotation)];
            assert.ok(accessKeys(after).has(keyOfSecret(before)), `${cycle[index - 1]} → ${cycle[index]} deletes the key the Secret named`);
            assert.ok(accessKeys(after).has(keyOfSecret(after)));
            assert.equal(rotationStepProblem(cycle[index - 1] as S3KeyRotation, cycle[index] as S3KeyRotation), undefined);
        }
    });

    it("refuses every step that would delete the key the Secret named at the previous up, and only those", async () => {
        for (const from of S3_KEY_ROTATION_STATES) {
            for (const to of S3_KEY_ROTATION_STATES) {
                const deletesInUse = !accessKeys(await rotationRender(to)).has(keyOfSecret(await rotationRender(from)));
                const problem = rotationStepProblem(from, to);
                assert.equal(problem !== undefined, deletesInUse, `${from} → ${to}: ${problem ?? "allowed"}`);
            }
        }
        assert.match(rotationStepProblem("a", "b") ?? "", /^results\.s3KeyRotation moves from a to b in one up, which would delete key A while pods may still use it: set a-to-b first and run up, then b/);
    });

    it("keeps slot a's Pulumi name, so a stack from before the rotation keeps its key", async () => {
        assert.ok(accessKeys(await rotationRender("a")).has("results-storage-results"));
    });

    it("guards with a recorded state that the keys wait for", async () => {
        const render = await rotationRender("a-to-b");
        const guard = render.resources.find((record) => record.name === "results-storage-s3-key-rotation");
        assert.ok(guard);
        assert.equal(guard.inputs.s3KeyRotation, "a-to-b");
        for (const key of accessKeys(render).values()) {
            assert.ok(key.dependencies.includes(guard.urn), key.name);
        }
    });
});

describe("the rotation guard, serialized as the engine runs it", function () {
    this.timeout(30_000);

    /** Runs `check(olds, news)` or `diff("id", olds, news)` of the serialized guard provider, as the engine would. */
    const run = (method: "check" | "diff", olds: object, news: object) =>
        runSerialized(rotationGuardProvider, method, method === "check" ? [olds, news] : ["id", olds, news]);

    it("check refuses a → b and b → a, naming the step to take first, and passes every step of the cycle", async () => {
        const skip = await run("check", { s3KeyRotation: "a" }, { s3KeyRotation: "b" });
        assert.equal(skip.code, 0, skip.stderr);
        const failures = (JSON.parse(skip.stdout) as { failures?: { property: string; reason: string }[] }).failures ?? [];
        assert.equal(failures.length, 1);
        assert.equal(failures[0]?.property, "s3KeyRotation");
        assert.match(failures[0]?.reason ?? "", /set a-to-b first/);
        const back = JSON.parse((await run("check", { s3KeyRotation: "b" }, { s3KeyRotation: "a" })).stdout) as { failures?: unknown[] };
        assert.equal(back.failures?.length, 1);
        for (const [from, to] of [["a", "a-to-b"], ["a-to-b", "b"], ["b", "b-to-a"], ["b-to-a", "a"], ["a-to-b", "b-to-a"]]) {
            const step = JSON.parse((await run("check", { s3KeyRotation: from }, { s3KeyRotation: to })).stdout) as { failures?: unknown[]; inputs: unknown };
            assert.equal(step.failures, undefined, `${from} → ${to}`);
            assert.deepEqual(step.inputs, { s3KeyRotation: to });
        }
    });

    it("check lets a first up through (no previous state), and diff reports a change of state only", async () => {
        const first = JSON.parse((await run("check", {}, { s3KeyRotation: "b" })).stdout) as { failures?: unknown[] };
        assert.equal(first.failures, undefined);
        assert.deepEqual(JSON.parse((await run("diff", { s3KeyRotation: "a" }, { s3KeyRotation: "a" })).stdout), { changes: false });
        assert.deepEqual(JSON.parse((await run("diff", { s3KeyRotation: "a" }, { s3KeyRotation: "a-to-b" })).stdout), { changes: true });
    });
});

describe("database password rotation on renders", function () {
    this.timeout(60_000);

    it("keeps the first password without a label: no keeper, no restart annotation", async () => {
        const render = await renderWith({});
        assert.equal(single(render, PASSWORD).inputs.keepers, undefined);
        assert.equal(templateAnnotations(render, "tekton-results-api"), undefined);
    });

    it("a label renews the password (a keeper) and restarts the API and the retention agent, which connect, not the watcher", async () => {
        const render = await renderWith({ dbPasswordRotation: "2026-12" });
        assert.deepEqual(single(render, PASSWORD).inputs.keepers, { rotation: "2026-12" });
        assert.deepEqual(templateAnnotations(render, "tekton-results-api"), { [DB_PASSWORD_ANNOTATION]: "2026-12" });
        assert.deepEqual(templateAnnotations(render, "tekton-results-retention-policy-agent"), { [DB_PASSWORD_ANNOTATION]: "2026-12" });
        assert.equal(templateAnnotations(render, "tekton-results-watcher"), undefined);
    });

    it("both rotations at once mark the API with both", async () => {
        const render = await renderWith({ dbPasswordRotation: "2027-01", s3KeyRotation: "a-to-b" });
        assert.deepEqual(templateAnnotations(render, "tekton-results-api"), { [S3_KEY_ANNOTATION]: "b", [DB_PASSWORD_ANNOTATION]: "2027-01" });
    });

    it("the password stays a secret: RDS, the Results Secret and the render never carry it in clear", async () => {
        const render = await renderWith({ dbPasswordRotation: "2026-12" });
        const db = single(render, "aws:rds/instance:Instance");
        assert.equal(db.inputs.password, "[secret]");
        const secret = render.resources.find((record) => record.type === SECRET && at(record.inputs, "metadata", "name") === "tekton-results-postgres");
        assert.equal(at(secret?.inputs, "stringData"), "[secret]");
    });
});
