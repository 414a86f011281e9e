import * as assert from "node:assert/strict";
import { parseStackConfig, StackConfigError } from "../stacks/config";
import { goDurationSeconds } from "../lib/go-duration";
import { loadStackSettings, RenderError, renderStack, withConfig } from "../render";

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
            what: "an http Vault server",
            overrides: { "pipeline-service:vault": devObject("vault", { server: "http://vault.example.com" }) },
            key: "pipeline-service:vault.server", says: /Invalid URL/,
        },
        {
            what: "a Vault path with a leading slash",
            overrides: { "pipeline-service:vault": devObject("vault", { githubAppSecretPath: "/pipeline-service/github-app" }) },
            key: "pipeline-service:vault.githubAppSecretPath", says: /relative Vault path/,
        },
        {
            what: "a Vault auth mount with a trailing slash",
            overrides: { "pipeline-service:vault": devObject("vault", { authMountPath: "kubernetes/" }) },
            key: "pipeline-service:vault.authMountPath", says: /relative Vault path/,
        },
        {
            what: "a service account name that is not a DNS label",
            overrides: { "pipeline-service:vault": devObject("vault", { serviceAccountName: "Vault_SA" }) },
            key: "pipeline-service:vault.serviceAccountName", says: /Invalid string/,
        },
        {
            what: "a Vault CA bundle that is not PEM",
            overrides: { "pipeline-service:vault": devObject("vault", { caBundle: "hello" }) },
            key: "pipeline-service:vault.caBundle", says: /PEM certificates/,
        },
        {
            what: "an http webhook override",
            overrides: { "pipeline-service:pipelinesAsCode": devObject("pipelinesAsCode", { webhookUrl: "http://smee.example.com/hook" }) },
            key: "pipeline-service:pipelinesAsCode.webhookUrl", says: /Invalid URL/,
        },
        {
            what: "an apps domain with a scheme",
            overrides: { "pipeline-service:appsDomain": "https://apps.example.com" },
            key: "pipeline-service:appsDomain", says: /DNS domain/,
        },
        {
            what: "more leader-election buckets than the operator allows",
            overrides: { "pipeline-service:pipelines": { buckets: 11 } },
            key: "pipeline-service:pipelines.buckets", says: /<=10/,
        },
        {
            what: "fractional controller threads",
            overrides: { "pipeline-service:pipelines": { threadsPerController: 1.5 } },
            key: "pipeline-service:pipelines.threadsPerController", says: /expected int/,
        },
        {
            what: "a client QPS of zero",
            overrides: { "pipeline-service:pipelines": { kubeApiQps: 0 } },
            key: "pipeline-service:pipelines.kubeApiQps", says: />=1/,
        },
        {
            what: "keyless signing without the transparency log",
            overrides: { "pipeline-service:chains": { signing: "keyless", transparencyEnabled: false } },
            key: "pipeline-service:chains.transparencyEnabled", says: /must be true in keyless mode/,
        },
        { what: "storage below the gp3 minimum", overrides: { "pipeline-service:results": { allocatedStorage: 10 } }, key: "pipeline-service:results.allocatedStorage", says: />=20/ },
        { what: "fractional storage", overrides: { "pipeline-service:results": { allocatedStorage: 20.5 } }, key: "pipeline-service:results.allocatedStorage", says: /expected int/ },
        {
            what: "an autoscaling ceiling above RDS's maximum",
            overrides: { "pipeline-service:results": { maxAllocatedStorage: 70000 } },
            key: "pipeline-service:results.maxAllocatedStorage", says: /<=65536/,
        },
        {
            what: "an instance class without the db. prefix",
            overrides: { "pipeline-service:results": { instanceClass: "m7g.large" } },
            key: "pipeline-service:results.instanceClass", says: /RDS instance class/,
        },
        { what: "an unsupported PostgreSQL major", overrides: { "pipeline-service:results": { engineVersion: "16" } }, key: "pipeline-service:results.engineVersion", says: /one of "17", "18"/ },
        {
            what: "a log retention CloudWatch does not offer",
            overrides: { "pipeline-service:results": { logRetentionDays: 10 } },
            key: "pipeline-service:results.logRetentionDays", says: /allowed values/,
        },
        { what: "negative backup retention", overrides: { "pipeline-service:results": { backupRetentionDays: -1 } }, key: "pipeline-service:results.backupRetentionDays", says: />=0/ },
        {
            what: "adopting a key without its public key",
            overrides: { "pipeline-service:chains": { adoptExistingKey: true } },
            key: "pipeline-service:chains.existingPublicKey", says: /required/,
        },
    ];

    for (const example of rejected) {
        it(`rejects ${example.what}, naming ${example.key}`, () => {
            const error = problemsOf(() => parseDev(example.overrides));
            assert.deepEqual(error.problems.map((candidate) => candidate.key), [example.key], error.message);
            const [problem] = error.problems;
            assert.match(problem.message, example.says);
            assert.match(error.message, new RegExp(example.key.replace(/[.[\]]/g, "\\$&")));
        });
    }

    const digest = `sha256:${"0123456789abcdef".repeat(4)}`;
    for (const image of [
        "quay.io/openshift-pipeline/pipelines-index-4.17:latest",
        "quay.io/openshift-pipeline/pipelines-index-4.17:v4.17",
        "quay.io/openshift-pipeline/pipelines-index-4.17",
        `quay.io/openshift-pipeline/pipelines-index-4.17@sha256:${"0".repeat(63)}`,
        `quay.io/openshift-pipeline/pipelines-index-4.17@sha256:${"A".repeat(64)}`,
        `quay.io/openshift-pipeline/pipelines-index-4.17@${digest}:latest`,
    ]) {
        it(`rejects a catalog image not pinned by digest: ${image.slice(-24)}`, () => {
            const error = problemsOf(() => parseDev({ "pipeline-service:operator": devObject("operator", { catalogImage: image }) }));
            assert.deepEqual(error.problems.map((problem) => [problem.key, problem.message]),
                [["pipeline-service:operator.catalogImage", "must be an index image pinned by digest (registry/repo@sha256:<64 hex>), not a tag"]]);
        });
    }

    it("defaults the autoscaling ceiling to one RDS accepts after raising storage", () => {
        assert.equal(parseDev({ "pipeline-service:results": { allocatedStorage: 100 } }).results.maxAllocatedStorage, 110);
        const error = problemsOf(() => parseDev({ "pipeline-service:results": { allocatedStorage: 100, maxAllocatedStorage: 105 } }));
        assert.match(error.message, /pipeline-service:results\.maxAllocatedStorage: maxAllocatedStorage 105 GiB must be at least 10% above/);
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
