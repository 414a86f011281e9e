// Reads the named type declarations of one Go package from its source files, without a Go toolchain, for
// tools/extract-tektonconfig-keys.mjs: comments stripped, every top-level `type` declaration (grouped or not,
// generic or not) parsed into a node: struct (its fields: name, embedded, tag and type), list, map, named (a type
// of the package, resolved by the caller), scalar (a builtin), opaque (another package's type or an interface),
// skip (func, chan).

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
export function collectTypes(dir) {
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
