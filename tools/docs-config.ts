/** `npm run -s docs:config`: rewrites the README's configuration reference from the schema (see `--help`). */
import * as fs from "node:fs";
import * as path from "node:path";
import { CONFIG_DOCS_BEGIN, CONFIG_DOCS_END, withConfigReference } from "../stacks/config-docs";
import { helpOnlyCommandLine, runCli } from "./cli";

const USAGE = `usage: npm run -s docs:config

Rewrites the configuration reference in README.md (between its config-reference markers) from the config
schema (stacks/keys.ts, stacks/schema.ts). Takes no arguments.

  -h, --help  show this help`;

/** Runs the CLI; returns the exit code. Anything thrown is a bug (tools/cli.ts). */
export function main(argv: readonly string[], readmePath = path.resolve(__dirname, "..", "README.md")): number {
    const handled = helpOnlyCommandLine(argv, USAGE);
    if (handled !== undefined) {
        return handled;
    }
    const shown = path.relative(process.cwd(), readmePath);
    const readme = fs.readFileSync(readmePath, "utf8");
    // Checked here so that a README edited by hand gets a message, not withConfigReference's stack trace.
    const begin = readme.indexOf(CONFIG_DOCS_BEGIN);
    if (begin < 0 || readme.indexOf(CONFIG_DOCS_END) < begin) {
        process.stderr.write(`error: ${shown} has no configuration reference to rewrite: it needs the lines\n  ${CONFIG_DOCS_BEGIN}\n  ${CONFIG_DOCS_END}\nin this order; nothing was written\n`);
        return 1;
    }
    fs.writeFileSync(readmePath, withConfigReference(readme));
    process.stdout.write(`updated the configuration reference in ${shown}\n`);
    return 0;
}

if (require.main === module) {
    void runCli("docs:config", () => main(process.argv.slice(2)));
}
