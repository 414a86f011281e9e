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

import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const BUILTIN_SCALARS = new Set([
    "string", "bool", "byte", "rune", "error",
    "int", "int8", "int16", "int32", "int64",
    "uint", "uint8", "uint16", "uint32", "uint64", "uintptr",
    "float32", "float64", "complex64", "complex128",
]);

/** Removes Go comments, leaving string, raw-string and rune literals untouched. */
function stripComments(src) {
    let out = "";
    let i = 0;
    while (i < src.length) {
        const c = src[i];
        const next = src[i + 1];
        if (c === "/" && next === "/") {
            while (i < src.length && src[i] !== "\n") i++;
        } else if (c === "/" && next === "*") {
            const end = src.indexOf("*/", i + 2);
            const stop = end < 0 ? src.length : end + 2;
            // keep newlines so that field declarations stay on separate lines
            out += src.slice(i, stop).replace(/[^\n]/g, " ");
            i = stop;
        } else if (c === "`") {
            const end = src.indexOf("`", i + 1);
            const stop = end < 0 ? src.length : end + 1;
            out += src.slice(i, stop);
            i = stop;
        } else if (c === '"' || c === "'") {
            let j = i + 1;
            while (j < src.length && src[j] !== c && src[j] !== "\n") j += src[j] === "\\" ? 2 : 1;
            out += src.slice(i, j + 1);
            i = j + 1;
        } else {
            out += c;
            i++;
        }
    }
    return out;
}

/** Index just past the bracket closing the one at `open` (skipping literals). */
function matchBracket(text, open) {
    const pairs = { "{": "}", "[": "]", "(": ")" };
    const stack = [];
    for (let i = open; i < text.length; i++) {
        const c = text[i];
        if (c === "`") { i = text.indexOf("`", i + 1); continue; }
        if (c === '"' || c === "'") {
            let j = i + 1;
            while (j < text.length && text[j] !== c) j += text[j] === "\\" ? 2 : 1;
            i = j;
            continue;
        }
        if (pairs[c]) stack.push(pairs[c]);
        else if (c === "}" || c === "]" || c === ")") {
            if (stack.pop() !== c) throw new Error(`unbalanced '${c}' at ${i}`);
            if (stack.length === 0) return i + 1;
        }
    }
    throw new Error(`no closing bracket for position ${open}`);
}

/** Reads one type expression starting at `pos`; returns its text and the end index. */
function readTypeExpr(text, pos) {
    let i = pos;
    while (text[i] === " " || text[i] === "\t") i++;
    const start = i;
    for (;;) {
        if (text.startsWith("*", i)) { i++; continue; }
        if (text[i] === "[") { i = matchBracket(text, i); continue; } // [] , [N] , map key
        if (/^map\s*\[/.test(text.slice(i, i + 8))) { i = text.indexOf("[", i); continue; }
        if (/^(struct|interface)\s*\{/.test(text.slice(i, i + 12))) {
            return { expr: text.slice(start, matchBracket(text, text.indexOf("{", i))), end: matchBracket(text, text.indexOf("{", i)) };
        }
        if (/^chan\b/.test(text.slice(i, i + 5))) { i += 4; while (text[i] === " ") i++; continue; }
        const m = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)?/.exec(text.slice(i));
        if (!m) throw new Error(`cannot read a type at: ${text.slice(i, i + 40)}`);
        i += m[0].length;
        if (text[i] === "[") i = matchBracket(text, i); // generic instantiation
        return { expr: text.slice(start, i), end: i };
    }
}

/** Parses a type expression's text into a node. */
function parseType(expr) {
    const t = expr.trim();
    if (t.startsWith("*")) return parseType(t.slice(1));
    if (t.startsWith("[")) {
        const close = matchBracket(t, 0);
        return { kind: "list", elem: parseType(t.slice(close)) };
    }
    if (/^map\s*\[/.test(t)) {
        const open = t.indexOf("[");
        const close = matchBracket(t, open);
        return { kind: "map", elem: parseType(t.slice(close)) };
    }
    if (/^struct\s*\{/.test(t)) {
        const open = t.indexOf("{");
        return { kind: "struct", fields: parseFields(t.slice(open + 1, matchBracket(t, open) - 1)) };
    }
    if (/^interface\s*\{/.test(t) || t === "any") return { kind: "opaque", goType: t.replace(/\s+/g, " ") };
    if (/^(func|chan)\b/.test(t)) return { kind: "skip" };
    const name = t.replace(/\[.*$/, "");
    if (name.includes(".")) return { kind: "opaque", goType: name };
    if (BUILTIN_SCALARS.has(name)) return { kind: "scalar", goType: name };
    return { kind: "named", name };
}

/** Splits a struct body into field declarations and parses each. */
function parseFields(body) {
    const decls = [];
    let current = "";
    for (let i = 0; i < body.length; i++) {
        const c = body[i];
        if (c === "{" || c === "[" || c === "(") {
            const end = matchBracket(body, i);
            current += body.slice(i, end);
            i = end - 1;
        } else if (c === "`" || c === '"') {
            const end = c === "`" ? body.indexOf("`", i + 1) : (() => {
                let j = i + 1;
                while (body[j] !== '"') j += body[j] === "\\" ? 2 : 1;
                return j;
            })();
            current += body.slice(i, end + 1);
            i = end;
        } else if (c === "\n" || c === ";") {
            if (current.trim()) decls.push(current.trim());
            current = "";
        } else {
            current += c;
        }
    }
    if (current.trim()) decls.push(current.trim());

    const fields = [];
    for (const decl of decls) {
        let rest = decl;
        let tag = "";
        const tagMatch = /(`[^`]*`|"(?:[^"\\]|\\.)*")\s*$/.exec(rest);
        if (tagMatch) {
            tag = tagMatch[1].startsWith("`") ? tagMatch[1].slice(1, -1) : JSON.parse(tagMatch[1]);
            rest = rest.slice(0, tagMatch.index).trim();
        }
        const named = /^([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s+(\S[\s\S]*)$/.exec(rest);
        if (named && !/^(struct|interface|map|func|chan)$/.test(named[1])) {
            const type = parseType(named[2]);
            for (const n of named[1].split(",").map((s) => s.trim())) fields.push({ name: n, embedded: false, type, tag });
        } else {
            const type = parseType(rest);
            const base = rest.replace(/^\*/, "").replace(/\[.*$/, "");
            fields.push({ name: base.split(".").pop(), embedded: true, type, tag });
        }
    }
    return fields;
}

/** Collects the package's named type declarations: name -> parsed type node. */
function collectTypes(dir) {
    const types = new Map();
    const files = readdirSync(dir).filter((f) => f.endsWith(".go") && !f.endsWith("_test.go")).sort();
    for (const file of files) {
        const text = stripComments(readFileSync(join(dir, file), "utf8"));
        let depth = 0;
        for (let i = 0; i < text.length; i++) {
            const c = text[i];
            if (c === "`" || c === '"' || c === "'") {
                if (c === "`") i = text.indexOf("`", i + 1);
                else { let j = i + 1; while (text[j] !== c) j += text[j] === "\\" ? 2 : 1; i = j; }
                continue;
            }
            if (c === "{" || c === "(") { depth++; continue; }
            if (c === "}" || c === ")") { depth--; continue; }
            if (depth !== 0 || !/^type\b/.test(text.slice(i, i + 5)) || /\w/.test(text[i - 1] ?? "")) continue;
            let j = i + 4;
            while (/\s/.test(text[j])) j++;
            if (text[j] === "(") {
                const end = matchBracket(text, j);
                readSpecs(text.slice(j + 1, end - 1), types);
                i = end - 1;
            } else {
                i = readSpec(text, j, types) - 1;
            }
        }
    }
    return types;
}

function readSpecs(group, types) {
    let j = 0;
    while (j < group.length) {
        while (j < group.length && /[\s;]/.test(group[j])) j++;
        if (j >= group.length) break;
        j = readSpec(group, j, types);
    }
}

/** Reads `Name [TypeParams] [=] TypeExpr` at `pos`; returns the end index. */
function readSpec(text, pos, types) {
    const m = /^([A-Za-z_]\w*)/.exec(text.slice(pos));
    if (!m) throw new Error(`bad type declaration at: ${text.slice(pos, pos + 40)}`);
    let i = pos + m[0].length;
    while (text[i] === " " || text[i] === "\t") i++;
    if (text[i] === "[" && /^\[\s*[A-Za-z_]\w*\s+[^\]]/.test(text.slice(i))) i = matchBracket(text, i); // type params
    while (text[i] === " " || text[i] === "\t") i++;
    if (text[i] === "=") i++;
    const { expr, end } = readTypeExpr(text, i);
    types.set(m[1], parseType(expr));
    return end;
}

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
