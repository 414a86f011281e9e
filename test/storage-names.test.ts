/**
 * Results storage names, tags and argument names, through the render harness: every AWS name is valid for
 * its service (also from the longest cluster name config allows), every taggable resource carries the four
 * tags, and every recorded argument is one the installed provider SDK declares.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { MANAGED_BY } from "../components/shared/labels";
import { rdsInstanceIdentifier } from "../components/storage/names";
import { awsNameRules, nameProblems, type AwsNameKind } from "../lib/aws-name-rules";
import { loadStackSettings, renderStack, type RenderResult } from "../render";
import { configOf, exampleRender, ofType, single } from "./harness";
import { input, MONITORING_TYPES, monitoringResources, OVERRIDES, STORAGE_TYPES as TYPES, storageResources } from "./storage-records";

const argumentNamesCache = new Map<string, Set<string>>();

/**
 * Argument names of a resource's `<Kind>Args` in the installed SDK typings (@pulumi/aws, @pulumi/random),
 * read with the TypeScript parser. tsc does not check keys that arrive through object spreads (kmsKeyId,
 * finalSnapshotIdentifier), so the recorded inputs are checked against the declaration here.
 */
function sdkArgumentNames(type: string): Set<string> {
    const cached = argumentNamesCache.get(type);
    if (cached) {
        return cached;
    }
    const [pkg, modulePath, kind] = type.split(":");
    const [module, file] = modulePath.split("/");
    const root = path.dirname(require.resolve(`@pulumi/${pkg}/package.json`));
    const fileName = path.join(root, module === "index" ? "" : module, `${file}.d.ts`);
    const source = ts.createSourceFile(fileName, fs.readFileSync(fileName, "utf8"), ts.ScriptTarget.Latest);
    const declaration = source.statements.find((statement): statement is ts.InterfaceDeclaration =>
        ts.isInterfaceDeclaration(statement) && statement.name.text === `${kind}Args`);
    assert.ok(declaration, `no ${kind}Args in ${fileName}`);
    const names = new Set(declaration.members.flatMap((member) => (member.name && ts.isIdentifier(member.name) ? [member.name.text] : [])));
    argumentNamesCache.set(type, names);
    return names;
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

for (const stack of ["dev", "prod"] as const) {
    describe(`results storage tags and arguments (${stack} stack)`, () => {
        let result: RenderResult;
        before(async () => {
            result = await exampleRender(stack);
        });

        it("tags every taggable AWS resource with cluster, environment, its component and managed-by", () => {
            const config = configOf(result);
            const taggable = result.resources.filter((record) => record.custom && record.type.startsWith("aws:") && sdkArgumentNames(record.type).has("tags"));
            // The typings see tags where they exist and not where they do not.
            assert.ok(taggable.some((record) => record.type === TYPES.instance) && taggable.some((record) => record.type === TYPES.bucket));
            assert.ok(!taggable.some((record) => record.type === TYPES.bucketPolicy));
            for (const record of taggable) {
                // What a resource serves: the database (alarms on AWS/RDS metrics, the Enhanced Monitoring role) or the logs.
                const databaseSide = record.type.startsWith("aws:rds/") || ([TYPES.securityGroup, TYPES.logGroup, TYPES.monitoringRole] as string[]).includes(record.type)
                    || (record.type === MONITORING_TYPES.alarm && input(record, "namespace") === "AWS/RDS");
                const component = databaseSide ? "results-db" : "results-logs";
                assert.deepEqual(input(record, "tags"), { cluster: config.clusterName, environment: config.environment, component, "managed-by": MANAGED_BY },
                    `${record.type} ${record.name}`);
            }
        });

        it("uses only argument names the installed @pulumi/aws and @pulumi/random typings declare", () => {
            // Provider resources only: the rotation guard is a dynamic resource, whose inputs are its own.
            for (const record of [...storageResources(result), ...monitoringResources(result)].filter((candidate) => candidate.custom && !candidate.type.startsWith("pulumi-nodejs:"))) {
                const known = sdkArgumentNames(record.type);
                assert.deepEqual(Object.keys(record.inputs).filter((key) => !known.has(key)), [], `${record.type} ${record.name}`);
            }
        });
    });
}

describe("argument names are read from the typings", () => {
    it("knows the RDS arguments and not a misspelt one", () => {
        assert.equal(sdkArgumentNames(TYPES.instance).has("kmsKeyId"), true);
        assert.equal(sdkArgumentNames(TYPES.instance).has("kmsKeyArn"), false);
        assert.equal(sdkArgumentNames(TYPES.instance).has("multiAZ"), false);
    });
});

describe("results storage names from a 63-character cluster name (prod)", () => {
    let result: RenderResult;
    before(async () => {
        result = await renderStack("prod", { overrides: { "pipeline-service:clusterName": OVERRIDES.longCluster } });
        assert.equal(loadStackSettings("prod").project, result.settings.project);
    });

    it("derives every AWS name validly", () => {
        assert.equal(OVERRIDES.longCluster.length, 63);
        assert.equal(configOf(result).clusterName, OVERRIDES.longCluster);
        for (const { type, field, rule } of NAMED_INPUTS) {
            const name = input<string>(single(result, type), field);
            assert.equal(typeof name, "string", `${type}.${field}`);
            assert.deepEqual(nameProblems(awsNameRules[rule], name), [], `${type}.${field} = ${name}`);
        }
        const identifier = input<string>(single(result, TYPES.instance), "identifier");
        assert.equal(identifier, rdsInstanceIdentifier(OVERRIDES.longCluster));
        for (const group of ofType(result, TYPES.logGroup)) {
            assert.match(input<string>(group, "name"), /^[.\-_/#A-Za-z0-9]{1,512}$/);
            assert.ok(input<string>(group, "name").startsWith(`/aws/rds/instance/${identifier}/`));
        }
        assert.equal((single(result, TYPES.instance).inputs.tags as Record<string, string>).cluster, OVERRIDES.longCluster);
    });
});
