/**
 * `npm run fleet -- [--stacks-dir <dir>] [--json] [--out <dir>]`: renders and policy-checks every stack file and
 * prints the fleet (see `--help`). Exit codes as the other CLIs: 0 the fleet can be rolled out, 1 it cannot (a stack
 * that does not render, a mandatory violation, a fleet-wide refusal), 2 bad arguments.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as Check from "../analyzer/check";
import type { AnalyzerSession } from "../analyzer/check";
import { transpiledPack } from "../analyzer/pack-build";
import { PolicyPackProcess } from "../analyzer/pack-process";
import { makeOutputDirectory } from "../render/directories";
import { RenderError } from "../render/errors";
import type * as Fleet from "../fleet/render";
import type { FleetOptions, FleetRender, FleetReport } from "../fleet/render";
import { listStackFiles } from "../fleet/stack-files";
import { PROJECT_DIR } from "../render/settings";
import { formatTable } from "../render/table";
import { RENDER_MARKER, writeRender } from "../render/write";
import { commandLineOrExit, parseCommandLine, renderFailureExit, runCli } from "./cli";

export const USAGE = `usage: npm run fleet -- [--stacks-dir <dir>] [--json] [--out <dir>]

Renders every Pulumi.<stack>.yaml offline (nothing is deployed), runs the policy pack over each with its
environment's policy/config/<environment>.json, checks the fleet as a whole (no two stacks claim one cluster
name, domain, context, Results host or AWS name; rings 0, 1, 2 … without gaps, production after ring 0) and
prints a table. Writes <out>/<stack>/ (a render each) and <out>/fleet.json.

  --stacks-dir <dir>  where the stack files are (default: the project directory)
  --json              print the report as JSON (the deploy workflow's ring plan) instead of the table
  --out <dir>         where to write (default out/fleet); replaced only if an earlier fleet render
  -h, --help          show this help

Exit codes: 0 the fleet can be rolled out, 1 it cannot (a stack that does not render, a mandatory
violation, a fleet-wide refusal), 2 bad arguments or a policy pack that does not start.`;

/** Marks a directory as this tool's: only such a directory is replaced. */
const FLEET_MARKER = ".pipeline-service-fleet";

function options(argv: readonly string[]) {
    return parseCommandLine({
        args: [...argv],
        options: {
            "stacks-dir": { type: "string" },
            json: { type: "boolean", default: false },
            out: { type: "string" },
            help: { type: "boolean", short: "h", default: false },
        },
    }).values;
}

/** The table `npm run fleet` prints, then the fleet-wide problems and each stack's error. */
export function formatFleet(report: FleetReport): string {
    const rows = report.stacks.map((stack) => [
        stack.stack,
        stack.environment ?? "?",
        stack.ring === null ? "?" : String(stack.ring),
        stack.soakHours === null ? "?" : `${stack.soakHours}h`,
        stack.operator ?? "?",
        stack.resources === null ? "-" : String(stack.resources),
        stack.violations === null ? "did not render" : `${stack.violations.mandatory} mandatory, ${stack.violations.advisory} advisory`,
    ]);
    const lines = [formatTable(["STACK", "ENV", "RING", "SOAK", "OPERATOR", "RESOURCES", "VIOLATIONS"], rows, { align: ["left", "left", "right", "right", "left", "right", "left"] })];
    const rings = report.rings.map((ring) => `ring ${ring.ring} (${ring.stacks.length}, soak ${ring.soakHours}h)`);
    lines.push("", `rollout: ${rings.join(" → ") || "no ring"}; at most ${report.maxParallelPerRing} stacks of a ring at once`);
    const errors = report.stacks.flatMap((stack) => (stack.error === null ? [] : [stack.error]));
    for (const [title, paragraphs] of [["stacks that do not render", errors], ["the fleet cannot work", report.problems]] as const) {
        if (paragraphs.length > 0) {
            lines.push("", `${title} (${paragraphs.length}):`, ...paragraphs.map((paragraph) => `  - ${paragraph.replace(/\n/g, "\n    ")}`));
        }
    }
    const mandatory = report.stacks.filter((stack) => (stack.violations?.mandatory ?? 0) > 0).map((stack) => stack.stack);
    if (mandatory.length > 0) {
        lines.push("", `mandatory policy violations in ${mandatory.join(", ")}: npm run -s policy:check -- out/fleet/<stack>/resources.json shows them`);
    }
    return lines.join("\n");
}

/** The entries of `outDir`; throws unless it is missing, empty or an earlier fleet render (anything else may be a user's files). */
function replaceableEntries(outDir: string): string[] {
    const entries = fs.existsSync(outDir) ? fs.readdirSync(outDir) : [];
    if (entries.length > 0 && !entries.includes(FLEET_MARKER)) {
        throw new RenderError(`refusing to replace ${outDir}: it is not empty and no fleet render of this tool (no ${FLEET_MARKER}); choose a new or empty directory`);
    }
    return entries;
}

/** Writes each render to `<outDir>/<stack>/` and the report to `<outDir>/fleet.json`, replacing an earlier fleet render only. */
export function writeFleet(fleet: FleetRender, outDir: string): void {
    const entries = replaceableEntries(outDir);
    makeOutputDirectory(outDir, "the fleet");
    fs.writeFileSync(path.join(outDir, FLEET_MARKER), "Written by `npm run fleet`, which replaces the renders here on every run.\n");
    // A stack that left the fleet, or no longer renders, must not leave a render behind that looks current.
    for (const entry of entries) {
        const dir = path.join(outDir, entry);
        if (!fleet.renders.has(entry) && fs.existsSync(path.join(dir, RENDER_MARKER))) {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }
    for (const [stack, render] of fleet.renders) {
        writeRender(render, path.join(outDir, stack));
    }
    fs.writeFileSync(path.join(outDir, "fleet.json"), `${JSON.stringify(fleet.report, null, 2)}\n`);
}

/**
 * Runs the CLI; returns the exit code. Anything thrown is a bug (see tools/cli.ts). `fleetOptions` lets a test share
 * its policy pack session.
 */
export async function main(argv: readonly string[], out: (text: string) => void = (text) => process.stdout.write(text), err: (text: string) => void = (text) => process.stderr.write(text),
    fleetOptions: Pick<FleetOptions, "session"> = {}): Promise<number> {
    const values = commandLineOrExit(() => options(argv), USAGE, out, err);
    if (typeof values === "number") {
        return values;
    }
    const stacksDir = path.resolve(values["stacks-dir"] ?? PROJECT_DIR);
    const outDir = path.resolve(values.out ?? path.join(PROJECT_DIR, "out", "fleet"));
    try {
        // Before seconds of rendering, not after: a wrong --out or a stacks directory without stack files is known at
        // once, before the pack is spawned.
        replaceableEntries(outDir);
        listStackFiles(stacksDir);
    } catch (error) {
        if (error instanceof RenderError) {
            err(`error: ${error.message}\n`);
            return 1;
        }
        throw error;
    }
    // The pack takes longest to start: it is spawned first, and this process loads the analyzer, the program and the
    // SDK (lazily, below) while it starts. (A second pack to share the checks was slower: its start competes with the
    // renders for the two cores.)
    const spawned = fleetOptions.session === undefined ? PolicyPackProcess.start(transpiledPack(path.join(PROJECT_DIR, "policy"))) : undefined;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ownSession = spawned === undefined ? undefined : (require("../analyzer/check") as typeof Check).sessionOf(spawned);
    ownSession?.catch(() => undefined);
    const session = fleetOptions.session ?? ((): Promise<AnalyzerSession> => ownSession as Promise<AnalyzerSession>);
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const { fleetOk, renderFleet } = require("../fleet/render") as typeof Fleet;
        const fleet = await renderFleet({ session, stacksDir });
        writeFleet(fleet, outDir);
        out(values.json ? `${JSON.stringify(fleet.report, null, 2)}\n` : `${formatFleet(fleet.report)}\n`);
        return fleetOk(fleet.report) ? 0 : 1;
    } catch (error) {
        return renderFailureExit(error, err);
    } finally {
        await (await ownSession?.catch(() => undefined))?.close();
    }
}

if (require.main === module) {
    void runCli("fleet", () => main(process.argv.slice(2)));
}
