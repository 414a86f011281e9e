/**
 * The engine's step per resource (fleet/steps.ts) on small record sets: replace exactly where a forcing property
 * changes, delete-before-replace for explicitly named objects, a replaced provider replacing what runs on it, data
 * loss and protection, the notes of a delete-first step; and the acknowledgments of data loss.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ACKNOWLEDGMENTS_FILE, predictSteps, readAcknowledgments, staleAcknowledgments, unacknowledged, type Step } from "../fleet";
import { RenderError, type ResourceRecord } from "../render";
import { record as fixtureRecord } from "./fixtures/policy-records";

const K8S_PROVIDER = "urn:pulumi:s::p::pulumi:providers:kubernetes::k8s";
const AWS_PROVIDER = "urn:pulumi:s::p::pulumi:providers:aws::aws";

/** A record on the provider its type needs (fixtures' record, with a URN of this stack). */
function record(type: string, name: string, inputs: Record<string, unknown>, extra: Partial<ResourceRecord> = {}): ResourceRecord {
    const provider = type.startsWith("kubernetes:") ? `${K8S_PROVIDER}::id` : type.startsWith("aws:") ? `${AWS_PROVIDER}::id` : null;
    return { ...fixtureRecord(type, name, { inputs, provider, ...extra }), urn: `urn:pulumi:s::p::${type}::${name}` };
}

const k8sProvider = (inputs: Record<string, unknown>): ResourceRecord => ({ ...record("pulumi:providers:kubernetes", "k8s", inputs), urn: K8S_PROVIDER });
const secret = (data: Record<string, unknown>, name = "tekton-results-s3"): ResourceRecord =>
    record("kubernetes:core/v1:Secret", name, { apiVersion: "v1", kind: "Secret", metadata: { name, namespace: "openshift-pipelines" }, data });
const bucket = (name: string, extra: Partial<ResourceRecord> = {}): ResourceRecord => record("aws:s3/bucket:Bucket", "logs", { bucket: name, forceDestroy: false }, extra);

function only(steps: readonly Step[], name: string): Step {
    const found = steps.filter((step) => step.name === name);
    assert.equal(found.length, 1, `${name}: ${JSON.stringify(steps.map((step) => step.name))}`);
    return found[0] as Step;
}

describe("fleet steps (the engine's step per resource)", () => {
    it("replaces an S3 bucket whose name changes, deleting first (named explicitly), as data loss, and notes forceDestroy", () => {
        const step = only(predictSteps([bucket("a-logs")], [bucket("b-logs")]), "logs");
        assert.equal(step.op, "replace");
        assert.deepEqual(step.replaceBecause, ["bucket"]);
        assert.equal(step.deleteBeforeReplace, true);
        assert.match(step.dataLoss ?? "", /every archived log/);
        assert.ok(step.notes.some((note) => /forceDestroy/.test(note)), step.notes.join("\n"));
    });

    it("updates in place what does not force a replacement (tags), and marks no data loss", () => {
        const before = record("aws:s3/bucket:Bucket", "logs", { bucket: "a", tags: { a: "1" } });
        const after = record("aws:s3/bucket:Bucket", "logs", { bucket: "a", tags: { a: "2" } });
        const step = only(predictSteps([before], [after]), "logs");
        assert.deepEqual([step.op, step.replaceBecause, step.dataLoss], ["update", [], null]);
    });

    it("says a protected replacement stops up, and what retainOnDelete leaves behind", () => {
        const step = only(predictSteps([bucket("a", { protect: true, retainOnDelete: true })], [bucket("b", { protect: true, retainOnDelete: true })]), "logs");
        assert.equal(step.protected, true);
        assert.ok(step.notes.some((note) => /left behind/.test(note)));
    });

    it("replaces a Secret whose data changes (pulumi-kubernetes default), deleting first; updates it when the provider enables mutable Secrets", () => {
        const base = [k8sProvider({}), secret({ key: "[secret]" })];
        const head = [k8sProvider({}), secret({ key: "[secret]", region: "us-east-1" })];
        const replaced = only(predictSteps(base, head), "tekton-results-s3");
        assert.deepEqual([replaced.op, replaced.deleteBeforeReplace], ["replace", true]);
        assert.deepEqual(replaced.replaceBecause, ["data"]);
        const mutable = [k8sProvider({ enableSecretMutable: true }), secret({ key: "[secret]" })];
        const updated = predictSteps(mutable, [k8sProvider({ enableSecretMutable: true }), secret({ key: "[secret]", region: "us-east-1" })]);
        assert.equal(only(updated, "tekton-results-s3").op, "update");
    });

    it("replaces any object renamed in place (metadata.name) and updates a label change", () => {
        const labelled = (labels: Record<string, string>): ResourceRecord => record("kubernetes:core/v1:ConfigMap", "ca", { metadata: { name: "ca", namespace: "n", labels } });
        assert.equal(only(predictSteps([labelled({ a: "1" })], [labelled({ a: "2" })]), "ca").op, "update");
        const renamed = record("kubernetes:core/v1:ConfigMap", "ca", { metadata: { name: "ca-2", namespace: "n" } });
        const step = only(predictSteps([labelled({})], [renamed]), "ca");
        assert.deepEqual([step.op, step.replaceBecause], ["replace", ["metadata.name"]]);
    });

    it("marks the signing-secrets Secret as data loss, and no other Secret", () => {
        const steps = predictSteps([secret({ a: "1" }, "signing-secrets"), secret({ a: "1" })], []);
        assert.match(only(steps, "signing-secrets").dataLoss ?? "", /Chains signs with/);
        assert.equal(only(steps, "tekton-results-s3").dataLoss, null);
    });

    it("ignores what a dynamic provider ignores, and replaces the Chains key pair on a rotation", () => {
        const pair = (inputs: Record<string, unknown>): ResourceRecord => record("pulumi-nodejs:dynamic/pipeline-service:CosignKeyPair", "key", inputs);
        assert.deepEqual(predictSteps([pair({ note: "a" })], [pair({ note: "b" })]), []);
        const step = only(predictSteps([pair({ rotationTrigger: "1" })], [pair({ rotationTrigger: "2" })]), "key");
        assert.equal(step.op, "replace");
        assert.match(step.dataLoss ?? "", /key pair/);
    });
});

describe("fleet steps: what the engine does with the resource options and where a mark comes from", () => {
    it("matches a renamed resource through its alias: an update of the same resource, not a delete of the database", () => {
        const before = record("aws:rds/instance:Instance", "db", { identifier: "a", instanceClass: "db.t4g.small" }, { protect: true });
        const after = { ...record("aws:rds/instance:Instance", "results-db", { identifier: "a", instanceClass: "db.t4g.medium" }, { protect: true }), aliases: [before.urn] };
        const steps = predictSteps([before], [after]);
        assert.equal(steps.length, 1, JSON.stringify(steps));
        assert.deepEqual([steps[0]?.op, steps[0]?.renamedFrom, steps[0]?.dataLoss], ["update", before.urn, null]);
        const withoutAlias = predictSteps([before], [{ ...after, aliases: [] }]);
        assert.deepEqual(withoutAlias.map((step) => [step.op, step.name, step.dataLoss !== null]), [["create", "results-db", false], ["delete", "db", true]]);
    });

    it("replaces every regional AWS resource when the AWS provider's region changes (the provider itself is updated), and no IAM resource", () => {
        const aws = (region: string): ResourceRecord => ({ ...record("pulumi:providers:aws", "aws", { region }), urn: AWS_PROVIDER });
        const steps = predictSteps([aws("us-east-1"), bucket("a"), record("aws:iam/user:User", "u", { name: "u" })], [aws("us-west-2"), bucket("a"), record("aws:iam/user:User", "u", { name: "u" })]);
        assert.deepEqual(steps.map((step) => [step.name, step.op, step.replaceBecause]), [["aws", "update", []], ["logs", "replace", ["region (the provider's)"]]]);
        assert.ok(only(steps, "logs").dataLoss !== null);
    });

    it("replaces every object on a Kubernetes provider that now points at another context", () => {
        const steps = predictSteps([k8sProvider({ context: "a" }), secret({ k: "1" })], [k8sProvider({ context: "b" }), secret({ k: "1" })]);
        assert.deepEqual(steps.map((step) => [step.name, step.op, step.replaceBecause]), [["k8s", "replace", ["context"]], ["tekton-results-s3", "replace", ["(provider replaced)"]]]);
    });

    it("sees no change under ignoreChanges, and turns a change under replaceOnChanges into a replacement", () => {
        const tagged = (tag: string, extra: Partial<ResourceRecord> = {}): ResourceRecord => record("aws:s3/bucket:Bucket", "logs", { bucket: "a", tags: { team: tag } }, extra);
        assert.deepEqual(predictSteps([tagged("x", { ignoreChanges: ["tags"] })], [tagged("y", { ignoreChanges: ["tags"] })]), []);
        const step = only(predictSteps([tagged("x", { replaceOnChanges: ["tags.team"] })], [tagged("y", { replaceOnChanges: ["tags.team"] })]), "logs");
        assert.deepEqual([step.op, step.replaceBecause], ["replace", ["tags.team"]]);
    });

    it("shows a [secret] whose source changed as a change, naming the resources it comes from", () => {
        const keyA = "urn:pulumi:s::p::aws:iam/accessKey:AccessKey::key-a";
        const keyB = "urn:pulumi:s::p::aws:iam/accessKey:AccessKey::key-b";
        const from = (urn: string): ResourceRecord => ({ ...secret({ S3_ACCESS_KEY_ID: "[secret]" }), propertyDependencies: { data: [urn] } });
        const step = only(predictSteps([k8sProvider({ enableSecretMutable: true }), from(keyA)], [k8sProvider({ enableSecretMutable: true }), from(keyB)]), "tekton-results-s3");
        assert.deepEqual([step.op, step.paths], ["update", ["data"]]);
        assert.deepEqual(step.provenance, { data: { from: [keyA], to: [keyB] } });
        assert.deepEqual(predictSteps([from(keyA)], [from(keyA)]), []);
    });
});

describe("data-loss acknowledgments", () => {
    const lost = [{ stack: "dev", step: { urn: "urn:pulumi:dev::p::aws:s3/bucket:Bucket::logs" } as Step }];

    it("matches by stack and URN, and reports the entries that match nothing", () => {
        const acks = [{ stack: "dev", urn: "urn:pulumi:dev::p::aws:s3/bucket:Bucket::logs", why: "x" }, { stack: "prod", urn: "urn:pulumi:prod::p::aws:s3/bucket:Bucket::logs", why: "y" }];
        assert.deepEqual(unacknowledged(lost, acks), []);
        assert.deepEqual(unacknowledged(lost, acks.slice(1)), lost);
        assert.deepEqual(staleAcknowledgments(lost, acks), acks.slice(1));
    });

    it("reads the file beside the stack files, none when absent, and refuses an entry without why", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "acks-"));
        try {
            assert.deepEqual(readAcknowledgments(dir), []);
            fs.writeFileSync(path.join(dir, ACKNOWLEDGMENTS_FILE), "- stack: dev\n  urn: urn:pulumi:dev::p::t::n\n  why: renaming the dev cluster\n");
            assert.deepEqual(readAcknowledgments(dir), [{ stack: "dev", urn: "urn:pulumi:dev::p::t::n", why: "renaming the dev cluster" }]);
            fs.writeFileSync(path.join(dir, ACKNOWLEDGMENTS_FILE), "- stack: dev\n  urn: urn:pulumi:dev::p::t::n\n");
            assert.throws(() => readAcknowledgments(dir), (error: unknown) => error instanceof RenderError && /acknowledged-data-loss\.yaml is not a list of \{stack, urn, why\}: 0\.why/.test(error.message));
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
