/**
 * The house's rules, read from the code's own imports (TypeScript's `preProcessFile`, the scanner tsc itself uses
 * for import, export, require and import() with a literal path): which room may import which, no import cycle, the
 * CLIs in tools/, and no source file over 300 lines. docs/architecture.md draws the same plan.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { PROJECT_DIR } from "../render";

/**
 * Each room and the rooms it may import, top floor first. A room is a top-level folder, or a file at the top. The
 * program (index.ts) is loaded by path by the render (render/recorder.ts renderStack), never imported.
 */
export const ROOMS: Readonly<Record<string, readonly string[]>> = {
    tools: ["bench", "adopt", "fleet", "index", "service-args", "components", "stacks", "analyzer", "render", "policy", "lib"],
    bench: ["fleet", "analyzer", "render", "stacks", "lib"],
    adopt: ["render", "stacks", "lib"],
    fleet: ["analyzer", "render", "stacks", "policy", "lib"],
    index: ["service-args", "components", "stacks", "lib"],
    "service-args": ["components", "stacks", "lib"],
    components: ["lib"],
    stacks: ["lib"],
    analyzer: ["render", "policy", "lib"],
    render: ["lib"],
    policy: [],
    lib: [],
};

const CODE = /\.(ts|js|mjs|cjs|sh)$/;
const MAX_LINES = 300;

/** Every code file of the project (tests included), relative to the project, in a stable order. */
function codeFiles(): string[] {
    const skip = new Set(["node_modules", "out", "bin", ".git"]);
    const files: string[] = [];
    const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(path.join(PROJECT_DIR, dir), { withFileTypes: true })) {
            const relative = path.join(dir, entry.name);
            if (entry.isDirectory() && !skip.has(entry.name) && !entry.name.startsWith(".analyzer-test-pack-")) {
                walk(relative);
            } else if (entry.isFile() && CODE.test(entry.name)) {
                files.push(relative);
            }
        }
    };
    walk(".");
    return files.map((file) => file.split(path.sep).join("/")).sort();
}

/** The room of a project file: its top-level folder, or the file's name without extension at the top. */
function roomOf(file: string): string {
    const [first, ...rest] = file.split("/");
    return rest.length === 0 ? first.replace(/\.\w+$/, "") : first;
}

/** The project file a relative specifier of `from` names (with the extension or index file it resolves to). */
function resolveSpecifier(from: string, specifier: string): string | undefined {
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
    for (const candidate of [target, `${target}.ts`, `${target}.js`, `${target}/index.ts`]) {
        if (fs.existsSync(path.join(PROJECT_DIR, candidate)) && fs.statSync(path.join(PROJECT_DIR, candidate)).isFile()) {
            return candidate;
        }
    }
    return undefined;
}

interface Import {
    readonly from: string;
    readonly to: string;
}

/** The project-internal imports of the TypeScript and JavaScript sources outside test/. */
function sourceImports(): Import[] {
    const imports: Import[] = [];
    for (const file of codeFiles().filter((name) => !name.startsWith("test/") && /\.(ts|js|mjs)$/.test(name))) {
        const info = ts.preProcessFile(fs.readFileSync(path.join(PROJECT_DIR, file), "utf8"), true, true);
        for (const { fileName } of info.importedFiles) {
            if (fileName.startsWith(".")) {
                const to = resolveSpecifier(file, fileName);
                assert.ok(to !== undefined, `${file} imports ${fileName}, which names no file of the project`);
                imports.push({ from: file, to });
            }
        }
    }
    return imports;
}

/** The strongly connected components of more than one file (or a file importing itself): the import cycles. */
function cycles(imports: readonly Import[]): string[][] {
    const edges = new Map<string, string[]>();
    for (const { from, to } of imports) {
        edges.set(from, [...(edges.get(from) ?? []), to]);
    }
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const found: string[][] = [];
    const visit = (node: string): void => {
        index.set(node, index.size);
        low.set(node, index.get(node) as number);
        stack.push(node);
        onStack.add(node);
        for (const next of edges.get(node) ?? []) {
            if (!index.has(next)) {
                visit(next);
                low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
            } else if (onStack.has(next)) {
                low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
            }
        }
        if (low.get(node) === index.get(node)) {
            const component: string[] = [];
            let member: string;
            do {
                member = stack.pop() as string;
                onStack.delete(member);
                component.push(member);
            } while (member !== node);
            if (component.length > 1 || (edges.get(node) ?? []).includes(node)) {
                found.push(component.sort());
            }
        }
    };
    for (const node of [...edges.keys()].sort()) {
        if (!index.has(node)) {
            visit(node);
        }
    }
    return found;
}

describe("the house's rules (imports read from the code)", () => {
    const imports = sourceImports();

    it("every source file lives in a room of the plan", () => {
        const strays = codeFiles().filter((file) => !file.startsWith("test/") && !file.startsWith(".") && !(roomOf(file) in ROOMS)
            && !["eslint.config.mjs"].includes(file));
        assert.deepEqual(strays, [], "add the room to ROOMS (and docs/architecture.md) or move the files into one");
    });

    it("the plan itself runs one way: no room may reach itself through the rooms it may import", () => {
        const reaches = (room: string, seen = new Set<string>()): Set<string> => {
            for (const next of ROOMS[room] ?? []) {
                if (!seen.has(next)) {
                    seen.add(next);
                    reaches(next, seen);
                }
            }
            return seen;
        };
        assert.deepEqual(Object.keys(ROOMS).filter((room) => reaches(room).has(room)), []);
    });

    it("no import runs from a room to one it may not import (lib/ only lib/, render/ none of analyzer/, stacks/, policy/, components/, fleet/ and adopt/ never components/)", () => {
        const wrong = imports.filter(({ from, to }) => roomOf(from) !== roomOf(to) && !(ROOMS[roomOf(from)] ?? []).includes(roomOf(to)))
            .map(({ from, to }) => `${from} → ${to}`);
        assert.deepEqual(wrong, []);
    });

    it("there is no import cycle between files", () => {
        assert.deepEqual(cycles(imports), []);
    });

    it("nothing but tools/ imports a CLI, and every file of tools/ is the command of the npm script of its name", () => {
        assert.deepEqual(imports.filter(({ from, to }) => to.startsWith("tools/") && !from.startsWith("tools/")).map(({ from, to }) => `${from} → ${to}`), []);
        const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as { scripts: Record<string, string> };
        const commands = new Map<string, string>();
        for (const [script, command] of Object.entries(manifest.scripts)) {
            const file = /^node -r \.\/tools\/register\.js (\S+)$/.exec(command)?.[1];
            if (file !== undefined) {
                commands.set(file, script);
            }
        }
        // A script `a:b` runs tools/a-b.ts; the shared CLI helpers (cli.ts), the loader (register.js) and the scripts
        // run by hand or by a workflow (their own header says how) are the rest of tools/.
        for (const [file, script] of commands) {
            assert.equal(file, `tools/${script.replace(/:/g, "-")}.ts`, `npm run ${script}`);
        }
        const notCommands = codeFiles().filter((file) => file.startsWith("tools/") && !commands.has(file));
        assert.deepEqual(notCommands, ["tools/cli.ts", "tools/extract-tektonconfig-keys.mjs", "tools/go-types.mjs", "tools/policy-publish.sh", "tools/register.js"]);
    });

    it(`no code file has more than ${MAX_LINES} lines (tests included)`, () => {
        const long = codeFiles().map((file) => ({ file, lines: fs.readFileSync(path.join(PROJECT_DIR, file), "utf8").split("\n").length - 1 }))
            .filter(({ lines }) => lines > MAX_LINES).map(({ file, lines }) => `${file} (${lines})`);
        assert.deepEqual(long, []);
    });

    it("catches what it is meant to catch: an upward import, a cycle, a stray", () => {
        assert.deepEqual(cycles([{ from: "a.ts", to: "b.ts" }, { from: "b.ts", to: "c.ts" }, { from: "c.ts", to: "a.ts" }, { from: "c.ts", to: "d.ts" }]), [["a.ts", "b.ts", "c.ts"]]);
        assert.deepEqual(cycles([{ from: "a.ts", to: "b.ts" }, { from: "b.ts", to: "c.ts" }]), []);
        assert.equal(roomOf("render/fleet.ts"), "render");
        assert.equal((ROOMS.render ?? []).includes(roomOf("analyzer/check.ts")), false);
        assert.equal((ROOMS.lib ?? []).includes(roomOf("render/contract.ts")), false);
        assert.equal(resolveSpecifier("tools/render.ts", "../render"), "render/index.ts");
    });
});
