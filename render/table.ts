/**
 * The one text-table formatter and the one resource labeller of the tools (render summary, benchmark), so that
 * columns and resource names read the same everywhere.
 */
import type { ResourceRecord } from "./contract";

/** How a column's cells are aligned (numbers read best right-aligned). */
export type Alignment = "left" | "right";

/** Options of {@link formatTable}. */
export interface TableOptions {
    /** Per column; left by default. */
    readonly align?: readonly Alignment[];
    /** Widest a column is padded to; longer cells stay whole and push that row's next cells right. */
    readonly maxWidth?: number;
}

/**
 * An aligned text table: a header row, then the rows, columns two spaces apart. The last column is never
 * padded and no line ends in spaces.
 */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[], options: TableOptions = {}): string {
    const all = [header, ...rows];
    const widths = header.map((_, column) => Math.min(options.maxWidth ?? Infinity, Math.max(...all.map((row) => (row[column] ?? "").length))));
    const line = (row: readonly string[]): string => row
        .map((cell, column) => (column === row.length - 1 ? cell : options.align?.[column] === "right" ? cell.padStart(widths[column]) : cell.padEnd(widths[column])))
        .join("  ")
        .trimEnd();
    return all.map(line).join("\n");
}

/** The last segment of a type token: `aws:rds/instance:Instance` → `Instance`. */
export function shortKind(type: string): string {
    return type.slice(type.lastIndexOf(":") + 1);
}

/** Options of {@link resourceLabeller}. */
export interface LabelOptions {
    /** Always `Kind<separator>name`, not only when the logical name alone is ambiguous (default false). */
    readonly alwaysQualified?: boolean;
    /** Between kind and name (default `/`). */
    readonly separator?: string;
}

/**
 * Names resources for humans, by URN: the logical name alone when no other record shares it, else
 * `Kind/name` (e.g. `SecurityGroup/results-storage-db`). No URN stands for the stack as a whole; a URN not
 * among the records is shown as is.
 */
export function resourceLabeller(records: readonly ResourceRecord[], options: LabelOptions = {}): (urn: string | undefined) => string {
    const byUrn = new Map(records.map((record) => [record.urn, record]));
    const uses = new Map<string, number>();
    for (const record of records) {
        uses.set(record.name, (uses.get(record.name) ?? 0) + 1);
    }
    return (urn) => {
        if (urn === undefined) {
            return "(stack)";
        }
        const record = byUrn.get(urn);
        if (record === undefined) {
            return urn;
        }
        const qualified = options.alwaysQualified === true || (uses.get(record.name) ?? 0) > 1;
        return qualified ? `${shortKind(record.type)}${options.separator ?? "/"}${record.name}` : record.name;
    };
}
