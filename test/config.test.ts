import * as assert from "node:assert/strict";
import { parseStackConfig, StackConfigError } from "../stacks/config";
import { goDurationSeconds } from "../stacks/schema";
import { loadStackSettings, withConfig } from "../render";

const dev = loadStackSettings("dev");
const prod = loadStackSettings("prod");

/** Parses dev's config with `overrides` applied (`undefined` deletes a key). */
function parseDev(overrides: Record<string, unknown>) {
    const settings = withConfig(dev, overrides);
    return parseStackConfig(settings.config, settings.project, settings.stack);
}

/** Merges a structured key of dev's config with `patch`. */
function devObject(key: string, patch: Record<string, unknown>): Record<string, unknown> {
    return { ...JSON.parse(dev.config[`pipeline-service:${key}`] ?? "{}"), ...patch };
}

function problemsOf(fn: () => unknown): StackConfigError {
    try {
        fn();
    } catch (error) {
        assert.ok(error instanceof StackConfigError, `expected StackConfigError, got ${String(error)}`);
        return error;
    }
    assert.fail("expected the config to be rejected");
}

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

    const rejected: ReadonlyArray<{ what: string; overrides: Record<string, unknown>; key: string; says: RegExp }> = [
        {
            what: "a catalog image by tag",
            overrides: { "pipeline-service:operator": devObject("operator", { catalogImage: "quay.io/openshift-pipeline/pipelines-index-4.17:latest" }) },
            key: "pipeline-service:operator.catalogImage", says: /pinned by digest/,
        },
        { what: "an unknown environment", overrides: { "pipeline-service:environment": "staging" }, key: "pipeline-service:environment", says: /one of "dev", "prod"/ },
        {
            what: "a refresh interval that is not a Go duration",
            overrides: { "pipeline-service:vault": devObject("vault", { refreshInterval: "5 minutes" }) },
            key: "pipeline-service:vault.refreshInterval", says: /Go duration/,
        },
        {
            what: "a refresh interval that is not aggressive",
            overrides: { "pipeline-service:vault": devObject("vault", { refreshInterval: "1h" }) },
            key: "pipeline-service:vault.refreshInterval", says: /between 1s and 5m/,
        },
        {
            what: "a CIDR that is not a CIDR",
            overrides: { "pipeline-service:network": devObject("network", { allowedCidrs: ["10.0.0.0/16", "10.0.0.300/8"] }) },
            key: "pipeline-service:network.allowedCidrs[1]", says: /IPv4 CIDR/,
        },
        {
            what: "a CIDR open to the world",
            overrides: { "pipeline-service:network": devObject("network", { allowedCidrs: ["0.0.0.0/0"] }) },
            key: "pipeline-service:network.allowedCidrs[0]", says: /never reachable from everywhere/,
        },
        {
            what: "backup days outside RDS's range",
            overrides: { "pipeline-service:results": { backupRetentionDays: 36 } },
            key: "pipeline-service:results.backupRetentionDays", says: /<=35|35/,
        },
        { what: "a missing required key", overrides: { "pipeline-service:clusterName": undefined }, key: "pipeline-service:clusterName", says: /is required/ },
        { what: "an unknown top-level key", overrides: { "pipeline-service:clustername": "x" }, key: "pipeline-service:clustername", says: /not a known key/ },
        { what: "an unknown nested key", overrides: { "pipeline-service:results": { multiAZ: true } }, key: "pipeline-service:results.multiAZ", says: /not a known key/ },
        { what: "a missing provider region", overrides: { "aws:region": undefined }, key: "aws:region", says: /is required/ },
        {
            what: "max storage below allocated storage",
            overrides: { "pipeline-service:results": { allocatedStorage: 100, maxAllocatedStorage: 50 } },
            key: "pipeline-service:results.maxAllocatedStorage", says: /at least 10% above allocatedStorage/,
        },
        {
            what: "an IRSA switch (Results cannot use it: its S3 client only takes static keys)",
            overrides: { "pipeline-service:results": { s3Access: "irsa" } },
            key: "pipeline-service:results.s3Access", says: /not a known key/,
        },
        {
            what: "adopting a key without its public key",
            overrides: { "pipeline-service:chains": { adoptExistingKey: true } },
            key: "pipeline-service:chains.existingPublicKey", says: /required/,
        },
    ];

    for (const example of rejected) {
        it(`rejects ${example.what}, naming ${example.key}`, () => {
            const error = problemsOf(() => parseDev(example.overrides));
            const problem = error.problems.find((candidate) => candidate.key === example.key);
            assert.ok(problem, `no problem for ${example.key} in:\n${error.message}`);
            assert.match(problem.message, example.says);
            assert.match(error.message, new RegExp(example.key.replace(/[.[\]]/g, "\\$&")));
        });
    }

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
});
