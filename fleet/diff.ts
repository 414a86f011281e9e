/**
 * What a change does to each stack of the fleet: the base's fleet render against the working tree's, stack by stack,
 * as the engine's steps (steps.ts: create, update, replace or delete, data loss first), as `npm run fleet:diff` prints
 * it, as JSON and as Markdown for a pull request's job summary. Pure over two fleet renders; tools/fleet-diff.ts makes
 * them.
 */
import { urnName } from "../analyzer/records";
import type { ResourceRecord } from "../render/contract";
import type { FleetRender, FleetStackReport } from "./render";
import { describeChange } from "../render/record-diff";
import { shortKind } from "../render/table";
import { predictSteps, type Step, type StepOp } from "./steps";

/** One stack's changes (the `--json` contract). */
export interface StackDiff {
    readonly stack: string;
    /** The working tree's ring; the base's for a stack the change removes; null when neither side says. */
    readonly ring: number | null;
    readonly changes: readonly Step[];
}

/** The whole diff (the `--json` contract): `base` is the ref as given, with the commit it resolved to. */
export interface FleetDiff {
    readonly base: string;
    readonly stacks: readonly StackDiff[];
}

/** A stack that did not render on one side: its changes cannot be known. */
export interface DirtyStack {
    readonly stack: string;
    readonly side: "base" | "head";
    readonly error: string;
}

/** The diff, the stacks it could not diff, and what the text and Markdown show besides (each change's values). */
export interface FleetComparison {
    readonly diff: FleetDiff;
    readonly dirty: readonly DirtyStack[];
    /** `describeChange` of each update's paths, by URN and path: values shown, secrets as the mark. */
    readonly values: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

/** An input whose marked value now comes from other resources: where from, before and after (never the value). */
function describeSourced(step: Step, path: string): string | undefined {
    const source = step.provenance[path];
    if (source === undefined) {
        return undefined;
    }
    const from = (urns: readonly string[]): string => (urns.length === 0 ? "no resource" : urns.map(urnName).join(", "));
    return `value from ${from(source.from)} → from ${from(source.to)}`;
}

function reportsByStack(fleet: FleetRender): Map<string, FleetStackReport> {
    return new Map(fleet.report.stacks.map((stack) => [stack.stack, stack]));
}

/**
 * Compares two fleet renders stack by stack. A stack only at head is created whole, one only at base deleted whole;
 * one that did not render on a side is dirty and left out of the diff. Stacks by ring, then name.
 */
export function compareFleets(baseLabel: string, base: FleetRender, head: FleetRender): FleetComparison {
    const baseReports = reportsByStack(base);
    const headReports = reportsByStack(head);
    const names = [...new Set([...baseReports.keys(), ...headReports.keys()])];
    const dirty: DirtyStack[] = [];
    const stacks: StackDiff[] = [];
    const values = new Map<string, Map<string, string>>();
    for (const stack of names) {
        const sides = { base: baseReports.get(stack), head: headReports.get(stack) };
        const failed = (["base", "head"] as const).filter((side) => sides[side] !== undefined && sides[side]?.error !== null);
        for (const side of failed) {
            dirty.push({ stack, side, error: sides[side]?.error ?? "" });
        }
        if (failed.length > 0) {
            continue;
        }
        const baseRecords: readonly ResourceRecord[] = base.renders.get(stack)?.resources ?? [];
        const headRecords: readonly ResourceRecord[] = head.renders.get(stack)?.resources ?? [];
        const changes = predictSteps(baseRecords, headRecords);
        const baseByUrn = new Map(baseRecords.map((record) => [record.urn, record]));
        const headByUrn = new Map(headRecords.map((record) => [record.urn, record]));
        for (const change of changes.filter((entry) => entry.paths.length > 0)) {
            const before = baseByUrn.get(change.renamedFrom ?? change.urn);
            const after = headByUrn.get(change.urn);
            if (before !== undefined && after !== undefined) {
                values.set(change.urn, new Map(change.paths.map((path) => [path, describeSourced(change, path) ?? describeChange(before, after, path)])));
            }
        }
        stacks.push({ stack, ring: sides.head?.ring ?? sides.base?.ring ?? null, changes });
    }
    stacks.sort((a, b) => (a.ring ?? -1) - (b.ring ?? -1) || a.stack.localeCompare(b.stack));
    return { diff: { base: baseLabel, stacks }, dirty, values };
}

const OP_SIGN = { create: "+", update: "~", replace: "+-", delete: "-" } as const satisfies Record<StepOp, string>;
const OPS = ["create", "update", "replace", "delete"] as const satisfies readonly StepOp[];

function counts(changes: readonly Step[]): string {
    const by = (op: StepOp): number => changes.filter((change) => change.op === op).length;
    return OPS.filter((op) => by(op) > 0).map((op) => `${by(op)} to ${op}`).join(", ");
}

/** Every data-losing step of the fleet, with its stack. */
export function dataLossSteps(comparison: FleetComparison): { readonly stack: string; readonly step: Step }[] {
    return comparison.diff.stacks.flatMap((stack) => stack.changes.filter((step) => step.dataLoss !== null).map((step) => ({ stack: stack.stack, step })));
}

/** One line of a data-losing step: what is lost, and what `up` will do about protection. */
function dataLossLine(step: Step): string {
    const protection = step.protected ? "; protected: up stops at this step, and protection comes off only in a reviewed change of its own" : "";
    return `DATA LOSS: ${step.op} ${shortKind(step.type)} ${step.name}: ${step.dataLoss ?? ""}${protection}`;
}

/** Why a step is what it is, after its sign and name: the forcing paths and delete-before-replace. */
function stepReason(step: Step): string {
    if (step.op !== "replace") {
        return "";
    }
    return `  replace because ${step.replaceBecause.join(", ")}${step.deleteBeforeReplace ? "; delete before replace" : ""}`;
}

/** Which rings and stacks change, and which do not: the last lines of the text and the top of the Markdown. */
export function fleetSummary(comparison: FleetComparison): string[] {
    const changed = comparison.diff.stacks.filter((stack) => stack.changes.length > 0);
    const rings = [...new Set(changed.map((stack) => stack.ring))].sort((a, b) => (a ?? -1) - (b ?? -1));
    const lines = [changed.length === 0
        ? `no stack changes (${comparison.diff.stacks.length} compared)`
        : `${changed.length} of ${comparison.diff.stacks.length} stacks change: ${rings.map((ring) => `ring ${ring ?? "?"} (${changed.filter((stack) => stack.ring === ring).map((stack) => stack.stack).join(", ")})`).join("; ")}`];
    const lost = dataLossSteps(comparison);
    if (lost.length > 0) {
        lines.unshift(`${lost.length} step${lost.length === 1 ? "" : "s"} lose data: ${lost.map(({ stack, step }) => `${stack} ${step.op} ${step.name}`).join(", ")}`);
    }
    if (comparison.dirty.length > 0) {
        lines.push(`not compared, they do not render: ${comparison.dirty.map((entry) => `${entry.stack} (${entry.side === "base" ? "at the base" : "in the working tree"})`).join(", ")}`);
    }
    return lines;
}

/** The text `npm run fleet:diff` prints. */
export function formatFleetDiff(comparison: FleetComparison): string {
    const lines = [`fleet diff: ${comparison.diff.base} → working tree`];
    for (const stack of comparison.diff.stacks.filter((entry) => entry.changes.length > 0)) {
        lines.push("", `${stack.stack} (ring ${stack.ring ?? "?"}): ${counts(stack.changes)}`);
        lines.push(...stack.changes.filter((change) => change.dataLoss !== null).map((change) => `  ${dataLossLine(change)}`));
        for (const change of stack.changes) {
            lines.push(`  ${OP_SIGN[change.op]} ${shortKind(change.type)} ${change.name}  (${change.type})${stepReason(change)}`);
            for (const path of change.paths) {
                lines.push(`      ${path}: ${comparison.values.get(change.urn)?.get(path) ?? ""}`);
            }
            lines.push(...change.notes.map((note) => `      note: ${note}`));
        }
    }
    for (const entry of comparison.dirty) {
        lines.push("", `${entry.stack}: does not render ${entry.side === "base" ? "at the base" : "in the working tree"}:`, `  ${entry.error.replace(/\n/g, "\n  ")}`);
    }
    lines.push("", ...fleetSummary(comparison));
    return lines.join("\n");
}

/** Text in a Markdown code span, whatever backticks it holds (CommonMark: a longer fence than any run inside). */
function code(text: string): string {
    const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
    const fence = "`".repeat(longest + 1);
    return `${fence}${longest > 0 ? ` ${text} ` : text}${fence}`;
}

/** Markdown for a job summary: the summary and a table, then each changing stack's resources in a collapsed block. */
export function formatFleetDiffMarkdown(comparison: FleetComparison): string {
    const lines = [`## Fleet diff against ${code(comparison.diff.base)}`, ""];
    const lost = dataLossSteps(comparison);
    if (lost.length > 0) {
        lines.push("### Data loss", "", ...lost.map(({ stack, step }) => `- ${code(stack)}: ${dataLossLine(step)}`), "");
    }
    lines.push(...fleetSummary(comparison).map((line) => `- ${line}`), "");
    lines.push("| Stack | Ring | Create | Update | Replace | Delete |", "| --- | ---: | ---: | ---: | ---: | ---: |");
    for (const stack of comparison.diff.stacks) {
        const by = (op: StepOp): number => stack.changes.filter((change) => change.op === op).length;
        lines.push(`| ${code(stack.stack)} | ${stack.ring ?? "?"} | ${by("create")} | ${by("update")} | ${by("replace")} | ${by("delete")} |`);
    }
    for (const entry of comparison.dirty) {
        lines.push(`| ${code(entry.stack)} | ? | does not render ${entry.side === "base" ? "at the base" : "in the working tree"} | | | |`);
    }
    for (const stack of comparison.diff.stacks.filter((entry) => entry.changes.length > 0)) {
        lines.push("", `<details><summary>${stack.stack} (ring ${stack.ring ?? "?"}): ${counts(stack.changes)}</summary>`, "");
        for (const change of stack.changes) {
            lines.push(`- ${OP_SIGN[change.op]} ${code(change.type)} ${code(change.name)}${stepReason(change)}`);
            for (const path of change.paths) {
                lines.push(`  - ${code(path)}: ${code(comparison.values.get(change.urn)?.get(path) ?? "")}`);
            }
        }
        lines.push("", "</details>");
    }
    return `${lines.join("\n")}\n`;
}
