/**
 * `npm run fleet:diff -- --base <git-ref> [--stacks-dir <dir>] [--json] [--markdown <file>]`: what the working tree
 * changes in each stack of the fleet against a git ref (see `--help`). Exit codes: 0 every stack compared (changed
 * or not), 1 a stack does not render on a side, 2 bad arguments or a ref that names no commit.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_DIR, RenderError } from "../render";
import { ACKNOWLEDGMENTS_FILE, readAcknowledgments, staleAcknowledgments, unacknowledged, type Acknowledgment } from "../fleet/acknowledgments";
import { asRef, compareFleets, dataLossSteps, type FleetComparison, formatFleetDiff, formatFleetDiffMarkdown, materializeRef, renderBase, renderFleet, type BaseTree, type FleetOptions } from "../fleet";
import { commandLineOrExit, EXIT_USAGE, parseCommandLine, renderFailureExit, runCli, UsageError } from "./cli";

export const USAGE = `usage: npm run fleet:diff -- --base <git-ref> [--stacks-dir <dir>] [--json] [--markdown <file>] [--fail-on-data-loss]

Renders every Pulumi.<stack>.yaml offline at <git-ref> and in the working tree (uncommitted changes included)
and prints, per stack, the step a pulumi up takes for each resource: create, update, replace (with the
properties that force it, and whether it deletes first) or delete, each update's changed input paths (secret
values only as [secret]), data loss first, then which rings and stacks change. The base is a clean copy of
the ref (git archive); the work tree, index and stash are never touched. Needs no credentials.

  --base <git-ref>    branch, tag or commit to compare against (fetched: e.g. origin/main)
  --stacks-dir <dir>  where the stack files are (default: the project directory; the same path at the base)
  --json              print {"base", "stacks": [{"stack", "ring", "changes": [{"urn", "type", "name", "op",
                      "paths", "replaceBecause", "deleteBeforeReplace", "dataLoss", "protected", "notes"}]}]}
  --markdown <file>   also write the diff as Markdown (e.g. "$GITHUB_STEP_SUMMARY")
  --fail-on-data-loss exit 1 while a step loses data that ${ACKNOWLEDGMENTS_FILE} does not acknowledge
  -h, --help          show this help

Exit codes: 0 every stack compared, changed or not; 1 a stack does not render at the base or in the working
tree (the others are still shown), or, with --fail-on-data-loss, unacknowledged data loss; 2 bad arguments,
a ref that names no commit, or a policy pack that does not start.`;

function options(argv: readonly string[]) {
    const { values } = parseCommandLine({
        args: [...argv],
        options: {
            base: { type: "string" },
            "stacks-dir": { type: "string" },
            json: { type: "boolean", default: false },
            markdown: { type: "string" },
            "fail-on-data-loss": { type: "boolean", default: false },
            help: { type: "boolean", short: "h", default: false },
        },
    });
    if (values.base === undefined && values.help !== true) {
        throw new UsageError("--base <git-ref> is required: the ref to compare the working tree against (e.g. origin/main)");
    }
    return { ...values, base: values.base ?? "" };
}

/** Reports unacknowledged data loss (true: refuse) and acknowledgments that match nothing, on stderr. */
function dataLossGate(comparison: FleetComparison, acks: readonly Acknowledgment[], err: (text: string) => void): boolean {
    const lost = dataLossSteps(comparison);
    for (const ack of staleAcknowledgments(lost, acks)) {
        err(`note: ${ACKNOWLEDGMENTS_FILE} acknowledges ${ack.stack} ${ack.urn}, which loses no data in this diff: remove the entry\n`);
    }
    const missing = unacknowledged(lost, acks);
    for (const { stack, step } of missing) {
        err(`error: ${stack}: ${step.op} ${step.urn} loses data (${step.dataLoss ?? ""}); acknowledge it in ${ACKNOWLEDGMENTS_FILE} (stack, urn, why) if it is meant\n`);
    }
    return missing.length > 0;
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
        // The base first: its renders and the working tree's queue in this process anyway (the Pulumi runtime is
        // global), and only the working tree's side is policy-checked, by a pack that starts meanwhile.
        const headFleet = renderFleet({ ...fleetOptions, projectDir, stacksDir });
        headFleet.catch(() => undefined);
        const baseFleet = await renderBase(base, relativeStacksDir);
        const label = `${values.base} (${base.commit.slice(0, 12)})`;
        const comparison = compareFleets(label, asRef(baseFleet, base, values.base), await headFleet);
        if (values.markdown !== undefined) {
            fs.appendFileSync(path.resolve(values.markdown), formatFleetDiffMarkdown(comparison));
        }
        out(values.json ? `${JSON.stringify(comparison.diff, null, 2)}\n` : `${formatFleetDiff(comparison)}\n`);
        const refused = values["fail-on-data-loss"] ? dataLossGate(comparison, readAcknowledgments(stacksDir), err) : false;
        return comparison.dirty.length > 0 || refused ? 1 : 0;
    } catch (error) {
        return renderFailureExit(error, err);
    } finally {
        base.dispose();
    }
}

if (require.main === module) {
    void runCli("fleet:diff", () => main(process.argv.slice(2)));
}
