/**
 * The dependency graph of a render as Graphviz DOT text (a pure function; svg.ts lays it out): custom
 * resources as nodes, grouped in one cluster per component resource (nested as the components are), an
 * arrow from each dependency to what waits on it, the critical path of `pulumi up` in red and what waits
 * on the slowest resource in orange. Node ids follow the canonical order, so the text is a function of the
 * set of records alone.
 */
import { STACK_TYPE, type ResourceRecord } from "./contract";
import { criticalPath, slowestResource } from "./graph";
import { canonicalOrder } from "./order";
import { resourceLabeller, shortKind } from "./table";

/** The highlight colours, also named in the graph's legend. */
export const GRAPH_COLOURS = {
    critical: "#c0392b",
    slow: "#e67e22",
    slowFill: "#fdebd0",
    slowestFill: "#f5b041",
} as const;

/** Options of {@link buildDot}. */
export interface DotOptions {
    /** First line of the legend, e.g. `stack dev (project pipeline-service)`. */
    readonly title?: string;
}

/** A DOT double-quoted string; a line break becomes `newline` (`\\n` centres the line, `\\l` left-justifies it). */
function quote(text: string, newline = "\\n"): string {
    return `"${text.replace(/\\/g, "\\\\").replace(/"/g, "\\\"").replace(/\n/g, newline)}"`;
}

function attributes(attrs: Readonly<Record<string, string | number | undefined>>): string {
    const set = Object.entries(attrs).filter((entry): entry is [string, string | number] => entry[1] !== undefined);
    return set.length === 0 ? "" : ` [${set.map(([key, value]) => `${key}=${typeof value === "number" ? String(value) : quote(value)}`).join(", ")}]`;
}

/** The DOT text of the records' dependency graph. */
export function buildDot(records: readonly ResourceRecord[], options: DotOptions = {}): string {
    const ordered = canonicalOrder(records);
    const byUrn = new Map(ordered.map((record) => [record.urn, record]));
    const ids = new Map(ordered.map((record, index) => [record.urn, `r${index}`]));
    const isComponent = (record: ResourceRecord): boolean => !record.custom && record.type !== STACK_TYPE;
    const containerOf = (record: ResourceRecord): string | null => {
        const parent = record.parent === null ? undefined : byUrn.get(record.parent);
        return parent !== undefined && isComponent(parent) ? parent.urn : null;
    };
    const members = new Map<string | null, ResourceRecord[]>();
    for (const record of ordered.filter((candidate) => candidate.type !== STACK_TYPE)) {
        const container = containerOf(record);
        members.set(container, [...(members.get(container) ?? []), record]);
    }
    // A dependency on a component means waiting for everything in it: its custom descendants.
    const customsUnder = (urn: string): string[] => (members.get(urn) ?? []).flatMap((member) => (member.custom ? [member.urn] : customsUnder(member.urn)));
    const prerequisitesOf = (record: ResourceRecord): string[] => [...new Set(record.dependencies.flatMap((urn) => {
        const dependency = byUrn.get(urn);
        return dependency === undefined ? [] : dependency.custom ? [urn] : customsUnder(urn);
    }))];

    const critical = criticalPath(ordered);
    const criticalNodes = new Set(critical.path.map((record) => record.urn));
    const criticalEdges = new Set(critical.path.slice(1).map((record, index) => `${critical.path[index].urn} ${record.urn}`));
    const slowest = slowestResource(ordered);
    const waiting = new Set(slowest?.waiters.map((record) => record.urn) ?? []);
    const label = resourceLabeller(ordered, { alwaysQualified: true });

    const lines: string[] = [];
    const emit = (container: string | null, indent: string): void => {
        for (const record of members.get(container) ?? []) {
            if (!record.custom) {
                lines.push(`${indent}subgraph ${quote(`cluster_${ids.get(record.urn) as string}`)} {`);
                lines.push(`${indent}    graph${attributes({ label: `${shortKind(record.type)} ${record.name}`, tooltip: record.type })};`);
                emit(record.urn, `${indent}    `);
                lines.push(`${indent}}`);
                continue;
            }
            const isSlowest = slowest?.record.urn === record.urn;
            lines.push(`${indent}${ids.get(record.urn) as string}${attributes({
                label: `${shortKind(record.type)}\n${record.name}`,
                tooltip: record.type,
                fillcolor: isSlowest ? GRAPH_COLOURS.slowestFill : waiting.has(record.urn) ? GRAPH_COLOURS.slowFill : undefined,
                color: criticalNodes.has(record.urn) ? GRAPH_COLOURS.critical : undefined,
                penwidth: criticalNodes.has(record.urn) ? 2 : undefined,
            })};`);
        }
    };
    emit(null, "    ");

    const edges: string[] = [];
    for (const record of ordered.filter((candidate) => candidate.custom)) {
        for (const prerequisite of prerequisitesOf(record)) {
            const onCriticalPath = criticalEdges.has(`${prerequisite} ${record.urn}`);
            const onSlowPath = waiting.has(record.urn) && (prerequisite === slowest?.record.urn || waiting.has(prerequisite));
            edges.push(`    ${ids.get(prerequisite) as string} -> ${ids.get(record.urn) as string}${attributes({
                color: onCriticalPath ? GRAPH_COLOURS.critical : onSlowPath ? GRAPH_COLOURS.slow : undefined,
                penwidth: onCriticalPath ? 2.5 : onSlowPath ? 1.8 : undefined,
            })};`);
        }
    }

    const legend = [
        ...(options.title === undefined ? [] : [options.title]),
        `red: critical path of pulumi up, ~${critical.seconds} s by typical creation times (${critical.path.map((record) => label(record.urn)).join(" → ")})`,
        ...(slowest === undefined ? [] : [`orange: waits on the slowest resource, ${label(slowest.record.urn)} (~${slowest.seconds} s): ${slowest.waiters.filter((record) => record.custom).length} of ${slowest.customCount} custom resources`]),
        "arrows point from a dependency to what waits on it; boxes are components",
    ];
    return [
        "digraph render {",
        `    graph${attributes({ rankdir: "LR", fontname: "Helvetica", fontsize: 11, labelloc: "t", labeljust: "l", newrank: "true" })};`,
        `    label=${quote(`${legend.join("\n")}\n`, "\\l")};`,
        `    node${attributes({ shape: "box", style: "rounded,filled", fillcolor: "#ffffff", color: "#666666", fontname: "Helvetica", fontsize: 9 })};`,
        `    edge${attributes({ color: "#9a9a9a", arrowsize: 0.6 })};`,
        ...lines,
        ...edges,
        "}",
        "",
    ].join("\n");
}
