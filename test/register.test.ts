/**
 * tools/register.js, the TypeScript loader of every npm script and of mocha: the JavaScript it runs is
 * exactly what `ts-node --transpile-only` (the loader it replaced, and the Pulumi CLI's) makes of the same
 * file, its on-disk cache is keyed by content, a warm start never loads the compiler, and stack traces
 * name .ts lines.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tsNode from "ts-node";

const PROJECT_DIR = path.join(__dirname, "..");
const REGISTER = path.join(PROJECT_DIR, "tools", "register.js");

interface CacheEntry {
    readonly code: string;
    readonly map: string;
}

/** Runs `node -r tools/register.js -e script` with its own cache directory; returns stdout, stderr and exit status. */
function runWithHook(cacheDir: string, script: string): { stdout: string; stderr: string; status: number | null } {
    const result = spawnSync(process.execPath, ["-r", REGISTER, "-e", script], {
        cwd: PROJECT_DIR,
        encoding: "utf8",
        env: { ...process.env, TS_TRANSPILE_CACHE: cacheDir },
    });
    return { stdout: result.stdout, stderr: result.stderr, status: result.status };
}

function cacheEntries(cacheDir: string): CacheEntry[] {
    if (!fs.existsSync(cacheDir)) {
        return [];
    }
    return fs.readdirSync(cacheDir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
        .map((entry) => JSON.parse(fs.readFileSync(path.join(entry.parentPath, entry.name), "utf8")) as CacheEntry);
}

function withoutSourceMapComment(code: string): string {
    return code.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");
}

describe("tools/register.js (the TypeScript loader)", function () {
    this.timeout(120_000);
    let scratch: string;

    beforeEach(() => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "register-test-"));
    });
    afterEach(() => {
        fs.rmSync(scratch, { recursive: true, force: true });
    });

    // The dynamic providers' code is serialized from its JavaScript text: it must be ts-node's text.
    for (const file of ["components/chains/key-pair.ts", "components/operator/readiness-provider.ts", "components/operator/readiness-wait.ts", "components/operator/readiness-polling.ts", "render/recorder.ts", "tools/render.ts"]) {
        it(`runs the same JavaScript as ts-node --transpile-only for ${file}`, () => {
            const cacheDir = path.join(scratch, "cache");
            const full = path.join(PROJECT_DIR, file);
            // Transpiling one module: load it through the hook's extension handler without running its imports.
            const script = `const Module = require("node:module"); const m = new Module(${JSON.stringify(full)});
                m._compile = () => {}; Module._extensions[".ts"](m, ${JSON.stringify(full)});`;
            const result = runWithHook(cacheDir, script);
            assert.equal(result.status, 0, result.stderr);
            const entries = cacheEntries(cacheDir);
            assert.equal(entries.length, 1);
            const service = tsNode.create({ transpileOnly: true, project: path.join(PROJECT_DIR, "tsconfig.json") });
            const expected = withoutSourceMapComment(service.compile(fs.readFileSync(full, "utf8"), full));
            assert.equal(entries[0].code, expected);
        });
    }

    it("transpiles a file once per content, wherever it is, and never loads TypeScript on a warm start", () => {
        const cacheDir = path.join(scratch, "cache");
        const source = path.join(scratch, "answer.ts");
        const script = `const value = require(${JSON.stringify(source)}).answer;
            const compilerLoaded = Object.keys(require.cache).some((file) => file.endsWith(require("node:path").join("typescript", "lib", "typescript.js")));
            process.stdout.write(JSON.stringify({ value, compilerLoaded }));`;
        fs.writeFileSync(source, "export const answer: number = 41;\n");

        const cold = runWithHook(cacheDir, script);
        assert.equal(cold.status, 0, cold.stderr);
        assert.deepEqual(JSON.parse(cold.stdout), { value: 41, compilerLoaded: true });
        assert.equal(cacheEntries(cacheDir).length, 1);

        const warm = runWithHook(cacheDir, script);
        assert.equal(warm.status, 0, warm.stderr);
        assert.deepEqual(JSON.parse(warm.stdout), { value: 41, compilerLoaded: false });
        assert.equal(cacheEntries(cacheDir).length, 1);

        // A copy elsewhere (the base of a fleet diff is a copy of the project) is the same content: no transpile.
        const copy = path.join(scratch, "elsewhere", "answer.ts");
        fs.mkdirSync(path.dirname(copy));
        fs.copyFileSync(source, copy);
        const copied = runWithHook(cacheDir, script.replace(JSON.stringify(source), JSON.stringify(copy)));
        assert.deepEqual(JSON.parse(copied.stdout), { value: 41, compilerLoaded: false }, copied.stderr);
        assert.equal(cacheEntries(cacheDir).length, 1);

        fs.writeFileSync(source, "export const answer: number = 42;\n");
        const edited = runWithHook(cacheDir, script);
        assert.equal(edited.status, 0, edited.stderr);
        assert.deepEqual(JSON.parse(edited.stdout), { value: 42, compilerLoaded: true });
        assert.equal(cacheEntries(cacheDir).length, 2);
    });

    it("reports .ts lines in stack traces, past type-only lines the JavaScript does not have", () => {
        const source = path.join(scratch, "throws.ts");
        fs.writeFileSync(source, [
            "interface Shape {",
            "    readonly sides: number;",
            "}",
            "const square: Shape = { sides: 4 };",
            "export function fail(): never {",
            "    throw new Error(`sides: ${square.sides}`);",
            "}",
            "",
        ].join("\n"));
        for (const attempt of ["cold", "warm"]) {
            const result = runWithHook(path.join(scratch, "cache"), `try { require(${JSON.stringify(source)}).fail(); } catch (error) { process.stdout.write(error.stack); }`);
            assert.equal(result.status, 0, result.stderr);
            assert.match(result.stdout, new RegExp(`fail \\(${source.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:6:11\\)`), `${attempt}: ${result.stdout}`);
        }
    });
});
