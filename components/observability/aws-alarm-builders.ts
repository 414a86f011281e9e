/**
 * Pure CloudWatch alarm settings for the Tekton Results storage on AWS: which metrics, which thresholds, how missing data
 * counts, where the alarms publish. `AwsMonitoring` only turns them into resources.
 *
 * Metric names, units and dimensions: Amazon RDS user guide "Amazon CloudWatch metrics for Amazon RDS" (namespace
 * AWS/RDS, dimension DBInstanceIdentifier; FreeStorageSpace in bytes, latencies in seconds) and Amazon S3 user guide
 * "Metrics and dimensions" (request metrics in AWS/S3 with BucketName + FilterId, only once a metrics configuration
 * exists). Argument names: @pulumi/aws 7 `cloudwatch/metricAlarm.d.ts` MetricAlarmArgs.
 *
 * No ReplicaLag alarm: that metric exists only for read replicas, and there are none. A Multi-AZ *instance* keeps a
 * synchronous standby that serves no reads and publishes no ReplicaLag; the standby is not a replica.
 */

/** The request-metrics configuration on the log bucket; its id is the `FilterId` dimension of S3 request metrics. */
export const BUCKET_METRICS_ID = "EntireBucket";

const GIB = 1024 ** 3;
const FIVE_MINUTES = 300;

/** What the alarms of one database watch. */
export interface DatabaseTarget<Id> {
    /** RDS instance identifier (`DBInstanceIdentifier` dimension); an output of the storage component. */
    readonly identifier: Id;
    /** Storage allocated at creation, in GiB. */
    readonly allocatedStorageGiB: number;
}

/** One alarm's settings, less name, actions and tags (shared by every alarm, see {@link alarmActions}). */
export interface AlarmSpec<Dimension> {
    /** Suffix of the alarm name after the watched resource's name, e.g. `cpu-high`. */
    readonly suffix: string;
    readonly namespace: "AWS/RDS" | "AWS/S3";
    readonly metricName: string;
    readonly dimensions: Readonly<Record<string, Dimension>>;
    readonly statistic: "Average" | "Minimum" | "Maximum" | "Sum";
    readonly period: number;
    readonly evaluationPeriods: number;
    readonly datapointsToAlarm: number;
    readonly comparisonOperator: "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold" | "LessThanThreshold";
    readonly threshold: number;
    readonly treatMissingData: "missing" | "notBreaching" | "breaching" | "ignore";
    readonly alarmDescription: string;
}

/**
 * Free storage below this share of the allocated storage alarms. Storage autoscaling grows the volume once free space is
 * at most 10% of the allocation (Amazon RDS user guide, "Managing capacity automatically with Amazon RDS storage
 * autoscaling"), and the allocation only grows, so free space stays above ~10% of the *initial* allocation while
 * autoscaling keeps up. Half of that means it did not: the ceiling (maxAllocatedStorage) is reached, the 6-hour cooldown
 * between modifications holds it back, or growth outruns it. At 10% the alarm would fire at every routine autoscaling.
 */
export const FREE_STORAGE_ALARM_PERCENT = 5;
/** Sustained CPU above this (percent) leaves no room for the retention job's weekly sweep and slows every query. */
export const CPU_ALARM_PERCENT = 80;
/**
 * Connections above this alarm. RDS for PostgreSQL defaults max_connections to LEAST(DBInstanceClassMemory/9531392,
 * 5000): about 200 on db.t4g.small (2 GiB, the smallest class the stacks use), far more on larger classes. Results
 * (its API replicas and the retention agent; the watcher talks to the API, not the database) holds a few dozen, so 150
 * is a leak or a runaway deployment, and on the smallest class it still fires before clients are refused.
 */
export const DATABASE_CONNECTIONS_ALARM = 150;
/** gp3 answers in about a millisecond; a sustained 20 ms average means the volume's IOPS or throughput are saturated. */
export const IO_LATENCY_ALARM_SECONDS = 0.02;
/** S3 5xx responses (500 InternalError, 503 SlowDown) per 5 minutes that alarm; a stray one is retried by the SDK. */
export const S3_5XX_ALARM_COUNT = 5;

/** The five alarms on one RDS instance: storage, CPU, connections, read and write latency. */
export function databaseAlarmSpecs<Id>(target: DatabaseTarget<Id>): AlarmSpec<Id>[] {
    const dimensions = { DBInstanceIdentifier: target.identifier };
    const sustained = { period: FIVE_MINUTES, evaluationPeriods: 3, datapointsToAlarm: 3 } as const;
    // RDS publishes every minute while the instance runs: a gap is a stop, reboot or failover, not load.
    const rds = { namespace: "AWS/RDS", dimensions, treatMissingData: "notBreaching" } as const;
    const freeBytes = Math.floor((target.allocatedStorageGiB * GIB * FREE_STORAGE_ALARM_PERCENT) / 100);
    const latency = (metricName: "ReadLatency" | "WriteLatency", suffix: string): AlarmSpec<Id> => ({
        ...rds, ...sustained, suffix, metricName, statistic: "Average",
        comparisonOperator: "GreaterThanThreshold", threshold: IO_LATENCY_ALARM_SECONDS,
        alarmDescription: `Average ${metricName} above ${IO_LATENCY_ALARM_SECONDS * 1000} ms for 15 minutes: the gp3 volume is saturated (check Performance Insights for the queries).`,
    });
    return [
        {
            ...rds, suffix: "free-storage-low", metricName: "FreeStorageSpace", statistic: "Minimum",
            period: FIVE_MINUTES, evaluationPeriods: 2, datapointsToAlarm: 2,
            comparisonOperator: "LessThanThreshold", threshold: freeBytes,
            // A shortage does not end because the metric went quiet: keep the last state.
            treatMissingData: "missing",
            alarmDescription: `Free storage below ${FREE_STORAGE_ALARM_PERCENT}% of the ${target.allocatedStorageGiB} GiB allocated for 10 minutes: ` +
                "storage autoscaling is not keeping up or reached maxAllocatedStorage.",
        },
        {
            ...rds, ...sustained, suffix: "cpu-high", metricName: "CPUUtilization", statistic: "Average",
            comparisonOperator: "GreaterThanThreshold", threshold: CPU_ALARM_PERCENT,
            alarmDescription: `Average CPU above ${CPU_ALARM_PERCENT}% for 15 minutes.`,
        },
        {
            ...rds, ...sustained, suffix: "connections-high", metricName: "DatabaseConnections", statistic: "Maximum",
            comparisonOperator: "GreaterThanThreshold", threshold: DATABASE_CONNECTIONS_ALARM,
            alarmDescription: `More than ${DATABASE_CONNECTIONS_ALARM} connections for 15 minutes: Results holds a few dozen; look for a connection leak.`,
        },
        latency("ReadLatency", "read-latency-high"),
        latency("WriteLatency", "write-latency-high"),
    ];
}

/** The alarm on the log bucket's 5xx responses (the request-metrics configuration {@link BUCKET_METRICS_ID} must exist). */
export function bucketAlarmSpecs<Name>(bucketName: Name): AlarmSpec<Name | string>[] {
    return [{
        suffix: "5xx-errors",
        namespace: "AWS/S3",
        metricName: "5xxErrors",
        dimensions: { BucketName: bucketName, FilterId: BUCKET_METRICS_ID },
        statistic: "Sum",
        period: FIVE_MINUTES,
        evaluationPeriods: 3,
        datapointsToAlarm: 2,
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: S3_5XX_ALARM_COUNT,
        // S3 publishes request metrics only for periods with requests: no requests, no errors.
        treatMissingData: "notBreaching",
        alarmDescription: `At least ${S3_5XX_ALARM_COUNT} S3 5xx responses in 5 minutes, twice in 15 minutes: Results cannot store or serve logs reliably.`,
    }];
}

/**
 * Where the alarms publish: the SNS topic on ALARM and back to OK. Without a topic (allowed in dev only, see
 * stacks/schema.ts) the alarms have no actions: they still change state in the CloudWatch console, nobody is paged.
 */
export function alarmActions(alarmTopicArn: string | undefined): { alarmActions?: string[]; okActions?: string[] } {
    return alarmTopicArn === undefined ? {} : { alarmActions: [alarmTopicArn], okActions: [alarmTopicArn] };
}
