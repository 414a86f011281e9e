/**
 * The policy pack on renders of every OpenShift Pipelines line, dev and prod, on the real runtime: the mandatory
 * policies hold on each line and catch their mutations there, and the line policies (policy/operator-lines.ts)
 * catch what is wrong on one line and right on another.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { SUPPORTED_OPERATOR_LINES } from "../lib/operator-lines";
import { PACK_LINE_FACTS } from "../policy/operator-lines";
import type { RenderResult, ResourceRecord } from "../render";
import { mutate } from "./fixtures/policy-edits";
import type { EditableInputs } from "./fixtures/policy-records";
import { exampleRender, lineRender } from "./harness";
import { check, expectNoViolation, expectViolation } from "./policy-expect";

const TEKTON_CONFIG = "kubernetes:operator.tekton.dev/v1alpha1:TektonConfig";
const SUBSCRIPTION = "kubernetes:operators.coreos.com/v1alpha1:Subscription";
const policyConfig = (environment: "dev" | "prod") =>
    JSON.parse(fs.readFileSync(path.join(__dirname, "..", "policy", "config", `${environment}.json`), "utf8")) as Record<string, unknown>;

/** The render's records with the one record of `type` named `name` changed in a copy (`change` edits its deep-copied inputs). */
const edited = (render: RenderResult, type: string, name: string, change: (inputs: EditableInputs) => unknown): ResourceRecord[] =>
    mutate(render.resources, type, name, (record) => change(record.inputs));
const specEdited = (render: RenderResult, change: (spec: EditableInputs) => unknown) => edited(render, TEKTON_CONFIG, "tekton-config", (inputs) => change(inputs.spec));

describe("the pack's line facts", () => {
    it("are lib/operator-lines.ts's, line by line", () => {
        assert.deepEqual(PACK_LINE_FACTS, SUPPORTED_OPERATOR_LINES.map((line) => ({
            pipelines: line.pipelines,
            channel: line.channel,
            resultsRoute: line.resultsRoute,
            scheduler: line.scheduler,
            maxRetentionOverrides: line.maxRetentionOverrides,
            droppedKeys: line.droppedKeys,
        })));
    });
});

for (const line of SUPPORTED_OPERATOR_LINES) {
    describe(`the policy pack on OpenShift Pipelines ${line.pipelines} renders`, function () {
        this.timeout(60_000);

        for (const environment of ["dev", "prod"] as const) {
            it(`passes the ${environment} render with its environment's policy config: no mandatory violation${environment === "prod" ? ", none at all" : ""}`, async () => {
                const result = await check((await lineRender(environment, line.pipelines)).resources, { config: policyConfig(environment) });
                const shown = result.violations.map((violation) => `${violation.policy}: ${violation.message}`);
                if (environment === "prod") {
                    assert.deepEqual(shown, []);
                } else {
                    assert.deepEqual(result.violations.filter((violation) => violation.level === "mandatory").map((violation) => violation.policy), [], shown.join("\n"));
                }
            });
        }

        const mutations: ReadonlyArray<{ readonly policy: string; readonly what: string; readonly change: (spec: EditableInputs) => unknown; readonly says: RegExp }> = [
            { policy: "tekton-triggers-disabled", what: "Triggers on", change: (spec) => (spec.trigger.disabled = false), says: /Tekton Triggers would be installed/ },
            { policy: "tekton-pruner-disabled", what: "the job pruner on", change: (spec) => (spec.pruner.disabled = false), says: /job-based pruner is enabled/ },
            { policy: "tekton-pruner-disabled", what: "the event pruner on", change: (spec) => (spec.tektonpruner.disabled = false), says: /event-based pruner/ },
            { policy: "tekton-profile-without-triggers", what: "profile all", change: (spec) => (spec.profile = "all"), says: /spec\.profile: basic/ },
            {
                policy: "results-pruning-enabled", what: "a watcher that never deletes",
                change: (spec) => (spec.result.options.deployments["tekton-results-watcher"].spec.template.spec.containers[0].args = ["-check_owner=false", "-logs_api=true"]),
                says: /completed_run_grace_period=\(unset/,
            },
            {
                policy: "results-db-ca-mounted", what: "the API without its CA",
                change: (spec) => (spec.result.options.deployments["tekton-results-api"].spec.template.spec.volumes = []), says: /tekton-results-api \(container api\)/,
            },
            { policy: "controllers-highly-available", what: "one Pipelines controller", change: (spec) => (spec.pipeline.performance.replicas = 1), says: /Pipelines controller runs 1/ },
        ];
        for (const mutation of mutations) {
            it(`catches ${mutation.what} (${mutation.policy})`, async () => {
                await expectViolation(specEdited(await lineRender("prod", line.pipelines), mutation.change), mutation.policy, mutation.says);
            });
        }

        if (line.resultsRoute) {
            it("refuses the operator's Results Route besides the Ingress (route_enabled unset or true)", async () => {
                const render = await lineRender("prod", line.pipelines);
                await expectViolation(specEdited(render, (spec) => delete spec.result.route_enabled), "results-api-exposed-once",
                    new RegExp(`route_enabled unset \\(the webhook makes it true on OpenShift\\) on OpenShift Pipelines ${line.pipelines.replace(".", "\\.")}, so the operator's Route tekton-results-api exposes the Results API besides Ingress openshift-pipelines/tekton-results: set route_enabled: false`));
                await expectViolation(specEdited(render, (spec) => (spec.result.route_enabled = true)), "results-api-exposed-once", /leaves spec\.result\.route_enabled true/);
            });
        } else {
            it("has no operator Results Route to count on this line", async () => {
                await expectNoViolation(specEdited(await lineRender("prod", line.pipelines), (spec) => delete spec.result.route_enabled), "results-api-exposed-once");
            });
        }

        if (line.scheduler) {
            it("refuses a TektonConfig that leaves the scheduler to the defaults, or turns it on", async () => {
                const render = await lineRender("prod", line.pipelines);
                await expectViolation(specEdited(render, (spec) => delete spec.scheduler), "tekton-config-fits-line", /does not set spec\.scheduler\.disabled: true on OpenShift Pipelines 1\.22/);
                await expectViolation(specEdited(render, (spec) => (spec.scheduler.disabled = false)), "tekton-config-fits-line", /spec\.scheduler\.disabled: true/);
            });
        }

        for (const keyPath of line.droppedKeys) {
            it(`refuses spec.${keyPath.join(".")}, which the webhook drops`, async () => {
                const records = specEdited(await lineRender("prod", line.pipelines), (spec) => {
                    spec[keyPath[0]][keyPath[1]] = true;
                });
                await expectViolation(records, "tekton-config-fits-line", new RegExp(`sets spec\\.${keyPath.join("\\.")}, which the webhook drops on OpenShift Pipelines ${line.pipelines.replace(".", "\\.")}`));
            });
        }

        it(`${line.maxRetentionOverrides ? "refuses" : "allows"} a Results maxRetention (it ${line.maxRetentionOverrides ? "overrides" : "does not override"} defaultRetention here)`, async () => {
            const records = specEdited(await lineRender("prod", line.pipelines), (spec) => {
                spec.result.options.configMaps["tekton-results-config-results-retention-policy"].data.maxRetention = "90";
            });
            if (line.maxRetentionOverrides) {
                await expectViolation(records, "tekton-config-fits-line", /sets maxRetention .* from 1\.21 it overrides defaultRetention/);
            } else {
                await expectNoViolation(records, "tekton-config-fits-line");
            }
        });
    });
}

describe("a stack on no single line", function () {
    this.timeout(60_000);

    it("is reported by operator-line-pinned: mandatory by the pack, advisory under dev.json", async () => {
        const dev = await exampleRender("dev");
        const mandatory = await expectViolation(dev.resources, "operator-line-pinned", /follows channel latest, which no single line owns: pin operator\.line \(1\.20, 1\.21, 1\.22\)/);
        assert.equal(mandatory.level, "mandatory");
        const relaxed = await expectViolation(dev.resources, "operator-line-pinned", /channel latest/, { config: policyConfig("dev") });
        assert.equal(relaxed.level, "advisory");
    });

    it("passes operator-line-pinned once its Subscription follows a line's channel, and fails another channel", async () => {
        const dev = await exampleRender("dev");
        await expectNoViolation(edited(dev, SUBSCRIPTION, "pipelines-operator-subscription", (inputs) => (inputs.spec.channel = "pipelines-1.21")), "operator-line-pinned");
        await expectViolation(edited(dev, SUBSCRIPTION, "pipelines-operator-subscription", (inputs) => (inputs.spec.channel = "pipelines-1.19")), "operator-line-pinned", /follows channel pipelines-1\.19/);
    });

    it("gets the checks that hold on every line: no dropped key, no maxRetention, and no scheduler demanded", async () => {
        const dev = await exampleRender("dev");
        await expectNoViolation(dev.resources, "tekton-config-fits-line");
        await expectViolation(specEdited(dev, (spec) => (spec.pipeline["disable-affinity-assistant"] = true)), "tekton-config-fits-line", /webhook drops on any OpenShift Pipelines line/);
        await expectViolation(specEdited(dev, (spec) => {
            spec.result.options.configMaps["tekton-results-config-results-retention-policy"].data.maxRetention = "90";
        }), "tekton-config-fits-line", /sets maxRetention/);
    });
});
