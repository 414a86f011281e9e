/**
 * Results storage, the database side, through the render harness: what RDS runs, how it is sized, kept,
 * reached and logged, and that nothing else waits for it.
 */
import * as assert from "node:assert/strict";
import { rdsFinalSnapshotIdentifier } from "../components/storage/names";
import { CLOUDWATCH_RETENTION_DAYS } from "../lib/aws-limits";
import type { StackConfig } from "../stacks/config";
import { ENVIRONMENT_DEFAULTS } from "../stacks/schema";
import { isKubernetesObject, loadStackSettings, renderStack, UNKNOWN_MARK, type RenderResult, type ResourceRecord } from "../render";
import { configOf, exampleRender, ofType, single } from "./harness";
import { input, MONITORING_TYPES, OVERRIDES, STORAGE_TYPES as TYPES, storageResources } from "./storage-records";

const EXPECTED_LOG_EXPORTS = ["postgresql", "upgrade"];
/** CloudWatch log group names: 1–512 of `[.\-_/#A-Za-z0-9]`. */
const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

/** Kubernetes objects (other than the TektonConfig, which carries the DB host) that wait for the database. */
function kubernetesWaitingOnDatabase(records: readonly ResourceRecord[]): string[] {
    const database = records.find((record) => record.type === TYPES.instance);
    assert.ok(database, "no RDS instance in the render");
    return records
        .filter((record) => isKubernetesObject(record) && !/:TektonConfig(Patch)?$/.test(record.type))
        .filter((record) => record.dependencies.includes(database.urn))
        .map((record) => `${record.type} ${record.name}`);
}

/** `hh24:mi` → minutes after midnight. */
function minutesOf(clock: string): number {
    const [hours, minutes] = clock.split(":").map(Number);
    return hours * 60 + minutes;
}

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const CLOCK = "([01][0-9]|2[0-3]):[0-5][0-9]";

/** RDS PreferredBackupWindow: `hh24:mi-hh24:mi` UTC, at least 30 minutes; returns [start, end) in minutes of the day. */
function backupWindowMinutes(window: string): [number, number] {
    assert.match(window, new RegExp(`^${CLOCK}-${CLOCK}$`));
    const [start, end] = window.split("-").map(minutesOf);
    const length = (end - start + 1440) % 1440;
    assert.ok(length >= 30, `backup window ${window} is shorter than the 30 minutes RDS requires`);
    return [start, start + length];
}

/** RDS PreferredMaintenanceWindow: `ddd:hh24:mi-ddd:hh24:mi`, at least 30 minutes; [start, end) in minutes of the week. */
function maintenanceWindowMinutes(window: string): [number, number] {
    assert.match(window, new RegExp(`^(${DAYS.join("|")}):${CLOCK}-(${DAYS.join("|")}):${CLOCK}$`));
    const [start, end] = window.split("-").map((part) => DAYS.indexOf(part.slice(0, 3)) * 1440 + minutesOf(part.slice(4)));
    const length = (end - start + 7 * 1440) % (7 * 1440);
    assert.ok(length >= 30, `maintenance window ${window} is shorter than the 30 minutes RDS requires`);
    return [start, start + length];
}

/** RDS refuses a maintenance window that overlaps the (daily) backup window. */
function windowsOverlap(backup: [number, number], maintenance: [number, number]): boolean {
    for (let day = -1; day <= 7; day++) {
        const [start, end] = [backup[0] + day * 1440, backup[1] + day * 1440];
        if (start < maintenance[1] && maintenance[0] < end) return true;
    }
    return false;
}

for (const stack of ["dev", "prod"] as const) {
    describe(`results database on AWS (${stack} stack)`, () => {
        let result: RenderResult;
        let config: StackConfig;
        let database: ResourceRecord;
        before(async () => {
            result = await exampleRender(stack);
            config = configOf(result);
            database = single(result, TYPES.instance);
        });

        it("registers exactly the resources the issue lists, inside the component, with the v7 S3 classes", () => {
            const expected = [
                ...Object.values(TYPES).filter((type) => type !== TYPES.component && type !== TYPES.logGroup),
                ...EXPECTED_LOG_EXPORTS.map(() => TYPES.logGroup),
            ].sort();
            assert.deepEqual(storageResources(result).map((record) => record.type).sort(), expected);
            // Nothing AWS lives outside the component (but the alarms, in AwsMonitoring), and nothing uses the deprecated BucketV2 family.
            const components = [single(result, TYPES.component).urn, single(result, MONITORING_TYPES.component).urn];
            for (const record of result.resources.filter((candidate) => candidate.type.startsWith("aws:"))) {
                assert.ok(components.includes(record.parent ?? ""), `${record.type} ${record.name} is outside ResultsStorage and AwsMonitoring`);
                assert.doesNotMatch(record.type, /V2$/);
            }
        });

        it("runs PostgreSQL at the configured major with a parameter group of that family forcing TLS", () => {
            const parameterGroup = single(result, TYPES.parameterGroup);
            assert.equal(input(database, "engine"), "postgres");
            assert.equal(input(database, "engineVersion"), config.results.engineVersion);
            assert.equal(input(parameterGroup, "family"), `postgres${config.results.engineVersion}`);
            const forceSsl = input<{ name: string; value: string }[]>(parameterGroup, "parameters").filter((parameter) => parameter.name === "rds.force_ssl");
            assert.deepEqual(forceSsl.map((parameter) => parameter.value), ["1"]);
            assert.equal(input(database, "parameterGroupName"), input(parameterGroup, "name"));
            assert.ok(database.dependencies.includes(parameterGroup.urn));
            assert.equal(input(database, "port"), 5432);
        });

        it("encrypts, hides and maintains the database as the issue demands", () => {
            assert.equal(input(database, "storageEncrypted"), true);
            assert.equal(input(database, "kmsKeyId"), config.results.kmsKeyArn);
            assert.equal(input(database, "publiclyAccessible"), false);
            assert.equal(input(database, "autoMinorVersionUpgrade"), true);
            assert.equal(input(database, "copyTagsToSnapshot"), true);
            assert.deepEqual([...input<string[]>(database, "enabledCloudwatchLogsExports")].sort(), EXPECTED_LOG_EXPORTS);
            assert.equal(input(database, "instanceClass"), config.results.instanceClass);
            // Results' own database and role: PostgreSQL identifiers RDS accepts, never the superuser name.
            for (const field of ["dbName", "username"]) {
                assert.match(input<string>(database, field), /^[a-z][a-z0-9_]{0,62}$/);
            }
            assert.notEqual(input(database, "username"), "postgres");
        });

        it("sizes storage from config with an autoscaling ceiling RDS accepts", () => {
            const allocated = input<number>(database, "allocatedStorage");
            const ceiling = input<number>(database, "maxAllocatedStorage");
            assert.equal(allocated, config.results.allocatedStorage);
            assert.equal(ceiling, config.results.maxAllocatedStorage);
            // RDS: the ceiling must be at least 10% above the allocated storage.
            assert.ok(ceiling * 10 >= allocated * 11, `maxAllocatedStorage ${ceiling} is not 10% above ${allocated}`);
        });

        it(`keeps the ${stack} durability: backups, multi-AZ, deletion protection, final snapshot, protect`, () => {
            const bucket = single(result, TYPES.bucket);
            assert.equal(input(database, "backupRetentionPeriod"), config.results.backupRetentionDays);
            assert.equal(input(database, "multiAz"), config.results.multiAz);
            assert.equal(input(database, "deletionProtection"), config.results.deletionProtection);
            if (stack === "prod") {
                assert.equal(config.results.multiAz, true);
                assert.equal(config.results.deletionProtection, true);
                assert.ok(config.results.backupRetentionDays >= 7);
                assert.equal(input(database, "skipFinalSnapshot"), false);
                // Deterministic: the instance identifier plus a fixed suffix, no timestamp.
                assert.equal(input(database, "finalSnapshotIdentifier"), `${input<string>(database, "identifier")}-final`);
                assert.equal(input(database, "finalSnapshotIdentifier"), rdsFinalSnapshotIdentifier(config.clusterName));
                assert.equal(database.protect, true);
                assert.equal(bucket.protect, true);
            } else {
                // Dev is cheap and disposable.
                assert.equal(input(database, "multiAz"), false);
                assert.equal(input(database, "deletionProtection"), false);
                assert.equal(input(database, "backupRetentionPeriod"), ENVIRONMENT_DEFAULTS.dev.results.backupRetentionDays);
                assert.equal(input(database, "instanceClass"), ENVIRONMENT_DEFAULTS.dev.results.instanceClass);
                assert.equal(input(database, "skipFinalSnapshot"), true);
                assert.equal(input(database, "finalSnapshotIdentifier"), undefined);
                assert.deepEqual(storageResources(result).filter((record) => record.protect).map((record) => record.name), []);
            }
        });

        it("uses backup and maintenance windows RDS accepts (format, ≥ 30 min, no overlap)", () => {
            const backup = backupWindowMinutes(input<string>(database, "backupWindow"));
            const maintenance = maintenanceWindowMinutes(input<string>(database, "maintenanceWindow"));
            assert.equal(windowsOverlap(backup, maintenance), false);
        });

        it("pre-creates the log groups RDS exports to, with the configured retention", () => {
            const identifier = input<string>(database, "identifier");
            const logGroups = ofType(result, TYPES.logGroup);
            // RDS writes to exactly /aws/rds/instance/<identifier>/<log type>; any other name would leave
            // RDS to create its own group without retention.
            assert.deepEqual(logGroups.map((group) => input<string>(group, "name")).sort(),
                EXPECTED_LOG_EXPORTS.map((logType) => `/aws/rds/instance/${identifier}/${logType}`));
            for (const group of logGroups) {
                assert.match(input<string>(group, "name"), LOG_GROUP_NAME);
                assert.equal(input(group, "retentionInDays"), config.results.logRetentionDays);
                assert.ok((CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(input<number>(group, "retentionInDays")));
                assert.ok(database.dependencies.includes(group.urn), "RDS must wait for its log groups");
            }
        });

        it("places the database on the configured subnets behind a security group open only to the configured CIDRs", () => {
            const subnetGroup = single(result, TYPES.subnetGroup);
            const securityGroup = single(result, TYPES.securityGroup);
            assert.deepEqual(input(subnetGroup, "subnetIds"), config.network.privateSubnetIds);
            assert.equal(input(database, "dbSubnetGroupName"), input(subnetGroup, "name"));
            assert.equal(input(securityGroup, "vpcId"), config.network.vpcId);
            // Exactly one rule, TCP 5432 from exactly the configured CIDRs, and no egress at all.
            assert.deepEqual(input(securityGroup, "ingress"), [{
                description: "PostgreSQL from the cluster networks",
                protocol: "tcp",
                fromPort: 5432,
                toPort: 5432,
                cidrBlocks: config.network.allowedCidrs,
            }]);
            assert.deepEqual(input(securityGroup, "egress"), []);
            // The group's id is unknown until apply: the dependency shows it is this group the instance uses.
            assert.deepEqual(input(database, "vpcSecurityGroupIds"), [UNKNOWN_MARK]);
            assert.ok(database.dependencies.includes(securityGroup.urn));
        });

        it("makes no Kubernetes object but the TektonConfig wait for the database", () => {
            assert.deepEqual(kubernetesWaitingOnDatabase(result.resources), []);
            const tektonConfig = result.resources.find((record) => /:TektonConfig(Patch)?$/.test(record.type) && record.dependencies.includes(database.urn));
            assert.ok(tektonConfig, "the TektonConfig carries the DB host, so it does wait for RDS");
        });
    });
}

describe("results database checks catch violations", () => {
    it("dependency discipline: a Kubernetes object listing the RDS instance is reported", async () => {
        const dev = await exampleRender("dev");
        const database = single(dev, TYPES.instance);
        const subscription = dev.resources.find((record) => record.type.endsWith(":Subscription"));
        assert.ok(subscription);
        const mutated = dev.resources.map((record) => (record === subscription ? { ...record, dependencies: [...record.dependencies, database.urn] } : record));
        assert.deepEqual(kubernetesWaitingOnDatabase(mutated), [`${subscription.type} ${subscription.name}`]);
    });

    it("windows: bad formats, too short, overlapping", () => {
        assert.throws(() => backupWindowMinutes("3:00-04:00"));
        assert.throws(() => backupWindowMinutes("03:00-03:20"));
        assert.throws(() => maintenanceWindowMinutes("sunday:04:30-sunday:05:30"));
        assert.throws(() => maintenanceWindowMinutes("sun:04:30-sun:04:45"));
        assert.equal(windowsOverlap(backupWindowMinutes("03:00-04:00"), maintenanceWindowMinutes("wed:03:30-wed:04:30")), true);
        assert.equal(windowsOverlap(backupWindowMinutes("23:30-00:30"), maintenanceWindowMinutes("mon:00:00-mon:00:45")), true);
        assert.equal(windowsOverlap(backupWindowMinutes("03:00-04:00"), maintenanceWindowMinutes("sun:04:00-sun:05:00")), false);
    });
});

describe("results database with overrides (prod, PostgreSQL 18, KMS)", () => {
    let result: RenderResult;
    before(async () => {
        const prodResults = JSON.parse(loadStackSettings("prod").config["pipeline-service:results"] ?? "{}") as Record<string, unknown>;
        result = await renderStack("prod", {
            overrides: { "pipeline-service:results": { ...prodResults, engineVersion: "18", kmsKeyArn: OVERRIDES.kmsKeyArn } },
        });
    });

    it("follows the engine major into the parameter group family and its name", () => {
        const parameterGroup = single(result, TYPES.parameterGroup);
        assert.equal(input(single(result, TYPES.instance), "engineVersion"), "18");
        assert.equal(input(parameterGroup, "family"), "postgres18");
        assert.match(input<string>(parameterGroup, "name"), /postgres18$/);
    });

    it("encrypts the database with the customer key", () => {
        assert.equal(input(single(result, TYPES.instance), "kmsKeyId"), OVERRIDES.kmsKeyArn);
    });
});
