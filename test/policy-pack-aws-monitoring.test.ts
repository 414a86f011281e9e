/**
 * The policy pack on the real runtime: each AWS monitoring policy (issue 15) catching its violation, at the level the
 * stack's policy config gives it.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { PERFORMANCE_INSIGHTS_UNSUPPORTED_CLASSES } from "../lib/aws-limits";
import { PI_UNSUPPORTED_CLASSES } from "../policy/aws-monitoring";
import { UNKNOWN_MARK, type ResourceRecord } from "../render";
import { MONITORING_TYPES as M } from "./fixtures/aws-monitoring-resources";
import { mutate, T, without } from "./fixtures/policy-edits";
import { urnOf, type EditableInputs } from "./fixtures/policy-records";
import { goodResources } from "./fixtures/policy-resources";
import { check, expectNoViolation, expectViolation, violationsOf } from "./policy-expect";

const DEV_POLICY_CONFIG = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "policy", "config", "dev.json"), "utf8")) as Record<string, unknown>;
const DB_URN = urnOf(T.rdsInstance, "results-db");
const db = (change: (inputs: EditableInputs) => unknown, records: readonly ResourceRecord[] = goodResources()): ResourceRecord[] =>
    mutate(records, T.rdsInstance, "results-db", (r) => change(r.inputs));

describe("results-db-enhanced-monitoring", () => {
    const policy = "results-db-enhanced-monitoring";
    it("fails Enhanced Monitoring turned off (monitoringInterval 0 or unset), mandatory by default and advisory under dev.json", async () => {
        const off = db((i) => (i.monitoringInterval = 0));
        const violation = await expectViolation(off, policy, /has no Enhanced Monitoring \(monitoringInterval 0\)/, { urn: DB_URN });
        assert.equal(violation.level, "mandatory");
        assert.deepEqual((await violationsOf(off, policy, { config: DEV_POLICY_CONFIG })).map((v) => v.level), ["advisory"]);
        await expectViolation(db((i) => delete i.monitoringInterval), policy, /monitoringInterval unset/);
        await expectViolation(db((i) => (i.monitoringInterval = 45)), policy, /monitoringInterval 45/);
    });
    it("fails an interval without a role", async () => {
        await expectViolation(db((i) => delete i.monitoringRoleArn), policy, /no monitoringRoleArn/);
    });
    it("fails a stack role that does not trust monitoring.rds.amazonaws.com or lacks the managed policy", async () => {
        const untrusted = mutate(goodResources(), M.role, "results-db-monitoring", (r) => (r.inputs.assumeRolePolicy = r.inputs.assumeRolePolicy.replace("monitoring.rds", "rds")));
        await expectViolation(untrusted, policy, /does not trust monitoring\.rds\.amazonaws\.com/);
        await expectViolation(without(goodResources(), M.rolePolicyAttachment, "results-db-monitoring"), policy, /lacks the AmazonRDSEnhancedMonitoringRole/);
    });
    it("fails Performance Insights off where RDS offers it (PostgreSQL on db.t4g.small), not where it does not (MySQL on db.t4g.small)", async () => {
        const small = (engine: string) => db((i) => Object.assign(i, { engine, instanceClass: "db.t4g.small", performanceInsightsEnabled: false }));
        await expectViolation(small("postgres"), policy, /no Performance Insights, which RDS offers for postgres on db\.t4g\.small/);
        await expectNoViolation(small("mysql"), policy);
    });
    it("keeps its class table equal to the program's (lib/aws-limits.ts)", () => {
        assert.deepEqual(PI_UNSUPPORTED_CLASSES, PERFORMANCE_INSIGHTS_UNSUPPORTED_CLASSES);
    });
});

describe("results-db-alarms", () => {
    const policy = "results-db-alarms";
    it("fails a missing CPU alarm, naming the metric, on the database", async () => {
        const violation = await expectViolation(without(goodResources(), M.alarm, "db-cpu-high"), policy, /no CloudWatch alarm on CPUUtilization \(/, { urn: DB_URN });
        assert.equal(violation.level, "mandatory");
        assert.deepEqual((await violationsOf(without(goodResources(), M.alarm, "db-cpu-high"), policy, { config: DEV_POLICY_CONFIG })).map((v) => v.level), ["advisory"]);
    });
    it("fails alarms whose dimension names another instance", async () => {
        let records = goodResources();
        for (const name of ["db-free-storage-low", "db-write-latency-high"]) {
            records = mutate(records, M.alarm, name, (r) => (r.inputs.dimensions.DBInstanceIdentifier = "some-other-db"));
        }
        await expectViolation(records, policy, /no CloudWatch alarm on FreeStorageSpace, WriteLatency \(/);
    });
    it("links an alarm whose dimension is unknown in preview through its dependency on the instance, and runs in preview", async () => {
        const records = mutate(goodResources(), M.alarm, "db-cpu-high", (r) => ({ ...r, dependencies: [DB_URN], inputs: { ...r.inputs, dimensions: { DBInstanceIdentifier: UNKNOWN_MARK } } }));
        const result = await check(records);
        assert.deepEqual(result.violations, []);
        assert.deepEqual(result.notRunInPreview, []);
    });
});

describe("results-bucket-5xx-alarm", () => {
    const policy = "results-bucket-5xx-alarm";
    it("fails a bucket without a request-metrics configuration", async () => {
        await expectViolation(without(goodResources(), M.bucketMetric, "results-logs"), policy, /no request-metrics configuration/, { urn: urnOf(T.bucket, "results-logs") });
    });
    it("fails without a 5xxErrors alarm on that configuration", async () => {
        await expectViolation(without(goodResources(), M.alarm, "logs-5xx-errors"), policy, /no CloudWatch alarm on 5xxErrors .*FilterId EntireBucket/);
        const otherFilter = mutate(goodResources(), M.alarm, "logs-5xx-errors", (r) => (r.inputs.dimensions.FilterId = "Documents"));
        await expectViolation(otherFilter, policy, /no CloudWatch alarm on 5xxErrors/);
    });
});

describe("aws-alarms-notify-in-prod", () => {
    const policy = "aws-alarms-notify-in-prod";
    const alarm = (change: (inputs: EditableInputs) => unknown): ResourceRecord[] => mutate(goodResources(), M.alarm, "db-free-storage-low", (r) => change(r.inputs));
    it("fails a production alarm without actions, or with actions disabled", async () => {
        await expectViolation(alarm((i) => delete i.alarmActions), policy, /notifies nobody/, { urn: urnOf(M.alarm, "db-free-storage-low") });
        await expectViolation(alarm((i) => (i.actionsEnabled = false)), policy, /actions disabled/);
    });
    it("leaves a dev alarm without actions alone (dev may have no topic)", async () => {
        await expectNoViolation(alarm((i) => { delete i.alarmActions; i.tags.environment = "dev"; }), policy);
    });
});
