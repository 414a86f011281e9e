/**
 * `npm run -s preview:gate -- --stack <name> --preview <file> [--acknowledgments-dir <dir>]`: the deploy gate over
 * `pulumi preview --json` (fleet/preview-gate.ts). Exit codes: 0 nothing stateful is destroyed without an
 * acknowledgment, 1 something is, 2 bad arguments or a file that is not a preview document.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ACKNOWLEDGMENTS_FILE, readAcknowledgments } from "../fleet/acknowledgments";
import { plannedLosses, previewDigestSchema } from "../fleet/preview-gate";
import { RenderError } from "../render/errors";
import { PROJECT_DIR } from "../render/settings";
import { commandLineOrExit, EXIT_USAGE, parseCommandLine, runCli, UsageError } from "./cli";

export const USAGE = `usage: npm run -s preview:gate -- --stack <name> --preview <file> [--acknowledgments-dir <dir>]

Reads what pulumi preview --json planned for one stack and refuses a delete or replace of a resource that holds
state (the Results database, the logs bucket, the Chains key, the target namespace, ...) unless
${ACKNOWLEDGMENTS_FILE} names the stack and the resource's URN. The engine's plan decides here, not the offline
fleet diff. Run it before pulumi up.

  --stack <name>              the stack the preview is of (as acknowledgments name it)
  --preview <file>            the output of pulumi preview --json (pulumi/pulumi pkg/display PreviewDigest)
  --acknowledgments-dir <dir> where ${ACKNOWLEDGMENTS_FILE} is (default: the project directory)
  -h, --help                  show this help

Exit codes: 0 nothing stateful is lost without an acknowledgment; 1 something is; 2 bad arguments or a file that
is not a preview document.`;

function options(argv: readonly string[]) {
    const { values } = parseCommandLine({
        args: [...argv],
        options: {
            stack: { type: "string" },
            preview: { type: "string" },
            "acknowledgments-dir": { type: "string" },
            help: { type: "boolean", short: "h", default: false },
        },
    });
    if (values.help !== true && (values.stack === undefined || values.preview === undefined)) {
        throw new UsageError(`${values.stack === undefined ? "--stack" : "--preview"} is required`);
    }
    return values;
}

/** Runs the CLI; returns the exit code. Anything thrown is a bug (see tools/cli.ts). */
export function main(argv: readonly string[], out: (text: string) => void = (text) => process.stdout.write(text), err: (text: string) => void = (text) => process.stderr.write(text)): number {
    const values = commandLineOrExit(() => options(argv), USAGE, out, err);
    if (typeof values === "number") {
        return values;
    }
    const stack = values.stack ?? "";
    const file = path.resolve(values.preview ?? "");
    let digest;
    try {
        digest = previewDigestSchema.parse(JSON.parse(fs.readFileSync(file, "utf8")));
    } catch (error) {
        err(`error: ${file} is not the JSON pulumi preview --json prints (${error instanceof Error ? error.message.split("\n")[0] : String(error)})\n`);
        return EXIT_USAGE;
    }
    let acks;
    try {
        acks = readAcknowledgments(path.resolve(values["acknowledgments-dir"] ?? PROJECT_DIR));
    } catch (error) {
        if (error instanceof RenderError) {
            err(`error: ${error.message}\n`);
            return EXIT_USAGE;
        }
        throw error;
    }
    const losses = plannedLosses(digest, stack, acks);
    for (const loss of losses) {
        const why = loss.replaceReasons.length > 0 ? ` (replace because ${loss.replaceReasons.join(", ")})` : "";
        const line = `${loss.op} ${loss.urn}${why}: ${loss.reason}${loss.protected ? "; protected" : ""}`;
        if (loss.acknowledged) {
            out(`acknowledged: ${line}\n`);
        } else {
            err(`error: ${stack}: ${line}; not acknowledged in ${ACKNOWLEDGMENTS_FILE}\n`);
        }
    }
    const refused = losses.filter((loss) => !loss.acknowledged).length;
    out(`${stack}: ${losses.length} step${losses.length === 1 ? "" : "s"} lose data, ${refused} not acknowledged\n`);
    return refused > 0 ? 1 : 0;
}

if (require.main === module) {
    void runCli("preview:gate", () => main(process.argv.slice(2)));
}
