/**
 * `npm run fleet:diff -- --base <git-ref> [--stacks-dir <dir>] [--json] [--markdown <file>]`: what the working tree
 * changes in each stack of the fleet against a git ref (see `--help`). Exit codes: 0 every stack compared (changed
 * or not), 1 a stack does not render on a side, 2 bad arguments or a ref that names no commit.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    compareFleets, findStackFiles, formatFleetDiff, formatFleetDiffMarkdown, installDependencies, listStackFiles, materializeRef, PROJECT_DIR, RenderError, renderFleet, undescribedStack,
    resourcesFileSchema, type BaseTree, type FleetOptions, type FleetRender, type FleetStackReport, type RenderResult,
} from "../render";
import { commandLineOrExit, EXIT_USAGE, parseCommandLine, renderFailureExit, runCli, UsageError } from "./cli";

export const USAGE = `usage: npm run fleet:diff -- --base <git-ref> [--stacks-dir <dir>] [--json] [--markdown <file>]

Renders every Pulumi.<stack>.yaml offline at <git-ref> and in the working tree (uncommitted changes included)
and prints, per stack, the resources a pulumi up would create, update or delete, with each update's changed
input paths (secret values only as [secret]), then which rings and stacks change. The base is a clean copy
of the ref (git archive); the work tree, index and stash are never touched. Needs no credentials.

  --base <git-ref>    branch, tag or commit to compare against (fetched: e.g. origin/main)
  --stacks-dir <dir>  where the stack files are (default: the project directory; the same path at the base)
  --json              print {"base", "stacks": [{"stack", "ring", "changes": [{"urn", "type", "name", "op", "paths"}]}]}
  --markdown <file>   also write the diff as Markdown (e.g. "$GITHUB_STEP_SUMMARY")
  -h, --help          show this help

Exit codes: 0 every stack compared, changed or not; 1 a stack does not render at the base or in the working
tree (the others are still shown); 2 bad arguments, a ref that names no commit, or a policy pack that does
not start.`;

function options(argv: readonly string[]) {
    const { values } = parseCommandLine({
        args: [...argv],
        options: {
            base: { type: "string" },
            "stacks-dir": { type: "string" },
            json: { type: "boolean", default: false },
            markdown: { type: "string" },
            help: { type: "boolean", short: "h", default: false },
        },
    });
    if (values.base === undefined && values.help !== true) {
        throw new UsageError("--base <git-ref> is required: the ref to compare the working tree against (e.g. origin/main)");
    }
    return { ...values, base: values.base ?? "" };
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
            const result = await run(process.execPath, ["-r", "./tools/register.js", "tools/render-cli.ts", "--stack", stack, "--config-file", file, "--out", out, "--quiet", "--no-graph"], base.dir);
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
async function renderBase(base: BaseTree, relativeStacksDir: string, fleetOptions: Pick<FleetOptions, "session">): Promise<FleetRender> {
    const stacksDir = path.join(base.dir, relativeStacksDir);
    if (findStackFiles(stacksDir).length === 0) {
        return { report: { stacksDir, maxParallelPerRing: 0, stacks: [], rings: [], problems: [] }, renders: new Map() };
    }
    if (!base.sameDependencies) {
        return renderWithOwnCli(base, stacksDir);
    }
    // The base's own policy pack checks it, unless a test shares one session for both sides.
    return renderFleet({ projectDir: base.dir, stacksDir, parseConfig: false, ...fleetOptions });
}

/** Error texts and file names of the base name the ref, not the temporary copy. */
function asRef(fleet: FleetRender, base: BaseTree, ref: string): FleetRender {
    const rename = (text: string): string => text.split(base.dir + path.sep).join(`${ref}:`);
    const stacks = fleet.report.stacks.map((stack) => ({ ...stack, file: rename(stack.file), error: stack.error === null ? null : rename(stack.error) }));
    return { ...fleet, report: { ...fleet.report, stacks } };
}

/** What a test may change: a shared policy pack session, and the project (a git checkout) to diff instead of this one. */
export interface DiffOptions extends Pick<FleetOptions, "session"> {
    readonly projectDir?: string;
}

/** Runs the CLI; returns the exit code. Anything thrown is a bug (see tools/cli.ts). */
export async function main(argv: readonly string[], out: (text: string) => void = (text) => process.stdout.write(text), err: (text: string) => void = (text) => process.stderr.write(text),
    diffOptions: DiffOptions = {}): Promise<number> {
    const values = commandLineOrExit(() => options(argv), USAGE, out, err);
    if (typeof values === "number") {
        return values;
    }
    const projectDir = diffOptions.projectDir ?? PROJECT_DIR;
    const stacksDir = path.resolve(values["stacks-dir"] ?? projectDir);
    const relativeStacksDir = path.relative(projectDir, stacksDir);
    if (relativeStacksDir.startsWith("..") || path.isAbsolute(relativeStacksDir)) {
        err(`error: --stacks-dir ${values["stacks-dir"] ?? ""} is outside the project (${projectDir}): the base has it only under the project\n`);
        return EXIT_USAGE;
    }
    let base: BaseTree;
    try {
        base = await materializeRef(values.base, projectDir);
    } catch (error) {
        if (error instanceof RenderError) {
            err(`error: ${error.message}\n`);
            return EXIT_USAGE;
        }
        throw error;
    }
    try {
        const fleetOptions = diffOptions.session === undefined ? {} : { session: diffOptions.session };
        const head = (): Promise<FleetRender> => renderFleet({ ...fleetOptions, projectDir, stacksDir });
        // Both sides at once: renders queue in this process, the two policy packs check in parallel. One shared pack
        // session cannot serve both at once (each check configures it with its stack's policy config first).
        const [baseFleet, headFleet] = diffOptions.session === undefined
            ? await Promise.all([renderBase(base, relativeStacksDir, fleetOptions), head()])
            : [await renderBase(base, relativeStacksDir, fleetOptions), await head()];
        const label = `${values.base} (${base.commit.slice(0, 12)})`;
        const comparison = compareFleets(label, asRef(baseFleet, base, values.base), headFleet);
        if (values.markdown !== undefined) {
            fs.appendFileSync(path.resolve(values.markdown), formatFleetDiffMarkdown(comparison));
        }
        out(values.json ? `${JSON.stringify(comparison.diff, null, 2)}\n` : `${formatFleetDiff(comparison)}\n`);
        return comparison.dirty.length > 0 ? 1 : 0;
    } catch (error) {
        return renderFailureExit(error, err);
    } finally {
        base.dispose();
    }
}

if (require.main === module) {
    void runCli("fleet:diff", () => main(process.argv.slice(2)));
}
