/**
 * `npm run render -- --stack <name> [--out <dir>] [--quiet] [--serialize-dynamic-providers]`: the offline
 * recording render of one stack.
 * Writes `out/<stack>/resources.json`, `outputs.json` and `manifests/`, prints the summary. Nothing is
 * deployed: this is what `pulumi preview` would send to the engine, recorded.
 */
import * as path from "node:path";
import { parseArgs } from "node:util";
import { formatSummary, PROJECT_DIR, RenderError, renderStack, writeRender } from "./render";

async function main(): Promise<number> {
    const { values } = parseArgs({
        options: {
            stack: { type: "string", default: "dev" },
            out: { type: "string" },
            quiet: { type: "boolean", default: false },
            // Also serialize the dynamic providers' code as the engine would (slower; the record is the same).
            "serialize-dynamic-providers": { type: "boolean", default: false },
        },
        strict: true,
    });
    const stack = values.stack ?? "dev";
    const outDir = path.resolve(values.out ?? path.join(PROJECT_DIR, "out", stack));
    try {
        const result = await renderStack(stack, { serializeDynamicProviders: values["serialize-dynamic-providers"] });
        const written = writeRender(result, outDir);
        if (!values.quiet) {
            process.stdout.write(`${formatSummary(result)}\n`);
        }
        process.stdout.write(`wrote ${written.length} files to ${path.relative(process.cwd(), outDir) || "."}\n`);
        return 0;
    } catch (error) {
        if (error instanceof RenderError) {
            process.stderr.write(`error: ${error.message}\n`);
            return 1;
        }
        throw error;
    }
}

main().then((code) => {
    process.exitCode = code;
}, (error: unknown) => {
    process.stderr.write(`render failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exitCode = 1;
});
