/**
 * The engine's steps between two real renders, for the changes issue 26 names: a dev cluster renamed (the bucket,
 * access key, monitoring role, log groups and security group replaced; the IAM user and the database updated in
 * place) and a prod database moved to a customer KMS key (replaced, data loss, protected).
 */
import * as assert from "node:assert/strict";
import { predictSteps, type Step } from "../fleet";
import { loadStackSettings, renderStack, type RenderResult } from "../render";
import { exampleRender } from "./harness";

function stepsByType(steps: readonly Step[]): Map<string, Step[]> {
    const by = new Map<string, Step[]>();
    for (const step of steps) {
        by.set(step.type, [...(by.get(step.type) ?? []), step]);
    }
    return by;
}

const ops = (steps: readonly Step[] | undefined): string[] => (steps ?? []).map((step) => step.op);

describe("fleet steps over real renders", function () {
    this.timeout(60_000);

    describe("a dev stack's clusterName changes", () => {
        let steps: Step[];
        before(async () => {
            const renamed: RenderResult = await renderStack("dev", { overrides: { "pipeline-service:clusterName": "stone-stg-rh09" } });
            steps = predictSteps((await exampleRender("dev")).resources, renamed.resources);
        });

        it("replaces the logs bucket (data loss, delete first, forceDestroy noted), the access key, the monitoring role and the log groups", () => {
            const by = stepsByType(steps);
            const bucket = by.get("aws:s3/bucket:Bucket")?.[0];
            assert.equal(bucket?.op, "replace");
            assert.deepEqual(bucket?.replaceBecause, ["bucket"]);
            assert.ok(bucket?.dataLoss !== null && bucket?.deleteBeforeReplace);
            assert.ok(ops(by.get("aws:iam/accessKey:AccessKey")).every((op) => op === "replace"), JSON.stringify(by.get("aws:iam/accessKey:AccessKey")));
            assert.ok(ops(by.get("aws:iam/role:Role")).includes("replace"));
            const logGroups = by.get("aws:cloudwatch/logGroup:LogGroup") ?? [];
            assert.ok(logGroups.length > 0 && logGroups.every((step) => step.op === "replace" && step.dataLoss !== null));
        });

        it("replaces the security group deleting first, and says the database still uses it", () => {
            const group = stepsByType(steps).get("aws:ec2/securityGroup:SecurityGroup")?.[0];
            assert.equal(group?.op, "replace");
            assert.ok(group?.deleteBeforeReplace);
            assert.ok(group?.notes.some((note) => /still in use by/.test(note)), JSON.stringify(group?.notes));
        });

        it("updates the IAM user and the RDS instance in place (name and identifier change in place in provider v6)", () => {
            const by = stepsByType(steps);
            assert.deepEqual(ops(by.get("aws:iam/user:User")), ["update"]);
            const database = by.get("aws:rds/instance:Instance")?.[0];
            assert.equal(database?.op, "update", JSON.stringify(database));
        });
    });

    it("replaces the prod database when results.kmsKeyArn is set: data loss, and protected, so up stops there", async () => {
        const settings = loadStackSettings("prod");
        const results = JSON.parse(settings.config["pipeline-service:results"] ?? "{}") as Record<string, unknown>;
        const keyed = await renderStack("prod", { overrides: { "pipeline-service:results": { ...results, kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" } } });
        const database = stepsByType(predictSteps((await exampleRender("prod")).resources, keyed.resources)).get("aws:rds/instance:Instance")?.[0];
        assert.equal(database?.op, "replace");
        assert.deepEqual(database?.replaceBecause, ["kmsKeyId"]);
        assert.match(database?.dataLoss ?? "", /Results database/);
        assert.equal(database?.protected, true);
    });

    it("updates the Results S3 Secret in place on the rotation step a → a-to-b, its data now from key B", async () => {
        const settings = loadStackSettings("dev");
        const results = JSON.parse(settings.config["pipeline-service:results"] ?? "{}") as Record<string, unknown>;
        const rotating = await renderStack("dev", { overrides: { "pipeline-service:results": { ...results, s3KeyRotation: "a-to-b" } } });
        const secrets = stepsByType(predictSteps((await exampleRender("dev")).resources, rotating.resources)).get("kubernetes:core/v1:Secret") ?? [];
        const s3 = secrets.find((step) => Object.keys(step.provenance).length > 0);
        assert.ok(s3 !== undefined, JSON.stringify(secrets));
        assert.equal(s3.op, "update", "enableSecretMutable: in place, never deleted and re-created");
        const [source] = Object.values(s3.provenance);
        assert.ok(source !== undefined && source.to.some((urn) => /AccessKey::\S*-b$/.test(urn)) && !source.from.some((urn) => /-b$/.test(urn)), JSON.stringify(s3.provenance));
    });
});
