#!/usr/bin/env node
// Lists every JSON key path of a TektonConfig spec, read from the Go sources of the operator's
// API package (pkg/apis/operator/v1alpha1 of tektoncd/operator), so that the keys this project
// renders can be checked against one operator release without a Go toolchain.
//
//   node tools/extract-tektonconfig-keys.mjs <dir-with-v1alpha1-go-files> [--root TektonConfigSpec]
//        [--prefix spec] [--kinds]
//
// Output: a sorted JSON array; each entry is the path as an array of segments (a JSON tag is one
// segment even when it contains dots, e.g. ["spec","chain","artifacts.taskrun.format"]). A map
// level is the segment "*", a slice/array level "[]". Intermediate objects are listed too.
// With --kinds each entry is {path, kind, goType}: kind is object | map | list | scalar |
// opaque (a type from another package, e.g. corev1.Toleration, not descended into) | recursive.
//
// Rules followed (those of encoding/json): a field's key is the name in its json tag, else the
// Go field name; tag "-" and unexported fields are skipped; an embedded field without a tag name
// (no tag, or `json:",inline"` as Kubernetes writes it) has its fields promoted; pointers are
// transparent; named types of the package are resolved to their definitions.
// The Go sources are read by tools/go-types.mjs; this script walks the types it returns.

import { collectTypes } from "./go-types.mjs";

/** The key a field contributes, or null when encoding/json ignores it; `inline` for promoted fields. */
function fieldKey(field) {
    const m = /(?:^|\s)json:"([^"]*)"/.exec(field.tag);
    const tagName = m ? m[1].split(",")[0] : "";
    if (tagName === "-" && m && m[1] === "-") return null;
    if (field.embedded && tagName === "") return { inline: true };
    if (tagName !== "") return { key: tagName };
    return /^[A-Z]/.test(field.name) ? { key: field.name } : null;
}

function walk(types, node, path, seen, out) {
    const emit = (kind, goType) => out.push({ path, kind, ...(goType ? { goType } : {}) });
    switch (node.kind) {
        case "named": {
            const def = types.get(node.name);
            if (!def) return emit("opaque", node.name);
            if (seen.includes(node.name)) return emit("recursive", node.name);
            if (def.kind === "scalar") return emit("scalar", `${node.name}(${def.goType})`);
            return walk(types, def, path, [...seen, node.name], out);
        }
        case "scalar": return emit("scalar", node.goType);
        case "opaque": return emit("opaque", node.goType);
        case "skip": return undefined;
        case "list":
            if (node.elem.kind === "scalar" && (node.elem.goType === "byte" || node.elem.goType === "uint8")) {
                return emit("scalar", "[]byte");
            }
            emit("list");
            return walk(types, node.elem, [...path, "[]"], seen, out);
        case "map":
            emit("map");
            return walk(types, node.elem, [...path, "*"], seen, out);
        case "struct":
            emit("object");
            for (const field of node.fields) {
                const key = fieldKey(field);
                if (!key) continue;
                if (key.inline) {
                    const inner = [];
                    walk(types, field.type, path, seen, inner);
                    // the inlined struct's own entry is the current path again: drop it
                    for (const e of inner) if (e.path.length > path.length) out.push(e);
                    // an embedded type that is not a struct of this package: its promoted keys are unknown
                    // here (opaque), or it is a non-struct type, which encoding/json keys by its type name
                    const self = inner.find((e) => e.path.length === path.length);
                    if (self && self.kind === "opaque") out.push({ ...self, path: [...path, `(inline ${self.goType})`] });
                    else if (self && self.kind !== "object") out.push({ ...self, path: [...path, field.name] });
                } else {
                    walk(types, field.type, [...path, key.key], seen, out);
                }
            }
            return undefined;
        default:
            throw new Error(`unknown node kind ${node.kind}`);
    }
}

function compareSegments(a, b) {
    for (let i = 0; i < Math.min(a.length, b.length); i++) {
        if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    }
    return a.length - b.length;
}

function main(argv) {
    const args = { root: "TektonConfigSpec", prefix: "spec", kinds: false, dir: undefined };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (a === "--root") args.root = argv[++i];
        else if (a === "--prefix") args.prefix = argv[++i];
        else if (a === "--kinds") args.kinds = true;
        else if (a.startsWith("--")) throw new Error(`unknown option ${a}`);
        else args.dir = a;
    }
    if (!args.dir) {
        throw new Error("usage: extract-tektonconfig-keys.mjs <dir of pkg/apis/operator/v1alpha1> [--root T] [--prefix p] [--kinds]");
    }
    const types = collectTypes(args.dir);
    if (!types.has(args.root)) throw new Error(`type ${args.root} not found in ${args.dir}`);
    const entries = [];
    walk(types, { kind: "named", name: args.root }, args.prefix ? [args.prefix] : [], [], entries);
    // one entry per path (an inlined field can repeat a key; encoding/json keeps the shallowest)
    const byPath = new Map();
    for (const e of entries) {
        const k = JSON.stringify(e.path);
        if (!byPath.has(k)) byPath.set(k, e);
    }
    const sorted = [...byPath.values()].filter((e) => e.path.length > 0).sort((x, y) => compareSegments(x.path, y.path));
    const result = args.kinds ? sorted : sorted.map((e) => e.path);
    process.stdout.write(`[\n${result.map((e) => `  ${JSON.stringify(e)}`).join(",\n")}\n]\n`);
}

try {
    main(process.argv.slice(2));
} catch (err) {
    process.stderr.write(`extract-tektonconfig-keys: ${err.message}\n`);
    process.exitCode = 1;
}
