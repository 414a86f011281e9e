import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import * as pulumi from "@pulumi/pulumi";
import {
    criticalPath, dependencyDepths, DYNAMIC_PROVIDER_MARK, formatSummary, loadStackSettings, waitersOn, PROJECT_DIR, RenderError, renderProgram, renderStack, SECRET_MARK, STACK_TYPE,
    UNKNOWN_MARK, writeRender, type RenderResult,
} from "../render";
import { exampleRender, readTree } from "./harness";
import { cliInProcess } from "./cli-process";

const run = promisify(execFile);

function tempDir(): string {
    return fs.mkdtempSync(path.join(os.tmpdir(), "render-test-"));
}

/** A tiny program exercising what the harness must handle: secrets, unknowns, dependencies, options. */
class Thing extends pulumi.CustomResource {
    declare readonly computed: pulumi.Output<string>;
    constructor(name: string, props: Record<string, pulumi.Input<unknown>>, opts?: pulumi.CustomResourceOptions) {
        super("test:index:Thing", name, { ...props, computed: undefined }, opts);
    }
}

/** A dynamic resource with a provider object of its own (the SDK caches serializations per provider object). */
class Dynamic extends pulumi.dynamic.Resource {
    constructor(name: string) {
        super({ create: async () => ({ id: name, outs: {} }) }, name, {});
    }
}

function tinyProgram(): unknown {
    const parent = new pulumi.ComponentResource("test:index:Group", "group");
    const first = new Thing("first", { password: pulumi.secret("planted-tiny-secret") }, { parent, protect: true });
    const second = new Thing("second", { upstream: first.computed, plain: "visible" }, {
        parent, retainOnDelete: true, ignoreChanges: ["plain"], deleteBeforeReplace: true, additionalSecretOutputs: ["computed"],
        replaceOnChanges: ["plain"], aliases: [{ name: "second-old" }, { parent: pulumi.rootStackResource }, "urn:pulumi:unit::tiny::test:index:Thing::older"],
    });
    return { secretOut: pulumi.secret("planted-output-secret"), unknownOut: second.computed };
}

describe("recording render", () => {
    const settings = { project: "tiny", stack: "unit", config: {}, secretKeys: [] };

    it("records every field of the contract, in registration order", async () => {
        const result = await renderProgram(settings, tinyProgram);
        assert.deepEqual(result.resources.map((record) => record.type), [STACK_TYPE, "test:index:Group", "test:index:Thing", "test:index:Thing"]);
        const [stack, group, first, second] = result.resources;
        assert.equal(stack.urn, "urn:pulumi:unit::tiny::pulumi:pulumi:Stack::tiny-unit");
        assert.equal(group.urn, "urn:pulumi:unit::tiny::test:index:Group::group");
        assert.equal(group.parent, stack.urn);
        assert.equal(first.urn, "urn:pulumi:unit::tiny::test:index:Group$test:index:Thing::first");
        assert.equal(first.parent, group.urn);
        assert.equal(first.protect, true);
        assert.equal(first.custom, true);
        assert.equal(group.custom, false);
        assert.deepEqual(Object.keys(second).sort(), [
            "additionalSecretOutputs", "aliases", "custom", "deleteBeforeReplace", "dependencies", "ignoreChanges", "inputs", "name",
            "parent", "propertyDependencies", "protect", "provider", "replaceOnChanges", "retainOnDelete", "type", "unknownOutputs", "urn",
        ]);
        assert.deepEqual(second.replaceOnChanges, ["plain"]);
        // Each alias as the URN the engine resolves it to: a new name under the same parent, the stack as parent, a URN.
        assert.deepEqual(second.aliases, [
            "urn:pulumi:unit::tiny::test:index:Group$test:index:Thing::second-old",
            "urn:pulumi:unit::tiny::test:index:Thing::second",
            "urn:pulumi:unit::tiny::test:index:Thing::older",
        ]);
        // Where the unknown `upstream` comes from, without its value.
        assert.deepEqual(second.propertyDependencies, { upstream: [first.urn] });
        assert.deepEqual(first.aliases, []);
        assert.equal(second.retainOnDelete, true);
        assert.equal(second.deleteBeforeReplace, true);
        assert.deepEqual(second.ignoreChanges, ["plain"]);
        assert.deepEqual(second.additionalSecretOutputs, ["computed"]);
        assert.deepEqual(second.dependencies, [first.urn]);
    });

    it("marks secrets and values unknown until apply", async () => {
        const result = await renderProgram(settings, tinyProgram);
        const [, , first, second] = result.resources;
        assert.equal(first.inputs.password, SECRET_MARK);
        assert.equal(second.inputs.upstream, UNKNOWN_MARK);
        assert.equal(second.inputs.plain, "visible");
        assert.equal(result.outputs.secretOut, SECRET_MARK);
        // An extra secret output stays secret even while unknown.
        assert.equal(result.outputs.unknownOut, SECRET_MARK);
        const dir = tempDir();
        const text = [...readTree(dir).values(), ...writeRender(result, dir).map((file) => fs.readFileSync(file, "utf8")), formatSummary(result)].join("\n");
        assert.doesNotMatch(text, /planted-/);
    });

    it("serializes dynamic providers' code only when asked to", async () => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const closure = require("@pulumi/pulumi/runtime/closure/serializeClosure") as { serializeFunction: (...args: unknown[]) => Promise<unknown> };
        const real = closure.serializeFunction;
        let calls = 0;
        closure.serializeFunction = (...args: unknown[]) => {
            calls += 1;
            return real(...args);
        };
        try {
            const program = () => new Dynamic("dyn");
            const shortcut = await renderProgram(settings, program);
            assert.equal(calls, 0);
            assert.equal(shortcut.resources.find((record) => record.name === "dyn")?.inputs.__provider, DYNAMIC_PROVIDER_MARK);
            const serialized = await renderProgram(settings, program, { serializeDynamicProviders: true });
            assert.equal(calls, 1);
            assert.equal(serialized.resources.find((record) => record.name === "dyn")?.inputs.__provider, DYNAMIC_PROVIDER_MARK);
        } finally {
            closure.serializeFunction = real;
        }
    });

    it("renders the same stack byte-identically twice", async () => {
        const [firstDir, secondDir] = [tempDir(), tempDir()];
        writeRender(await renderStack("dev"), firstDir);
        writeRender(await renderStack("dev"), secondDir);
        const first = readTree(firstDir);
        assert.ok(first.size >= 2);
        assert.deepEqual(readTree(secondDir), first);
    });

    it("never writes a planted secret config value anywhere", async () => {
        const planted = "PLANTED-kubeconfig-9f8e7d";
        const result = await renderStack("dev", { overrides: { "kubernetes:kubeconfig": planted }, secretKeys: ["kubernetes:kubeconfig"] });
        const provider = result.resources.find((record) => record.type === "pulumi:providers:kubernetes");
        assert.equal(provider?.inputs.kubeconfig, SECRET_MARK);
        const dir = tempDir();
        writeRender(result, dir);
        for (const [file, content] of readTree(dir)) {
            assert.ok(!content.includes(planted), `${file} contains the planted secret`);
        }
        assert.ok(!formatSummary(result).includes(planted));
    });

    it("refuses invalid config before registering anything but the stack itself", async () => {
        await assert.rejects(renderStack("dev", { overrides: { "pipeline-service:environment": "qa" } }), (error: unknown) => {
            assert.ok(error instanceof RenderError);
            assert.match(error.message, /pipeline-service:environment: must be one of "dev", "prod"/);
            assert.deepEqual(error.registered, [STACK_TYPE]);
            return true;
        });
    });

    it("refuses a list or mapping as a key, at its line and column (no stringified key, no process warning)", async () => {
        const dir = tempDir();
        fs.copyFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
        fs.writeFileSync(path.join(dir, "Pulumi.k.yaml"), "config:\n  pipeline-service:clusterName: c1\n  ? [aws:region]\n  : us-east-1\n");
        const warnings: Error[] = [];
        const warned = (warning: Error): number => warnings.push(warning);
        process.on("warning", warned);
        try {
            assert.throws(() => loadStackSettings("k", dir), (error: unknown) => error instanceof RenderError &&
                /Pulumi\.k\.yaml:3:5: a key must be a string, not a list or mapping$/.test(error.message));
            // process.emitWarning emits on a later tick.
            await new Promise((resolve) => setImmediate(resolve));
        } finally {
            process.off("warning", warned);
        }
        assert.deepEqual(warnings, []);
    });

    for (const stack of ["dev", "prod"] as const) {
        it(`renders the ${stack} example with every custom resource on an explicit provider`, async () => {
            const result: RenderResult = await exampleRender(stack);
            const customs = result.resources.filter((record) => record.custom && !record.type.startsWith("pulumi:providers:"));
            for (const record of customs.filter((candidate) => /^(aws|kubernetes):/.test(candidate.type))) {
                const expected = record.type.startsWith("aws:") ? "pulumi:providers:aws::aws" : "pulumi:providers:kubernetes::kubernetes";
                assert.ok(record.provider?.includes(expected), `${record.urn} uses ${String(record.provider)}`);
            }
            assert.equal(result.outputs.clusterName, stack === "dev" ? "stone-stg-rh01" : "stone-prd-rh01");
        });
    }

    describe("dependency insight", () => {
        for (const stack of ["dev", "prod"] as const) {
            it(`${stack}: only the TektonConfig's Results block waits on the RDS instance`, async () => {
                const result = await exampleRender(stack);
                const database = result.resources.find((record) => record.type === "aws:rds/instance:Instance");
                assert.ok(database);
                const waiting = waitersOn(result.resources, database.urn).filter((record) => record.custom);
                assert.deepEqual(waiting.map((record) => record.type), ["kubernetes:operator.tekton.dev/v1alpha1:TektonConfig"]);
                // ...and within it, only db_host is unknown until the database exists.
                const spec = waiting[0].inputs.spec as { result: Record<string, unknown> };
                assert.equal(spec.result.db_host, UNKNOWN_MARK);
                assert.ok(!JSON.stringify({ ...spec, result: { ...spec.result, db_host: "" } }).includes(UNKNOWN_MARK));
            });
        }

        it("puts the database on the critical path and prints it", async () => {
            const result = await exampleRender("dev");
            const { path: chain, seconds } = criticalPath(result.resources);
            assert.deepEqual(chain.slice(-2).map((record) => record.type), ["aws:rds/instance:Instance", "kubernetes:operator.tekton.dev/v1alpha1:TektonConfig"]);
            assert.ok(seconds >= 600);
            assert.match(formatSummary(result), /critical path of pulumi up \(~\d+ s by typical creation times\): .*Instance\/results-storage-db → TektonConfig\/tekton-config/);
            assert.match(formatSummary(result), /waits on the slowest resource, Instance\/results-storage-db \(~600 s\) \(1\): TektonConfig\/tekton-config\n/);
            // Everything but the TektonConfig starts without the database (counted, so new resources need no edit here).
            const customCount = result.resources.filter((record) => record.custom && record.type !== "aws:rds/instance:Instance").length;
            assert.match(formatSummary(result), new RegExp(`starts without it: ${customCount - 1} of ${customCount} custom resources`));
        });

        it("computes depths and the weighted path on a small graph", () => {
            const record = (name: string, type: string, dependencies: string[] = []) => ({
                urn: name, type, name, parent: null, custom: true, provider: null, dependencies, protect: false,
                retainOnDelete: false, ignoreChanges: [], deleteBeforeReplace: false, additionalSecretOutputs: [], replaceOnChanges: [], aliases: [], unknownOutputs: [], propertyDependencies: {}, inputs: {},
            });
            const records = [
                record("a", "x:y:Z"), record("db", "aws:rds/instance:Instance"), record("b", "x:y:Z", ["a"]),
                record("c", "x:y:Z", ["a", "b"]), record("d", "x:y:Z", ["db"]),
            ];
            assert.deepEqual(Object.fromEntries(dependencyDepths(records)), { a: 0, db: 0, b: 1, c: 2, d: 1 });
            // By hops a→b→c is longest; by time the database wins.
            assert.deepEqual(criticalPath(records).path.map((item) => item.name), ["db", "d"]);
            assert.deepEqual(waitersOn(records, "a").map((item) => item.name), ["b", "c"]);
        });
    });

    describe("CLI", () => {
        const cli = ["-r", require.resolve("../tools/register.js"), path.join(PROJECT_DIR, "tools/render.ts")];

        it("writes the stack's files and prints the summary", async () => {
            const out = tempDir();
            const { code, stdout, stderr } = await cliInProcess("render.ts", ["--stack", "dev", "--out", out]);
            assert.equal(code, 0, stderr);
            assert.match(stdout, /stack dev \(project pipeline-service\)/);
            assert.match(stdout, /TYPE +NAME +DEPTH +WAITS ON/);
            assert.ok(fs.existsSync(path.join(out, "resources.json")));
            assert.match(fs.readFileSync(path.join(out, "graph.svg"), "utf8"), /<svg /);
        });

        it("records the same with the dynamic providers' code really serialized", async () => {
            // The serializing render in a fresh process (the SDK caches a provider's serialization per process), the
            // shortcut in this one.
            const [shortcut, serialized] = [tempDir(), tempDir()];
            const inProcess = await cliInProcess("render.ts", ["--stack", "prod", "--out", shortcut, "--quiet"]);
            assert.equal(inProcess.code, 0, inProcess.stderr);
            await run("node", [...cli, "--stack", "prod", "--out", serialized, "--quiet", "--serialize-dynamic-providers"], { cwd: PROJECT_DIR });
            const files = readTree(serialized);
            assert.ok([...files.values()].some((text) => text.includes(DYNAMIC_PROVIDER_MARK)));
            // graph.svg included: both lay out the same bytes.
            assert.ok(files.has("graph.svg"));
            assert.deepEqual(readTree(shortcut), files);
        });

        it("exits non-zero and writes nothing for a stack that does not exist", async () => {
            const out = path.join(tempDir(), "none");
            const { code, stderr } = await cliInProcess("render.ts", ["--stack", "nope", "--out", out]);
            assert.equal(code, 1);
            assert.match(stderr, /no stack "nope"/);
            assert.doesNotMatch(stderr, /\n\s+at /, "no stack trace");
            assert.equal(fs.existsSync(out), false);
        });
    });
});
