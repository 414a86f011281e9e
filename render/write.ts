/**
 * Writes a render to `out/<stack>/`: `resources.json`, `outputs.json` and one manifest per Kubernetes object
 * (the render contract; see docs/render-contract.md). The graph (graph.svg) is written separately by svg.ts,
 * since laying it out loads Graphviz and is asynchronous.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import type { ResourceRecord } from "./contract";
import { makeOutputDirectory } from "./directories";
import { RenderError } from "./errors";
import type { RenderResult } from "./recorder";

/** `kubernetes:<group>/<version>:<Kind>` for Kubernetes objects (not providers, not patches of other kinds). */
export function isKubernetesObject(record: ResourceRecord): boolean {
    return record.custom && record.type.startsWith("kubernetes:") && !record.type.startsWith("pulumi:providers:");
}

function manifestFileName(index: number, record: ResourceRecord): string {
    const kind = record.type.split(":").pop() ?? "Object";
    const metadata = (record.inputs.metadata ?? {}) as { name?: unknown; namespace?: unknown };
    const objectName = typeof metadata.name === "string" ? metadata.name : record.name;
    const namespace = typeof metadata.namespace === "string" ? `${metadata.namespace}.` : "";
    return `${String(index).padStart(3, "0")}-${kind}-${namespace}${objectName}.yaml`.replace(/[^A-Za-z0-9._-]/g, "_");
}

/** Kubernetes manifests read best with apiVersion, kind and metadata first. */
function manifestOf(record: ResourceRecord): Record<string, unknown> {
    const { apiVersion, kind, metadata, ...rest } = record.inputs;
    return { apiVersion, kind, metadata, ...rest };
}

/**
 * Stack outputs that are documents: a string output named `<stem>Markdown` is also written as `<stem>.md`
 * (e.g. `dashboardMarkdown` → `dashboard.md`), so a reviewer reads it as text rather than a JSON string.
 */
const MARKDOWN_OUTPUT = /^([a-z][A-Za-z0-9]*)Markdown$/;

/** The `<stem>.md` documents among the stack outputs, by file name. */
export function markdownOutputs(outputs: Readonly<Record<string, unknown>>): Array<[string, string]> {
    return Object.entries(outputs).flatMap(([key, value]) => {
        const stem = MARKDOWN_OUTPUT.exec(key)?.[1];
        return stem !== undefined && typeof value === "string" ? [[`${stem}.md`, value] as [string, string]] : [];
    });
}

/** The file that marks a directory as a render's own: only such a directory is ever replaced or removed. */
export const RENDER_MARKER = ".pipeline-service-render";

/** What a render writes; a directory holding only these predates the marker and is a render too. */
const RENDER_ENTRIES: readonly string[] = [RENDER_MARKER, "resources.json", "outputs.json", "manifests", "graph.svg"];

/** Whether `outDir` holds a render this tool wrote (its marker, or nothing but a render's files). */
function isRenderDir(outDir: string): boolean {
    if (fs.existsSync(path.join(outDir, RENDER_MARKER))) {
        return true;
    }
    const entries = fs.existsSync(outDir) && fs.statSync(outDir).isDirectory() ? fs.readdirSync(outDir) : [];
    return entries.includes("resources.json") && entries.every((entry) => RENDER_ENTRIES.includes(entry));
}

/**
 * Throws unless the render may replace `outDir`: it does not exist, is an empty directory, or holds an earlier
 * render (the marker). Anything else may be a user's files (`--out .` would be the checkout): nothing is deleted.
 */
export function assertReplaceable(outDir: string): void {
    if (!fs.existsSync(outDir) || isRenderDir(outDir)) {
        return;
    }
    if (!fs.statSync(outDir).isDirectory()) {
        throw new RenderError(`refusing to write the render to ${outDir}: it is a file, not a directory`);
    }
    if (fs.readdirSync(outDir).length > 0) {
        throw new RenderError(`refusing to replace ${outDir}: it is not empty and no render of this tool (no ${RENDER_MARKER}); choose a new or empty directory`);
    }
}

/** Removes an earlier render from `outDir` (only a marked one), so a failed render leaves nothing stale to check. */
export function removeStaleRender(outDir: string): boolean {
    if (!isRenderDir(outDir)) {
        return false;
    }
    fs.rmSync(outDir, { recursive: true, force: true });
    return true;
}

/** Replaces `outDir` (see {@link assertReplaceable}) with the render's files; returns their paths. */
export function writeRender(result: RenderResult, outDir: string): string[] {
    assertReplaceable(outDir);
    if (fs.existsSync(outDir)) {
        fs.rmSync(outDir, { recursive: true, force: true });
    }
    makeOutputDirectory(path.join(outDir, "manifests"), "the render");
    fs.writeFileSync(path.join(outDir, RENDER_MARKER), "Written by `npm run render`, which replaces this directory on every render.\n");
    const written: string[] = [];
    const write = (file: string, content: string): void => {
        fs.writeFileSync(file, content);
        written.push(file);
    };
    write(path.join(outDir, "resources.json"), `${JSON.stringify(result.resources, null, 2)}\n`);
    write(path.join(outDir, "outputs.json"), `${JSON.stringify(result.outputs, null, 2)}\n`);
    for (const [file, text] of markdownOutputs(result.outputs)) {
        write(path.join(outDir, file), text);
    }
    result.resources.filter(isKubernetesObject).forEach((record, index) => {
        write(path.join(outDir, "manifests", manifestFileName(index + 1, record)),
            YAML.stringify(manifestOf(record), { lineWidth: 0, sortMapEntries: false }));
    });
    return written;
}
