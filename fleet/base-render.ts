/**
 * The base side of a fleet diff: the fleet as a git ref had it. With the working tree's dependencies the base's own
 * program is rendered in this process; with other dependencies each stack is rendered by the base's own render
 * command (its package.json `render` script, whatever file that names at the base) and read back through the
 * render contract.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { resourcesFileSchema, type RenderResult } from "../render";
import { installDependencies, type BaseTree } from "./git-base";
import { renderFleet, undescribedStack, type FleetRender, type FleetStackReport } from "./render";
import { findStackFiles, listStackFiles } from "./stack-files";

/**
 * The node arguments of the base's `npm run render` (`node -r ./tools/register.js tools/<file>.ts`): read from the
 * base's package.json, since the render CLI's file has moved between commits (tools/render-cli.ts before the fleet got
 * a room of its own, tools/render.ts after).
 */
export function baseRenderCommand(baseDir: string): string[] {
    const manifest = JSON.parse(fs.readFileSync(path.join(baseDir, "package.json"), "utf8")) as { scripts?: Record<string, string> };
    const script = manifest.scripts?.render ?? "";
    const words = script.trim().split(/\s+/);
    if (words[0] !== "node" || words.length < 2 || !/\.(ts|js)$/.test(words[words.length - 1]) || words[words.length - 2] === "-r") {
        throw new Error(`the base's package.json has no render script of the form "node [options] <file>" (got ${JSON.stringify(script)})`);
    }
    return words.slice(1);
}

/** Runs a command in `cwd` to the end; resolves with its exit code and stderr. */
function run(command: string, args: readonly string[], cwd: string): Promise<{ code: number | null; stderr: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
        let stderr = "";
        child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
            stderr += chunk;
        });
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stderr }));
    });
}

/**
 * The base's fleet when its dependencies differ from the working tree's: its program must load its own SDK, which
 * this process cannot give it, so each stack is rendered by the base's own render CLI (installed first) and read back
 * through the render contract. Not policy-checked: only a diff is asked of the base.
 */
async function renderWithOwnCli(base: BaseTree, stacksDir: string): Promise<FleetRender> {
    await installDependencies(base.dir);
    const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-diff-base-"));
    const stacks: FleetStackReport[] = [];
    const renders = new Map<string, RenderResult>();
    try {
        for (const { stack, file } of listStackFiles(stacksDir)) {
            const out = path.join(scratch, stack);
            const result = await run(process.execPath, [...baseRenderCommand(base.dir), "--stack", stack, "--config-file", file, "--out", out, "--quiet", "--no-graph"], base.dir);
            if (result.code !== 0) {
                stacks.push({ ...undescribedStack(stack, file), error: result.stderr.trim().replace(/^error: /, "") });
                continue;
            }
            const resources = resourcesFileSchema.parse(JSON.parse(fs.readFileSync(path.join(out, "resources.json"), "utf8")));
            renders.set(stack, { settings: { project: "", stack, config: {}, secretKeys: [] }, resources, outputs: {} });
            stacks.push({ ...undescribedStack(stack, file), resources: resources.length });
        }
    } finally {
        fs.rmSync(scratch, { recursive: true, force: true });
    }
    return { report: { stacksDir, maxParallelPerRing: 0, stacks, rings: [], problems: [] }, renders };
}

/** The base's fleet: none when the base has no such stacks directory (every stack is then new). */
export async function renderBase(base: BaseTree, relativeStacksDir: string): Promise<FleetRender> {
    const stacksDir = path.join(base.dir, relativeStacksDir);
    if (findStackFiles(stacksDir).length === 0) {
        return { report: { stacksDir, maxParallelPerRing: 0, stacks: [], rings: [], problems: [] }, renders: new Map() };
    }
    if (!base.sameDependencies) {
        return renderWithOwnCli(base, stacksDir);
    }
    // Not policy-checked: only its resources are compared (the working tree's side is checked).
    return renderFleet({ projectDir: base.dir, stacksDir, parseConfig: false, policyCheck: false });
}

/** Error texts and file names of the base name the ref, not the temporary copy. */
export function asRef(fleet: FleetRender, base: BaseTree, ref: string): FleetRender {
    const rename = (text: string): string => text.split(base.dir + path.sep).join(`${ref}:`);
    const stacks = fleet.report.stacks.map((stack) => ({ ...stack, file: rename(stack.file), error: stack.error === null ? null : rename(stack.error) }));
    return { ...fleet, report: { ...fleet.report, stacks } };
}
