import * as assert from "node:assert/strict";
import { parseStackConfig, type StackConfigError } from "../stacks/config";
import { goDurationSeconds } from "../lib/go-duration";
import { RenderError, renderStack } from "../render";
import { dev, devObject, parseDev, problemsOf, prod } from "./config-fixtures";
import { withConfig } from "../render";

describe("stack config", () => {
    it("parses the dev example with dev defaults", () => {
        const config = parseStackConfig(dev.config, dev.project, dev.stack);
        assert.equal(config.environment, "dev");
        assert.equal(config.protectStateful, false);
        assert.equal(config.results.multiAz, false);
        assert.equal(config.results.deletionProtection, false);
        assert.equal(config.results.backupRetentionDays, 1);
        assert.equal(config.results.instanceClass, "db.t4g.small");
        assert.equal(config.operator.installPlanApproval, "Automatic");
        assert.equal(config.operator.channel, "latest");
        assert.equal(config.chains.signing, "key");
        assert.equal(config.chains.transparencyEnabled, false);
        assert.equal(config.vault.refreshInterval, "1m");
        assert.equal(config.providers.awsRegion, "us-east-1");
        assert.equal(config.providers.kubernetesContext, "stone-stg-rh01");
    });

    it("parses the prod example with prod defaults and its overrides", () => {
        const config = parseStackConfig(prod.config, prod.project, prod.stack);
        assert.equal(config.protectStateful, true);
        assert.equal(config.results.multiAz, true);
        assert.equal(config.results.deletionProtection, true);
        assert.equal(config.results.backupRetentionDays, 14);
        assert.equal(config.results.allocatedStorage, 200);
        assert.equal(config.results.maxAllocatedStorage, 2000);
        assert.equal(config.operator.installPlanApproval, "Manual");
        assert.equal(config.pipelines.buckets, 3);
        // Every controller highly available in prod; the Results containers sized by default.
        assert.deepEqual(config.workloads, {
            pipelinesControllerReplicas: 3, pipelinesWebhookMinReplicas: 2, pipelinesAsCodeReplicas: 2, chainsControllerReplicas: 2,
            resultsApiReplicas: 2, resultsWatcherReplicas: 2,
            resultsApiResources: { requests: { cpu: "100m", memory: "512Mi" }, limits: { memory: "1Gi" } },
            resultsWatcherResources: { requests: { cpu: "250m", memory: "2Gi" }, limits: { memory: "2Gi" } },
        });
    });

    it("returns a deeply frozen object", () => {
        const config = parseStackConfig(dev.config, dev.project, dev.stack);
        assert.ok(Object.isFrozen(config));
        assert.ok(Object.isFrozen(config.results));
        assert.ok(Object.isFrozen(config.network.allowedCidrs));
    });

    it("lets a stack override an environment default", () => {
        const config = parseDev({ "pipeline-service:results": { multiAz: true, backupRetentionDays: 7 } });
        assert.equal(config.results.multiAz, true);
        assert.equal(config.results.backupRetentionDays, 7);
        assert.equal(config.results.deletionProtection, false);
    });

    it("defaults the autoscaling ceiling to one RDS accepts after raising storage", () => {
        assert.equal(parseDev({ "pipeline-service:results": { allocatedStorage: 100 } }).results.maxAllocatedStorage, 110);
        const error = problemsOf(() => parseDev({ "pipeline-service:results": { allocatedStorage: 100, maxAllocatedStorage: 105 } }));
        assert.match(error.message, /pipeline-service:results\.maxAllocatedStorage: maxAllocatedStorage 105 GiB must be at least 10% above/);
    });

    it("never echoes the value of a key set as a secret", () => {
        const { config, project, stack } = withConfig(dev, { "pipeline-service:vault": devObject("vault", { server: "http://hunter2.example.com" }) });
        const error = problemsOf(() => parseStackConfig(config, project, stack, new Set(["pipeline-service:vault"])));
        assert.match(error.message, /pipeline-service:vault\.server: must be an https:\/\/ URL \(got \(secret\)\)/);
        assert.doesNotMatch(error.message, /hunter2/);
    });

    it("says a string is wanted when a number is given where the allowed values are strings", () => {
        const error = problemsOf(() => parseDev({ "pipeline-service:results": { engineVersion: 17 } }));
        assert.match(error.message, /pipeline-service:results\.engineVersion: must be one of "17", "18" \(a string: quote it, e\.g\. "17"\) \(got 17\)/);
    });

    it("reports the value given next to what is allowed", () => {
        const error = problemsOf(() => parseDev({ "pipeline-service:environment": "staging" }));
        assert.match(error.message, /pipeline-service:environment: must be one of "dev", "prod" \(got "staging"\)/);
    });

    it("collects every problem at once", () => {
        const error = problemsOf(() => parseDev({
            "pipeline-service:environment": "qa",
            "pipeline-service:results": { backupRetentionDays: 99 },
            "pipeline-service:operator": devObject("operator", { catalogImage: "quay.io/x/index:v1" }),
            "pipeline-service:vault": devObject("vault", { refreshInterval: "soon" }),
            "pipeline-service:bogus": "1",
            "aws:region": "Mars",
        }));
        const keys = error.problems.map((problem) => problem.key).sort();
        assert.deepEqual(keys, [
            "aws:region",
            "pipeline-service:bogus",
            "pipeline-service:environment",
            "pipeline-service:operator.catalogImage",
            "pipeline-service:results.backupRetentionDays",
            "pipeline-service:vault.refreshInterval",
        ]);
        assert.match(error.message, /^invalid stack configuration \(6 problems\)/);
    });

    it("is a RunError, so pulumi prints it without a stack trace", async () => {
        const pulumi = await import("@pulumi/pulumi");
        const error = problemsOf(() => parseDev({ "pipeline-service:environment": "qa" }));
        assert.ok(error instanceof pulumi.RunError);
    });

    it("converts Go durations to seconds", () => {
        assert.equal(goDurationSeconds("1m30s"), 90);
        assert.equal(goDurationSeconds("5m"), 300);
        assert.equal(goDurationSeconds("1h"), 3600);
        assert.equal(goDurationSeconds("500ms"), 0.5);
    });

    describe("refresh interval config", () => {
        const rejectedByConfig = (refreshInterval: string): StackConfigError =>
            problemsOf(() => parseDev({ "pipeline-service:vault": devObject("vault", { refreshInterval }) }));

        it("rejects values that are not Go durations, naming the key", () => {
            for (const refreshInterval of ["5 minutes", "5min", "1d", "-1m", "1m30", "", "PT5M"]) {
                const error = rejectedByConfig(refreshInterval);
                assert.deepEqual(error.problems.map((problem) => problem.key), ["pipeline-service:vault.refreshInterval"], refreshInterval);
                assert.match(error.message, /Go duration/);
            }
        });

        it("accepts Go durations up to 5 minutes", () => {
            for (const refreshInterval of ["30s", "90s", "1m30s", "5m", "0.5m"]) {
                assert.equal(parseDev({ "pipeline-service:vault": devObject("vault", { refreshInterval }) }).vault.refreshInterval, refreshInterval);
            }
        });

        it("stops the program before it registers any resource", async () => {
            await assert.rejects(
                renderStack("dev", { overrides: { "pipeline-service:vault": devObject("vault", { refreshInterval: "5 minutes" }) } }),
                (error: unknown) => {
                    assert.ok(error instanceof RenderError);
                    assert.match(error.message, /pipeline-service:vault\.refreshInterval/);
                    assert.deepEqual(error.registered, ["pulumi:pulumi:Stack"]);
                    return true;
                },
            );
        });
    });
});
