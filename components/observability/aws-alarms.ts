/**
 * `AwsMonitoring`: CloudWatch alarms on the Tekton Results storage — five on the RDS instance (free storage, CPU,
 * connections, read and write latency) and one on the log bucket's S3 5xx responses, which needs the bucket's request
 * metrics turned on first (a `BucketMetric`). They publish to the stack's SNS topic when it has one.
 *
 * Alarm names are the watched resource's name plus what is watched (`<instance identifier>-cpu-high`,
 * `<bucket>-5xx-errors`): at most 63 + 19 characters, far below CloudWatch's 255 (PutMetricAlarm `AlarmName`).
 */
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import { awsTags, type TagContext } from "../shared/labels";
import { rdsInstanceIdentifier, s3BucketName } from "../storage/names";
import { alarmActions, bucketAlarmSpecs, BUCKET_METRICS_ID, databaseAlarmSpecs, type AlarmSpec } from "./aws-alarm-builders";

export interface AwsMonitoringArgs {
    /** Cluster and environment: names and tags derive from them. */
    readonly tagContext: TagContext;
    /** The Results database: its identifier (an output of the storage component) and initial allocation. */
    readonly database: { readonly identifier: pulumi.Input<string>; readonly allocatedStorageGiB: number };
    /** The Results log bucket (an output of the storage component). */
    readonly bucketName: pulumi.Input<string>;
    /** SNS topic the alarms publish to; unset (dev only) the alarms notify nobody. */
    readonly alarmTopicArn?: string;
}

export class AwsMonitoring extends pulumi.ComponentResource {
    /** Names of the alarms, in creation order. */
    public readonly alarmNames: string[];

    constructor(name: string, args: AwsMonitoringArgs, opts?: pulumi.ComponentResourceOptions) {
        super("pipeline-service:observability:AwsMonitoring", name, {}, opts);
        const cluster = args.tagContext.clusterName;
        const actions = alarmActions(args.alarmTopicArn);
        const names: string[] = [];
        // `watched` is the alarm's Pulumi-name part (db, logs); `prefix` the watched resource's AWS name.
        const alarm = (watched: string, prefix: string, component: string, spec: AlarmSpec<pulumi.Input<string>>, dependsOn?: pulumi.Resource): void => {
            const { suffix, ...settings } = spec;
            names.push(`${prefix}-${suffix}`);
            new cloudwatch.MetricAlarm(`${name}-${watched}-${suffix}`, {
                name: `${prefix}-${suffix}`,
                ...settings,
                dimensions: { ...settings.dimensions },
                ...actions,
                tags: awsTags(args.tagContext, component),
            }, { parent: this, ...(dependsOn === undefined ? {} : { dependsOn }) });
        };

        for (const spec of databaseAlarmSpecs(args.database)) {
            alarm("db", rdsInstanceIdentifier(cluster), "results-db", spec);
        }

        // Request metrics are billed like custom metrics; one configuration for the whole bucket is enough for 5xxErrors.
        const bucketMetrics = new s3.BucketMetric(`${name}-logs`, { bucket: args.bucketName, name: BUCKET_METRICS_ID }, { parent: this });
        for (const spec of bucketAlarmSpecs(args.bucketName)) {
            alarm("logs", s3BucketName(cluster), "results-logs", spec, bucketMetrics);
        }

        this.alarmNames = names;
        this.registerOutputs({ alarmNames: this.alarmNames });
    }
}
