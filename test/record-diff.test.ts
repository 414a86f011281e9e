/**
 * The render-to-render diff (render/record-diff.ts): which resources a change creates, updates or deletes, the
 * changed paths in Pulumi's syntax, and how a changed value is shown (never a secret).
 */
import * as assert from "node:assert/strict";
import {
    ABSENT_MARK, describeChange, diffRecords, formatPropertyPath, MAX_DESCRIBED_LENGTH, SECRET_MARK, STACK_TYPE, UNKNOWN_MARK,
    type RecordChange, type ResourceRecord,
} from "../render";
import { exampleRender } from "./harness";

const STACK_URN = "urn:pulumi:t::p::pulumi:pulumi:Stack::p-t";

/** A record of the contract with everything but what a test cares about defaulted. */
function rec(name: string, type = "aws:rds/instance:Instance", extra: Partial<ResourceRecord> = {}): ResourceRecord {
    return {
        urn: `urn:pulumi:t::p::${type}::${name}`, type, name, parent: STACK_URN, custom: true, provider: null, dependencies: [], protect: false,
        retainOnDelete: false, ignoreChanges: [], deleteBeforeReplace: false, additionalSecretOutputs: [], replaceOnChanges: [], aliases: [], unknownOutputs: [], propertyDependencies: {}, inputs: {}, ...extra,
    };
}

const stack: ResourceRecord = { ...rec("p-t", STACK_TYPE, { parent: null, custom: false }), urn: STACK_URN };

/** A change as `op name: paths` for compact expectations. */
function brief(changes: readonly RecordChange[]): string[] {
    return changes.map((entry) => `${entry.op} ${entry.name}${entry.paths.length > 0 ? `: ${entry.paths.join(", ")}` : ""}`);
}

interface Case {
    readonly title: string;
    readonly base: readonly ResourceRecord[];
    readonly head: readonly ResourceRecord[];
    readonly expected: readonly string[];
}

const db = (inputs: Record<string, unknown>, extra: Partial<ResourceRecord> = {}): ResourceRecord => rec("db", undefined, { inputs, ...extra });
const deployment = (spec: Record<string, unknown>): ResourceRecord => rec("results", "kubernetes:operator.tekton.dev/v1alpha1:TektonResult", {
    inputs: { spec: { result: { options: { deployments: { "tekton-results-api": { spec } } } } } },
});
const AWS = "urn:pulumi:t::p::pulumi:providers:aws::aws";

const cases: readonly Case[] = [
    { title: "identical renders: no change", base: [stack, db({ instanceClass: "db.t4g.small" })], head: [stack, db({ instanceClass: "db.t4g.small" })], expected: [] },
    { title: "a new resource is a create", base: [stack], head: [stack, db({ a: 1 })], expected: ["create db"] },
    { title: "a removed resource is a delete", base: [stack, db({ a: 1 })], head: [stack], expected: ["delete db"] },
    {
        title: "a renamed resource is a delete and a create, creates first",
        base: [stack, rec("old")], head: [stack, rec("new")], expected: ["create new", "delete old"],
    },
    {
        title: "a whole new stack: every resource a create, the stack included",
        base: [], head: [stack, db({ a: 1 })], expected: ["create db", "create p-t"],
    },
    { title: "a whole stack gone: every resource a delete", base: [stack, db({ a: 1 })], head: [], expected: ["delete db", "delete p-t"] },
    {
        title: "a changed leaf is its path",
        base: [db({ instanceClass: "db.t4g.small", engine: "postgres" })], head: [db({ instanceClass: "db.m7g.large", engine: "postgres" })],
        expected: ["update db: instanceClass"],
    },
    {
        title: "a nested change is the deepest path, in Pulumi's syntax (quoted keys with other characters)",
        base: [deployment({ replicas: 1 })], head: [deployment({ replicas: 2 })],
        expected: ['update results: spec.result.options.deployments["tekton-results-api"].spec.replicas'],
    },
    {
        title: "an array element's change is the element's path",
        base: [db({ tags: [{ k: "a" }, { k: "b" }, { k: "c", v: 1 }] })], head: [db({ tags: [{ k: "a" }, { k: "b" }, { k: "c", v: 2 }] })],
        expected: ["update db: tags[2].v"],
    },
    {
        title: "an array whose length changed is the array's path",
        base: [db({ subnets: ["a", "b"] })], head: [db({ subnets: ["a", "b", "c"] })], expected: ["update db: subnets"],
    },
    { title: "an added key is that key's path", base: [db({ a: 1 })], head: [db({ a: 1, b: { c: 1 } })], expected: ["update db: b"] },
    { title: "a removed key is that key's path", base: [db({ a: 1, b: { c: 1 } })], head: [db({ a: 1, b: {} })], expected: ["update db: b.c"] },
    {
        title: "a value of another kind is its own path, not its members'",
        base: [db({ a: { b: 1 } })], head: [db({ a: [1] })], expected: ["update db: a"],
    },
    {
        title: "several paths in key order",
        base: [db({ z: 1, a: { y: 1, x: 1 } })], head: [db({ z: 2, a: { y: 2, x: 2 } })], expected: ["update db: a.x, a.y, z"],
    },
    {
        title: "a value becoming secret is a change (shown as the mark)",
        base: [db({ password: "hunter2" })], head: [db({ password: SECRET_MARK })], expected: ["update db: password"],
    },
    {
        title: "a provider change is an update labelled (provider)",
        base: [db({ a: 1 }, { provider: `${AWS}::one` })], head: [db({ a: 1 }, { provider: `${AWS}-eu::two` })], expected: ["update db: (provider)"],
    },
    {
        title: "protect and the other options the engine acts on are labelled, after input paths",
        base: [db({ a: 1 })],
        head: [db({ a: 2 }, { protect: true, retainOnDelete: true, deleteBeforeReplace: true, ignoreChanges: ["tags"], additionalSecretOutputs: ["password"] })],
        expected: ["update db: a, (protect), (retainOnDelete), (ignoreChanges), (deleteBeforeReplace), (additionalSecretOutputs)"],
    },
    {
        title: "reordered ignoreChanges is no change",
        base: [db({}, { ignoreChanges: ["a", "b"] })], head: [db({}, { ignoreChanges: ["b", "a"] })], expected: [],
    },
    {
        title: "a dependency-only change is no update (the engine does not diff dependencies)",
        base: [db({ a: 1 })], head: [db({ a: 1 }, { dependencies: [AWS] })], expected: [],
    },
    {
        title: "an unknownOutputs-only change is no update",
        base: [db({ a: 1 })], head: [db({ a: 1 }, { unknownOutputs: ["arn"] })], expected: [],
    },
    {
        title: "the stack resource is never an update",
        base: [stack], head: [{ ...stack, inputs: { x: 1 }, dependencies: [AWS] }], expected: [],
    },
];

describe("the render diff (render/record-diff.ts)", () => {
    describe("diffRecords", () => {
        for (const entry of cases) {
            it(entry.title, () => {
                assert.deepEqual(brief(diffRecords(entry.base, entry.head)), entry.expected);
            });
        }

        it("reports urn, type and name, and orders by operation then URN whatever the input order", () => {
            const base = [stack, rec("b"), rec("a"), rec("gone", "x:y:Z"), db({ v: 1 })];
            const head = [db({ v: 2 }), rec("new", "x:y:Z"), stack, rec("b"), rec("a"), rec("another", "a:b:C")];
            const changes = diffRecords(base, head);
            assert.deepEqual(changes.map((entry) => entry.op), ["create", "create", "update", "delete"]);
            assert.deepEqual(changes.map((entry) => entry.urn), [rec("another", "a:b:C").urn, rec("new", "x:y:Z").urn, db({}).urn, rec("gone", "x:y:Z").urn]);
            assert.deepEqual(changes[2], { urn: db({}).urn, type: "aws:rds/instance:Instance", name: "db", op: "update", paths: ["v"] });
            assert.deepEqual(diffRecords([...base].reverse(), [...head].reverse()), changes);
        });

        it("finds no change between two renders of the dev stack, and a changed input in a copy", async () => {
            const { resources } = await exampleRender("dev");
            assert.deepEqual(diffRecords(resources, resources), []);
            const copy = JSON.parse(JSON.stringify(resources)) as ResourceRecord[];
            const index = copy.findIndex((record) => record.type === "aws:rds/instance:Instance");
            assert.ok(index >= 0);
            copy[index] = { ...copy[index], inputs: { ...copy[index].inputs, instanceClass: "db.m7g.large" } };
            assert.deepEqual(brief(diffRecords(resources, copy)), [`update ${copy[index].name}: instanceClass`]);
        });
    });

    describe("formatPropertyPath (Pulumi's PropertyPath.String())", () => {
        const paths: readonly (readonly [readonly (string | number)[], string])[] = [
            [["root"], "root"],
            [["root", "nested", "array", 0, "double", 1], "root.nested.array[0].double[1]"],
            [["spec", "tekton-results-api", "spec"], 'spec["tekton-results-api"].spec'],
            [["root key with a ."], '["root key with a ."]'],
            [["root", 'key with "escaped" quotes'], 'root["key with \\"escaped\\" quotes"]'],
            [["a", "0b", "c_d"], "a.0b.c_d"],
            [["a", "b\\"], 'a["b\\"]'],
            [["a", "é"], 'a["é"]'],
            [[3, "x"], "[3].x"],
        ];
        for (const [segments, expected] of paths) {
            it(`writes ${JSON.stringify(segments)} as ${expected}`, () => {
                assert.equal(formatPropertyPath(segments), expected);
            });
        }
    });

    describe("describeChange", () => {
        const describe1 = (before: Record<string, unknown>, after: Record<string, unknown>): string[] => {
            const [base, head] = [db(before), db(after)];
            const [change] = diffRecords([base], [head]);
            assert.ok(change, "expected a change");
            return change.paths.map((path) => `${path}: ${describeChange(base, head, path)}`);
        };

        it("shows both values as JSON", () => {
            assert.deepEqual(describe1({ instanceClass: "db.t4g.small" }, { instanceClass: "db.m7g.large" }), ['instanceClass: "db.t4g.small" → "db.m7g.large"']);
            assert.deepEqual(describe1({ n: 1, on: true }, { n: 2, on: null }), ["n: 1 → 2", "on: true → null"]);
        });

        it("finds values at quoted keys and array elements", () => {
            const base = deployment({ containers: [{ image: "a:1" }] });
            const head = deployment({ containers: [{ image: "a:2" }] });
            const [change] = diffRecords([base], [head]);
            assert.deepEqual(change.paths, ['spec.result.options.deployments["tekton-results-api"].spec.containers[0].image']);
            assert.equal(describeChange(base, head, change.paths[0]), '"a:1" → "a:2"');
        });

        it("shows a missing side as absent", () => {
            assert.deepEqual(describe1({ a: 1 }, { a: 1, b: { c: 1 } }), [`b: ${ABSENT_MARK} → {"c":1}`]);
            assert.deepEqual(describe1({ a: 1, b: "x" }, { a: 1 }), [`b: "x" → ${ABSENT_MARK}`]);
        });

        it("shows a secret as the mark, and an object or array holding one as the mark alone, never its JSON", () => {
            assert.deepEqual(describe1({ password: "hunter2" }, { password: SECRET_MARK }), [`password: "hunter2" → ${SECRET_MARK}`]);
            const lines = describe1({ auth: [1] }, { auth: { user: "admin", token: SECRET_MARK, nested: [{ key: SECRET_MARK }] } });
            assert.deepEqual(lines, [`auth: [1] → ${SECRET_MARK}`]);
            assert.doesNotMatch(lines.join("\n"), /admin|user|token/);
            assert.deepEqual(describe1({ list: ["a"] }, { list: ["a", SECRET_MARK] }), [`list: ["a"] → ${SECRET_MARK}`]);
        });

        it("shows an unknown value as its mark, unquoted", () => {
            assert.deepEqual(describe1({ arn: "arn:aws:x" }, { arn: UNKNOWN_MARK }), [`arn: "arn:aws:x" → ${UNKNOWN_MARK}`]);
        });

        it("cuts long values, saying how long they were", () => {
            const long = "x".repeat(500);
            const [line] = describe1({ doc: "short" }, { doc: long });
            const after = line.split(" → ")[1];
            assert.equal(after.length, MAX_DESCRIBED_LENGTH);
            assert.match(after, /^"x+… \(502 chars\)$/);
        });

        it("shows an option's values under its label", () => {
            const base = db({}, { provider: `${AWS}::one` });
            const head = db({}, { provider: null, protect: true });
            assert.deepEqual(diffRecords([base], [head])[0].paths, ["(provider)", "(protect)"]);
            assert.equal(describeChange(base, head, "(provider)"), `"${AWS}::one" → null`);
            assert.equal(describeChange(base, head, "(protect)"), "false → true");
        });
    });
});
