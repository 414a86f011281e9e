/**
 * `npm run render -- [--stack <name>] [options]`: the offline recording render of one stack (see `--help`).
 * Argument parsing, calls into render/, exit codes: 0 rendered, 1 the stack or its config is wrong (the
 * message alone, no stack trace), 2 bad arguments.
 */
import * as path from "node:path";
import { formatSummary, PROJECT_DIR, removeStaleRender, RenderError, renderStack, writeGraphSvg, writeRender } from "../render";
import { commandLineOrExit, parseCommandLine, runCli } from "./cli";

export const USAGE = `usage: npm run render -- [--stack <name>] [--out <dir>] [--config-file <file>] [--quiet] [--no-graph] [--serialize-dynamic-providers]

Runs the program offline under the Pulumi SDK's mock runtime (preview: nothing is deployed) and writes what
pulumi preview would send to the engine: <out>/resources.json, outputs.json, manifests/ and graph.svg.

  --stack <name>        stack to render: Pulumi.<name>.yaml (default dev)
  --out <dir>           where to write (default out/<stack>); an existing directory is replaced only
                        if it holds an earlier render
  --config-file <file>  read the stack's config from this file instead (like pulumi --config-file)
  --quiet               print no summary
  --no-graph            do not write graph.svg (skips loading Graphviz)
  --serialize-dynamic-providers
                        serialize dynamic providers' code as the engine would (slower; same record)
  -h, --help            show this help`;

function options(argv: readonly string[]) {
    return parseCommandLine({
        args: [...argv],
        options: {
            stack: { type: "string", default: "dev" },
            out: { type: "string" },
            "config-file": { type: "string" },
            quiet: { type: "boolean", default: false },
            "no-graph": { type: "boolean", default: false },
            "serialize-dynamic-providers": { type: "boolean", default: false },
            help: { type: "boolean", short: "h", default: false },
        },
    }).values;
}

/** Runs the CLI; returns the exit code. Anything thrown is a bug (see tools/cli.ts). */
export async function main(argv: readonly string[], out: (text: string) => void = (text) => process.stdout.write(text), err: (text: string) => void = (text) => process.stderr.write(text)): Promise<number> {
    const values = commandLineOrExit(() => options(argv), USAGE, out, err);
    if (typeof values === "number") {
        return values;
    }
    const stack = values.stack ?? "dev";
    const outDir = path.resolve(values.out ?? path.join(PROJECT_DIR, "out", stack));
    try {
        const configFile = values["config-file"];
        const result = await renderStack(stack, {
            serializeDynamicProviders: values["serialize-dynamic-providers"],
            ...(configFile === undefined ? {} : { stackFile: path.resolve(configFile) }),
        });
        const written = writeRender(result, outDir);
        if (!values["no-graph"]) {
            // Graphviz loads here, on first use: only a render that writes a graph pays for it.
            written.push(await writeGraphSvg(result, outDir));
        }
        if (!values.quiet) {
            out(`${formatSummary(result)}\n`);
        }
        out(`wrote ${written.length} files to ${path.relative(process.cwd(), outDir) || "."}\n`);
        return 0;
    } catch (error) {
        if (error instanceof RenderError) {
            err(`error: ${error.message}\n`);
            // A stale render must not pass a later policy check as if it were this one.
            if (removeStaleRender(outDir)) {
                err(`removed the earlier render in ${path.relative(process.cwd(), outDir) || "."}\n`);
            }
            return 1;
        }
        throw error;
    }
}

if (require.main === module) {
    void runCli("render", () => main(process.argv.slice(2)));
}
