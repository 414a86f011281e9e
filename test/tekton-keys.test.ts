/**
 * The operator's admission webhook rejects unknown TektonConfig fields, so every key path the program emits
 * must exist in the Go types of the oldest supported operator line. The key list is test data extracted from
 * tektoncd/operator's `pkg/apis/operator/v1alpha1` at that tag (tools/extract-tektonconfig-keys.mjs); a path
 * that ends at a type of another package (a Deployment, a ConfigMap) is opaque: anything below it is that
 * type's business.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { SUPPORTED_OPERATOR_LINES } from "../lib/operator-lines";
import { exampleRender, single } from "./harness";

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

const oldest = SUPPORTED_OPERATOR_LINES[0];
const keys = JSON.parse(fs.readFileSync(path.join(__dirname, "data", `tektonconfig-keys-${oldest.operator}.json`), "utf8")) as string[][];
const tree = keyTree(keys);

describe(`TektonConfig key paths against tektoncd/operator ${oldest.operator} (OpenShift Pipelines ${oldest.pipelines})`, () => {
    for (const stack of ["dev", "prod"] as const) {
        it(`the ${stack} render emits only keys that operator's Go types have`, async () => {
            const config = single(await exampleRender(stack), "kubernetes:operator.tekton.dev/v1alpha1:TektonConfig");
            assert.deepEqual(unknownPaths({ spec: config.inputs.spec }, tree), []);
        });
    }

    it("catches a key the operator does not have, and a misspelt one", () => {
        assert.deepEqual(unknownPaths({ spec: { result: { watcher: {}, route_enabled: true }, trigger: { disable: true } } }, tree), [
            "spec / result / watcher",
            "spec / result / route_enabled",
            "spec / trigger / disable",
        ]);
        assert.deepEqual(unknownPaths({ spec: { result: { options: { deployments: { anything: { spec: { replicas: 2 } } } } } } }, tree), []);
    });
});
