/**
 * AWS monitoring through the render harness: what the example stacks register for issue 15 (Enhanced Monitoring role,
 * Performance Insights, alarms, request metrics), where the alarms publish, and nothing of it when observability is off.
 */
import * as assert from "node:assert/strict";
import { rdsInstanceIdentifier, s3BucketName } from "../components/storage/names";
import { renderStack, UNKNOWN_MARK, type RenderResult, type ResourceRecord } from "../render";
import { configOf, exampleRender, ofType, single } from "./harness";
import { checkWithPack } from "./policy-runtime";
import { input, MONITORING_TYPES, monitoringResources, OVERRIDES, STORAGE_TYPES } from "./storage-records";

const RDS_METRICS = ["CPUUtilization", "DatabaseConnections", "FreeStorageSpace", "ReadLatency", "WriteLatency"];

for (const stack of ["dev", "prod"] as const) {
    describe(`AWS monitoring (${stack} stack)`, () => {
        let result: RenderResult;
        let database: ResourceRecord;
        before(async () => {
            result = await exampleRender(stack);
            database = single(result, STORAGE_TYPES.instance);
        });

        it("turns on Enhanced Monitoring through a role only the RDS monitoring service assumes, and waits for its policy", () => {
            const config = configOf(result);
            const role = single(result, STORAGE_TYPES.monitoringRole);
            const attachment = single(result, STORAGE_TYPES.monitoringPolicy);
            assert.equal(input(database, "monitoringInterval"), config.observability.rdsMonitoringIntervalSeconds);
            assert.equal(input(database, "monitoringRoleArn"), UNKNOWN_MARK);
            assert.ok(database.dependencies.includes(role.urn) && database.dependencies.includes(attachment.urn));
            assert.equal(input(role, "name"), `${config.clusterName}-tekton-results-rds-monitoring`);
            assert.deepEqual(JSON.parse(input<string>(role, "assumeRolePolicy")).Statement[0].Principal, { Service: "monitoring.rds.amazonaws.com" });
            assert.equal(input(attachment, "policyArn"), "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole");
        });

        it("turns on Performance Insights with the configured retention", () => {
            assert.equal(input(database, "performanceInsightsEnabled"), true);
            assert.equal(input(database, "performanceInsightsRetentionPeriod"), configOf(result).observability.performanceInsightsRetentionDays);
        });

        it("alarms on five RDS metrics of this instance and on the log bucket's 5xx responses, without waiting for RDS", () => {
            const config = configOf(result);
            const alarms = ofType(result, MONITORING_TYPES.alarm);
            const rds = alarms.filter((alarm) => input(alarm, "namespace") === "AWS/RDS");
            assert.deepEqual(rds.map((alarm) => input<string>(alarm, "metricName")).sort(), RDS_METRICS);
            for (const alarm of rds) {
                assert.deepEqual(input(alarm, "dimensions"), { DBInstanceIdentifier: input(database, "identifier") });
                assert.ok(!alarm.dependencies.includes(database.urn), "an alarm needs no instance to exist");
                assert.ok(input<string>(alarm, "name").startsWith(`${rdsInstanceIdentifier(config.clusterName)}-`));
            }
            const bucketName = input<string>(single(result, STORAGE_TYPES.bucket), "bucket");
            const metric = single(result, MONITORING_TYPES.bucketMetric);
            assert.deepEqual([input(metric, "bucket"), input(metric, "name")], [bucketName, "EntireBucket"]);
            const s3 = alarms.filter((alarm) => input(alarm, "namespace") === "AWS/S3");
            assert.deepEqual(s3.map((alarm) => [input(alarm, "metricName"), input(alarm, "dimensions"), input(alarm, "name")]),
                [["5xxErrors", { BucketName: bucketName, FilterId: "EntireBucket" }, `${s3BucketName(config.clusterName)}-5xx-errors`]]);
            assert.ok(s3[0].dependencies.includes(metric.urn), "the alarm waits for the metrics configuration");
            assert.deepEqual(monitoringResources(result).map((record) => record.type).sort(), [...alarms.map(() => MONITORING_TYPES.alarm), MONITORING_TYPES.bucketMetric].sort());
        });

        it(stack === "prod" ? "publishes every alarm to the prod topic on ALARM and OK" : "publishes nowhere in dev, which has no topic", () => {
            const topic = configOf(result).observability.alarmTopicArn;
            assert.equal(topic === undefined, stack === "dev");
            for (const alarm of ofType(result, MONITORING_TYPES.alarm)) {
                assert.deepEqual([input(alarm, "alarmActions"), input(alarm, "okActions")], topic === undefined ? [undefined, undefined] : [[topic], [topic]]);
            }
        });
    });
}

describe("AWS monitoring, other configurations", () => {
    it("registers no role, alarm or metrics configuration, and sets monitoring off, when observability is disabled", async () => {
        const result = await renderStack("dev", { overrides: { "pipeline-service:observability": { enabled: false } } });
        for (const type of [STORAGE_TYPES.monitoringRole, STORAGE_TYPES.monitoringPolicy, MONITORING_TYPES.alarm, MONITORING_TYPES.bucketMetric, MONITORING_TYPES.component]) {
            assert.deepEqual(ofType(result, type), [], type);
        }
        const database = single(result, STORAGE_TYPES.instance);
        assert.deepEqual([input(database, "monitoringInterval"), input(database, "performanceInsightsEnabled")], [0, false]);
    });

    it("encrypts Performance Insights with the storage CMK", async () => {
        const result = await renderStack("prod", { overrides: { "pipeline-service:results": { kmsKeyArn: OVERRIDES.kmsKeyArn } } });
        const database = single(result, STORAGE_TYPES.instance);
        assert.equal(input(database, "performanceInsightsKmsKeyId"), OVERRIDES.kmsKeyArn);
        assert.equal(input(database, "kmsKeyId"), OVERRIDES.kmsKeyArn);
    });

    it("the pack catches Enhanced Monitoring off and a missing alarm in the real prod render, mandatory", async () => {
        const records = (await exampleRender("prod")).resources
            .filter((record) => !(record.type === MONITORING_TYPES.alarm && record.inputs.metricName === "ReadLatency"))
            .map((record) => record.type === STORAGE_TYPES.instance ? { ...record, inputs: { ...record.inputs, monitoringInterval: 0 } } : record);
        const found = (await checkWithPack(records)).violations.map((v) => [v.policy, v.level, /ReadLatency|monitoringInterval 0/.exec(v.message)?.[0]]);
        assert.deepEqual(found, [["results-db-enhanced-monitoring", "mandatory", "monitoringInterval 0"], ["results-db-alarms", "mandatory", "ReadLatency"]]);
    });
});
