/**
 * The adoption report: its structured form (report.json) and the text `npm run adopt` prints. Six sections: what is
 * imported, what is created new, what exists under another name (a stop), what lives beside the program's objects
 * unmanaged, what the first `up` changes in each imported Kubernetes object, and which config keys differ from what
 * runs. Nothing in it is a secret's value: the diff shows `[secret]`, the rest are names, IDs and config values.
 */
import { formatTable } from "../render/table";
import type { ConfigMismatch } from "./config-check";
import type { Conflict } from "./conflicts";
import type { FieldChange } from "./diff";

/** A resource `pulumi import` adopts. */
export interface ImportedResource {
    readonly type: string;
    readonly urn: string;
    /** Its Pulumi (logical) name. */
    readonly name: string;
    /** What it is, as a person finds it: `Secret openshift-pipelines/x`, `RDS instance x`. */
    readonly what: string;
    readonly id: string;
}

/** Why a resource is created new. */
export type CreatedReason = "absent" | "not-importable" | "not-checked";

/** A resource the first `up` creates, and what that does. */
export interface CreatedResource {
    readonly type: string;
    readonly urn: string;
    readonly name: string;
    readonly what: string;
    readonly reason: CreatedReason;
    /** For not-importable and not-checked: why. */
    readonly why?: string;
    /** What creating it does to what runs. */
    readonly consequence: string;
}

/** A live object beside the program's, of a kind it manages, that it will not manage. */
export interface UnmanagedObject {
    /** `<group>/<Kind>` (`core/Secret`). */
    readonly kind: string;
    /** Empty when cluster-scoped. */
    readonly namespace: string;
    readonly name: string;
    readonly note?: string;
}

/** The changes the first `up` makes to one imported Kubernetes object. */
export interface ObjectChanges {
    readonly type: string;
    readonly urn: string;
    readonly what: string;
    readonly changes: readonly FieldChange[];
}

/** The whole report (report.json). */
export interface AdoptReport {
    readonly stack: string;
    readonly project: string;
    /** `import`: run the next steps; `stop`: resolve every entry of `stops` first (exit 1). */
    readonly verdict: "import" | "stop";
    /** Each reason to stop, one paragraph. */
    readonly stops: readonly string[];
    /** Whether an AWS dump was given (without it no AWS resource is checked). */
    readonly awsChecked: boolean;
    readonly imported: readonly ImportedResource[];
    readonly created: readonly CreatedResource[];
    readonly differentName: readonly Conflict[];
    readonly unmanaged: readonly UnmanagedObject[];
    readonly changes: readonly ObjectChanges[];
    readonly configMismatches: readonly ConfigMismatch[];
}

/** Where the next steps' commands point. */
export interface NextSteps {
    /** The import file as the user passes it to pulumi (relative to where they run it). */
    readonly importFile: string;
    /** The explicit providers' URNs (they must be in state before the import). */
    readonly providerUrns: readonly string[];
}

/** A type as the report shows it: the Kubernetes kind, or the AWS module and class (`rds Instance`: `Role` alone is ambiguous). */
function shortKind(type: string): string {
    const kind = type.slice(type.lastIndexOf(":") + 1);
    const aws = /^aws:([a-z0-9]+)\//.exec(type);
    return aws === null ? kind : `${aws[1]} ${kind}`;
}

function section(title: string, count: number, body: readonly string[], empty: string): string[] {
    return ["", `${title} (${count})`, ...(count === 0 ? [`  ${empty}`] : body)];
}

function indent(text: string, by = "  "): string {
    return text.split("\n").map((line) => (line === "" ? line : `${by}${line}`)).join("\n");
}

/** Unmanaged objects grouped by kind and namespace, names comma-separated (a namespace can hold dozens). */
function unmanagedLines(unmanaged: readonly UnmanagedObject[]): string[] {
    const groups = new Map<string, string[]>();
    const notes: string[] = [];
    for (const object of unmanaged) {
        const where = `${object.kind.slice(object.kind.indexOf("/") + 1)} ${object.namespace === "" ? "(cluster)" : object.namespace}`;
        groups.set(where, [...(groups.get(where) ?? []), object.name]);
        if (object.note !== undefined) {
            notes.push(`  ${object.kind.slice(object.kind.indexOf("/") + 1)} ${object.namespace === "" ? "" : `${object.namespace}/`}${object.name}: ${object.note}`);
        }
    }
    return [...[...groups].map(([where, names]) => `  ${where}: ${names.join(", ")}`), ...notes];
}

/** A config or live value as text: strings bare unless they hold control characters (then quoted, escaped), the rest as JSON. */
function value(text: unknown): string {
    if (text === null) {
        return "(unset)";
    }
    // eslint-disable-next-line no-control-regex
    return typeof text === "string" && !/[\u0000-\u001f\u007f]/.test(text) ? text : JSON.stringify(text);
}

/** The commands after a report that does not stop. */
function nextSteps(report: AdoptReport, next: NextSteps): string[] {
    const stack = report.stack;
    const steps: string[] = [];
    if (report.imported.length === 0) {
        steps.push(`nothing exists yet: ${next.importFile} holds only the components, importing it is not needed`);
    } else {
        if (next.providerUrns.length > 0) {
            steps.push(`providers into state first (changes nothing in the cluster or account): pulumi up --stack ${stack} ${next.providerUrns.map((urn) => `--target '${urn}'`).join(" ")}`);
        }
        steps.push(`pulumi import --stack ${stack} --file ${next.importFile} --generate-code=false`);
    }
    steps.push(`pulumi preview --stack ${stack} --diff --policy-pack policy   (creates and updates only: nothing replaced or deleted)`);
    steps.push(`pulumi up --stack ${stack} --policy-pack policy`);
    return steps;
}

/** The report as text, as `npm run adopt` prints it; with `next`, the commands to run when nothing stops. */
export function formatReport(report: AdoptReport, next?: NextSteps): string {
    const lines: string[] = [`adopt: stack ${report.stack}${report.awsChecked ? "" : " (no --aws dump: AWS resources not checked)"}`];
    if (report.verdict === "stop") {
        lines.push("", `STOP before import: ${report.stops.length} thing${report.stops.length === 1 ? "" : "s"} to resolve first, then run adopt again (no import.json written)`);
        report.stops.forEach((stop, index) => lines.push(indent(`${index + 1}. ${stop}`)));
    }
    lines.push(...section("1. Imported", report.imported.length,
        [indent(formatTable(["TYPE", "RESOURCE", "IMPORT ID"], report.imported.map((entry) => [shortKind(entry.type), entry.what, entry.id])))],
        "nothing: no resource of the program exists yet"));
    lines.push(...section("2. Created new by the first up", report.created.length,
        report.created.map((entry) => `  ${shortKind(entry.type)} ${entry.what}: ${entry.consequence}${entry.why === undefined ? "" : ` (${entry.reason === "not-importable" ? "not importable" : "not checked"}: ${entry.why})`}`),
        "nothing"));
    lines.push(...section("3. Exists under another name: would be duplicated (stop)", report.differentName.length,
        report.differentName.flatMap((entry) => [`  ${entry.existing} (the program's ${shortKind(entry.type)} ${entry.urn.slice(entry.urn.lastIndexOf("::") + 2)}): ${entry.why}`, `    resolve: ${entry.resolve}`]),
        "nothing"));
    lines.push(...section("4. Not managed by the program (left as they are)", report.unmanaged.length, unmanagedLines(report.unmanaged), "nothing"));
    const changed = report.changes.filter((entry) => entry.changes.length > 0);
    lines.push(...section("5. What the first up changes in imported objects", changed.length,
        [...(changed.length === 0 ? [] : ["  (server-side apply: fields the program does not set stay as they are; a Secret's data is hidden by the render, so it is always listed, as [secret])"]),
            ...changed.flatMap((entry) => [`  ${entry.what}`, ...entry.changes.map((change) => `    ${change.path}: ${change.live} → ${change.rendered}`)])],
        "nothing: every imported object is as rendered"));
    lines.push(...section("6. Config that differs from the cluster (fix the config, unless the change is meant)", report.configMismatches.length,
        report.configMismatches.flatMap((row) => [`  ${row.key}: config ${value(row.config)}, live ${value(row.live)} (${row.source})`, `    fix: ${row.fix}`]),
        "nothing"));
    if (report.verdict === "import" && next !== undefined) {
        lines.push("", "next:", ...nextSteps(report, next).map((step, index) => `  ${index + 1}. ${step}`));
    }
    return lines.join("\n");
}
