/**
 * A policy pack transpiled to JavaScript, for the tools that check many renders in one go (`npm run fleet`,
 * `fleet:diff`). `pulumi preview --policy-pack` starts a TypeScript pack under ts-node with `typeCheck: true`
 * (@pulumi/pulumi `cmd/run-policy-pack/run.js` run()), which costs seconds on every start; the pack's types are
 * checked by `npm test`'s tsc instead, and the JavaScript here is what that type check would have emitted
 * (TypeScript's own transpileModule). The pack then runs under the same @pulumi/policy runtime, over the same
 * Analyzer protocol. `npm run policy:check` keeps the CLI's exact start.
 *
 * Output lives in `<project>/node_modules/.cache/policy-pack/<hash>/`, keyed by the pack's files and the TypeScript
 * version, so @pulumi/policy resolves from the project's node_modules as it does for the pack itself.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as Typescript from "typescript";

/** The files that make a pack: its TypeScript, its PulumiPolicy.yaml and package.json. */
function packFiles(packDir: string): string[] {
    return fs.readdirSync(packDir).filter((file) => (file.endsWith(".ts") && !file.endsWith(".d.ts")) || file === "PulumiPolicy.yaml" || file === "package.json").sort();
}

/** The directory of `packDir` transpiled (made on first use for these files' content). */
export function transpiledPack(packDir: string): string {
    const files = packFiles(packDir);
    // The compiler's version from its package.json: loading TypeScript itself costs a third of a second.
    const hash = createHash("sha256").update(fs.readFileSync(require.resolve("typescript/package.json")));
    for (const file of files) {
        hash.update(`\0${file}\0`).update(fs.readFileSync(path.join(packDir, file)));
    }
    const cacheRoot = path.join(packDir, "..", "node_modules", ".cache", "policy-pack");
    const target = path.join(cacheRoot, hash.digest("hex").slice(0, 32));
    if (fs.existsSync(path.join(target, "PulumiPolicy.yaml"))) {
        return target;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require("typescript") as typeof Typescript;
    fs.mkdirSync(cacheRoot, { recursive: true });
    const building = fs.mkdtempSync(path.join(cacheRoot, "building-"));
    for (const file of files) {
        const source = fs.readFileSync(path.join(packDir, file), "utf8");
        if (file === "package.json") {
            const manifest = JSON.parse(source) as Record<string, unknown>;
            fs.writeFileSync(path.join(building, file), JSON.stringify({ ...manifest, main: "index.js" }, null, 2));
        } else if (file.endsWith(".ts")) {
            const output = ts.transpileModule(source, {
                fileName: file,
                compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, strict: true },
            });
            fs.writeFileSync(path.join(building, file.replace(/\.ts$/, ".js")), output.outputText);
        } else {
            fs.writeFileSync(path.join(building, file), source);
        }
    }
    try {
        fs.renameSync(building, target);
    } catch {
        // Another process made it first: theirs is the same content.
        fs.rmSync(building, { recursive: true, force: true });
    }
    return target;
}
