/**
 * The policy pack on the real runtime: alerting rules carry a runbook and a severity (mandatory; advisory under
 * the dev environment's policy config).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import type { ResourceRecord } from "../render";
import { exampleRender } from "./harness";
import { mutate, T } from "./fixtures/policy-edits";
import { urnOf, type EditableInputs } from "./fixtures/policy-records";
import { goodResources } from "./fixtures/policy-resources";
import { expectNoViolation, expectViolation } from "./policy-expect";

const DEV_CONFIG = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "policy", "config", "dev.json"), "utf8")) as Record<string, unknown>;

/** The fixture with its alerting rule (rules[1]) changed. */
const alertRule = (records: readonly ResourceRecord[], change: (rule: EditableInputs) => unknown): ResourceRecord[] =>
    mutate(records, T.prometheusRule, "observability-alerts", (r) => change(r.inputs.spec.groups[0].rules[1]));

/** The render's PrometheusRule with its first alert changed, so the policy is shown to catch a real render. */
async function renderedAlert(stack: "dev" | "prod", change: (rule: EditableInputs) => unknown): Promise<ResourceRecord[]> {
    const resources = [...(await exampleRender(stack)).resources];
    const rule = resources.find((r) => r.type === T.prometheusRule);
    assert.ok(rule, "the render has a PrometheusRule");
    return mutate(resources, T.prometheusRule, rule.name, (r) => change(r.inputs.spec.groups[0].rules[0]));
}

describe("prometheus-alerts-have-runbook", () => {
    const policy = "prometheus-alerts-have-runbook";
    it("passes alerts with an https runbook_url, and ignores recording rules", async () => {
        await expectNoViolation(goodResources(), policy);
        await expectNoViolation([...(await exampleRender("prod")).resources], policy);
    });
    it("fails an alert without a runbook_url, or with a non-https one", async () => {
        await expectViolation(alertRule(goodResources(), (rule) => delete rule.annotations.runbook_url), policy,
            /Alert TektonResultsApiErrors \(spec\.groups\[0\]\.rules\[1\]\) has no https runbook_url/, { urn: urnOf(T.prometheusRule, "observability-alerts") });
        await expectViolation(alertRule(goodResources(), (rule) => (rule.annotations.runbook_url = "docs/runbooks/x.md")), policy, /no https runbook_url/);
        await expectViolation(await renderedAlert("prod", (rule) => delete rule.annotations), policy, /Alert TektonConfigNotReady .* no https runbook_url/);
    });
    it("is advisory under the dev environment's policy config", async () => {
        const found = await expectViolation(await renderedAlert("dev", (rule) => delete rule.annotations.runbook_url), policy, /TektonConfigNotReady/, { config: DEV_CONFIG });
        assert.equal(found.level, "advisory");
    });
});

describe("prometheus-alerts-have-severity", () => {
    const policy = "prometheus-alerts-have-severity";
    it("passes alerts labelled critical or warning", async () => {
        await expectNoViolation(goodResources(), policy);
        await expectNoViolation([...(await exampleRender("prod")).resources], policy);
    });
    it("fails an alert without a severity label, or with an unknown one", async () => {
        await expectViolation(alertRule(goodResources(), (rule) => delete rule.labels), policy,
            /Alert TektonResultsApiErrors \(spec\.groups\[0\]\.rules\[1\]\) has severity null/, { urn: urnOf(T.prometheusRule, "observability-alerts") });
        await expectViolation(alertRule(goodResources(), (rule) => (rule.labels.severity = "page")), policy, /has severity "page": set labels\.severity to one of critical, warning, info/);
        const found = await expectViolation(await renderedAlert("prod", (rule) => (rule.labels = {})), policy, /Alert TektonConfigNotReady/);
        assert.equal(found.level, "mandatory");
    });
    it("is advisory under the dev environment's policy config", async () => {
        const found = await expectViolation(await renderedAlert("dev", (rule) => (rule.labels = {})), policy, /TektonConfigNotReady/, { config: DEV_CONFIG });
        assert.equal(found.level, "advisory");
    });
});
