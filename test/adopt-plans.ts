/**
 * What the adopt plan tests (test/adopt*.test.ts) share: the planned cases, the files a plan produces as the CLI
 * writes them, and lookups into a plan's import file and report.
 */
import * as assert from "node:assert/strict";
import { providerUrns } from "../adopt/build-import-file";
import type { ImportFile } from "../adopt/import-file";
import type { LiveObject } from "../adopt/inputs";
import type { AdoptPlan } from "../adopt/plan";
import { formatReport, type AdoptReport } from "../adopt/report";
import { planFixture, type Fixture, type Variant } from "./adopt-fixtures";

/** Where the expected text's next steps point (as the CLI prints it with its default --out, from the checkout). */
const SHOWN_IMPORT_FILE = "out/prod/adopt/import.json";

/** A JSON file as the CLI writes it. */
export function json(value: unknown): string {
    return `${JSON.stringify(value, null, 2)}\n`;
}

/** The files a plan produces, as the CLI writes and prints them. */
export function outputsOf(plan: AdoptPlan): Map<string, string> {
    const files = new Map<string, string>();
    if (plan.importFile !== undefined) {
        files.set("import.json", json(plan.importFile));
    }
    files.set("report.json", json(plan.report));
    const next = plan.importFile === undefined ? undefined : { importFile: SHOWN_IMPORT_FILE, providerUrns: providerUrns(plan.importFile) };
    files.set("report.txt", `${formatReport(plan.report, next)}\n`);
    return files;
}

/** The plan's import file; fails the test when the plan stops. */
export function importFileOf(plan: AdoptPlan): ImportFile {
    assert.ok(plan.importFile !== undefined, `expected an import file, the plan stops: ${plan.report.stops.join(" | ")}`);
    return plan.importFile;
}

/** The import ID of the imported entry of `type` (and logical name), from the file. */
export function importId(file: ImportFile, type: string, logicalName?: string): string | undefined {
    const entries = (file.resources ?? []).filter((entry) => entry.type === type && (logicalName === undefined || entry.logicalName === logicalName));
    assert.ok(entries.length <= 1, `${type} ${logicalName ?? ""}: ${entries.length} entries`);
    return entries[0]?.id;
}

/** The changes the first up makes to the imported object `what`, by path. */
export function changesOf(report: AdoptReport, what: string): ReadonlyMap<string, { live: string; rendered: string }> {
    const entry = report.changes.find((candidate) => candidate.what === what);
    assert.ok(entry !== undefined, `no imported ${what}`);
    return new Map(entry.changes.map((change) => [change.path, { live: change.live, rendered: change.rendered }]));
}

/** The config row of `key`, when the live value differs. */
export function mismatch(report: AdoptReport, key: string) {
    return report.configMismatches.find((row) => row.key === key);
}

/** The fixtures planned once per test file, each under a variant. */
export const CASES: readonly (readonly [Fixture, Variant])[] = [
    ["infra-deployments", "adopt-key"],
    ["infra-deployments", "prod"],
    ["half-adopted", "prod"],
    ["fresh", "prod"],
];

/** The plans of {@link CASES}, made before the calling describe's tests (renders are memoized; do not mutate a plan). */
export function planCases(): { readonly plans: ReadonlyMap<string, AdoptPlan>; readonly planOf: (fixture: Fixture, variant: Variant) => AdoptPlan } {
    const plans = new Map<string, AdoptPlan>();
    const planOf = (fixture: Fixture, variant: Variant): AdoptPlan => {
        const plan = plans.get(`${fixture}/${variant}`);
        assert.ok(plan !== undefined);
        return plan;
    };

    before(async () => {
        for (const [fixture, variant] of CASES) {
            plans.set(`${fixture}/${variant}`, await planFixture(fixture, variant));
        }
    });
    return { plans, planOf };
}

/** The objects with `change` applied to each. */
export function edit(objects: LiveObject[], change: (object: LiveObject) => LiveObject): LiveObject[] {
    return objects.map(change);
}
