/**
 * The policy pack on the real runtime: pruning through Tekton Results, its database CA, and log expiry after retention.
 */
import assert from "node:assert/strict";
import type { ResourceRecord } from "../render";
import { mutate, T } from "./fixtures/policy-edits";
import { urnOf, type EditableInputs } from "./fixtures/policy-records";
import { goodResources } from "./fixtures/policy-resources";
import { expectNoViolation, expectViolation, tektonConfig } from "./policy-expect";

const watcherArgs = (change: (args: string[]) => string[]): ResourceRecord[] =>
    tektonConfig(goodResources(), (spec: EditableInputs) => {
        const container = spec.result.options.deployments["tekton-results-watcher"].spec.template.spec.containers[0];
        container.args = change(container.args);
    });

describe("results-pruning-enabled", () => {
    const policy = "results-pruning-enabled";
    it("passes the watcher flags that make Results prune", async () => {
        await expectNoViolation(goodResources(), policy);
    });
    it("fails a watcher that never deletes archived runs (no grace period, 0, or longer than a day)", async () => {
        await expectViolation(watcherArgs((args) => args.filter((arg) => !arg.startsWith("-completed_run_grace_period"))), policy, /unset: 0, never/, {
            urn: urnOf(T.tektonConfig, "config"),
        });
        await expectViolation(watcherArgs((args) => [...args.slice(1), "-completed_run_grace_period=0"]), policy, /=0: set a Go duration above 0/);
        await expectViolation(watcherArgs((args) => [...args.slice(1), "-completed_run_grace_period=48h"]), policy, /at most 24h/);
    });
    it("fails without -check_owner=false or -logs_api=true", async () => {
        await expectViolation(watcherArgs((args) => args.filter((arg) => arg !== "-check_owner=false")), policy, /-check_owner=false/);
        await expectViolation(watcherArgs((args) => args.filter((arg) => arg !== "-logs_api=true")), policy, /-logs_api=true/);
    });
    it("fails Results disabled while the pruner is off, and is silent while the operator prunes", async () => {
        await expectViolation(tektonConfig(goodResources(), (spec) => (spec.result.disabled = true)), policy, /nothing would ever delete a completed run/);
        await expectNoViolation(tektonConfig(goodResources(), (spec) => Object.assign(spec, { pruner: { disabled: false }, result: { disabled: true } })), policy);
    });
});

describe("results-db-ca-mounted", () => {
    const policy = "results-db-ca-mounted";
    it("fails when the retention agent or the API lacks the CA mount", async () => {
        const agent = tektonConfig(goodResources(), (spec) => delete spec.result.options.deployments["tekton-results-retention-policy-agent"]);
        await expectViolation(agent, policy, /tekton-results-retention-policy-agent \(container retention-policy-agent\) does not mount the CA/);
        const api = tektonConfig(goodResources(), (spec) => (spec.result.options.deployments["tekton-results-api"].spec.template.spec.volumes = []));
        await expectViolation(api, policy, /tekton-results-api \(container api\)/);
        const elsewhere = tektonConfig(goodResources(), (spec) => (spec.result.db_sslrootcert = "/etc/other/ca.pem"));
        await expectViolation(elsewhere, policy, /"\/etc\/other\/ca\.pem"/);
    });
    it("does not ask for a CA when the server is not verified", async () => {
        const noVerify = tektonConfig(goodResources(), (spec) => Object.assign(spec.result, { db_sslmode: "require", options: {} }));
        await expectNoViolation(noVerify, policy);
    });
});

describe("results-log-expiry-after-retention", () => {
    const policy = "results-log-expiry-after-retention";
    const lifecycle = (rules: unknown[]): ResourceRecord[] => mutate(goodResources(), T.bucketLifecycle, "results-logs", (r) => (r.inputs.rules = rules));
    it("fails a bucket whose objects never expire", async () => {
        await expectViolation(lifecycle([{ id: "abort", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } }]), policy, /no lifecycle rule that expires objects/, {
            urn: urnOf(T.bucket, "results-logs"),
        });
        await expectViolation(lifecycle([{ id: "expire-logs", status: "Disabled", filter: {}, expiration: { days: 37 } }]), policy, /no lifecycle rule/);
    });
    it("fails logs that expire before their records", async () => {
        await expectViolation(lifecycle([{ id: "expire-logs", status: "Enabled", filter: {}, expiration: { days: 20 } }]), policy, /after 20 days, before Results deletes their records \(30 days\)/);
        const longer = tektonConfig(goodResources(), (spec) => (spec.result.options.configMaps["tekton-results-config-results-retention-policy"].data.defaultRetention = "60"));
        await expectViolation(longer, policy, /after 37 days, before Results deletes their records \(60 days\)/);
    });
});

describe("controllers-highly-available", () => {
    const policy = "controllers-highly-available";
    it("passes controllers with two or more replicas", async () => {
        await expectNoViolation(goodResources(), policy);
    });
    it("fails a single-replica controller, naming where its replicas are set", async () => {
        await expectViolation(tektonConfig(goodResources(), (spec) => (spec.chain.performance.replicas = 1)), policy, /Chains controller runs 1 replica\(s\): set spec\.chain\.performance\.replicas to at least 2/, {
            urn: urnOf(T.tektonConfig, "config"),
        });
        await expectViolation(tektonConfig(goodResources(), (spec) => delete spec.platforms.openshift.pipelinesAsCode.options), policy, /Pipelines-as-Code webhook runs the manifest's single replica/);
    });
    it("is advisory under the dev environment's policy config, and takes its minimum from config", async () => {
        const single = tektonConfig(goodResources(), (spec) => (spec.pipeline.performance.replicas = 1));
        const advisory = await expectViolation(single, policy, /Pipelines controller runs 1/, { config: { [policy]: "advisory" } });
        assert.equal(advisory.level, "advisory");
        await expectViolation(goodResources(), policy, /at least 3/, { config: { [policy]: { minimumReplicas: 3 } } });
    });
});
