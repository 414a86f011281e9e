/**
 * Lays out the DOT text of dot.ts as `out/<stack>/graph.svg`, with Graphviz compiled to WebAssembly
 * (@hpcc-js/wasm-graphviz: the wasm is inlined in the package, nothing is downloaded and no `dot` binary
 * is needed). Graphviz loads lazily on the first layout (~0.1 s), so a render that writes no graph and
 * every caller of the rest of the library never pay for it. Same DOT text and package version → the same
 * SVG bytes (no timestamps or random ids in Graphviz's SVG output).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Graphviz } from "@hpcc-js/wasm-graphviz";
import { buildDot } from "./dot";
import type { RenderResult } from "./recorder";

let graphviz: Promise<Graphviz> | undefined;

/** The Graphviz instance, loaded (and its wasm compiled) once per process. */
function loadGraphviz(): Promise<Graphviz> {
    graphviz ??= import("@hpcc-js/wasm-graphviz").then((module) => module.Graphviz.load());
    return graphviz;
}

/** DOT text → SVG text (the `dot` layout engine). Throws with Graphviz's message on invalid DOT. */
export async function renderSvg(dot: string): Promise<string> {
    return (await loadGraphviz()).dot(dot, "svg");
}

/** The SVG of a render's dependency graph, titled with its stack. */
export async function graphSvg(result: RenderResult): Promise<string> {
    return renderSvg(buildDot(result.resources, { title: `stack ${result.settings.stack} (project ${result.settings.project})` }));
}

/** Writes `graph.svg` into `outDir` (which must exist, e.g. after writeRender); returns its path. */
export async function writeGraphSvg(result: RenderResult, outDir: string): Promise<string> {
    const file = path.join(outDir, "graph.svg");
    fs.writeFileSync(file, await graphSvg(result));
    return file;
}
