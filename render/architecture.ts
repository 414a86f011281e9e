/** The architecture picture of docs/: its DOT source laid out with the render's Graphviz. */
import * as fs from "node:fs";
import * as path from "node:path";
import { renderSvg } from "./svg";

export const ARCHITECTURE_DOT = path.resolve(__dirname, "..", "docs", "architecture.dot");
export const ARCHITECTURE_SVG = path.resolve(__dirname, "..", "docs", "architecture.svg");

/** docs/architecture.dot as SVG text. */
export function architectureSvg(): Promise<string> {
    return renderSvg(fs.readFileSync(ARCHITECTURE_DOT, "utf8"));
}
