/**
 * Lays out the DOT text of dot.ts as `out/<stack>/graph.svg`, with Graphviz compiled to WebAssembly
 * (@hpcc-js/wasm-graphviz: the wasm is inlined in the package, nothing is downloaded and no `dot` binary
 * is needed). Graphviz loads lazily on the first layout (~0.1 s), so a render that writes no graph and
 * every caller of the rest of the library never pay for it. Same DOT text and package version → the same
 * SVG bytes (no timestamps or random ids in Graphviz's SVG output).
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Graphviz } from "@hpcc-js/wasm-graphviz";
import { makeDirectory } from "./directories";
import { buildDot } from "./dot";
import type { RenderResult } from "./recorder";

let graphviz: Promise<Graphviz> | undefined;

/** The Graphviz instance, loaded (and its wasm compiled) once per process. */
function loadGraphviz(): Promise<Graphviz> {
    graphviz ??= import("@hpcc-js/wasm-graphviz").then((module) => module.Graphviz.load());
    return graphviz;
}

/** Graphviz refused the DOT text (its message, e.g. "syntax error in line 3 near '}'"). */
export class DotError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "DotError";
    }
}

/** DOT text → SVG text (the `dot` layout engine). Throws a {@link DotError} with Graphviz's message on invalid DOT. */
export async function renderSvg(dot: string): Promise<string> {
    const loaded = await loadGraphviz();
    try {
        return loaded.dot(dot, "svg");
    } catch (error) {
        // Graphviz.layout throws an Error carrying Graphviz's own error text (@hpcc-js/wasm-graphviz src/graphviz.ts).
        throw new DotError(error instanceof Error ? error.message.trim() : String(error));
    }
}

/**
 * Laid-out graphs by the sha256 of their DOT text (and the Graphviz package version): the graph changes only
 * when resources or dependencies do, so most renders reuse it and never load Graphviz (~0.2 s of a render).
 * Under node_modules/.cache, which `npm ci` starts afresh; the same DOT text always yields the same SVG.
 */
const SVG_CACHE_DIR = process.env.GRAPH_SVG_CACHE || path.join(__dirname, "..", "node_modules", ".cache", "graph-svg");

/** The installed Graphviz build's package.json (the package exports no subpath for it). */
function graphvizVersion(): string {
    const packageJson = path.join(path.dirname(require.resolve("@hpcc-js/wasm-graphviz")), "..", "package.json");
    return (JSON.parse(fs.readFileSync(packageJson, "utf8")) as { version: string }).version;
}

function cachePath(dot: string): string {
    const version = graphvizVersion();
    return path.join(SVG_CACHE_DIR, `${createHash("sha256").update(version).update("\0").update(dot).digest("hex")}.svg`);
}

/** The SVG of a render's dependency graph, titled with its stack. */
export async function graphSvg(result: RenderResult): Promise<string> {
    const dot = buildDot(result.resources, { title: `stack ${result.settings.stack} (project ${result.settings.project})` });
    const cached = cachePath(dot);
    if (fs.existsSync(cached)) {
        return fs.readFileSync(cached, "utf8");
    }
    const svg = await renderSvg(dot);
    try {
        makeDirectory(SVG_CACHE_DIR);
        fs.writeFileSync(`${cached}.${process.pid}`, svg);
        fs.renameSync(`${cached}.${process.pid}`, cached);
    } catch {
        // A read-only or missing cache only costs the next render the layout.
    }
    return svg;
}

/** Writes `graph.svg` into `outDir` (which must exist, e.g. after writeRender); returns its path. */
export async function writeGraphSvg(result: RenderResult, outDir: string): Promise<string> {
    const file = path.join(outDir, "graph.svg");
    fs.writeFileSync(file, await graphSvg(result));
    return file;
}
