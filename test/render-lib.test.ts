/**
 * The render library's pure parts (render/): the contract schema, the one table formatter and labeller, the
 * generic summary lines, the DOT graph and its SVG layout.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    buildDot, canonicalOrder, DotError, formatSummary, formatTable, GRAPH_COLOURS, graphSvg, renderSvg, resourceLabeller, resourceRecordFields,
    resourceRecordSchema, resourcesFileSchema, slowestResourceLines, STACK_TYPE, writeGraphSvg, writeRender, type RenderResult, type ResourceRecord,
} from "../render";
import { goodResources } from "./fixtures/policy-resources";
import { exampleRender } from "./harness";

/** A record of the contract with everything but what a test cares about defaulted. */
function rec(name: string, type: string, extra: Partial<ResourceRecord> = {}): ResourceRecord {
    return {
        urn: `urn:pulumi:t::p::${type}::${name}`, type, name, parent: null, custom: true, provider: null, dependencies: [], protect: false,
        retainOnDelete: false, ignoreChanges: [], deleteBeforeReplace: false, additionalSecretOutputs: [], replaceOnChanges: [], aliases: [], unknownOutputs: [], propertyDependencies: {}, inputs: {}, ...extra,
    };
}

function result(resources: readonly ResourceRecord[]): RenderResult {
    return { settings: { project: "p", stack: "t", config: {}, secretKeys: [] }, resources, outputs: {} };
}

describe("render library", () => {
    describe("the contract schema (render/contract.ts)", () => {
        for (const stack of ["dev", "prod"] as const) {
            it(`accepts every record the ${stack} render writes, fields in the schema's order`, async () => {
                const render = await exampleRender(stack);
                const written = JSON.parse(`${JSON.stringify(render.resources)}`) as unknown;
                assert.equal(resourcesFileSchema.parse(written).length, render.resources.length);
                for (const record of render.resources) {
                    assert.deepEqual(Object.keys(record), Object.keys(resourceRecordFields));
                }
            });
        }

        it("accepts the policy fixtures: they are the same contract", () => {
            assert.ok(resourcesFileSchema.safeParse(goodResources()).success);
        });

        it("rejects a record with a missing field, an extra field or a wrong type", () => {
            const good = rec("a", "x:y:Z");
            assert.ok(resourceRecordSchema.safeParse(good).success);
            const missing: Record<string, unknown> = { ...good };
            delete missing.inputs;
            assert.match(resourceRecordSchema.safeParse(missing).error?.issues[0]?.path.join(".") ?? "", /^inputs$/);
            const extra = resourceRecordSchema.safeParse({ ...good, sourcePosition: "index.ts:1" });
            assert.equal(extra.error?.issues[0]?.code, "unrecognized_keys");
            assert.equal(resourceRecordSchema.safeParse({ ...good, custom: "yes" }).success, false);
            assert.equal(resourceRecordSchema.safeParse({ ...good, urn: "" }).success, false);
        });
    });

    describe("the table formatter and labeller (render/table.ts)", () => {
        it("aligns columns, right-aligns where asked, caps padding and never ends a line in spaces", () => {
            const table = formatTable(["A", "NUM", "LAST"], [["xx", "1", "tail"], ["a-very-long-cell", "100", ""]], { align: ["left", "right", "left"], maxWidth: 8 });
            assert.deepEqual(table.split("\n"), ["A         NUM  LAST", "xx          1  tail", "a-very-long-cell  100"]);
        });

        it("labels by logical name, Kind/name only when the name is shared", () => {
            const records = [rec("db", "aws:rds/instance:Instance"), rec("db", "aws:ec2/securityGroup:SecurityGroup"), rec("logs", "aws:s3/bucket:Bucket")];
            const label = resourceLabeller(records);
            assert.deepEqual(records.map((record) => label(record.urn)), ["Instance/db", "SecurityGroup/db", "logs"]);
            assert.equal(label(undefined), "(stack)");
            assert.equal(label("urn:elsewhere"), "urn:elsewhere");
            assert.equal(resourceLabeller(records, { alwaysQualified: true, separator: "::" })(records[2].urn), "Bucket::logs");
        });

        it("makes the summary's WAITS ON column unambiguous for the dev stack", async () => {
            const summary = formatSummary(await exampleRender("dev"));
            const database = summary.split("\n").find((line) => line.startsWith("aws:rds/instance:Instance"));
            assert.ok(database);
            assert.match(database, /SubnetGroup\/results-storage-db, .*ParameterGroup\/results-storage-db, .*SecurityGroup\/results-storage-db/);
            // A bare name twice in a row is what "ambiguous" looked like.
            assert.doesNotMatch(summary, /(?<![\w/-])results-storage-db, results-storage-db(?![\w-])/);
        });
    });

    describe("the canonical order (render/order.ts)", () => {
        it("puts providers first among what is ready, and every resource after its provider", () => {
            const stack = rec("s", STACK_TYPE, { custom: false });
            const aws = rec("zz-aws", "pulumi:providers:aws", { parent: stack.urn });
            const bucket = rec("a-bucket", "aws:s3/bucket:Bucket", { parent: stack.urn, provider: `${aws.urn}::(known after apply)` });
            // A provider inside a component: what uses it waits for the component too, whatever the URNs sort as.
            const group = rec("z-group", "test:index:Group", { custom: false, parent: stack.urn });
            const k8s = { ...rec("k8s", "pulumi:providers:kubernetes", { parent: group.urn }), urn: "urn:pulumi:t::p::test:index:Group$pulumi:providers:kubernetes::k8s" };
            const namespace = rec("a-ns", "kubernetes:core/v1:Namespace", { parent: stack.urn, provider: `${k8s.urn}::id` });
            const names = (records: readonly ResourceRecord[]): string[] => canonicalOrder(records).map((record) => record.name);
            assert.deepEqual(names([namespace, bucket, group, k8s, aws, stack]), ["s", "zz-aws", "a-bucket", "z-group", "k8s", "a-ns"]);
            assert.deepEqual(names([stack, aws, k8s, group, bucket, namespace]), names([namespace, bucket, group, k8s, aws, stack]));
        });

        it("lists the providers before the resources that use them in the dev summary", async () => {
            const rows = formatSummary(await exampleRender("dev")).split("\n").map((line) => line.split(/\s+/)[0]);
            for (const [provider, prefix] of [["pulumi:providers:aws", "aws:"], ["pulumi:providers:kubernetes", "kubernetes:"]] as const) {
                const first = rows.findIndex((type) => type?.startsWith(prefix));
                assert.ok(first > 0, `no ${prefix} row`);
                assert.ok(rows.indexOf(provider) >= 0 && rows.indexOf(provider) < first, `${provider} is listed after ${String(rows[first])}`);
            }
        });
    });

    describe("the slowest-resource lines (render/summary.ts)", () => {
        it("name the slowest custom resource by the typical-time table, whatever its type", () => {
            const bucket = rec("logs", "aws:s3/bucket:Bucket");
            const policy = rec("policy", "aws:s3/bucketPolicy:BucketPolicy", { dependencies: [bucket.urn] });
            const other = rec("other", "x:y:Thing");
            assert.deepEqual(slowestResourceLines(result([bucket, policy, other])), [
                "waits on the slowest resource, Bucket/logs (~5 s) (1): BucketPolicy/policy",
                "starts without it: 1 of 2 custom resources",
            ]);
        });

        it("are left out when no resource stands out", () => {
            assert.deepEqual(slowestResourceLines(result([rec("a", "x:y:Thing"), rec("b", "x:y:Other")])), []);
        });
    });

    describe("the dependency graph (render/dot.ts, render/svg.ts)", () => {
        const group = rec("group", "test:index:Group", { custom: false });
        const inner = rec("inner", "test:index:Group", { custom: false, parent: group.urn });
        const db = rec("db", "aws:rds/instance:Instance", { parent: inner.urn });
        const config = rec("conf \"quoted\"", "x:y:Config", { parent: group.urn, dependencies: [db.urn] });
        const loose = rec("loose", "x:y:Thing", { dependencies: [inner.urn] });
        const records = [group, inner, db, config, loose];

        it("is deterministic and independent of record order", () => {
            assert.equal(buildDot(records), buildDot(records));
            assert.equal(buildDot([...records].reverse()), buildDot(records));
        });

        it("clusters resources by their component, nested, and escapes names", () => {
            const dot = buildDot(records);
            assert.match(dot, /subgraph "cluster_r\d+" \{\n\s+graph \[label="Group group".*\n\s+subgraph "cluster_r\d+" \{\n\s+graph \[label="Group inner"/);
            assert.match(dot, /label="Config\\nconf \\"quoted\\""/);
            // A dependency on a component is a wait on the custom resources in it.
            const id = (name: string): string => new RegExp(`(r\\d+) \\[label="[^"]*\\\\n${name}"`).exec(dot)?.[1] ?? "?";
            assert.match(dot, new RegExp(`${id("db")} -> ${id("loose")}`));
        });

        it("highlights the critical path and what waits on the slowest resource", () => {
            const dot = buildDot([...records, rec("late", "x:y:Thing", { dependencies: [config.urn] }), rec("side", "x:y:Thing", { dependencies: [db.urn] })]);
            const edge = (from: string, to: string): string => {
                const id = (name: string): string => new RegExp(`(r\\d+) \\[label="[^\\n]*?\\\\n${name}`).exec(dot)?.[1] ?? "?";
                return new RegExp(`^\\s+${id(from)} -> ${id(to)}(.*);$`, "m").exec(dot)?.[1] ?? "(no edge)";
            };
            assert.match(edge("db", "conf"), new RegExp(`color="${GRAPH_COLOURS.critical}"`));
            assert.match(edge("conf", "late"), new RegExp(`color="${GRAPH_COLOURS.critical}"`));
            // side waits on the database but is not on the critical path.
            assert.match(edge("db", "side"), new RegExp(`color="${GRAPH_COLOURS.slow}"`));
            assert.match(dot, new RegExp(`label="Thing\\\\nside", tooltip="x:y:Thing", fillcolor="${GRAPH_COLOURS.slowFill}"`));
            assert.match(dot, /red: critical path of pulumi up, ~604 s .*Instance\/db → Config\/conf/);
        });

        it("lays out the dev render as the same SVG bytes every time", async function () {
            this.timeout(30_000);
            const render = await exampleRender("dev");
            const [first, second] = [await graphSvg(render), await graphSvg(render)];
            assert.equal(first, second);
            assert.match(first, /^<\?xml[^]*<svg [^]*<\/svg>\n?$/);
            assert.match(first, /class="cluster"/);
            assert.ok(first.includes(`stroke="${GRAPH_COLOURS.critical}"`));
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-graph-"));
            writeRender(render, dir);
            assert.equal(fs.readFileSync(await writeGraphSvg(render, dir), "utf8"), first);
        });

        it("reports invalid DOT as a DotError with Graphviz's message (docs:architecture prints it alone)", async () => {
            await assert.rejects(renderSvg("digraph { a -> }"), new DotError("syntax error in line 1 near '}'"));
        });
    });
});
