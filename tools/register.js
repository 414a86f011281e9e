// @ts-check
/**
 * `node -r ./tools/register.js file.ts`: runs the project's TypeScript the way `ts-node --transpile-only`
 * does (TypeScript's own `transpileModule`, the compiler options of tsconfig.json's "ts-node" section), with
 * each file's output cached on disk by content, wherever the file is: a file is transpiled once after it changes,
 * and a start with a warm cache costs what a precompiled build costs. The TypeScript compiler is loaded only on
 * a cache miss.
 *
 * Why TypeScript and not esbuild or swc: the output is the same JavaScript ts-node gives `pulumi up` (the
 * Pulumi CLI's loader), so the render runs the program as the engine would, and the dynamic providers' code
 * that Pulumi serializes from function text is the same text; with the cache the transpiler's speed only
 * matters after an edit. Stack traces point at the .ts lines (source-map-support, as ts-node installs it).
 *
 * The cache lives in node_modules/.cache/ts-transpile (never committed; `npm ci` starts it afresh). Each
 * entry is keyed by the file's content and extension, the TypeScript version, tsconfig.json and this file.
 */
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const path = require("node:path");

const PROJECT_DIR = path.resolve(__dirname, "..");
const CACHE_DIR = process.env.TS_TRANSPILE_CACHE || path.join(PROJECT_DIR, "node_modules", ".cache", "ts-transpile");
const TSCONFIG = path.join(PROJECT_DIR, "tsconfig.json");

/** What every entry's key starts with: whatever, besides the file itself, changes the output. */
const salt = crypto.createHash("sha256")
    .update(fs.readFileSync(__filename))
    .update(fs.readFileSync(TSCONFIG))
    .update(fs.readFileSync(require.resolve("typescript/package.json")))
    .digest("hex");

/** @type {{ ts: typeof import("typescript"); options: import("typescript").CompilerOptions } | undefined} */
let compiler;

/** TypeScript and the options ts-node would use: tsconfig.json's compilerOptions under its "ts-node" overrides. */
function loadCompiler() {
    if (!compiler) {
        const ts = require("typescript");
        const read = ts.readConfigFile(TSCONFIG, ts.sys.readFile);
        if (read.error) {
            throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, "\n"));
        }
        const config = read.config;
        const json = { ...config.compilerOptions, ...config["ts-node"]?.compilerOptions };
        const converted = ts.convertCompilerOptionsFromJson(json, PROJECT_DIR, TSCONFIG);
        // As ts-node does: output goes to memory, so no output layout (outDir, rootDir) or build-info options.
        const { outDir, rootDir, declarationDir, tsBuildInfoFile, incremental, composite, ...options } = converted.options;
        void [outDir, rootDir, declarationDir, tsBuildInfoFile, incremental, composite];
        compiler = { ts, options: { ...options, sourceMap: true, inlineSourceMap: false, inlineSources: false, declaration: false, noEmit: false } };
    }
    return compiler;
}

/** In-memory source maps of the files this process loaded, for stack traces. */
const sourceMaps = new Map();

/**
 * Transpiles as if the file were `module<extension>`: the JavaScript depends on the content and the extension alone, so
 * a copy of the project elsewhere (the base of a fleet diff) finds its files in the cache. The source map is keyed to
 * the real file when it is loaded (withSource).
 */
function transpile(source, extension) {
    const { ts, options } = loadCompiler();
    const output = ts.transpileModule(source, { fileName: `module${extension}`, compilerOptions: options, reportDiagnostics: false });
    const code = output.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");
    const { sources, file, ...map } = JSON.parse(output.sourceMapText ?? "{}");
    void [sources, file];
    return { code, map };
}

/** The source map of a cache entry for the file it was loaded from, as source-map-support reads it. */
function withSource(map, filename) {
    return JSON.stringify({ ...map, file: `${path.basename(filename, path.extname(filename))}.js`, sourceRoot: "", sources: [filename] });
}

/** The cached output for this file's content, transpiling (and caching) on a miss. */
function compiled(source, filename) {
    const extension = path.extname(filename);
    const key = crypto.createHash("sha256").update(salt).update("\0").update(extension).update("\0").update(source).digest("hex");
    const file = path.join(CACHE_DIR, key.slice(0, 2), `${key}.json`);
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch {
        // A miss (or an unreadable entry): transpile and store.
    }
    const entry = transpile(source, extension);
    try {
        fs.mkdirSync(path.dirname(file), { recursive: true });
        const temporary = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, JSON.stringify(entry));
        fs.renameSync(temporary, file);
    } catch {
        // A read-only or full disk only costs the next start a transpile.
    }
    return entry;
}

// Node's on-disk V8 code cache (Node ≥ 22.1) for every module this process compiles, the SDK's included: a render's
// start-up spends most of its time compiling the SDK's JavaScript, the same bytes every time (0.86 → 0.63 s for a cold
// prod render). Entries are keyed by each file's content; a stale or broken one is ignored by Node.
if (typeof Module.enableCompileCache === "function" && process.env.NODE_COMPILE_CACHE === undefined) {
    Module.enableCompileCache(path.join(PROJECT_DIR, "node_modules", ".cache", "node-compile"));
}

const loadJs = Module._extensions[".js"];
Module._extensions[".ts"] = function loadTs(module, filename) {
    if (filename.split(path.sep).includes("node_modules")) {
        // Like ts-node: packages ship JavaScript; a .ts file in node_modules is not compiled.
        return loadJs(module, filename);
    }
    const entry = compiled(fs.readFileSync(filename, "utf8"), filename);
    sourceMaps.set(filename, withSource(entry.map, filename));
    module._compile(entry.code, filename);
};

// Stack traces in .ts lines, as under ts-node. source-map-support (the SDK's own dependency) is loaded on
// the first stack trace that is formatted, not at start-up.
function prepareStackTrace(error, frames) {
    const support = require("source-map-support");
    support.install({
        environment: "node",
        handleUncaughtExceptions: false,
        retrieveSourceMap: (source) => (sourceMaps.has(source) ? { url: source, map: sourceMaps.get(source) } : null),
    });
    if (Error.prepareStackTrace === prepareStackTrace) {
        throw new Error("source-map-support did not install");
    }
    return Error.prepareStackTrace(error, frames);
}
Error.prepareStackTrace = prepareStackTrace;
