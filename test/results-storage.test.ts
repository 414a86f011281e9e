/**
 * Results storage on AWS (issue 3), asserted on what the real program registers for both example stacks.
 * Expected values come from the parsed stack config, the issue and AWS's documented rules, not from the
 * render itself; each structural check is a small function that is also shown catching a violation.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { awsNameRules, nameProblems, rdsFinalSnapshotIdentifier, rdsInstanceIdentifier, s3BucketName, type AwsNameKind } from "../components/aws-names";
import { MANAGED_BY } from "../components/metadata";
import { ResultsStorage } from "../components/results-storage";
import { parseStackConfig, StackConfigError } from "../stacks/config";
import { ENVIRONMENT_DEFAULTS } from "../stacks/defaults";
import type { StackConfig } from "../stacks/types";
import {
    isKubernetesObject, loadStackSettings, renderProgram, renderStack, SECRET_MARK, UNKNOWN_MARK, withConfig, writeRender,
    type RenderResult, type ResourceRecord,
} from "../render";
import { exampleRender, ofType, single } from "./harness";

const TYPES = {
    component: "pipeline-service:storage:ResultsStorage",
    instance: "aws:rds/instance:Instance",
    subnetGroup: "aws:rds/subnetGroup:SubnetGroup",
    parameterGroup: "aws:rds/parameterGroup:ParameterGroup",
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    password: "random:index/randomPassword:RandomPassword",
    bucket: "aws:s3/bucket:Bucket",
    publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    user: "aws:iam/user:User",
    userPolicy: "aws:iam/userPolicy:UserPolicy",
    accessKey: "aws:iam/accessKey:AccessKey",
} as const;

/** What the issue asks for: one of each, plus one CloudWatch log group per exported PostgreSQL log. */
const EXPECTED_LOG_EXPORTS = ["postgresql", "upgrade"];
const EXPECTED_STORAGE_TYPES = [
    ...Object.values(TYPES).filter((type) => type !== TYPES.component && type !== TYPES.logGroup),
    ...EXPECTED_LOG_EXPORTS.map(() => TYPES.logGroup),
].sort();

/** What Tekton Results' S3 log store calls (tektoncd/results pkg/api/server/v1alpha2/log/s3.go) needs. */
const REQUIRED_OBJECT_ACTIONS = ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"];
/** Bucket-level actions the issue allows (listing); granted, they must name the bucket ARN and nothing else. */
const ALLOWED_BUCKET_ACTIONS = ["s3:ListBucket", "s3:ListBucketMultipartUploads"];
const ALLOWED_KMS_ACTIONS = ["kms:Decrypt", "kms:GenerateDataKey"];
/** CloudWatch Logs PutRetentionPolicy accepts only these. */
const CLOUDWATCH_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
const POSTGRES_PORT = 5432;

function configOf(result: RenderResult): StackConfig {
    return parseStackConfig(result.settings.config, result.settings.project, result.settings.stack);
}

function input<T>(record: ResourceRecord, key: string): T {
    return record.inputs[key] as T;
}

function storageResources(result: RenderResult): ResourceRecord[] {
    const component = single(result, TYPES.component);
    return result.resources.filter((record) => record.parent === component.urn);
}

function bucketArnOf(result: RenderResult): string {
    // Both example stacks (and the override render) are in us-east-1: partition "aws".
    assert.equal(result.settings.config["aws:region"], "us-east-1");
    return `arn:aws:s3:::${input<string>(single(result, TYPES.bucket), "bucket")}`;
}

// --- Checks, each returning every violation it finds ------------------------------------------------

/** The security group admits exactly one rule: TCP 5432 from exactly `cidrs`; it has no egress. */
function securityGroupProblems(group: ResourceRecord, cidrs: readonly string[]): string[] {
    const problems: string[] = [];
    const ingress = input<Record<string, unknown>[] | undefined>(group, "ingress") ?? [];
    if (ingress.length !== 1) {
        problems.push(`expected exactly one ingress rule, found ${ingress.length}`);
    }
    for (const rule of ingress) {
        const { protocol, fromPort, toPort, cidrBlocks, ...rest } = rule;
        if (protocol !== "tcp" || fromPort !== POSTGRES_PORT || toPort !== POSTGRES_PORT) {
            problems.push(`rule is ${String(protocol)} ${String(fromPort)}-${String(toPort)}, not tcp ${POSTGRES_PORT}`);
        }
        if (JSON.stringify(cidrBlocks) !== JSON.stringify(cidrs)) {
            problems.push(`rule admits ${JSON.stringify(cidrBlocks)}, not ${JSON.stringify(cidrs)}`);
        }
        const widening = Object.keys(rest).filter((key) => key !== "description");
        if (widening.length > 0) {
            problems.push(`rule also admits via ${widening.join(", ")}`);
        }
    }
    if (JSON.stringify(input(group, "egress")) !== "[]") {
        problems.push(`egress must be [] (no egress), got ${JSON.stringify(input(group, "egress"))}`);
    }
    return problems;
}

interface Statement {
    readonly Effect?: unknown;
    readonly Action?: unknown;
    readonly Resource?: unknown;
    readonly NotAction?: unknown;
    readonly NotResource?: unknown;
    readonly Principal?: unknown;
    readonly Condition?: unknown;
}

function statementsOf(policyJson: unknown): Statement[] {
    assert.equal(typeof policyJson, "string", "policy must be a JSON string known at preview");
    const document = JSON.parse(policyJson as string) as { Version?: unknown; Statement?: unknown };
    assert.equal(document.Version, "2012-10-17");
    assert.ok(Array.isArray(document.Statement));
    return document.Statement as Statement[];
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/**
 * The Results user's policy: Allow only, object actions on `<bucket>/*`, listing on the bucket ARN, KMS use
 * on the configured key only; no wildcard anywhere, no Not* inversions; and every action Results needs.
 */
function userPolicyProblems(policyJson: unknown, bucketArn: string, kmsKeyArn?: string): string[] {
    const problems: string[] = [];
    const granted = new Set<string>();
    for (const statement of statementsOf(policyJson)) {
        if (statement.Effect !== "Allow") problems.push(`unexpected Effect ${String(statement.Effect)}`);
        if (statement.NotAction !== undefined || statement.NotResource !== undefined) problems.push("NotAction/NotResource widens the grant");
        const actions = list(statement.Action);
        const resources = list(statement.Resource);
        for (const value of [...actions, ...resources]) {
            if (typeof value !== "string" || (value.includes("*") && value !== `${bucketArn}/*`)) {
                problems.push(`wildcard or non-string ${JSON.stringify(value)}`);
            }
        }
        for (const action of actions.filter((value): value is string => typeof value === "string")) {
            granted.add(action);
            const allowedResources = REQUIRED_OBJECT_ACTIONS.includes(action) ? [`${bucketArn}/*`]
                : ALLOWED_BUCKET_ACTIONS.includes(action) ? [bucketArn]
                    : ALLOWED_KMS_ACTIONS.includes(action) && kmsKeyArn !== undefined ? [kmsKeyArn]
                        : [];
            if (allowedResources.length === 0) problems.push(`action ${action} is not one Results needs`);
            for (const resource of resources.filter((value) => !allowedResources.includes(value as string))) {
                problems.push(`${action} granted on ${JSON.stringify(resource)}`);
            }
        }
    }
    const needed = [...REQUIRED_OBJECT_ACTIONS, ...(kmsKeyArn === undefined ? [] : ALLOWED_KMS_ACTIONS)];
    for (const action of needed.filter((candidate) => !granted.has(candidate))) {
        problems.push(`Results needs ${action}`);
    }
    return problems;
}

/** A Deny for every principal and every S3 action on the bucket and its objects unless the request used TLS. */
function deniesInsecureTransport(policyJson: unknown, bucketArn: string): boolean {
    return statementsOf(policyJson).some((statement) =>
        statement.Effect === "Deny"
        && statement.Principal === "*"
        && list(statement.Action).includes("s3:*")
        && JSON.stringify([...list(statement.Resource)].sort()) === JSON.stringify([bucketArn, `${bucketArn}/*`].sort())
        && JSON.stringify(statement.Condition) === JSON.stringify({ Bool: { "aws:SecureTransport": "false" } }));
}

/** Kubernetes objects (other than the TektonConfig, which carries the DB host) that wait for the database. */
function kubernetesWaitingOnDatabase(records: readonly ResourceRecord[]): string[] {
    const database = records.find((record) => record.type === TYPES.instance);
    assert.ok(database, "no RDS instance in the render");
    return records
        .filter((record) => isKubernetesObject(record) && !/:TektonConfig(Patch)?$/.test(record.type))
        .filter((record) => record.dependencies.includes(database.urn))
        .map((record) => `${record.type} ${record.name}`);
}

/** The four tags on a taggable resource, with the stack's cluster and environment. */
function tagProblems(record: ResourceRecord, config: StackConfig): string[] {
    const tags = input<Record<string, unknown> | undefined>(record, "tags");
    if (tags === undefined) {
        return [`${record.type} ${record.name} has no tags`];
    }
    const problems: string[] = [];
    const expected: Record<string, string> = { cluster: config.clusterName, environment: config.environment, "managed-by": MANAGED_BY };
    for (const [key, value] of Object.entries(expected)) {
        if (tags[key] !== value) problems.push(`${record.name}: tag ${key} is ${JSON.stringify(tags[key])}, not ${value}`);
    }
    if (typeof tags.component !== "string" || tags.component === "") problems.push(`${record.name}: tag component missing`);
    return problems;
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

/** Argument names of a resource's `<Kind>Args` in the installed SDK typings (@pulumi/aws, @pulumi/random). */
function sdkArgumentNames(type: string): Set<string> {
    const [pkg, modulePath, kind] = type.split(":");
    const [module, file] = modulePath.split("/");
    const root = path.dirname(require.resolve(`@pulumi/${pkg}/package.json`));
    const declaration = fs.readFileSync(path.join(root, module === "index" ? "" : module, `${file}.d.ts`), "utf8");
    const body = new RegExp(`export interface ${kind}Args \\{\\n([\\s\\S]*?)\\n\\}`).exec(declaration);
    assert.ok(body, `no ${kind}Args in @pulumi/${pkg}/${modulePath}.d.ts`);
    return new Set([...body[1].matchAll(/^ {4}(\w+)\??:/gm)].map((match) => match[1]));
}

/** Where each derived name lands in the recorded inputs, and the AWS rule it must satisfy. */
const NAMED_INPUTS: ReadonlyArray<{ type: string; field: string; rule: AwsNameKind }> = [
    { type: TYPES.instance, field: "identifier", rule: "rdsInstanceIdentifier" },
    { type: TYPES.instance, field: "finalSnapshotIdentifier", rule: "rdsFinalSnapshotIdentifier" },
    { type: TYPES.subnetGroup, field: "name", rule: "rdsSubnetGroupName" },
    { type: TYPES.parameterGroup, field: "name", rule: "rdsParameterGroupName" },
    { type: TYPES.securityGroup, field: "name", rule: "securityGroupName" },
    { type: TYPES.bucket, field: "bucket", rule: "s3BucketName" },
    { type: TYPES.user, field: "name", rule: "iamUserName" },
    { type: TYPES.userPolicy, field: "name", rule: "iamPolicyName" },
];

/** CloudWatch log group names: 1–512 of `[.\-_/#A-Za-z0-9]`. */
const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;

// --- The example stacks -----------------------------------------------------------------------------

for (const stack of ["dev", "prod"] as const) {
    describe(`results storage on AWS (${stack} stack)`, () => {
        let result: RenderResult;
        let config: StackConfig;
        let database: ResourceRecord;
        before(async () => {
            result = await exampleRender(stack);
            config = configOf(result);
            database = single(result, TYPES.instance);
        });

        it("registers exactly the resources the issue lists, inside the component, with the v7 S3 classes", () => {
            assert.deepEqual(storageResources(result).map((record) => record.type).sort(), EXPECTED_STORAGE_TYPES);
            // Nothing AWS lives outside the component, and nothing uses the deprecated BucketV2 family.
            const component = single(result, TYPES.component);
            for (const record of result.resources.filter((candidate) => candidate.type.startsWith("aws:"))) {
                assert.equal(record.parent, component.urn, `${record.type} ${record.name} is outside ResultsStorage`);
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
            assert.equal(input(database, "port"), POSTGRES_PORT);
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
                assert.equal(input(database, "backupRetentionPeriod"), ENVIRONMENT_DEFAULTS.dev.backupRetentionDays);
                assert.equal(input(database, "instanceClass"), ENVIRONMENT_DEFAULTS.dev.instanceClass);
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
                assert.ok(CLOUDWATCH_RETENTION_DAYS.includes(input<number>(group, "retentionInDays")));
                assert.ok(database.dependencies.includes(group.urn), "RDS must wait for its log groups");
            }
        });

        it("places the database on the configured subnets behind a security group open only to the configured CIDRs", () => {
            const subnetGroup = single(result, TYPES.subnetGroup);
            const securityGroup = single(result, TYPES.securityGroup);
            assert.deepEqual(input(subnetGroup, "subnetIds"), config.network.privateSubnetIds);
            assert.equal(input(database, "dbSubnetGroupName"), input(subnetGroup, "name"));
            assert.equal(input(securityGroup, "vpcId"), config.network.vpcId);
            assert.deepEqual(securityGroupProblems(securityGroup, config.network.allowedCidrs), []);
            // The group's id is unknown until apply: the dependency shows it is this group the instance uses.
            assert.deepEqual(input(database, "vpcSecurityGroupIds"), [UNKNOWN_MARK]);
            assert.ok(database.dependencies.includes(securityGroup.urn));
        });

        it("makes the bucket private, owner-enforced, encrypted (AES256), versioned and lifecycled", () => {
            const bucket = single(result, TYPES.bucket);
            assert.equal(input(bucket, "bucket"), s3BucketName(config.clusterName));
            assert.equal(input(bucket, "forceDestroy"), false);
            for (const type of [TYPES.publicAccessBlock, TYPES.ownership, TYPES.encryption, TYPES.versioning, TYPES.lifecycle, TYPES.bucketPolicy]) {
                assert.ok(single(result, type).dependencies.includes(bucket.urn), `${type} is not attached to the bucket`);
            }
            const publicAccessBlock = single(result, TYPES.publicAccessBlock);
            for (const flag of ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"]) {
                assert.equal(input(publicAccessBlock, flag), true, flag);
            }
            assert.deepEqual(input(single(result, TYPES.ownership), "rule"), { objectOwnership: "BucketOwnerEnforced" });
            assert.equal(config.results.kmsKeyArn, undefined);
            assert.deepEqual(input(single(result, TYPES.encryption), "rules"), [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" }, bucketKeyEnabled: false }]);
            assert.deepEqual(input(single(result, TYPES.versioning), "versioningConfiguration"), { status: "Enabled" });
            const rules = input<Record<string, unknown>[]>(single(result, TYPES.lifecycle), "rules");
            for (const rule of rules) {
                // An empty filter: the rule covers every object.
                assert.equal(rule.status, "Enabled");
                assert.deepEqual(rule.filter, {});
            }
            assert.equal(rules.filter((rule) => (rule.abortIncompleteMultipartUpload as { daysAfterInitiation?: number } | undefined)?.daysAfterInitiation !== undefined).length, 1);
            assert.equal(rules.filter((rule) => (rule.noncurrentVersionExpiration as { noncurrentDays?: number } | undefined)?.noncurrentDays !== undefined).length, 1);
            // No log expiry unless configured (the example stacks leave it to Results' own pruning).
            assert.equal(config.results.logExpirationDays, undefined);
            assert.equal(rules.filter((rule) => rule.expiration !== undefined).length, 0);
        });

        it("denies every request to the bucket that does not use TLS", () => {
            const bucketPolicy = single(result, TYPES.bucketPolicy);
            assert.ok(deniesInsecureTransport(input(bucketPolicy, "policy"), bucketArnOf(result)));
            // A bucket policy that grants anything would be a way around the public access block.
            assert.deepEqual(statementsOf(input(bucketPolicy, "policy")).filter((statement) => statement.Effect !== "Deny"), []);
            assert.ok(bucketPolicy.dependencies.includes(single(result, TYPES.publicAccessBlock).urn));
        });

        it("grants the Results user exactly its bucket's objects, nothing account-wide", () => {
            const user = single(result, TYPES.user);
            const userPolicy = single(result, TYPES.userPolicy);
            assert.equal(input(userPolicy, "user"), input(user, "name"));
            assert.equal(input(single(result, TYPES.accessKey), "user"), input(user, "name"));
            assert.deepEqual(userPolicyProblems(input(userPolicy, "policy"), bucketArnOf(result)), []);
        });

        it("keeps the password and the access key secret everywhere, including written files", () => {
            const password = single(result, TYPES.password);
            const accessKey = single(result, TYPES.accessKey);
            const length = input<number>(password, "length");
            assert.ok(length >= 8 && length <= 128, "RDS passwords are 8–128 characters");
            // RDS refuses / @ " and space; with special characters off none can occur.
            const special = input<boolean | undefined>(password, "special");
            const overrideSpecial = input<string | undefined>(password, "overrideSpecial");
            assert.ok(special === false || (overrideSpecial !== undefined && !/[/@" ]/.test(overrideSpecial)));
            assert.ok(password.additionalSecretOutputs.includes("result"));
            assert.ok(accessKey.additionalSecretOutputs.includes("secret"));
            assert.equal(input(database, "password"), SECRET_MARK);

            // In preview the values do not exist yet; what must hold is that every consumer receives them as
            // secrets (a leak through unsecret() would show as "(known after apply)" instead).
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "results-storage-"));
            writeRender(result, dir);
            const written = JSON.parse(fs.readFileSync(path.join(dir, "resources.json"), "utf8")) as ResourceRecord[];
            assert.equal(written.find((record) => record.urn === database.urn)?.inputs.password, SECRET_MARK);
            const consumers = written.filter((record) => isKubernetesObject(record)
                && (record.dependencies.includes(password.urn) || record.dependencies.includes(accessKey.urn)));
            assert.ok(consumers.length >= 2, "the Results DB and S3 Secrets consume the password and the key");
            for (const secret of consumers) {
                assert.equal(secret.inputs.kind, "Secret", `${secret.name} is not a Secret`);
                for (const field of ["data", "stringData"]) {
                    const value = secret.inputs[field];
                    const values = value !== null && typeof value === "object" ? Object.values(value) : [value];
                    assert.ok(values.every((item) => item === undefined || item === SECRET_MARK), `${secret.name}.${field} is not secret`);
                }
                const metadata = secret.inputs.metadata as { name: string; namespace: string };
                const file = fs.readdirSync(path.join(dir, "manifests")).find((name) => name.endsWith(`-Secret-${metadata.namespace}.${metadata.name}.yaml`));
                assert.ok(file, `no manifest written for ${secret.name}`);
                const manifestFile = YAML.parse(fs.readFileSync(path.join(dir, "manifests", file), "utf8")) as Record<string, unknown>;
                assert.ok([manifestFile.data, manifestFile.stringData].some((value) => value === SECRET_MARK));
            }
            for (const [key, value] of Object.entries(JSON.parse(fs.readFileSync(path.join(dir, "outputs.json"), "utf8")) as Record<string, unknown>)) {
                if (/password|secret/i.test(key)) assert.equal(value, SECRET_MARK, key);
            }
        });

        it("tags every taggable AWS resource with cluster, environment, component and managed-by", () => {
            const awsRecords = result.resources.filter((record) => record.custom && record.type.startsWith("aws:"));
            const taggable = awsRecords.filter((record) => sdkArgumentNames(record.type).has("tags"));
            // Sanity: the typings lookup sees tags where they exist and not where they do not.
            assert.ok(taggable.some((record) => record.type === TYPES.instance) && taggable.some((record) => record.type === TYPES.bucket));
            assert.ok(!taggable.some((record) => record.type === TYPES.bucketPolicy));
            assert.deepEqual(taggable.flatMap((record) => tagProblems(record, config)), []);
        });

        it("uses only argument names the installed @pulumi/aws and @pulumi/random typings declare", () => {
            // tsc does not check keys that arrive through object spreads (kmsKeyId, finalSnapshotIdentifier).
            for (const record of storageResources(result).filter((candidate) => candidate.custom)) {
                const known = sdkArgumentNames(record.type);
                const unknown = Object.keys(record.inputs).filter((key) => !known.has(key));
                assert.deepEqual(unknown, [], `${record.type} ${record.name}`);
            }
        });

        it("makes no Kubernetes object but the TektonConfig wait for the database", () => {
            assert.deepEqual(kubernetesWaitingOnDatabase(result.resources), []);
            const tektonConfig = result.resources.find((record) => /:TektonConfig(Patch)?$/.test(record.type) && record.dependencies.includes(database.urn));
            assert.ok(tektonConfig, "the TektonConfig carries the DB host, so it does wait for RDS");
        });
    });
}

describe("results storage checks catch violations", () => {
    let dev: RenderResult;
    before(async () => {
        dev = await exampleRender("dev");
    });
    const withInputs = (record: ResourceRecord, inputs: Record<string, unknown>): ResourceRecord => ({ ...record, inputs: { ...record.inputs, ...inputs } });

    it("security group: a second rule, a wider CIDR, another port, an extra source or egress", () => {
        const group = single(dev, TYPES.securityGroup);
        const [rule] = group.inputs.ingress as Record<string, unknown>[];
        const cidrs = configOf(dev).network.allowedCidrs;
        const violations: Record<string, unknown>[] = [
            { ingress: [rule, { ...rule, fromPort: 22, toPort: 22 }] },
            { ingress: [{ ...rule, cidrBlocks: ["0.0.0.0/0"] }] },
            { ingress: [{ ...rule, protocol: "-1" }] },
            { ingress: [{ ...rule, ipv6CidrBlocks: ["::/0"] }] },
            { egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }] },
            { egress: undefined },
        ];
        for (const violation of violations) {
            assert.notDeepEqual(securityGroupProblems(withInputs(group, violation), cidrs), [], JSON.stringify(violation));
        }
    });

    it("IAM policy: wildcards, other buckets, account-wide actions, a missing action", () => {
        const arn = bucketArnOf(dev);
        const policy = (statement: Record<string, unknown>): string => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
        const objects = { Effect: "Allow", Action: REQUIRED_OBJECT_ACTIONS, Resource: [`${arn}/*`] };
        assert.deepEqual(userPolicyProblems(policy(objects), arn), []);
        for (const violation of [
            { ...objects, Resource: ["*"] },
            { ...objects, Resource: ["arn:aws:s3:::*/*"] },
            { ...objects, Resource: [`${arn}/*`, "arn:aws:s3:::another-bucket/*"] },
            { ...objects, Action: ["s3:*"] },
            { ...objects, Action: [...REQUIRED_OBJECT_ACTIONS, "s3:ListAllMyBuckets"] },
            { ...objects, Action: REQUIRED_OBJECT_ACTIONS.filter((action) => action !== "s3:AbortMultipartUpload") },
            { ...objects, Action: ["s3:ListBucket"] },
            { Effect: "Allow", NotAction: ["iam:*"], Resource: [`${arn}/*`] },
        ]) {
            assert.notDeepEqual(userPolicyProblems(policy(violation), arn), [], JSON.stringify(violation));
        }
        const kmsKey = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const kms = { Effect: "Allow", Action: ALLOWED_KMS_ACTIONS, Resource: [kmsKey] };
        assert.notDeepEqual(userPolicyProblems(policy(kms), arn), [], "KMS use without a configured key");
        assert.notDeepEqual(userPolicyProblems(policy(objects), arn, kmsKey), [], "a configured key the user cannot use");
    });

    it("bucket policy: an Allow instead of a Deny, a missing object ARN, a different condition", () => {
        const arn = bucketArnOf(dev);
        const deny = JSON.parse(input<string>(single(dev, TYPES.bucketPolicy), "policy")) as { Statement: Record<string, unknown>[] };
        const variant = (patch: Record<string, unknown>): string => JSON.stringify({ ...deny, Statement: deny.Statement.map((statement) => ({ ...statement, ...patch })) });
        assert.equal(deniesInsecureTransport(variant({}), arn), true);
        for (const patch of [{ Effect: "Allow" }, { Resource: [arn] }, { Condition: { Bool: { "aws:SecureTransport": "true" } } }, { Principal: { AWS: "arn:aws:iam::123456789012:root" } }]) {
            assert.equal(deniesInsecureTransport(variant(patch), arn), false, JSON.stringify(patch));
        }
    });

    it("dependency discipline: a Kubernetes object listing the RDS instance is reported", () => {
        const database = single(dev, TYPES.instance);
        const subscription = dev.resources.find((record) => record.type.endsWith(":Subscription"));
        assert.ok(subscription);
        const mutated = dev.resources.map((record) => (record === subscription ? { ...record, dependencies: [...record.dependencies, database.urn] } : record));
        assert.deepEqual(kubernetesWaitingOnDatabase(mutated), [`${subscription.type} ${subscription.name}`]);
    });

    it("tags: a missing, wrong or empty tag is reported", () => {
        const config = configOf(dev);
        const bucket = single(dev, TYPES.bucket);
        const tags = bucket.inputs.tags as Record<string, string>;
        for (const broken of [undefined, { ...tags, cluster: "another" }, { ...tags, "managed-by": undefined }, { ...tags, component: "" }]) {
            assert.notDeepEqual(tagProblems(withInputs(bucket, { tags: broken }), config), [], JSON.stringify(broken));
        }
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

    it("argument names: a misspelt key is not among the typings' names", () => {
        assert.equal(sdkArgumentNames(TYPES.instance).has("kmsKeyId"), true);
        assert.equal(sdkArgumentNames(TYPES.instance).has("kmsKeyArn"), false);
        assert.equal(sdkArgumentNames(TYPES.instance).has("multiAZ"), false);
    });
});

// --- Overrides: a long cluster name, PostgreSQL 18, a customer KMS key, log expiry -----------------

/** 63 characters (the config maximum), starting with a digit so no AWS name can use it verbatim. */
const LONG_CLUSTER = `0${"stone-prd-rh01-".repeat(5)}`.slice(0, 62) + "z";
const KMS_KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const LOG_EXPIRATION_DAYS = 400;

describe("results storage with overrides (prod, 63-character cluster name, PostgreSQL 18, KMS, log expiry)", () => {
    let result: RenderResult;
    let config: StackConfig;
    before(async () => {
        const prodResults = JSON.parse(loadStackSettings("prod").config["pipeline-service:results"] ?? "{}") as Record<string, unknown>;
        result = await renderStack("prod", {
            overrides: {
                "pipeline-service:clusterName": LONG_CLUSTER,
                "pipeline-service:results": { ...prodResults, engineVersion: "18", kmsKeyArn: KMS_KEY_ARN, logExpirationDays: LOG_EXPIRATION_DAYS },
            },
        });
        config = configOf(result);
    });

    it("derives every AWS name validly from a 63-character cluster name", () => {
        assert.equal(LONG_CLUSTER.length, 63);
        assert.equal(config.clusterName, LONG_CLUSTER);
        for (const { type, field, rule } of NAMED_INPUTS) {
            const name = input<string>(single(result, type), field);
            assert.equal(typeof name, "string", `${type}.${field}`);
            assert.deepEqual(nameProblems(awsNameRules[rule], name), [], `${type}.${field} = ${name}`);
        }
        const identifier = input<string>(single(result, TYPES.instance), "identifier");
        assert.equal(identifier, rdsInstanceIdentifier(LONG_CLUSTER));
        for (const group of ofType(result, TYPES.logGroup)) {
            assert.match(input<string>(group, "name"), LOG_GROUP_NAME);
            assert.ok(input<string>(group, "name").startsWith(`/aws/rds/instance/${identifier}/`));
        }
        const tags = single(result, TYPES.instance).inputs.tags as Record<string, string>;
        assert.equal(tags.cluster, LONG_CLUSTER);
    });

    it("follows the engine major into the parameter group family and its name", () => {
        const parameterGroup = single(result, TYPES.parameterGroup);
        assert.equal(input(single(result, TYPES.instance), "engineVersion"), "18");
        assert.equal(input(parameterGroup, "family"), "postgres18");
        assert.match(input<string>(parameterGroup, "name"), /postgres18$/);
    });

    it("encrypts the database and the bucket with the customer key and lets the Results user use it", () => {
        assert.equal(input(single(result, TYPES.instance), "kmsKeyId"), KMS_KEY_ARN);
        assert.deepEqual(input(single(result, TYPES.encryption), "rules"), [{
            applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KMS_KEY_ARN },
            bucketKeyEnabled: true,
        }]);
        const policy = input(single(result, TYPES.userPolicy), "policy");
        assert.deepEqual(userPolicyProblems(policy, bucketArnOf(result), KMS_KEY_ARN), []);
        // The key may only be used through S3 in the stack's region.
        const kms = statementsOf(policy).find((statement) => list(statement.Action).includes("kms:Decrypt"));
        assert.deepEqual(kms?.Condition, { StringEquals: { "kms:ViaService": "s3.us-east-1.amazonaws.com" } });
    });

    it("adds the configured log expiry to the lifecycle rules", () => {
        const rules = input<Record<string, unknown>[]>(single(result, TYPES.lifecycle), "rules");
        assert.deepEqual(rules.filter((rule) => rule.expiration !== undefined).map((rule) => rule.expiration), [{ days: LOG_EXPIRATION_DAYS }]);
        assert.equal(rules.length, 3);
    });
});

// --- Refusals -------------------------------------------------------------------------------------

describe("results storage refuses what AWS or the issue forbids", () => {
    const dev = loadStackSettings("dev");

    function problemsFor(results: Record<string, unknown>): StackConfigError {
        const settings = withConfig(dev, { "pipeline-service:results": results });
        try {
            parseStackConfig(settings.config, settings.project, settings.stack);
        } catch (error) {
            assert.ok(error instanceof StackConfigError, String(error));
            return error;
        }
        assert.fail(`accepted ${JSON.stringify(results)}`);
    }

    const badSizing: ReadonlyArray<{ what: string; results: Record<string, unknown>; key: string; says: RegExp }> = [
        { what: "storage below the gp3 minimum", results: { allocatedStorage: 10 }, key: "allocatedStorage", says: />=20/ },
        { what: "fractional storage", results: { allocatedStorage: 20.5 }, key: "allocatedStorage", says: /expected int/ },
        { what: "an autoscaling ceiling above RDS's maximum", results: { maxAllocatedStorage: 70000 }, key: "maxAllocatedStorage", says: /<=65536/ },
        { what: "an instance class without the db. prefix", results: { instanceClass: "m7g.large" }, key: "instanceClass", says: /RDS instance class/ },
        { what: "an unsupported PostgreSQL major", results: { engineVersion: "16" }, key: "engineVersion", says: /one of "17", "18"/ },
        { what: "a log retention CloudWatch does not offer", results: { logRetentionDays: 10 }, key: "logRetentionDays", says: /allowed values/ },
        { what: "negative backup retention", results: { backupRetentionDays: -1 }, key: "backupRetentionDays", says: />=0/ },
    ];
    for (const example of badSizing) {
        it(`config layer rejects ${example.what}`, () => {
            const error = problemsFor(example.results);
            const problem = error.problems.find((candidate) => candidate.key === `pipeline-service:results.${example.key}`);
            assert.ok(problem, error.message);
            assert.match(problem.message, example.says);
        });
    }

    it("the component refuses a /0 even if config validation were bypassed", async () => {
        const config = parseStackConfig(dev.config, dev.project, dev.stack);
        const program = (): void => {
            new ResultsStorage("results-storage", {
                tagContext: config,
                region: config.providers.awsRegion,
                vpcId: config.network.vpcId,
                privateSubnetIds: [...config.network.privateSubnetIds],
                allowedCidrs: [...config.network.allowedCidrs, "0.0.0.0/0"],
                sizing: config.results,
                logRetentionDays: config.results.logRetentionDays,
                protectStateful: false,
            });
        };
        await assert.rejects(renderProgram(dev, program), /never a \/0/);
    });

    it("defaults the autoscaling ceiling to one RDS accepts after raising storage, and rejects one it would not", async () => {
        const raised = parseStackConfig(withConfig(dev, { "pipeline-service:results": { allocatedStorage: 100 } }).config, dev.project, dev.stack);
        assert.equal(raised.results.maxAllocatedStorage, 110);
        const error = problemsFor({ allocatedStorage: 100, maxAllocatedStorage: 105 });
        assert.match(error.message, /pipeline-service:results\.maxAllocatedStorage: maxAllocatedStorage 105 GiB must be at least 10% above/);
    });
});
