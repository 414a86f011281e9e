/**
 * Policies on AWS monitoring of the Tekton Results storage (issue 15): RDS Enhanced Monitoring (Security Hub FSBP RDS.6)
 * and Performance Insights, CloudWatch alarms on the database and on the log bucket's 5xx responses, and production
 * alarms that page someone. Mandatory; the dev environment's policy config (policy/config/dev.json) makes them advisory.
 *
 * Argument names are those of @pulumi/aws 7: `rds/instance.d.ts` monitoringInterval, monitoringRoleArn,
 * performanceInsightsEnabled, identifier, engine, instanceClass; `cloudwatch/metricAlarm.d.ts` namespace, metricName,
 * dimensions, alarmActions, actionsEnabled; `s3/bucketMetric.d.ts` bucket, name; `iam/role.d.ts` assumeRolePolicy;
 * `iam/rolePolicyAttachment.d.ts` role, policyArn.
 *
 * Alarms are matched to their instance through a recorded dependency when there is one, otherwise by the
 * `DBInstanceIdentifier` dimension equal to the instance's `identifier` (both known in a first preview: the program sets
 * the identifier, so the alarms need not wait for the instance). Role ARNs are never read: they are unknown until apply.
 */
import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { asArray, asRecord, asString, describe, linkedResources, resourcesOfType, TYPES } from "./resource-facts";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const BUCKET_METRIC = "aws:s3/bucketMetric:BucketMetric";
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const RDS_MONITORING_PRINCIPAL = "monitoring.rds.amazonaws.com";
const ENHANCED_MONITORING_POLICY = /^arn:aws[a-z-]*:iam::aws:policy\/service-role\/AmazonRDSEnhancedMonitoringRole$/;

/** Enhanced Monitoring intervals above 0 that RDS accepts (CreateDBInstance `MonitoringInterval`). */
const MONITORING_INTERVALS: readonly number[] = [1, 5, 10, 15, 30, 60];

/**
 * Classes without Performance Insights, by engine (Amazon RDS user guide, "Amazon RDS DB engine, Region, and instance
 * class support for Performance Insights"; none for PostgreSQL). The pack cannot import lib/; a test keeps this table
 * equal to lib/aws-limits.ts PERFORMANCE_INSIGHTS_UNSUPPORTED_CLASSES.
 */
export const PI_UNSUPPORTED_CLASSES: Readonly<Record<string, readonly string[]>> = {
    mysql: ["db.t2.micro", "db.t2.small", "db.t3.micro", "db.t3.small", "db.t4g.micro", "db.t4g.small"],
    mariadb: ["db.t2.micro", "db.t2.small", "db.t3.micro", "db.t3.small", "db.t4g.micro", "db.t4g.small"],
};

/** The RDS metrics every instance must have an alarm on. */
export const REQUIRED_RDS_ALARM_METRICS: readonly string[] = ["FreeStorageSpace", "CPUUtilization", "DatabaseConnections", "ReadLatency", "WriteLatency"];

/** Whether an IAM trust policy (JSON string or document) lets the RDS monitoring service assume the role. */
function trustsRdsMonitoring(assumeRolePolicy: unknown): boolean {
    let document: unknown = assumeRolePolicy;
    if (typeof assumeRolePolicy === "string") {
        try {
            document = JSON.parse(assumeRolePolicy) as unknown;
        } catch {
            return false;
        }
    }
    return asArray(asRecord(document)?.Statement).some((raw) => {
        const statement = asRecord(raw) ?? {};
        const service = asRecord(statement.Principal)?.Service;
        const services = Array.isArray(service) ? service : [service];
        return statement.Effect === "Allow" && services.includes(RDS_MONITORING_PRINCIPAL);
    });
}

export const resultsDbEnhancedMonitoring: StackValidationPolicy = {
    name: "results-db-enhanced-monitoring",
    description:
        "Checks whether every RDS instance has Enhanced Monitoring (monitoringInterval 1–60 s with a monitoringRoleArn; Security " +
        "Hub FSBP RDS.6) and, when the role is one of this stack's, that it trusts monitoring.rds.amazonaws.com and carries the " +
        "AmazonRDSEnhancedMonitoringRole policy; and Performance Insights wherever RDS offers it for the engine and class.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const roles = resourcesOfType(args.resources, ROLE);
        const attachments = resourcesOfType(args.resources, ROLE_POLICY_ATTACHMENT);
        for (const db of resourcesOfType(args.resources, TYPES.rdsInstance)) {
            const label = describe(db);
            const interval = db.props.monitoringInterval;
            if (typeof interval !== "number" || !MONITORING_INTERVALS.includes(interval)) {
                reportViolation(`${label} has no Enhanced Monitoring (monitoringInterval ${String(interval ?? "unset")}): set it to 1, 5, 10, 15, 30 or 60 with a monitoringRoleArn.`, db.urn);
            } else if (!("monitoringRoleArn" in db.props)) {
                reportViolation(`${label} sets monitoringInterval but no monitoringRoleArn: RDS refuses it; pass a role trusting ${RDS_MONITORING_PRINCIPAL}.`, db.urn);
            } else {
                // Only a dependency links the role: its ARN is unknown before apply.
                for (const role of roles.filter((candidate) => db.dependencies.some((d) => d.urn === candidate.urn))) {
                    if (!trustsRdsMonitoring(role.props.assumeRolePolicy)) {
                        reportViolation(`${label}'s monitoring role ${describe(role)} does not trust ${RDS_MONITORING_PRINCIPAL}.`, db.urn);
                    } else if (!attachments.some((a) => a.dependencies.some((d) => d.urn === role.urn) && ENHANCED_MONITORING_POLICY.test(asString(a.props.policyArn) ?? ""))) {
                        reportViolation(`${label}'s monitoring role ${describe(role)} lacks the AmazonRDSEnhancedMonitoringRole managed policy.`, db.urn);
                    }
                }
            }
            const engine = asString(db.props.engine) ?? "";
            const instanceClass = asString(db.props.instanceClass) ?? "";
            if (!(PI_UNSUPPORTED_CLASSES[engine] ?? []).includes(instanceClass) && db.props.performanceInsightsEnabled !== true) {
                reportViolation(`${label} has no Performance Insights, which RDS offers for ${engine} on ${instanceClass}: set performanceInsightsEnabled: true.`, db.urn);
            }
        }
    },
};

/** The CloudWatch alarms on metrics of `namespace`. */
function alarmsIn(resources: readonly PolicyResource[], namespace: string): PolicyResource[] {
    return resourcesOfType(resources, ALARM).filter((alarm) => alarm.props.namespace === namespace);
}

export const resultsDbAlarms: StackValidationPolicy = {
    name: "results-db-alarms",
    description:
        `Checks whether every RDS instance has CloudWatch alarms (namespace AWS/RDS, dimension DBInstanceIdentifier) on ${REQUIRED_RDS_ALARM_METRICS.join(", ")}: ` +
        "a full disk, a saturated CPU or volume, or leaked connections stop Tekton Results, and nothing else watches the database.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const databases = resourcesOfType(args.resources, TYPES.rdsInstance);
        const alarms = alarmsIn(args.resources, "AWS/RDS");
        for (const db of databases) {
            const watching = alarms.filter((alarm) => linkedResources(alarm, databases, (candidate) => {
                const identifier = asString(candidate.props.identifier);
                return identifier !== undefined && asString(asRecord(alarm.props.dimensions)?.DBInstanceIdentifier) === identifier;
            }).some((linked) => linked.urn === db.urn));
            const watched = new Set(watching.map((alarm) => asString(alarm.props.metricName)));
            const missing = REQUIRED_RDS_ALARM_METRICS.filter((metric) => !watched.has(metric));
            if (missing.length > 0) {
                reportViolation(`${describe(db)} has no CloudWatch alarm on ${missing.join(", ")} (namespace AWS/RDS, dimension DBInstanceIdentifier = its identifier).`, db.urn);
            }
        }
    },
};

export const resultsBucket5xxAlarm: StackValidationPolicy = {
    name: "results-bucket-5xx-alarm",
    description:
        "Checks whether every S3 bucket has a request-metrics configuration (BucketMetric) and a CloudWatch alarm on its 5xxErrors " +
        "(namespace AWS/S3, dimensions BucketName and FilterId = the configuration's name): without the configuration S3 publishes " +
        "no request metrics, and without the alarm nobody learns that Results cannot store or serve logs.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const buckets = resourcesOfType(args.resources, TYPES.bucket);
        const alarms = alarmsIn(args.resources, "AWS/S3").filter((alarm) => alarm.props.metricName === "5xxErrors");
        for (const bucket of buckets) {
            const name = asString(bucket.props.bucket);
            const configurations = resourcesOfType(args.resources, BUCKET_METRIC)
                .filter((metric) => linkedResources(metric, buckets, (candidate) => asString(metric.props.bucket) === asString(candidate.props.bucket)).some((b) => b.urn === bucket.urn))
                .map((metric) => asString(metric.props.name));
            if (configurations.length === 0) {
                reportViolation(`${describe(bucket)} has no request-metrics configuration: add a BucketMetric (e.g. name "EntireBucket") so S3 publishes 5xxErrors.`, bucket.urn);
                continue;
            }
            const alarmed = alarms.some((alarm) => {
                const dimensions = asRecord(alarm.props.dimensions) ?? {};
                return name !== undefined && dimensions.BucketName === name && configurations.includes(asString(dimensions.FilterId));
            });
            if (!alarmed) {
                reportViolation(`${describe(bucket)} has no CloudWatch alarm on 5xxErrors with BucketName ${name ?? "(its name)"} and FilterId ${configurations.join(" or ")}.`, bucket.urn);
            }
        }
    },
};

export const awsAlarmsNotifyInProd: ResourceValidationPolicy = {
    name: "aws-alarms-notify-in-prod",
    description: "Checks whether every CloudWatch alarm of a production stack (tag environment: prod) has alarmActions and actions enabled, so an alarm pages someone.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (args.type !== ALARM || asRecord(args.props.tags)?.environment !== "prod") {
            return;
        }
        if (asArray(args.props.alarmActions).length === 0) {
            reportViolation("This production alarm notifies nobody: set alarmActions to the SNS topic (pipeline-service:observability.alarmTopicArn).");
        } else if (args.props.actionsEnabled === false) {
            reportViolation("This production alarm has its actions disabled: remove actionsEnabled: false.");
        }
    },
};

/** The policies of this area, in pack order. */
export const awsMonitoringPolicies: readonly (ResourceValidationPolicy | StackValidationPolicy)[] = [
    resultsDbEnhancedMonitoring,
    resultsDbAlarms,
    resultsBucket5xxAlarm,
    awsAlarmsNotifyInProd,
];
