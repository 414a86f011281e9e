/** `npm run -s docs:config`: rewrites the configuration reference, docs/configuration.md, from the schema (see `--help`). */
import * as fs from "node:fs";
import * as path from "node:path";
import { CONFIG_DOCS_BEGIN, CONFIG_DOCS_END, withConfigReference } from "../stacks/config-docs";
import { helpOnlyCommandLine, runCli } from "./cli";

const USAGE = `usage: npm run -s docs:config

Rewrites the configuration reference in docs/configuration.md (between its config-reference markers) from the
config schema (stacks/keys.ts, stacks/schema.ts). Takes no arguments.

  -h, --help  show this help`;

/** The file that holds the configuration reference, between the marker lines. */
export const CONFIG_DOCS_FILE = path.resolve(__dirname, "..", "docs", "configuration.md");

/** Runs the CLI; returns the exit code. Anything thrown is a bug (tools/cli.ts). */
export function main(argv: readonly string[], docPath = CONFIG_DOCS_FILE): number {
    const handled = helpOnlyCommandLine(argv, USAGE);
    if (handled !== undefined) {
        return handled;
    }
    const shown = path.relative(process.cwd(), docPath);
    const doc = fs.readFileSync(docPath, "utf8");
    // Checked here so that a file edited by hand gets a message, not withConfigReference's stack trace.
    const begin = doc.indexOf(CONFIG_DOCS_BEGIN);
    if (begin < 0 || doc.indexOf(CONFIG_DOCS_END) < begin) {
        process.stderr.write(`error: ${shown} has no configuration reference to rewrite: it needs the lines\n  ${CONFIG_DOCS_BEGIN}\n  ${CONFIG_DOCS_END}\nin this order; nothing was written\n`);
        return 1;
    }
    fs.writeFileSync(docPath, withConfigReference(doc));
    process.stdout.write(`updated the configuration reference in ${shown}\n`);
    return 0;
}

if (require.main === module) {
    void runCli("docs:config", () => main(process.argv.slice(2)));
}
