/**
 * `ResultsStorage`: the AWS storage Tekton Results archives into — an RDS PostgreSQL instance that only
 * the cluster can reach and only over TLS, a private encrypted S3 bucket for logs, and an IAM user whose
 * key can touch nothing but that bucket's objects.
 *
 * No IRSA variant: Tekton Results' S3 client always builds static credentials from S3_ACCESS_KEY_ID /
 * S3_SECRET_ACCESS_KEY (tektoncd/results pkg/api/server/v1alpha2/log/s3.go), so a role would never be used.
 */
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import * as rds from "@pulumi/aws/rds";
import * as s3 from "@pulumi/aws/s3";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { iamPolicyName, iamUserName, rdsFinalSnapshotIdentifier, rdsMonitoringRoleName, rdsInstanceIdentifier, rdsParameterGroupName, rdsSubnetGroupName, s3BucketName, securityGroupName } from "./names";
import { awsTags, type TagContext } from "../shared/labels";
import {
    bucketArn, bucketLifecycleRules, databaseInstanceSettings, databaseMonitoringSettings, databaseParameters, managedPolicyArn,
    parameterGroupFamily, POSTGRES_PORT, RDS_LOG_EXPORTS, RESULTS_DB_NAME, RESULTS_DB_USER, resultsAccessPolicy, s3Endpoint,
    type DatabaseMonitoring, type StorageSettings,
} from "./builders";
import { denyInsecureTransportPolicy, rdsMonitoringTrustPolicy } from "./iam";
import { activeSlotOf, slotsOf, type S3KeyRotation } from "../../lib/s3-key-rotation";
import { RotationGuard } from "./rotation";

/** Where the database lives. */
export interface StorageNetwork {
    /** VPC the database lives in. */
    readonly vpcId: pulumi.Input<string>;
    /** Private subnets (two or more AZs) of the DB subnet group. */
    readonly privateSubnetIds: readonly pulumi.Input<string>[];
    /** The only CIDRs that may open a connection to PostgreSQL. */
    readonly allowedCidrs: readonly string[];
}

export interface ResultsStorageArgs {
    /** Cluster and environment: names and tags derive from them. */
    readonly tagContext: TagContext;
    /** AWS region (endpoint and ARN partition). */
    readonly region: string;
    readonly network: StorageNetwork;
    /** Instance sizing, durability and log retention (after environment defaults). */
    readonly settings: StorageSettings;
    /** Keep a final snapshot and `protect` the database and bucket (prod). */
    readonly protectStateful: boolean;
    /** Enhanced Monitoring and Performance Insights; absent when observability is off. */
    readonly monitoring?: DatabaseMonitoring;
    /** Where the credential rotations stand. */
    readonly rotation: CredentialRotation;
}

/** The credential rotations, as config sets them. */
export interface CredentialRotation {
    /** The S3 access key rotation state (rotation.ts): which slots hold a key, which one Results uses. */
    readonly s3KeyRotation: S3KeyRotation;
    /** Changing it generates a new database password (RandomPassword keeper); absent: the first password stays. */
    readonly dbPasswordRotation?: string;
}

export class ResultsStorage extends pulumi.ComponentResource {
    public readonly dbHost: pulumi.Output<string>;
    public readonly dbPort: pulumi.Output<number>;
    public readonly dbName: pulumi.Output<string>;
    public readonly dbUser: pulumi.Output<string>;
    /** Master password (secret). */
    public readonly dbPassword: pulumi.Output<string>;
    public readonly bucketName: pulumi.Output<string>;
    /**
     * The RDS instance identifier (the `DBInstanceIdentifier` dimension of its CloudWatch metrics). A plain string: it is
     * decided before the instance exists, so alarms on it need not wait the ~10 minutes RDS takes to create one.
     */
    public readonly dbInstanceIdentifier: string;
    /** Storage allocated at creation, in GiB (autoscaling may grow it up to `maxAllocatedStorage`). */
    public readonly dbAllocatedStorageGiB: number;
    public readonly s3Endpoint: pulumi.Output<string>;
    public readonly accessKeyId: pulumi.Output<string>;
    /** Secret access key of the Results IAM user (secret). */
    public readonly secretAccessKey: pulumi.Output<string>;

    constructor(name: string, args: ResultsStorageArgs, opts?: pulumi.ComponentResourceOptions) {
        super("pipeline-service:storage:ResultsStorage", name, {}, opts);

        const cluster = args.tagContext.clusterName;
        const tags = (component: string): Record<string, string> => awsTags(args.tagContext, component);
        const family = parameterGroupFamily(args.settings.engineVersion);
        const stateful = { parent: this, protect: args.protectStateful };
        const identifier = rdsInstanceIdentifier(cluster);

        // --- Database -------------------------------------------------------------------------------
        const securityGroup = new ec2.SecurityGroup(`${name}-db`, {
            name: securityGroupName(cluster),
            description: "Tekton Results PostgreSQL: 5432 from the cluster only",
            vpcId: args.network.vpcId,
            ingress: [{
                description: "PostgreSQL from the cluster networks",
                protocol: "tcp",
                fromPort: POSTGRES_PORT,
                toPort: POSTGRES_PORT,
                cidrBlocks: [...args.network.allowedCidrs],
            }],
            // A database never opens connections: no egress at all (replaces AWS's allow-all default).
            egress: [],
            tags: tags("results-db"),
        }, { parent: this });

        const subnetGroup = new rds.SubnetGroup(`${name}-db`, {
            name: rdsSubnetGroupName(cluster),
            description: "Tekton Results PostgreSQL private subnets",
            subnetIds: [...args.network.privateSubnetIds],
            tags: tags("results-db"),
        }, { parent: this });

        const parameterGroup = new rds.ParameterGroup(`${name}-db`, {
            name: rdsParameterGroupName(cluster, family),
            family,
            description: "Tekton Results PostgreSQL: TLS required",
            parameters: databaseParameters(),
            tags: tags("results-db"),
        }, { parent: this });

        // RDS would create these log groups itself, with no expiry; creating them first sets retention.
        const logGroups = RDS_LOG_EXPORTS.map((logType) => new cloudwatch.LogGroup(`${name}-db-${logType}`, {
            name: `/aws/rds/instance/${identifier}/${logType}`,
            retentionInDays: args.settings.logRetentionDays,
            tags: tags("results-db"),
        }, { parent: this }));

        const password = new random.RandomPassword(`${name}-db-password`, {
            length: 40,
            // Letters and digits only: RDS refuses / @ " and space, and Results puts the password in a DSN.
            special: false,
            // A new keeper value replaces the password: RDS gets it as the master password, Results' Secret with it.
            ...(args.rotation.dbPasswordRotation === undefined ? {} : { keepers: { rotation: args.rotation.dbPasswordRotation } }),
        }, { parent: this });

        // Enhanced Monitoring publishes through a role RDS assumes; RDS checks the role's permissions when the
        // instance is created, so the instance waits for the policy attachment, not just the role.
        const monitoringRole = args.monitoring === undefined ? undefined : new iam.Role(`${name}-db-monitoring`, {
            name: rdsMonitoringRoleName(cluster),
            path: "/pipeline-service/",
            description: "RDS Enhanced Monitoring of the Tekton Results database",
            assumeRolePolicy: JSON.stringify(rdsMonitoringTrustPolicy()),
            tags: tags("results-db"),
        }, { parent: this });
        const monitoringAttachment = monitoringRole === undefined ? undefined : new iam.RolePolicyAttachment(`${name}-db-monitoring`, {
            role: monitoringRole.name,
            policyArn: managedPolicyArn(iam.ManagedPolicy.AmazonRDSEnhancedMonitoringRole, args.region),
        }, { parent: this });

        const database = new rds.Instance(`${name}-db`, {
            identifier,
            ...databaseInstanceSettings(args.settings, rdsFinalSnapshotIdentifier(cluster), args.protectStateful),
            ...databaseMonitoringSettings(args.monitoring, args.settings, monitoringRole?.arn),
            password: password.result,
            dbSubnetGroupName: subnetGroup.name,
            vpcSecurityGroupIds: [securityGroup.id],
            parameterGroupName: parameterGroup.name,
            tags: tags("results-db"),
        }, { ...stateful, dependsOn: monitoringAttachment === undefined ? logGroups : [...logGroups, monitoringAttachment] });

        // --- Bucket ---------------------------------------------------------------------------------
        const bucketName = s3BucketName(cluster);
        const arn = bucketArn(args.region, bucketName);
        const bucket = new s3.Bucket(`${name}-logs`, {
            bucket: bucketName,
            forceDestroy: false,
            tags: tags("results-logs"),
        }, stateful);

        const publicAccessBlock = new s3.BucketPublicAccessBlock(`${name}-logs`, {
            bucket: bucket.id,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        }, { parent: this });
        new s3.BucketOwnershipControls(`${name}-logs`, {
            bucket: bucket.id,
            rule: { objectOwnership: "BucketOwnerEnforced" },
        }, { parent: this });
        const kmsKeyArn = args.settings.kmsKeyArn;
        new s3.BucketServerSideEncryptionConfiguration(`${name}-logs`, {
            bucket: bucket.id,
            rules: [{
                applyServerSideEncryptionByDefault: kmsKeyArn === undefined
                    ? { sseAlgorithm: "AES256" }
                    : { sseAlgorithm: "aws:kms", kmsMasterKeyId: kmsKeyArn },
                bucketKeyEnabled: kmsKeyArn !== undefined,
            }],
        }, { parent: this });
        new s3.BucketVersioning(`${name}-logs`, {
            bucket: bucket.id,
            versioningConfiguration: { status: "Enabled" },
        }, { parent: this });
        new s3.BucketLifecycleConfiguration(`${name}-logs`, {
            bucket: bucket.id,
            rules: bucketLifecycleRules(args.settings.logExpirationDays),
        }, { parent: this });
        new s3.BucketPolicy(`${name}-logs`, {
            bucket: bucket.id,
            policy: JSON.stringify(denyInsecureTransportPolicy(arn)),
        }, { parent: this, dependsOn: [publicAccessBlock] });

        // --- Access for Results ---------------------------------------------------------------------
        const user = new iam.User(`${name}-results`, {
            name: iamUserName(cluster),
            path: "/pipeline-service/",
            tags: tags("results-logs"),
        }, { parent: this });
        new iam.UserPolicy(`${name}-results`, {
            name: iamPolicyName(cluster),
            user: user.name,
            policy: JSON.stringify(resultsAccessPolicy(arn, args.region, kmsKeyArn)),
        }, { parent: this });
        // Two slots, so a new key exists before the Secret names it and the old one outlives the pods using it.
        // Slot a keeps the name the single key always had, so existing stacks keep their key.
        const guard = new RotationGuard(`${name}-s3-key-rotation`, args.rotation.s3KeyRotation, { parent: this });
        const keys = new Map(slotsOf(args.rotation.s3KeyRotation).map((slot) => [slot,
            new iam.AccessKey(slot === "a" ? `${name}-results` : `${name}-results-${slot}`, { user: user.name }, { parent: this, dependsOn: [guard] })]));
        const accessKey = keys.get(activeSlotOf(args.rotation.s3KeyRotation)) as iam.AccessKey;

        this.dbHost = database.address;
        this.dbPort = pulumi.output(POSTGRES_PORT);
        this.dbName = pulumi.output(RESULTS_DB_NAME);
        this.dbUser = pulumi.output(RESULTS_DB_USER);
        this.dbPassword = pulumi.secret(password.result);
        this.bucketName = bucket.bucket;
        this.dbInstanceIdentifier = identifier;
        this.dbAllocatedStorageGiB = args.settings.allocatedStorage;
        this.s3Endpoint = pulumi.output(s3Endpoint(args.region));
        this.accessKeyId = accessKey.id;
        this.secretAccessKey = pulumi.secret(accessKey.secret);
        this.registerOutputs({
            dbHost: this.dbHost,
            dbPort: this.dbPort,
            dbName: this.dbName,
            dbUser: this.dbUser,
            dbPassword: this.dbPassword,
            bucketName: this.bucketName,
            dbInstanceIdentifier: this.dbInstanceIdentifier,
            s3Endpoint: this.s3Endpoint,
            accessKeyId: this.accessKeyId,
            secretAccessKey: this.secretAccessKey,
        });
    }
}
