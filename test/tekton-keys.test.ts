/**
 * The operator's admission webhook rejects unknown TektonConfig fields, so every key path the program emits
 * must exist in the Go types of the line the stack is pinned to, and none may be one that line's webhook drops. The key list is test data extracted from
 * tektoncd/operator's `pkg/apis/operator/v1alpha1` at that tag (tools/extract-tektonconfig-keys.mjs); a path
 * that ends at a type of another package (a Deployment, a ConfigMap) is opaque: anything below it is that
 * type's business.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { keySetFile, lineNamed, SUPPORTED_OPERATOR_LINES, type OperatorLine } from "../lib/operator-lines";
import { configOf, exampleRender, lineRender, single } from "./harness";

interface KeyNode {
    readonly children: Map<string, KeyNode>;
}

function keyTree(paths: readonly (readonly string[])[]): KeyNode {
    const root: KeyNode = { children: new Map() };
    for (const segments of paths) {
        let node = root;
        for (const segment of segments) {
            let child = node.children.get(segment);
            if (!child) {
                child = { children: new Map() };
                node.children.set(segment, child);
            }
            node = child;
        }
    }
    return root;
}

/** Every key path of `value` that the tree does not know (maps match `*`, list items `[]`, opaque leaves anything). */
function unknownPaths(value: unknown, node: KeyNode, at: string[] = []): string[] {
    if (node.children.size === 0) {
        return [];
    }
    if (Array.isArray(value)) {
        const item = node.children.get("[]");
        return item ? value.flatMap((element, index) => unknownPaths(element, item, [...at, `[${index}]`])) : [];
    }
    if (value === null || typeof value !== "object") {
        return [];
    }
    return Object.entries(value).flatMap(([key, child]) => {
        const next = node.children.get(key) ?? node.children.get("*");
        return next ? unknownPaths(child, next, [...at, key]) : [[...at, key].join(" / ")];
    });
}

/** The key tree of a line, from its test data file. */
function lineTree(line: OperatorLine): KeyNode {
    return keyTree(JSON.parse(fs.readFileSync(path.join(__dirname, "data", keySetFile(line)), "utf8")) as string[][]);
}

/** The paths of `value` (under `spec`) that are among `dropped`. */
function droppedPaths(spec: unknown, dropped: readonly (readonly string[])[]): string[] {
    return dropped.filter((keyPath) => {
        let node: unknown = spec;
        for (const segment of keyPath) {
            if (node === null || typeof node !== "object" || !(segment in node)) {
                return false;
            }
            node = (node as Record<string, unknown>)[segment];
        }
        return true;
    }).map((keyPath) => keyPath.join(" / "));
}

for (const line of SUPPORTED_OPERATOR_LINES) {
    describe(`TektonConfig key paths against tektoncd/operator ${line.operator} (OpenShift Pipelines ${line.pipelines})`, () => {
        const tree = lineTree(line);
        for (const stack of ["dev", "prod"] as const) {
            it(`the ${stack} render pinned to ${line.pipelines} emits only keys that operator's Go types have, and none its webhook drops`, async () => {
                const config = single(await lineRender(stack, line.pipelines), "kubernetes:operator.tekton.dev/v1alpha1:TektonConfig");
                assert.deepEqual(unknownPaths({ spec: config.inputs.spec }, tree), []);
                assert.deepEqual(droppedPaths(config.inputs.spec, line.droppedKeys), []);
            });
        }
    });
}

describe("TektonConfig key paths of the example stacks as they are", () => {
    for (const stack of ["dev", "prod"] as const) {
        it(`the ${stack} render fits its line (dev follows latest: the oldest line, which every later one only extends)`, async () => {
            const render = await exampleRender(stack);
            const line = lineNamed(configOf(render).operator.line ?? SUPPORTED_OPERATOR_LINES[0].pipelines) as OperatorLine;
            const config = single(render, "kubernetes:operator.tekton.dev/v1alpha1:TektonConfig");
            assert.deepEqual(unknownPaths({ spec: config.inputs.spec }, lineTree(line)), []);
        });
    }
});

describe("the key check itself", () => {
    const oldest = lineTree(SUPPORTED_OPERATOR_LINES[0]);
    const newest = lineTree(SUPPORTED_OPERATOR_LINES[SUPPORTED_OPERATOR_LINES.length - 1]);

    it("catches a key the operator does not have, a misspelt one, and a key of a newer line", () => {
        assert.deepEqual(unknownPaths({ spec: { result: { watcher: {}, route_enabled: true }, trigger: { disable: true }, scheduler: { disabled: true } } }, oldest), [
            "spec / result / watcher",
            "spec / result / route_enabled",
            "spec / trigger / disable",
            "spec / scheduler",
        ]);
        assert.deepEqual(unknownPaths({ spec: { result: { route_enabled: false }, scheduler: { disabled: true, "multi-cluster-disabled": true } } }, newest), []);
        assert.deepEqual(unknownPaths({ spec: { result: { options: { deployments: { anything: { spec: { replicas: 2 } } } } } } }, oldest), []);
    });

    it("catches a key the line's webhook drops", () => {
        const line = lineNamed("1.22") as OperatorLine;
        assert.deepEqual(droppedPaths({ pipeline: { "disable-affinity-assistant": true } }, line.droppedKeys), ["pipeline / disable-affinity-assistant"]);
        assert.deepEqual(droppedPaths({ pipeline: {} }, line.droppedKeys), []);
    });
});
