/**
 * The alerts against real promtool: the PrometheusRule's spec written as a rules file (promtool rejects the CR
 * itself), `promtool check rules`, and unit-test files generated from test/fixtures/alert-cases.ts in which every
 * alert fires on its bad series and stays quiet on its good one. promtool runs once for all of them.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { alertDefinitions, ALERT_NAMES, ruleGroups, type AlertDefinition } from "../components/observability/alerts";
import { ALERT_CASES, CASE_SETTINGS, type AlertCase } from "./fixtures/alert-cases";

/** promtool as `$PROMTOOL`, else the first on PATH (.ci/promtool-env puts an unpacked one there), else undefined. */
function findPromtool(): string | undefined {
    if (process.env.PROMTOOL !== undefined) {
        return process.env.PROMTOOL;
    }
    return (process.env.PATH ?? "").split(path.delimiter).filter((dir) => dir !== "").map((dir) => path.join(dir, "promtool")).find((candidate) => {
        try {
            fs.accessSync(candidate, fs.constants.X_OK);
            return fs.statSync(candidate).isFile();
        } catch {
            return false;
        }
    });
}

const PROMTOOL = findPromtool();

function testGroups(alert: AlertDefinition, testCase: AlertCase): unknown[] {
    const annotations = { summary: alert.summary, description: alert.description, runbook_url: alert.runbook };
    const group = (name: string, series: AlertCase["quiet"], expAlerts: unknown[]) => ({
        name: `${alert.name} ${name}`,
        interval: testCase.interval ?? "1m",
        input_series: series.map((s) => ({ series: s.series, values: s.values })),
        alert_rule_test: [{ eval_time: testCase.evalTime, alertname: alert.name, exp_alerts: expAlerts }],
    });
    return [
        group("fires on the bad series", testCase.fires.series, [{ exp_labels: { ...testCase.fires.labels, severity: alert.severity }, exp_annotations: annotations }]),
        group("stays quiet on the good series", testCase.quiet, []),
    ];
}

/**
 * Writes the rules file and the promtool unit-test files for `alerts` into a new temp dir: the rules file with every
 * alert (for `check rules`), and per alert a rules file of that alert alone with its test file (its interval set per
 * file). promtool evaluates every rule of a test file's rule files in each of its groups, so an alert tested against
 * its own rule file costs its own evaluation only (no recording rules exist for an alert to depend on); promtool
 * still runs once for all the test files.
 */
function writePromtoolFiles(alerts: readonly AlertDefinition[]): { dir: string; rules: string; tests: string[] } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pipeline-service-alerts-"));
    const rules = path.join(dir, "rules.yaml");
    fs.writeFileSync(rules, YAML.stringify(ruleGroups(alerts), { lineWidth: 0 }));
    const tests = alerts.map((alert) => {
        fs.writeFileSync(path.join(dir, `rules-${alert.name}.yaml`), YAML.stringify(ruleGroups([alert]), { lineWidth: 0 }));
        const file = path.join(dir, `tests-${alert.name}.yaml`);
        fs.writeFileSync(file, YAML.stringify({
            rule_files: [`rules-${alert.name}.yaml`],
            evaluation_interval: ALERT_CASES[alert.name].interval ?? "1m",
            tests: testGroups(alert, ALERT_CASES[alert.name]),
        }, { lineWidth: 0 }));
        return file;
    });
    return { dir, rules, tests };
}

function promtool(args: string[], cwd: string): { status: number | null; output: string } {
    assert.ok(PROMTOOL !== undefined, "promtool is checked for in before()");
    const run = spawnSync(PROMTOOL, args, { cwd, encoding: "utf8" });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
}

describe("alerts under promtool", function () {
    this.timeout(60_000);
    const alerts = alertDefinitions(CASE_SETTINGS);

    before(function () {
        if (PROMTOOL === undefined || !fs.existsSync(PROMTOOL)) {
            if (process.env.CI) {
                throw new Error(`promtool not found (${PROMTOOL ?? "not on PATH"}): source .ci/promtool-env, install Debian's prometheus package, or set PROMTOOL`);
            }
            console.warn(`    skipped: promtool not found (${PROMTOOL ?? "not on PATH"}; Debian's prometheus package ships it); CI fails instead`);
            this.skip();
        }
    });

    it("covers every alert with a case (all alerts exist when the exporter runs)", () => {
        assert.deepEqual(alerts.map((alert) => alert.name), [...ALERT_NAMES]);
        assert.deepEqual(Object.keys(ALERT_CASES).sort(), [...ALERT_NAMES].sort());
    });

    it("check rules accepts the rule groups, and every alert fires on bad series and stays quiet on good ones", () => {
        const files = writePromtoolFiles(alerts);
        try {
            const check = promtool(["check", "rules", files.rules], files.dir);
            assert.equal(check.status, 0, check.output);
            assert.match(check.output, new RegExp(`SUCCESS: ${alerts.length} rules found`));
            const test = promtool(["test", "rules", ...files.tests], files.dir);
            assert.equal(test.status, 0, test.output);
            assert.match(test.output, /SUCCESS/);
        } finally {
            fs.rmSync(files.dir, { recursive: true, force: true });
        }
    });

    it("fails (promtool reports it) when an alert's expression is wrong: the cases are not vacuous", () => {
        // Comparison flipped: the bad series no longer fires, the good one does.
        const alert = alerts.find((candidate) => candidate.name === "TektonResultsApiErrors");
        assert.ok(alert);
        const files = writePromtoolFiles([{ ...alert, expr: alert.expr.replace("> 0.05", "< 0.05") }]);
        try {
            const test = promtool(["test", "rules", ...files.tests], files.dir);
            assert.notEqual(test.status, 0);
            assert.match(test.output, /TektonResultsApiErrors fires on the bad series/);
            assert.match(test.output, /TektonResultsApiErrors stays quiet on the good series/);
        } finally {
            fs.rmSync(files.dir, { recursive: true, force: true });
        }
    });
});
