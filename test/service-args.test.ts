/**
 * The seam between config and components: `toServiceArgs` is pure, so each mapping is a table row.
 */
import * as assert from "node:assert/strict";
import { toServiceArgs } from "../service-args";
import { parseStackConfig } from "../stacks/config";
import { loadStackSettings, withConfig } from "../render";

const dev = loadStackSettings("dev");
const prod = loadStackSettings("prod");
const PUBLIC_KEY = "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n";

function argsOf(settings = dev, overrides: Record<string, unknown> = {}) {
    const { config, project, stack } = withConfig(settings, overrides);
    return toServiceArgs(parseStackConfig(config, project, stack));
}

describe("toServiceArgs", () => {
    const signing: ReadonlyArray<{ what: string; chains: Record<string, unknown>; expected: unknown }> = [
        { what: "the default: a generated key, no transparency log", chains: {}, expected: { mode: "generated-key" } },
        {
            what: "a generated key with the transparency log and a rotation request",
            chains: { transparencyEnabled: true, rekorUrl: "https://rekor.example.test", rotationTrigger: "2026-11" },
            expected: { mode: "generated-key", transparencyLogUrl: "https://rekor.example.test", rotationTrigger: "2026-11" },
        },
        {
            what: "an adopted key",
            chains: { adoptExistingKey: true, existingPublicKey: PUBLIC_KEY },
            expected: { mode: "adopted-key", publicKey: PUBLIC_KEY },
        },
        {
            what: "keyless, whose transparency log is implied",
            chains: { signing: "keyless", fulcioUrl: "https://fulcio.example.test" },
            expected: {
                mode: "keyless",
                transparencyLogUrl: "https://rekor.sigstore.dev",
                fulcioUrl: "https://fulcio.example.test",
                fulcioOidcIssuer: "https://oauth2.sigstore.dev/auth",
            },
        },
    ];
    for (const example of signing) {
        it(`decides the signing mode once: ${example.what}`, () => {
            assert.deepEqual(argsOf(dev, { "pipeline-service:chains": example.chains }).signing, example.expected);
        });
    }

    it("hands storage the network, the defaulted settings and the environment's protection", () => {
        const args = argsOf(prod);
        const config = parseStackConfig(prod.config, prod.project, prod.stack);
        assert.deepEqual(args.cluster, { clusterName: config.clusterName, environment: "prod" });
        assert.equal(args.region, config.providers.awsRegion);
        assert.deepEqual(args.storage.network, config.network);
        assert.deepEqual(args.storage.settings, config.results);
        assert.equal(args.storage.protectStateful, true);
    });

    it("points the readiness step at the provider's cluster", () => {
        const args = argsOf(dev);
        assert.equal(args.operator.kubeconfigContext, "stone-stg-rh01");
        assert.equal(args.operator.kubeconfig, undefined);
        assert.equal(args.operator.readinessTimeoutSeconds, 900);
    });

    it("splits the webhook override from the console links", () => {
        const pac = argsOf(dev, {
            "pipeline-service:pipelinesAsCode": { ...JSON.parse(dev.config["pipeline-service:pipelinesAsCode"] ?? "{}"), webhookUrl: "https://smee.example.test/hook" },
        }).pipelinesAsCode;
        assert.equal(pac.webhookUrlOverride, "https://smee.example.test/hook");
        assert.ok(!("webhookUrl" in pac.console));
        assert.deepEqual(Object.keys(pac.console).sort(), ["consoleName", "consoleUrl", "consoleUrlNamespace", "consoleUrlPrDetails", "consoleUrlPrTaskLog"]);
    });
    it("hands storage the RDS monitoring and the alarms their topic only when observability is enabled", () => {
        const args = argsOf(prod, { "pipeline-service:observability": { alarmTopicArn: "arn:aws:sns:us-east-1:123456789012:t", rdsMonitoringIntervalSeconds: 15 } });
        assert.deepEqual(args.storage.monitoring, { monitoringIntervalSeconds: 15, performanceInsightsRetentionDays: 7 });
        assert.deepEqual(args.awsMonitoring, { alarmTopicArn: "arn:aws:sns:us-east-1:123456789012:t" });
        const off = argsOf(dev, { "pipeline-service:observability": { enabled: false } });
        assert.equal(off.storage.monitoring, undefined);
        assert.equal(off.awsMonitoring, undefined);
    });
});
