/**
 * The analyzer's pure parts: request builders (wire form of secrets and unknowns, no `__` keys, only the options the
 * engine passes), the first-preview outputs model, config parsing and reconciliation, and the CLI's display helpers.
 */
import assert from "node:assert/strict";
import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { packInfoOf, parsePolicyConfig, reconcilePolicyConfig, type PackInfo } from "../analyzer/config";
import { typeDisplayName } from "../analyzer/format";
import type { ResourceRecord } from "../analyzer/records";
import { analyzeRequest, analyzeStackRequest, indexByUrn, previewOutputs, toWire } from "../analyzer/requests";
import { unknownOutputsOf } from "../render/unknown-outputs";
import { record } from "./fixtures/policy-records";

const PROVIDER: ResourceRecord = {
    ...record("pulumi:providers:kubernetes", "cluster", { inputs: { kubeconfig: "[secret]", context: "c" } }),
    urn: "urn:pulumi:dev::p::pulumi:providers:kubernetes::cluster",
};
const SECRET: ResourceRecord = {
    ...PROVIDER,
    urn: "urn:pulumi:dev::p::pkg:index:C$kubernetes:core/v1:Secret::signing-secrets",
    type: "kubernetes:core/v1:Secret",
    name: "signing-secrets",
    parent: "urn:pulumi:dev::p::pkg:index:C::c",
    provider: `${PROVIDER.urn}::(known after apply)`,
    protect: true,
    retainOnDelete: true,
    ignoreChanges: ["data", "stringData"],
    additionalSecretOutputs: ["data", "stringData"],
    inputs: { __provider: "code", metadata: { name: "signing-secrets", __internal: 1 }, stringData: { "cosign.key": "[secret]", "cosign.pub": "(known after apply)" } },
};

describe("analyzer requests", () => {
    it("marshals [secret] as the secret envelope around a placeholder and unknowns as the unknown sentinel", () => {
        assert.deepEqual(toWire({ a: "[secret]", b: ["(known after apply)", 1, null], c: true }), {
            a: { [specialSigKey]: specialSecretSig, value: "[secret]" },
            b: [unknownValue, 1, null],
            c: true,
        });
        assert.equal(specialSigKey, "4dabf18193072939515e22adb298388d");
        assert.equal(specialSecretSig, "1b47061264138c4ac30d75fd1eb44270");
        assert.equal(unknownValue, "04da6b54-80e4-46f7-96ec-b56ff0331ba9");
    });

    it("builds Analyze with inputs (no __ keys), the engine's options (no retainOnDelete) and the provider's inputs", () => {
        const request = analyzeRequest(SECRET, indexByUrn([PROVIDER, SECRET]));
        assert.equal(request.getUrn(), SECRET.urn);
        assert.equal(request.getName(), "signing-secrets");
        const props = request.getProperties()?.toJavaScript() as Record<string, unknown>;
        assert.deepEqual(Object.keys(props).sort(), ["metadata", "stringData"]);
        assert.deepEqual(props.metadata, { name: "signing-secrets" });
        const options = request.getOptions()?.toObject() as Record<string, unknown>;
        assert.deepEqual(Object.keys(options).sort(), [
            "additionalsecretoutputsList", "aliasesList", "customtimeouts", "deletebeforereplace", "deletebeforereplacedefined", "ignorechangesList", "parent", "protect",
        ]);
        assert.equal(options.protect, true);
        assert.equal(options.deletebeforereplacedefined, false);
        assert.equal(options.parent, SECRET.parent);
        const provider = request.getProvider();
        assert.equal(provider?.getUrn(), PROVIDER.urn);
        assert.deepEqual(provider?.getProperties()?.toJavaScript(), { context: "c", kubeconfig: { [specialSigKey]: specialSecretSig, value: "[secret]" } });
    });

    it("models first-preview outputs: inputs, recorded unknown outputs unknown, additional secret outputs secret", () => {
        const outputs = previewOutputs({ ...SECRET, unknownOutputs: ["data", "type"] });
        assert.equal(outputs.type, "(known after apply)");
        assert.deepEqual(outputs.data, { [specialSigKey]: specialSecretSig, value: "(known after apply)" });
        assert.deepEqual((toWire(outputs) as Record<string, unknown>).data, { [specialSigKey]: specialSecretSig, value: unknownValue });
        const stack = analyzeStackRequest([PROVIDER, SECRET], (r) => r.inputs).getResourcesList();
        assert.equal(stack[1]?.getParent(), SECRET.parent);
        assert.deepEqual(stack[1]?.getDependenciesList(), []);
    });

    it("leaves unknown only what a bridged provider plans as computed: nothing for Kubernetes, dynamic or provider resources", () => {
        assert.deepEqual(unknownOutputsOf("aws:s3/bucket:Bucket", ["acl", "arn"]), ["acl", "arn"]);
        assert.deepEqual(unknownOutputsOf("random:index/randomPassword:RandomPassword", ["result"]), ["result"]);
        assert.deepEqual(unknownOutputsOf("kubernetes:core/v1:Secret", ["data"]), []);
        assert.deepEqual(unknownOutputsOf("pulumi-nodejs:dynamic:Resource", ["installedCsv"]), []);
        assert.deepEqual(unknownOutputsOf("pulumi:providers:aws", ["region"]), []);
    });
});

function info(): PackInfo {
    const ai = new analyzerproto.AnalyzerInfo();
    ai.setName("pipeline-service");
    ai.setVersion("0.1.0");
    ai.setSupportsconfig(true);
    const p = new analyzerproto.PolicyInfo();
    p.setName("results-db-prod-backup-retention");
    p.setEnforcementlevel(analyzerproto.EnforcementLevel.ADVISORY);
    const schema = new analyzerproto.PolicyConfigSchema();
    schema.setProperties(Struct.fromJavaScript({ minimumRetentionDays: { type: "integer", minimum: 1, maximum: 35, default: 7 } }));
    p.setConfigschema(schema);
    const q = new analyzerproto.PolicyInfo();
    q.setName("tekton-triggers-disabled");
    q.setEnforcementlevel(analyzerproto.EnforcementLevel.MANDATORY);
    ai.setPoliciesList([p, q]);
    return packInfoOf(ai);
}

function configured(json: string, refuseUnknownNames = true): Record<string, { level: number; props: unknown }> {
    const request = reconcilePolicyConfig(info(), parsePolicyConfig(json), { refuseUnknownNames });
    const out: Record<string, { level: number; props: unknown }> = {};
    request.getPolicyconfigMap().forEach((v, k) => (out[k] = { level: v.getEnforcementlevel(), props: v.getProperties()?.toJavaScript() }));
    return out;
}

describe("analyzer config", () => {
    const { ADVISORY, MANDATORY, DISABLED } = analyzerproto.EnforcementLevel;
    it("fills defaults and applies all, then named entries", () => {
        assert.deepEqual(configured(""), {
            "results-db-prod-backup-retention": { level: ADVISORY, props: { minimumRetentionDays: 7 } },
            "tekton-triggers-disabled": { level: MANDATORY, props: {} },
        });
        const all = configured(`{"all": "disabled", "results-db-prod-backup-retention": {"enforcementLevel": "mandatory", "minimumRetentionDays": 30}}`);
        assert.deepEqual(all["results-db-prod-backup-retention"], { level: MANDATORY, props: { minimumRetentionDays: 30 } });
        assert.equal(all["tekton-triggers-disabled"]?.level, DISABLED);
        assert.equal(all.all?.level, DISABLED, "the CLI sends 'all' on to the pack as an entry of its own");
    });
    it("refuses bad types and out-of-range values with the CLI's messages", () => {
        assert.throws(() => configured(`{"results-db-prod-backup-retention": {"minimumRetentionDays": "30"}}`), {
            message: "validating policy config: pipeline-service 0.1.0  results-db-prod-backup-retention: minimumRetentionDays: Invalid type. Expected: integer, given: string\nvalidating policy config",
        });
        assert.throws(() => configured(`{"results-db-prod-backup-retention": {"minimumRetentionDays": 0}}`), /results-db-prod-backup-retention: minimumRetentionDays: Must be greater than or equal to 1$/m);
        assert.throws(() => configured(`{"results-db-prod-backup-retention": {"minimumRetentionDays": 36}}`), /minimumRetentionDays: Must be less than or equal to 35$/m);
    });
    it("refuses bad levels and values with parsePolicyPackConfig's messages", () => {
        assert.throws(() => parsePolicyConfig(`{"x": "warn"}`), { message: `parsing enforcement level for "x": "warn" is not a valid enforcement level` });
        assert.throws(() => parsePolicyConfig(`{"x": {"enforcementLevel": 3}}`), { message: `parsing enforcement level for "x": 3 is not a valid enforcement level; must be a string` });
        assert.throws(() => parsePolicyConfig(`{"x": 3}`), { message: `parsing "x": 3 is not a valid value; must be a string or object` });
    });
    it("refuses a misspelt policy name; the CLI itself refuses it only when it sets no level", () => {
        assert.throws(() => configured(`{"tekton-trigers-disabled": "advisory"}`), /names no policy of the pack: tekton-trigers-disabled/);
        assert.equal(configured(`{"tekton-trigers-disabled": "advisory"}`, false)["tekton-trigers-disabled"]?.level, ADVISORY);
        assert.throws(() => configured(`{"results-db-prod-backup-retentoin": {"minimumRetentionDays": 30}}`, false), {
            message: `configuring policy pack "pipeline-service" at "policy": invalid enforcement level ""`,
        });
    });
});

describe("analyzer display", () => {
    it("shortens type tokens like tokens.Type.DisplayName", () => {
        assert.equal(typeDisplayName("aws:s3/bucket:Bucket"), "aws:s3:Bucket");
        assert.equal(typeDisplayName("kubernetes:core/v1:Secret"), "kubernetes:core/v1:Secret");
        assert.equal(typeDisplayName("pulumi:pulumi:Stack"), "pulumi:pulumi:Stack");
    });
});
