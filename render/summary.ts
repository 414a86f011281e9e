/**
 * The stdout summary of a render: one row per resource with its dependency depth and what it waits on, the
 * critical path of `pulumi up`, and what waits on the slowest resource. Knows no product: every line comes
 * from the records and the generic creation-time table in graph.ts.
 */
import { criticalPath, dependencyDepths, slowestResource } from "./graph";
import type { RenderResult } from "./recorder";
import { formatTable, resourceLabeller } from "./table";

/** The "waits on the slowest resource" lines, or none when no resource stands out. */
export function slowestResourceLines(result: Pick<RenderResult, "resources">): string[] {
    const slowest = slowestResource(result.resources);
    if (slowest === undefined) {
        return [];
    }
    const label = resourceLabeller(result.resources, { alwaysQualified: true });
    return [
        `waits on the slowest resource, ${label(slowest.record.urn)} (~${slowest.seconds} s) (${slowest.waiters.length}): ${slowest.waiters.map((record) => label(record.urn)).join(", ") || "-"}`,
        `starts without it: ${slowest.independentCount} of ${slowest.customCount} custom resources`,
    ];
}

/** The whole summary, as `npm run render` prints it. */
export function formatSummary(result: RenderResult): string {
    const label = resourceLabeller(result.resources);
    const depths = dependencyDepths(result.resources);
    const rows = result.resources.map((record) => [
        record.type,
        record.name,
        String(depths.get(record.urn) ?? 0),
        record.dependencies.map(label).join(", ") || "-",
    ]);
    const critical = criticalPath(result.resources);
    // Chains read best with every kind spelled out; the WAITS ON column stays short unless a name is ambiguous.
    const kinded = resourceLabeller(result.resources, { alwaysQualified: true });
    const outputs = Object.entries(result.outputs).map(([key, value]) => `  ${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
    return [
        `stack ${result.settings.stack} (project ${result.settings.project}): ${result.resources.length} resources, preview (nothing deployed)`,
        formatTable(["TYPE", "NAME", "DEPTH", "WAITS ON"], rows, { maxWidth: 70 }),
        `critical path of pulumi up (~${critical.seconds} s by typical creation times): ${critical.path.map((record) => kinded(record.urn)).join(" → ")}`,
        ...slowestResourceLines(result),
        "outputs:",
        ...outputs,
    ].join("\n");
}
