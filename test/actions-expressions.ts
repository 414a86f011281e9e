/**
 * GitHub's expression evaluator (@actions/expressions) as the deploy rollout simulation (test/deploy-simulation.ts)
 * uses it: `${{ }}` in a workflow's values and `if:` conditions, evaluated against the run's contexts and status.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type * as Expressions from "@actions/expressions" with { "resolution-mode": "import" };
import { PROJECT_DIR } from "../render";

export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

// ESM-only; this file is transpiled to CommonJS, so a real dynamic import

type ExpressionsModule = typeof Expressions;
let expressions: ExpressionsModule | undefined;
const importModule = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<unknown>;

const CONTEXTS = ["github", "inputs", "needs", "matrix", "steps", "vars", "secrets", "env", "jobs", "strategy", "runner"];
const STATUS_FUNCTIONS = ["success", "failure", "always", "cancelled"];

export interface Status { readonly success: boolean; readonly failure: boolean; readonly cancelled: boolean }
export type Contexts = Readonly<Record<string, Json>>;

/** Loads the evaluator (a mocha `before` hook of the tests that evaluate expressions) and checks it evaluates. */
export async function loadExpressions(): Promise<void> {
    const entry = path.join(PROJECT_DIR, "node_modules", "@actions", "expressions", "dist", "index.js");
    expressions = (await importModule(pathToFileURL(entry).href)) as ExpressionsModule;
    assert.equal(evaluate("fromJSON('[1,2]')[1] == 2 && success()", {}, { success: true, failure: false, cancelled: false }), true);
}

export function evaluate(expression: string, contexts: Contexts, status: Status): Json {
    const lib = expressions;
    assert.ok(lib, "@actions/expressions not loaded");
    const lexed = new lib.Lexer(expression).lex();
    const statusInfo = STATUS_FUNCTIONS.map((name) => ({ name, minArgs: 0, maxArgs: 0 }));
    const tree = new lib.Parser(lexed.tokens, CONTEXTS, statusInfo).parse();
    const values: Record<string, boolean> = { success: status.success, failure: status.failure, always: true, cancelled: status.cancelled };
    const functions = new Map(STATUS_FUNCTIONS.map((name) => [name, { name, minArgs: 0, maxArgs: 0, call: () => new lib.data.BooleanData(values[name] ?? false) }]));
    const context = JSON.parse(JSON.stringify(contexts), lib.data.reviver) as Expressions.data.Dictionary;
    const result = new lib.Evaluator(tree, context, functions).evaluate();
    return JSON.parse(JSON.stringify(result, lib.data.replacer) ?? "null") as Json;
}

const TEMPLATE = /\$\{\{(.*?)\}\}/gs;

/** A YAML value with `${{ }}`: a lone expression keeps its type, text around expressions makes a string. */
export function interpolate(value: Json, contexts: Contexts, status: Status): Json {
    if (typeof value !== "string") return value;
    const lone = /^\s*\$\{\{(.*)\}\}\s*$/s.exec(value);
    if (lone && !lone[1]?.includes("}}")) return evaluate(lone[1] ?? "", contexts, status);
    return value.replace(TEMPLATE, (_, inner: string) => {
        const result = evaluate(inner, contexts, status);
        return result === null ? "" : typeof result === "object" ? JSON.stringify(result) : String(result);
    });
}

/** `if:` as GitHub reads it: `${{ }}` optional, and `success() &&` implied unless a status function is called. */
export function condition(raw: string | boolean | undefined, contexts: Contexts, status: Status): boolean {
    if (typeof raw === "boolean") return raw && status.success;
    const text = (raw ?? "success()").trim().replace(/^\$\{\{(.*)\}\}$/s, "$1");
    const withStatus = new RegExp(`\\b(${STATUS_FUNCTIONS.join("|")})\\s*\\(`).test(text) ? text : `success() && (${text})`;
    const result = evaluate(withStatus, contexts, status);
    return result !== null && result !== false && result !== 0 && result !== "";
}
