/**
 * The read-only AWS calls that tell `npm run adopt` which of the render's AWS resources already exist, and the bash
 * script that runs them for one stack and prints the AWS dump (inputs.ts `awsDumpSchema`). The names the calls ask
 * about come from the render itself, so the script asks exactly about what the stack would create.
 */
import { UNKNOWN_MARK, type ResourceRecord } from "../render/contract";
import type { AwsDump } from "./inputs";

/** The physical AWS names a render asks for, read from its inputs. */
export interface AwsNames {
    readonly region: string;
    readonly dbInstance: string;
    readonly dbSubnetGroup: string;
    readonly dbParameterGroup: string;
    readonly securityGroup: string;
    readonly vpcId: string;
    readonly bucket: string;
    readonly user: string;
    /** The Enhanced Monitoring role; undefined when observability is off. */
    readonly monitoringRole?: string;
    readonly logGroupPrefix: string;
    readonly alarms: readonly string[];
}

function stringInput(record: ResourceRecord | undefined, key: string): string | undefined {
    const value = record?.inputs[key];
    return typeof value === "string" && value !== UNKNOWN_MARK ? value : undefined;
}

/** The one record of `type`, if the render has exactly one. */
function only(resources: readonly ResourceRecord[], type: string): ResourceRecord | undefined {
    const matches = resources.filter((record) => record.type === type);
    return matches.length === 1 ? matches[0] : undefined;
}

/** The names of the render's AWS resources; throws when the render has no Results storage (not this program's render). */
export function awsNamesOf(resources: readonly ResourceRecord[]): AwsNames {
    const need = (type: string, key: string): string => {
        const value = stringInput(only(resources, type), key);
        if (value === undefined) {
            throw new Error(`the render has no single ${type} with a known ${key}`);
        }
        return value;
    };
    const role = stringInput(only(resources, "aws:iam/role:Role"), "name");
    const dbInstance = need("aws:rds/instance:Instance", "identifier");
    return {
        region: need("pulumi:providers:aws", "region"),
        dbInstance,
        dbSubnetGroup: need("aws:rds/subnetGroup:SubnetGroup", "name"),
        dbParameterGroup: need("aws:rds/parameterGroup:ParameterGroup", "name"),
        securityGroup: need("aws:ec2/securityGroup:SecurityGroup", "name"),
        vpcId: need("aws:ec2/securityGroup:SecurityGroup", "vpcId"),
        bucket: need("aws:s3/bucket:Bucket", "bucket"),
        user: need("aws:iam/user:User", "name"),
        ...(role === undefined ? {} : { monitoringRole: role }),
        logGroupPrefix: `/aws/rds/instance/${dbInstance}/`,
        alarms: resources.filter((record) => record.type === "aws:cloudwatch/metricAlarm:MetricAlarm")
            .map((record) => stringInput(record, "name")).filter((name): name is string => name !== undefined).sort(),
    };
}

/** One read-only call: the dump's key, the AWS CLI command, and the error codes that mean "does not exist" (null). */
export interface AwsCall {
    readonly key: keyof AwsDump;
    /** The command's words after `aws`, for these names; undefined when the render has nothing to ask (the answer is {@link AwsCall.whenNothingToAsk}). */
    readonly args: (names: AwsNames) => readonly string[] | undefined;
    /** AWS error codes answered for a missing resource: the dump holds null for them. */
    readonly notFound: readonly string[];
    /** The JSON written when there is nothing to ask. */
    readonly whenNothingToAsk?: string;
    /** What adopt learns from it. */
    readonly purpose: string;
}

const BUCKET_MISSING = ["NoSuchBucket"];

/** Every call, in the dump's key order. Each is a describe, list or get: nothing is changed. */
export const AWS_CALLS: readonly AwsCall[] = [
    { key: "describeDbInstances", args: () => ["rds", "describe-db-instances"], notFound: [],
        purpose: "the database exists; its class, storage, engine, Multi-AZ, backups for the config check; instances tagged for this cluster under another identifier" },
    { key: "describeDbSubnetGroups", args: (n) => ["rds", "describe-db-subnet-groups", "--db-subnet-group-name", n.dbSubnetGroup], notFound: ["DBSubnetGroupNotFoundFault"],
        purpose: "the DB subnet group exists" },
    { key: "describeDbParameterGroups", args: (n) => ["rds", "describe-db-parameter-groups", "--db-parameter-group-name", n.dbParameterGroup], notFound: ["DBParameterGroupNotFound"],
        purpose: "the DB parameter group exists" },
    { key: "describeSecurityGroups", args: (n) => ["ec2", "describe-security-groups", "--filters", `Name=vpc-id,Values=${n.vpcId}`, `Name=group-name,Values=${n.securityGroup}`], notFound: [],
        purpose: "the security group exists, and its sg- id (its import ID)" },
    { key: "describeLogGroups", args: (n) => ["logs", "describe-log-groups", "--log-group-name-prefix", n.logGroupPrefix], notFound: [],
        purpose: "the database's log groups exist, and their retention" },
    { key: "describeAlarms", args: (n) => (n.alarms.length === 0 ? undefined : ["cloudwatch", "describe-alarms", "--alarm-names", ...n.alarms]), notFound: [],
        whenNothingToAsk: '{"MetricAlarms":[]}', purpose: "the CloudWatch alarms exist" },
    { key: "listBuckets", args: () => ["s3api", "list-buckets"], notFound: [],
        purpose: "the log bucket exists; buckets named for this cluster's Results logs under another name" },
    { key: "getBucketPolicy", args: (n) => ["s3api", "get-bucket-policy", "--bucket", n.bucket], notFound: [...BUCKET_MISSING, "NoSuchBucketPolicy"],
        purpose: "the bucket policy exists" },
    { key: "getBucketLifecycleConfiguration", args: (n) => ["s3api", "get-bucket-lifecycle-configuration", "--bucket", n.bucket], notFound: [...BUCKET_MISSING, "NoSuchLifecycleConfiguration"],
        purpose: "the lifecycle configuration exists" },
    { key: "getBucketOwnershipControls", args: (n) => ["s3api", "get-bucket-ownership-controls", "--bucket", n.bucket], notFound: [...BUCKET_MISSING, "OwnershipControlsNotFoundError"],
        purpose: "the ownership controls exist" },
    { key: "getPublicAccessBlock", args: (n) => ["s3api", "get-public-access-block", "--bucket", n.bucket], notFound: [...BUCKET_MISSING, "NoSuchPublicAccessBlockConfiguration"],
        purpose: "the public access block exists" },
    { key: "getBucketEncryption", args: (n) => ["s3api", "get-bucket-encryption", "--bucket", n.bucket], notFound: [...BUCKET_MISSING, "ServerSideEncryptionConfigurationNotFoundError"],
        purpose: "the default encryption configuration exists" },
    { key: "getBucketVersioning", args: (n) => ["s3api", "get-bucket-versioning", "--bucket", n.bucket], notFound: BUCKET_MISSING,
        purpose: "versioning was ever configured (a Status)" },
    { key: "listBucketMetricsConfigurations", args: (n) => ["s3api", "list-bucket-metrics-configurations", "--bucket", n.bucket], notFound: BUCKET_MISSING,
        purpose: "the request-metrics configuration exists" },
    { key: "getUser", args: (n) => ["iam", "get-user", "--user-name", n.user], notFound: ["NoSuchEntity"],
        purpose: "the Results IAM user exists" },
    { key: "listAccessKeys", args: (n) => ["iam", "list-access-keys", "--user-name", n.user], notFound: ["NoSuchEntity"],
        purpose: "how many access keys the user has (AWS allows two: the program adds one)" },
    { key: "listUserPolicies", args: (n) => ["iam", "list-user-policies", "--user-name", n.user], notFound: ["NoSuchEntity"],
        purpose: "the user's inline policy exists" },
    { key: "getRole", args: (n) => (n.monitoringRole === undefined ? undefined : ["iam", "get-role", "--role-name", n.monitoringRole]), notFound: ["NoSuchEntity"],
        whenNothingToAsk: "null", purpose: "the Enhanced Monitoring role exists" },
    { key: "listAttachedRolePolicies", args: (n) => (n.monitoringRole === undefined ? undefined : ["iam", "list-attached-role-policies", "--role-name", n.monitoringRole]),
        notFound: ["NoSuchEntity"], whenNothingToAsk: "null", purpose: "the role's managed policy is attached" },
];

/** A word for bash: bare when it is plainly safe, else single-quoted. */
export function shellWord(word: string): string {
    return /^[A-Za-z0-9_./:=,@+-]+$/.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

/** The dump's keys in order, with the file each call writes. */
function callLine(call: AwsCall, names: AwsNames): string {
    const args = call.args(names);
    if (args === undefined) {
        return `printf '%s\\n' ${shellWord(call.whenNothingToAsk ?? "null")} > "$dir/${call.key}.json"   # nothing to ask for this stack`;
    }
    return `call ${shellWord(call.notFound.join("|") || "-")} ${call.key} aws ${args.map(shellWord).join(" ")}`;
}

/**
 * A bash script that runs every call of {@link AWS_CALLS} for this render's names (read-only) and prints the AWS dump
 * on stdout. A call that fails for any other reason than the thing not existing stops the script with AWS's message.
 */
export function awsDumpScript(stack: string, names: AwsNames): string {
    const keys = AWS_CALLS.map((call) => `  --slurpfile ${call.key} "$dir/${call.key}.json"`);
    const object = AWS_CALLS.map((call) => `${call.key}: $${call.key}[0]`).join(", ");
    return [
        "#!/usr/bin/env bash",
        `# The AWS dump of stack ${stack} for npm run adopt -- --stack ${stack} --aws FILE: read-only calls (describe, list, get)`,
        "# about the names its render creates. Run with credentials for the stack's account; the dump goes to stdout.",
        "set -euo pipefail",
        `export AWS_REGION=${shellWord(names.region)} AWS_PAGER=''`,
        "dir=$(mktemp -d)",
        "trap 'rm -rf \"$dir\"' EXIT",
        "# call CODES KEY aws ...: the JSON the call prints into $dir/KEY.json; null when AWS answers with one of CODES",
        "# (the thing asked about does not exist); any other failure stops the script with AWS's message.",
        "call() {",
        "  local codes=$1 key=$2; shift 2",
        "  if \"$@\" --output json > \"$dir/$key.json\" 2> \"$dir/error\"; then",
        "    [ -s \"$dir/$key.json\" ] || echo '{}' > \"$dir/$key.json\"",
        "  elif [ \"$codes\" != - ] && grep -qE \"\\(($codes)\\)\" \"$dir/error\"; then",
        "    echo null > \"$dir/$key.json\"",
        "  else",
        "    echo \"$*: failed:\" >&2; cat \"$dir/error\" >&2; exit 1",
        "  fi",
        "}",
        ...AWS_CALLS.map((call) => callLine(call, names)),
        "jq -n \\",
        ...keys.map((line) => `${line} \\`),
        `  '{${object}}'`,
        "",
    ].join("\n");
}

/** Names as the docs show them: placeholders for what the stack's render fills in. */
export const PLACEHOLDER_NAMES: AwsNames = {
    region: "<region>", dbInstance: "<identifier>", dbSubnetGroup: "<subnet group>", dbParameterGroup: "<parameter group>", securityGroup: "<group name>",
    vpcId: "<vpc>", bucket: "<bucket>", user: "<user>", monitoringRole: "<role>", logGroupPrefix: "/aws/rds/instance/<identifier>/", alarms: ["<alarm names>"],
};

/** The calls as the markdown table of docs/operations.md (held equal to it by a test). */
export function awsCallsMarkdown(): string {
    const rows = AWS_CALLS.map((call) => {
        const notFound = call.notFound.length === 0 ? "" : ` (null on ${call.notFound.join(", ")})`;
        return `| \`${call.key}\` | \`aws ${(call.args(PLACEHOLDER_NAMES) ?? []).join(" ")}\`${notFound} | ${call.purpose} |`;
    });
    return ["| key | call (`--output json`) | tells adopt |", "| --- | --- | --- |", ...rows].join("\n");
}
