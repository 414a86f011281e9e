/**
 * Prints a check's result the way `pulumi preview` prints its "Policies:" section (pulumi/pulumi
 * `pkg/backend/display/progress.go` printPolicies, `diff.go` renderDiffPolicyViolationEvent / policyResourceClause /
 * resourceText, `sdk/go/common/tokens/tokens.go` Type.DisplayName), without colours.
 */
import type { InvariantViolation } from "../policy/render-invariants";
import type { CheckResult, Diagnostic } from "./check";
import type { EnforcementLevel } from "./config";

/** Display options. */
export interface FormatOptions {
    /** `--show-urns`: the resource clause shows the full URN instead of the resource's name (default true). */
    readonly showUrns?: boolean;
    /** The pack's path as given to `--policy-pack` (the "(local: …)" mark). Default "policy". */
    readonly packPath?: string;
}

/** tokens.Type.DisplayName: `aws:s3/bucket:Bucket` → `aws:s3:Bucket`; other tokens unchanged. */
export function typeDisplayName(type: string): string {
    const parts = type.split(":");
    const [pkg, module, name] = parts;
    if (parts.length !== 3 || pkg === undefined || module === undefined || !name) {
        return type;
    }
    const slash = module.lastIndexOf("/");
    if (slash < 0 || module.slice(slash + 1) !== name.charAt(0).toLowerCase() + name.slice(1)) {
        return type;
    }
    return `${pkg}:${module.slice(0, slash)}:${name}`;
}

/** The URN's type (last of its `$`-qualified chain) and name. */
function urnParts(urn: string): { readonly type: string; readonly name: string } | undefined {
    const parts = urn.split("::");
    if (!urn.startsWith("urn:pulumi:") || parts.length < 4) {
        return undefined;
    }
    const qualified = parts[2] ?? "";
    return { type: qualified.slice(qualified.lastIndexOf("$") + 1), name: parts.slice(3).join("::") };
}

/** policyResourceClause: `  (<type display name>: <name or URN>)`, nothing for a stack-wide violation. */
function resourceClause(urn: string, showUrns: boolean): string {
    const parts = urnParts(urn);
    return parts === undefined ? "" : `  (${typeDisplayName(parts.type)}: ${showUrns ? urn : parts.name})`;
}

/** enforcementRank in progress.go. */
function enforcementRank(level: EnforcementLevel): number {
    return { remediate: 0, mandatory: 1, advisory: 2, disabled: 3 }[level];
}

/** severityRank in progress.go, from the wire enum (0 unspecified, 1 low … 4 critical). */
function severityRank(severity: number): number {
    return severity === 0 ? 4 : severity >= 1 && severity <= 4 ? 4 - severity : 99;
}

const SEVERITY_NAMES: Readonly<Record<number, string>> = { 1: "low", 2: "medium", 3: "high", 4: "critical" };

/** The CLI's order: level, severity, policy name, URN. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
    return [...diagnostics].sort(
        (a, b) =>
            enforcementRank(a.enforcementLevel) - enforcementRank(b.enforcementLevel) ||
            severityRank(a.severity) - severityRank(b.severity) ||
            (a.policyName < b.policyName ? -1 : a.policyName > b.policyName ? 1 : 0) ||
            (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0),
    );
}

/** One violation as renderDiffPolicyViolationEvent prints it under a pack heading. */
export function formatDiagnostic(d: Diagnostic, options: FormatOptions = {}): string {
    const subItemIndent = "        ";
    const severity = SEVERITY_NAMES[d.severity] ? ` [severity: ${SEVERITY_NAMES[d.severity]}]` : "";
    const heading = `${subItemIndent}- [${d.enforcementLevel}]${severity}  ${d.policyName}${resourceClause(d.urn, options.showUrns ?? true)}`;
    const linePrefix = `${subItemIndent}  `;
    const message = d.message.replace(/\n$/, "").split("\n").join(`\n${linePrefix}`);
    return `${heading}\n${linePrefix}${message}`;
}

/** The "Policies:" section: the pack's ✅/⚠️/❌ heading, then every diagnostic in the CLI's order. */
export function formatPolicies(result: CheckResult, options: FormatOptions = {}): string {
    const all = sortDiagnostics([...result.violations, ...result.notRunInPreview]);
    const mark = all.some((d) => d.enforcementLevel === "mandatory") ? "❌" : all.length > 0 ? "⚠️" : "✅";
    const lines = ["Policies:", `    ${mark} ${result.pack.name}@v${result.pack.version} (local: ${options.packPath ?? "policy"})`];
    for (const d of all) {
        lines.push(formatDiagnostic(d, options));
    }
    return lines.join("\n");
}

/** A one-line count, plus the policies that could not run in preview (each reported on its own). */
export function formatSummary(result: CheckResult, resourceCount: number): string {
    const mandatory = result.violations.filter((v) => v.enforcementLevel === "mandatory").length;
    const lines = [
        `${resourceCount} resources, ${result.violations.length} violations (${mandatory} mandatory), ` +
            `${result.notRunInPreview.length} policy runs that could not run in preview`,
    ];
    for (const d of result.notRunInPreview) {
        lines.push(`  not run in preview: ${d.policyName}${d.urn ? ` on ${d.urn}` : " (stack policy)"}: ${d.message.replace(/^.* during preview: /, "")}`);
    }
    return lines.join("\n");
}

/** The render invariants' section: each broken one with its resource, or that all hold. */
export function formatRenderInvariants(violations: readonly InvariantViolation[]): string {
    if (violations.length === 0) {
        return "Render invariants (not visible to policies in preview): all hold";
    }
    return ["Render invariants (not visible to policies in preview):", ...violations.map((v) => `    ❌ ${v.invariant}  (${v.urn})\n        ${v.message}`)].join("\n");
}
