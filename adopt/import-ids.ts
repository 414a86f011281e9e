/**
 * How each resource type the program creates is found in the AWS dump and what `pulumi import` needs as its ID:
 * ONE table, with the registry page stating each ID format. Kubernetes objects share one rule (`namespace/name`, or
 * `name` when cluster-scoped: pulumi/pulumi-kubernetes `provider/pkg/provider/util.go` `parseFqName`). The types that
 * cannot be imported without writing a secret into the import file are classified here too, with why. A test fails
 * when a render creates a type this table does not classify.
 *
 * The ID formats are those of the `## Import` sections of @pulumi/aws 7.48.0 (the version in package-lock.json; each
 * class's doc comment, e.g. `node_modules/@pulumi/aws/rds/instance.d.ts`), which the registry pages render.
 */
import { UNKNOWN_MARK, type ResourceRecord } from "../render/contract";
import type { AwsDump } from "./inputs";

/** What the AWS dump says of one resource: it exists (with its import ID), it does not, or the dump cannot tell. */
export type Presence =
    | { readonly state: "exists"; readonly id: string }
    | { readonly state: "absent" }
    | { readonly state: "unknown"; readonly why: string };

/** The render, for rules that need another record (a bucket companion's bucket name). */
export type RecordLookup = (urn: string) => ResourceRecord | undefined;

interface RuleBase {
    readonly type: string;
    /** The Pulumi Registry page (its Import section) the rule follows. */
    readonly registry: string;
}

/** A type `pulumi import` can adopt: how its ID is made and how the dump shows it exists. */
export interface ImportableRule extends RuleBase {
    readonly importable: true;
    /** The ID format, as the registry states it. */
    readonly idFormat: string;
    readonly find: (record: ResourceRecord, aws: AwsDump, lookup: RecordLookup) => Presence;
}

/** A type that is created new on every adoption, and why. */
export interface NotImportableRule extends RuleBase {
    readonly importable: false;
    readonly why: string;
}

export type ImportRule = ImportableRule | NotImportableRule;

const REGISTRY = "https://www.pulumi.com/registry/packages";

function input(record: ResourceRecord, key: string): string | undefined {
    const value = record.inputs[key];
    return typeof value === "string" && value !== UNKNOWN_MARK ? value : undefined;
}

const unknownInput = (key: string): Presence => ({ state: "unknown", why: `its ${key} is known only after apply` });

/** A rule whose ID is one input, present when `exists(value)` says so. */
function byInput(key: string, exists: (value: string, aws: AwsDump) => boolean): ImportableRule["find"] {
    return (record, aws) => {
        const value = input(record, key);
        if (value === undefined) {
            return unknownInput(key);
        }
        return exists(value, aws) ? { state: "exists", id: value } : { state: "absent" };
    };
}

/**
 * The bucket a bucket companion configures: its own `bucket` input, else (it is the bucket's output, unknown in a
 * render) the bucket of the `aws:s3/bucket:Bucket` it depends on.
 */
function bucketOf(record: ResourceRecord, lookup: RecordLookup): string | undefined {
    const own = input(record, "bucket");
    if (own !== undefined) {
        return own;
    }
    const buckets = record.dependencies.map(lookup).filter((dependency): dependency is ResourceRecord => dependency?.type === "aws:s3/bucket:Bucket");
    return buckets.length === 1 ? input(buckets[0], "bucket") : undefined;
}

function bucketExists(bucket: string, aws: AwsDump): boolean {
    return aws.listBuckets.Buckets.some((entry) => entry.Name === bucket);
}

/** A bucket companion: ID the bucket name, present when the bucket exists and `configured` says the dump holds it. */
function companion(type: string, page: string, configured: (aws: AwsDump) => boolean): ImportableRule {
    return {
        type, registry: `${REGISTRY}/aws/api-docs/s3/${page}/#import`, importable: true, idFormat: "the bucket name",
        find: (record, aws, lookup) => {
            const bucket = bucketOf(record, lookup);
            if (bucket === undefined) {
                return unknownInput("bucket");
            }
            return bucketExists(bucket, aws) && configured(aws) ? { state: "exists", id: bucket } : { state: "absent" };
        },
    };
}

/** The one table: every non-Kubernetes custom resource type a render creates. */
export const IMPORT_RULES: readonly ImportRule[] = [
    {
        type: "aws:cloudwatch/logGroup:LogGroup", registry: `${REGISTRY}/aws/api-docs/cloudwatch/loggroup/#import`, importable: true, idFormat: "the log group name",
        find: byInput("name", (name, aws) => aws.describeLogGroups.logGroups.some((group) => group.logGroupName === name)),
    },
    {
        type: "aws:cloudwatch/metricAlarm:MetricAlarm", registry: `${REGISTRY}/aws/api-docs/cloudwatch/metricalarm/#import`, importable: true, idFormat: "the alarm name",
        find: byInput("name", (name, aws) => aws.describeAlarms.MetricAlarms.some((alarm) => alarm.AlarmName === name)),
    },
    {
        type: "aws:ec2/securityGroup:SecurityGroup", registry: `${REGISTRY}/aws/api-docs/ec2/securitygroup/#import`, importable: true,
        idFormat: "the security group id (sg-…), found by its name and VPC",
        find: (record, aws) => {
            const name = input(record, "name");
            const vpcId = input(record, "vpcId");
            if (name === undefined || vpcId === undefined) {
                return unknownInput(name === undefined ? "name" : "vpcId");
            }
            const group = aws.describeSecurityGroups.SecurityGroups.find((candidate) => candidate.GroupName === name && (candidate.VpcId === undefined || candidate.VpcId === vpcId));
            return group === undefined ? { state: "absent" } : { state: "exists", id: group.GroupId };
        },
    },
    {
        type: "aws:iam/role:Role", registry: `${REGISTRY}/aws/api-docs/iam/role/#import`, importable: true, idFormat: "the role name",
        find: byInput("name", (name, aws) => aws.getRole?.Role.RoleName === name),
    },
    {
        type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment", registry: `${REGISTRY}/aws/api-docs/iam/rolepolicyattachment/#import`, importable: true,
        idFormat: "<role name>/<policy ARN>",
        find: (record, aws) => {
            const role = input(record, "role");
            const policyArn = input(record, "policyArn");
            if (role === undefined || policyArn === undefined) {
                return unknownInput(role === undefined ? "role" : "policyArn");
            }
            const attached = aws.getRole?.Role.RoleName === role && (aws.listAttachedRolePolicies?.AttachedPolicies ?? []).some((policy) => policy.PolicyArn === policyArn);
            return attached ? { state: "exists", id: `${role}/${policyArn}` } : { state: "absent" };
        },
    },
    {
        type: "aws:iam/user:User", registry: `${REGISTRY}/aws/api-docs/iam/user/#import`, importable: true, idFormat: "the user name",
        find: byInput("name", (name, aws) => aws.getUser?.User.UserName === name),
    },
    {
        type: "aws:iam/userPolicy:UserPolicy", registry: `${REGISTRY}/aws/api-docs/iam/userpolicy/#import`, importable: true, idFormat: "<user name>:<policy name>",
        find: (record, aws) => {
            const user = input(record, "user");
            const name = input(record, "name");
            if (user === undefined || name === undefined) {
                return unknownInput(user === undefined ? "user" : "name");
            }
            const present = aws.getUser?.User.UserName === user && (aws.listUserPolicies?.PolicyNames ?? []).includes(name);
            return present ? { state: "exists", id: `${user}:${name}` } : { state: "absent" };
        },
    },
    {
        type: "aws:iam/accessKey:AccessKey", registry: `${REGISTRY}/aws/api-docs/iam/accesskey/#import`, importable: false,
        why: "an imported access key has no secret (the IAM API never returns it), and the program writes that secret into the Results S3 Secret",
    },
    {
        type: "aws:rds/instance:Instance", registry: `${REGISTRY}/aws/api-docs/rds/instance/#import`, importable: true, idFormat: "the DB instance identifier",
        find: byInput("identifier", (identifier, aws) => aws.describeDbInstances.DBInstances.some((instance) => instance.DBInstanceIdentifier === identifier)),
    },
    {
        type: "aws:rds/parameterGroup:ParameterGroup", registry: `${REGISTRY}/aws/api-docs/rds/parametergroup/#import`, importable: true, idFormat: "the parameter group name",
        find: byInput("name", (name, aws) => (aws.describeDbParameterGroups?.DBParameterGroups ?? []).some((group) => group.DBParameterGroupName === name)),
    },
    {
        type: "aws:rds/subnetGroup:SubnetGroup", registry: `${REGISTRY}/aws/api-docs/rds/subnetgroup/#import`, importable: true, idFormat: "the subnet group name",
        find: byInput("name", (name, aws) => (aws.describeDbSubnetGroups?.DBSubnetGroups ?? []).some((group) => group.DBSubnetGroupName === name)),
    },
    {
        type: "aws:s3/bucket:Bucket", registry: `${REGISTRY}/aws/api-docs/s3/bucket/#import`, importable: true, idFormat: "the bucket name",
        find: byInput("bucket", bucketExists),
    },
    {
        type: "aws:s3/bucketMetric:BucketMetric", registry: `${REGISTRY}/aws/api-docs/s3/bucketmetric/#import`, importable: true, idFormat: "<bucket>:<metrics configuration id>",
        find: (record, aws, lookup) => {
            const bucket = bucketOf(record, lookup);
            const name = input(record, "name");
            if (bucket === undefined || name === undefined) {
                return unknownInput(bucket === undefined ? "bucket" : "name");
            }
            const present = bucketExists(bucket, aws) && (aws.listBucketMetricsConfigurations?.MetricsConfigurationList ?? []).some((metric) => metric.Id === name);
            return present ? { state: "exists", id: `${bucket}:${name}` } : { state: "absent" };
        },
    },
    companion("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "bucketlifecycleconfiguration", (aws) => aws.getBucketLifecycleConfiguration !== null),
    companion("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "bucketownershipcontrols", (aws) => aws.getBucketOwnershipControls !== null),
    companion("aws:s3/bucketPolicy:BucketPolicy", "bucketpolicy", (aws) => aws.getBucketPolicy !== null),
    companion("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "bucketpublicaccessblock", (aws) => aws.getPublicAccessBlock !== null),
    companion("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "bucketserversideencryptionconfiguration",
        (aws) => aws.getBucketEncryption !== null),
    // A bucket whose versioning was never configured answers without a Status: there is nothing to import.
    companion("aws:s3/bucketVersioning:BucketVersioning", "bucketversioning", (aws) => typeof aws.getBucketVersioning?.Status === "string"),
    {
        type: "random:index/randomPassword:RandomPassword", registry: `${REGISTRY}/random/api-docs/randompassword/#import`, importable: false,
        why: "its import ID is the password itself, which would be written into the import file",
    },
    {
        type: "pulumi-nodejs:dynamic/pipeline-service:CosignKeyPair", registry: "https://www.pulumi.com/docs/iac/concepts/resources/dynamic-providers/", importable: false,
        why: "a dynamic resource whose state is the private key: there is nothing to read it back from but the key itself",
    },
    {
        type: "pulumi-nodejs:dynamic/pipeline-service:S3KeyRotationGuard", registry: "https://www.pulumi.com/docs/iac/concepts/resources/dynamic-providers/", importable: false,
        why: "a dynamic resource that only records the S3 key rotation state in the stack: nothing exists outside Pulumi to import",
    },
    {
        type: "pulumi-nodejs:dynamic:Resource", registry: "https://www.pulumi.com/docs/iac/concepts/resources/dynamic-providers/", importable: false,
        why: "the operator readiness step is a dynamic resource with nothing in the cluster to import: it only waits during up",
    },
];

const RULES_BY_TYPE = new Map(IMPORT_RULES.map((rule) => [rule.type, rule]));

/** The rule of a type, or undefined when the table does not classify it. */
export function importRuleOf(type: string): ImportRule | undefined {
    return RULES_BY_TYPE.get(type);
}
