/**
 * Writes a render to `out/<stack>/`: `resources.json`, `outputs.json` and one manifest per Kubernetes object
 * (the render contract; see README). The graph (graph.svg) is written separately by svg.ts, since laying
 * it out loads Graphviz and is asynchronous.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import type { ResourceRecord } from "./contract";
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
 * Replaces `outDir` with the render's files; returns their paths. (It removes `outDir` first, whatever it
 * holds: kept as it was, changing that is tracked separately.)
 */
export function writeRender(result: RenderResult, outDir: string): string[] {
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.mkdirSync(path.join(outDir, "manifests"), { recursive: true });
    const written: string[] = [];
    const write = (file: string, content: string): void => {
        fs.writeFileSync(file, content);
        written.push(file);
    };
    write(path.join(outDir, "resources.json"), `${JSON.stringify(result.resources, null, 2)}\n`);
    write(path.join(outDir, "outputs.json"), `${JSON.stringify(result.outputs, null, 2)}\n`);
    result.resources.filter(isKubernetesObject).forEach((record, index) => {
        write(path.join(outDir, "manifests", manifestFileName(index + 1, record)),
            YAML.stringify(manifestOf(record), { lineWidth: 0, sortMapEntries: false }));
    });
    return written;
}
