/** `npm run -s docs:architecture`: lays out docs/architecture.dot as docs/architecture.svg. */
import * as fs from "node:fs";
import * as path from "node:path";
import { ARCHITECTURE_DOT, ARCHITECTURE_SVG, architectureSvg } from "../render/architecture";

architectureSvg().then((svg) => {
    fs.writeFileSync(ARCHITECTURE_SVG, svg);
    process.stdout.write(`laid out ${path.relative(process.cwd(), ARCHITECTURE_DOT)} as ${path.relative(process.cwd(), ARCHITECTURE_SVG)}\n`);
}, (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
});
