/**
 * AWS monitoring settings, pure: the RDS instance's Enhanced Monitoring / Performance Insights arguments, the
 * monitoring role's trust policy, and each alarm's metric, dimensions, threshold and actions.
 */
import * as assert from "node:assert/strict";
import * as iam from "@pulumi/aws/iam";
import {
    alarmActions, bucketAlarmSpecs, BUCKET_METRICS_ID, CPU_ALARM_PERCENT, DATABASE_CONNECTIONS_ALARM, databaseAlarmSpecs,
    IO_LATENCY_ALARM_SECONDS, S3_5XX_ALARM_COUNT,
} from "../components/observability/aws-alarm-builders";
import { databaseMonitoringSettings, managedPolicyArn, type DatabaseMonitoring, type DatabaseSizing } from "../components/storage/builders";
import { rdsMonitoringTrustPolicy } from "../components/storage/iam";
import { performanceInsightsSupported } from "../lib/aws-limits";

const DEV_SIZING: DatabaseSizing = {
    engineVersion: "17", instanceClass: "db.t4g.small", allocatedStorage: 20, maxAllocatedStorage: 50,
    multiAz: false, backupRetentionDays: 1, deletionProtection: false,
};
const KMS_KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const MONITORING: DatabaseMonitoring = { monitoringIntervalSeconds: 30, performanceInsightsRetentionDays: 731 };
const ROLE = "arn:aws:iam::123456789012:role/pipeline-service/x";

describe("RDS monitoring arguments (pure)", () => {
    const cases: ReadonlyArray<{ what: string; monitoring?: DatabaseMonitoring; sizing: DatabaseSizing; expected: Record<string, unknown> }> = [
        { what: "observability off: both off, explicitly", sizing: DEV_SIZING, expected: { monitoringInterval: 0, performanceInsightsEnabled: false } },
        {
            what: "dev's db.t4g.small: PostgreSQL has Performance Insights on every class, AWS-managed key",
            monitoring: MONITORING, sizing: DEV_SIZING,
            expected: { monitoringInterval: 30, monitoringRoleArn: ROLE, performanceInsightsEnabled: true, performanceInsightsRetentionPeriod: 731 },
        },
        {
            what: "a storage CMK also encrypts Performance Insights",
            monitoring: MONITORING, sizing: { ...DEV_SIZING, instanceClass: "db.m7g.large", kmsKeyArn: KMS_KEY },
            expected: { monitoringInterval: 30, monitoringRoleArn: ROLE, performanceInsightsEnabled: true, performanceInsightsRetentionPeriod: 731, performanceInsightsKmsKeyId: KMS_KEY },
        },
    ];
    for (const example of cases) {
        it(example.what, () => {
            assert.deepEqual(databaseMonitoringSettings(example.monitoring, example.sizing, ROLE), example.expected);
        });
    }

    it("knows where RDS offers Performance Insights (no class restriction for PostgreSQL)", () => {
        assert.equal(performanceInsightsSupported("postgres", "db.t4g.small"), true);
        assert.equal(performanceInsightsSupported("postgres", "db.t4g.micro"), true);
        assert.equal(performanceInsightsSupported("mysql", "db.t4g.small"), false);
        assert.equal(performanceInsightsSupported("mariadb", "db.t3.micro"), false);
        assert.equal(performanceInsightsSupported("mysql", "db.t4g.medium"), true);
    });

    it("lets only the RDS monitoring service assume the role, with the managed policy in the region's partition", () => {
        assert.deepEqual(rdsMonitoringTrustPolicy().Statement, [
            { Sid: "RdsEnhancedMonitoring", Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: ["sts:AssumeRole"] },
        ]);
        const policy = iam.ManagedPolicy.AmazonRDSEnhancedMonitoringRole;
        assert.equal(managedPolicyArn(policy, "us-east-1"), "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole");
        assert.equal(managedPolicyArn(policy, "us-gov-west-1"), "arn:aws-us-gov:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole");
        assert.equal(managedPolicyArn(policy, "cn-north-1"), "arn:aws-cn:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole");
    });
});

describe("CloudWatch alarm settings (pure)", () => {
    const specs = databaseAlarmSpecs({ identifier: "stone-prd-rh01-tekton-results", allocatedStorageGiB: 200 });
    const table: ReadonlyArray<readonly [string, string, string, string, number, string]> = [
        // suffix, metric, statistic, comparison, threshold, missing data
        ["free-storage-low", "FreeStorageSpace", "Minimum", "LessThanThreshold", 10 * 1024 ** 3, "missing"],
        ["cpu-high", "CPUUtilization", "Average", "GreaterThanThreshold", CPU_ALARM_PERCENT, "notBreaching"],
        ["connections-high", "DatabaseConnections", "Maximum", "GreaterThanThreshold", DATABASE_CONNECTIONS_ALARM, "notBreaching"],
        ["read-latency-high", "ReadLatency", "Average", "GreaterThanThreshold", IO_LATENCY_ALARM_SECONDS, "notBreaching"],
        ["write-latency-high", "WriteLatency", "Average", "GreaterThanThreshold", IO_LATENCY_ALARM_SECONDS, "notBreaching"],
    ];
    it("watches exactly five RDS metrics, and no ReplicaLag (a Multi-AZ standby is no read replica)", () => {
        assert.deepEqual(specs.map((spec) => spec.metricName), table.map((row) => row[1]));
        assert.ok(!specs.some((spec) => spec.metricName === "ReplicaLag"));
    });
    for (const [suffix, metricName, statistic, comparisonOperator, threshold, treatMissingData] of table) {
        it(`${metricName}: ${statistic} ${comparisonOperator} ${threshold}, missing data ${treatMissingData}`, () => {
            const spec = specs.find((candidate) => candidate.metricName === metricName);
            assert.ok(spec);
            assert.deepEqual(
                { suffix: spec.suffix, namespace: spec.namespace, dimensions: spec.dimensions, statistic: spec.statistic, comparisonOperator: spec.comparisonOperator, threshold: spec.threshold, treatMissingData: spec.treatMissingData },
                { suffix, namespace: "AWS/RDS", dimensions: { DBInstanceIdentifier: "stone-prd-rh01-tekton-results" }, statistic, comparisonOperator, threshold, treatMissingData },
            );
            assert.equal(spec.period, 300);
            assert.ok(spec.datapointsToAlarm <= spec.evaluationPeriods && spec.evaluationPeriods >= 2, "one bad 5-minute sample never alarms");
        });
    }
    it("scales the free-storage threshold with the allocation (5%: half the autoscaling trigger)", () => {
        const dev = databaseAlarmSpecs({ identifier: "x", allocatedStorageGiB: 20 })[0];
        assert.equal(dev.threshold, 1073741824);
    });
    it("alarms on the log bucket's 5xx responses through the EntireBucket request-metrics configuration", () => {
        assert.deepEqual(bucketAlarmSpecs("logs-bucket").map(({ namespace, metricName, dimensions, statistic, threshold, treatMissingData }) =>
            ({ namespace, metricName, dimensions, statistic, threshold, treatMissingData })), [
            { namespace: "AWS/S3", metricName: "5xxErrors", dimensions: { BucketName: "logs-bucket", FilterId: BUCKET_METRICS_ID }, statistic: "Sum", threshold: S3_5XX_ALARM_COUNT, treatMissingData: "notBreaching" },
        ]);
        assert.equal(BUCKET_METRICS_ID, "EntireBucket");
    });
    it("publishes to the topic on ALARM and OK, and nowhere without one", () => {
        const topic = "arn:aws:sns:us-east-1:123456789012:pipeline-service-alerts";
        assert.deepEqual(alarmActions(topic), { alarmActions: [topic], okActions: [topic] });
        assert.deepEqual(alarmActions(undefined), {});
    });
});
