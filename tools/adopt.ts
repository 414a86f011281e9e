/**
 * `npm run adopt -- --stack <name> --live <file> [--aws <file>] [--out <dir>]`: plans the adoption of a cluster that
 * already runs Pipeline Service into a stack (see `--help`). Reads the files, renders the stack offline, calls the
 * pure planner (adopt/plan.ts) and writes its results. Exit codes: 0 the import can go ahead, 1 stop (the report
 * says what to resolve) or an unusable dump or stack, 2 bad arguments.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { makeOutputDirectory } from "../render/directories";
import { RenderError } from "../render/errors";
import { renderStack } from "../render/recorder";
import { PROJECT_DIR, shown } from "../render/settings";
import { parseStackConfig } from "../stacks/config";
import { AWS_CALLS, awsDumpScript, awsNamesOf } from "../adopt/aws";
import { providerUrns } from "../adopt/build-import-file";
import { AdoptInputError, parseAwsDump, parseLiveDump, type AwsDump, type LiveObject } from "../adopt/inputs";
import { liveDumpCommand } from "../adopt/kinds";
import { planAdoption } from "../adopt/plan";
import { formatReport } from "../adopt/report";
import { commandLineOrExit, EXIT_USAGE, parseCommandLine, runCli, UsageError } from "./cli";

export const USAGE = `usage: npm run adopt -- --stack <name> --live <file> [--aws <file>] [--out <dir>] [--config-file <file>]
       npm run adopt -- --stack <name> --aws-script [--config-file <file>]

Plans the adoption into a stack of a cluster that already runs Pipeline Service: renders the stack offline, matches
every resource with the cluster dump (and the AWS dump), writes <out>/import.json (for pulumi import --file, only
when nothing stops the import) and <out>/report.json, and prints the report. Nothing is deployed or changed.

  --stack <name>        the stack to adopt into (Pulumi.<name>.yaml)
  --live <file>         the cluster dump, written with the stack's kubeconfig context by:
${liveDumpCommand("<file>").split("\n").map((line) => `                          ${line}`).join("\n")}
                        (every kind the program creates; Secret values replaced: adopt reads which keys a
                        Secret holds, never their values)
  --aws <file>          the AWS dump, printed by the script of --aws-script (without it, no AWS resource is
                        checked and each is listed as created new)
  --aws-script          print the bash script that writes the AWS dump for this stack, and exit; it makes
                        ${AWS_CALLS.length} read-only calls (describe, list, get: docs/operations.md lists them)
  --out <dir>           where to write (default out/<stack>/adopt; npm run render -- --stack <stack> replaces
                        out/<stack>, so run adopt after it)
  --config-file <file>  read the stack's config from this file instead (like pulumi --config-file)
  -h, --help            show this help

Exit codes: 0 the import can go ahead (import.json written); 1 stop: the report says what to resolve first
(no import.json), or a dump or the stack cannot be used; 2 bad arguments or a file that cannot be read.`;

function options(argv: readonly string[]) {
    const values = parseCommandLine({
        args: [...argv],
        options: {
            stack: { type: "string" },
            live: { type: "string" },
            aws: { type: "string" },
            "aws-script": { type: "boolean", default: false },
            out: { type: "string" },
            "config-file": { type: "string" },
            help: { type: "boolean", short: "h", default: false },
        },
    }).values;
    if (!values.help) {
        if (values.stack === undefined) {
            throw new UsageError("--stack is required: the stack to adopt into");
        }
        if (values["aws-script"] && (values.live !== undefined || values.aws !== undefined || values.out !== undefined)) {
            throw new UsageError("--aws-script only prints the script: give it --stack (and --config-file) alone");
        }
        if (!values["aws-script"] && values.live === undefined) {
            throw new UsageError("--live is required: the cluster dump (see --help for the command that writes it)");
        }
    }
    return values;
}

/** A file's text; a file that cannot be read is a mistake in the arguments. */
function readInput(file: string, option: string): string {
    try {
        return fs.readFileSync(file, "utf8");
    } catch (error) {
        throw new UsageError(`${option} ${file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
}

/** The files this tool writes into the output directory; both are removed first, so none is left from an earlier run. */
const OUTPUTS = ["import.json", "report.json"] as const;

function writeOutputs(outDir: string, files: Readonly<Partial<Record<(typeof OUTPUTS)[number], unknown>>>): void {
    makeOutputDirectory(outDir, "the adoption plan");
    removeOutputs(outDir);
    for (const [name, content] of Object.entries(files)) {
        fs.writeFileSync(path.join(outDir, name), `${JSON.stringify(content, null, 2)}\n`);
    }
}

/** Removes what an earlier run wrote, so a failed run leaves no import file that looks current. */
function removeOutputs(outDir: string): void {
    if (outDir === "") {
        return;
    }
    for (const name of OUTPUTS) {
        fs.rmSync(path.join(outDir, name), { force: true });
    }
}

/** Runs the CLI; returns the exit code. Anything thrown is a bug (see tools/cli.ts). */
export async function main(argv: readonly string[], out: (text: string) => void = (text) => process.stdout.write(text), err: (text: string) => void = (text) => process.stderr.write(text)): Promise<number> {
    let values: Exclude<ReturnType<typeof options>, number>;
    let live: readonly LiveObject[] = [];
    let aws: AwsDump | undefined;
    let outDir = "";
    try {
        const parsed = commandLineOrExit(() => options(argv), USAGE, out, err);
        if (typeof parsed === "number") {
            return parsed;
        }
        values = parsed;
        outDir = path.resolve(values.out ?? path.join(PROJECT_DIR, "out", values.stack ?? "", "adopt"));
        if (values.live !== undefined) {
            live = parseLiveDump(readInput(values.live, "--live"), values.live);
        }
        if (values.aws !== undefined) {
            aws = parseAwsDump(readInput(values.aws, "--aws"), values.aws);
        }
    } catch (error) {
        if (error instanceof UsageError) {
            err(`error: ${error.message}\n\n${USAGE}\n`);
            return EXIT_USAGE;
        }
        if (error instanceof AdoptInputError) {
            err(`error: ${error.message}\n`);
            removeOutputs(outDir);
            return 1;
        }
        throw error;
    }
    const stack = values.stack ?? "";
    try {
        const configFile = values["config-file"];
        const render = await renderStack(stack, configFile === undefined ? {} : { stackFile: path.resolve(configFile) });
        if (values["aws-script"]) {
            out(awsDumpScript(stack, awsNamesOf(render.resources)));
            return 0;
        }
        const settings = render.settings;
        const config = parseStackConfig(settings.config, settings.project, settings.stack, new Set(settings.secretKeys));
        const plan = planAdoption({ render, config, live, ...(aws === undefined ? {} : { aws }) }, values.live);
        writeOutputs(outDir, plan.importFile === undefined ? { "report.json": plan.report } : { "import.json": plan.importFile, "report.json": plan.report });
        const next = plan.importFile === undefined ? undefined : { importFile: shown(path.join(outDir, "import.json")), providerUrns: providerUrns(plan.importFile) };
        out(`${formatReport(plan.report, next)}\n`);
        err(`wrote ${plan.importFile === undefined ? "" : "import.json and "}report.json to ${shown(outDir)}\n`);
        return plan.report.verdict === "import" ? 0 : 1;
    } catch (error) {
        if (error instanceof RenderError || error instanceof AdoptInputError) {
            err(`error: ${error.message}\n`);
            if (!values["aws-script"]) {
                removeOutputs(outDir);
            }
            return 1;
        }
        throw error;
    }
}

if (require.main === module) {
    void runCli("adopt", () => main(process.argv.slice(2)));
}
