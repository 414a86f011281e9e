/** `npm run -s docs:architecture`: lays out docs/architecture.dot as docs/architecture.svg (see `--help`). */
import * as fs from "node:fs";
import * as path from "node:path";
import { ARCHITECTURE_DOT, ARCHITECTURE_SVG, architectureSvg } from "../render/architecture";
import { DotError } from "../render/svg";
import { helpOnlyCommandLine, runCli } from "./cli";

const USAGE = `usage: npm run -s docs:architecture

Lays out docs/architecture.dot with the render's Graphviz and writes docs/architecture.svg (a test checks
that the two agree). Takes no arguments.

  -h, --help  show this help`;

/** Runs the CLI; returns the exit code. Anything thrown is a bug (tools/cli.ts). */
export async function main(argv: readonly string[]): Promise<number> {
    const handled = helpOnlyCommandLine(argv, USAGE);
    if (handled !== undefined) {
        return handled;
    }
    const dot = path.relative(process.cwd(), ARCHITECTURE_DOT);
    let svg: string;
    try {
        svg = await architectureSvg();
    } catch (error) {
        if (error instanceof DotError) {
            // The DOT file is edited by hand: Graphviz's message is what there is to fix.
            process.stderr.write(`error: ${dot}: ${error.message}\nnothing was written\n`);
            return 1;
        }
        throw error;
    }
    fs.writeFileSync(ARCHITECTURE_SVG, svg);
    process.stdout.write(`laid out ${dot} as ${path.relative(process.cwd(), ARCHITECTURE_SVG)}\n`);
    return 0;
}

if (require.main === module) {
    void runCli("docs:architecture", () => main(process.argv.slice(2)));
}
