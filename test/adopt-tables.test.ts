/**
 * The tables `npm run adopt` relies on, held against what the program renders in every variant of a stack: the import
 * ID table classifies every non-Kubernetes type a render creates (and nothing else), the `oc get` dump names exactly
 * the Kubernetes kinds the renders create, the AWS dump's calls match its schema, the script that makes them is
 * read-only and writes what adopt reads, and the import file schema has pulumi/pulumi's fields.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_DIR, renderStack, type RenderResult } from "../render";
import { AWS_CALLS, awsCallsMarkdown, awsDumpScript, awsNamesOf } from "../adopt/aws";
import { IMPORT_RULES } from "../adopt/import-ids";
import { importFileSchema, importSpecSchema } from "../adopt/import-file";
import { awsDumpSchema, parseAwsDump } from "../adopt/inputs";
import { isKubernetesType, KUBERNETES_KINDS, ocGetCommand, SECRET_SCRUB_FILTER } from "../adopt/kinds";

const EXPORTER = "quay.io/redhat-appstudio/pipeline-service-exporter@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/** Every variant whose resources differ: signing modes, the exporter, observability off. */
const VARIANTS: readonly (readonly [string, "dev" | "prod", Record<string, unknown>])[] = [
    ["prod", "prod", {}],
    ["prod, adopted key", "prod", { "pipeline-service:chains": { adoptExistingKey: true, existingPublicKey: "-----BEGIN PUBLIC KEY-----\nQUJD\n-----END PUBLIC KEY-----\n" } }],
    ["prod, keyless", "prod", { "pipeline-service:chains": { signing: "keyless" } }],
    ["dev", "dev", {}],
    ["dev, exporter", "dev", { "pipeline-service:observability": { exporterImage: EXPORTER } }],
    ["dev, observability off", "dev", { "pipeline-service:observability": { enabled: false } }],
];

/** The types of custom resources a render creates, besides the stack and providers. */
function customTypes(render: RenderResult): Set<string> {
    return new Set(render.resources.filter((record) => record.custom && !record.type.startsWith("pulumi:providers:")).map((record) => record.type));
}

describe("npm run adopt: its tables", function () {
    this.timeout(120_000);
    const renders = new Map<string, RenderResult>();

    before(async () => {
        for (const [name, stack, overrides] of VARIANTS) {
            renders.set(name, await renderStack(stack, { overrides }));
        }
    });

    it("classifies every non-Kubernetes type a render creates, and no type none creates", () => {
        const classified = new Set(IMPORT_RULES.map((rule) => rule.type));
        const created = new Set<string>();
        for (const [name, render] of renders) {
            for (const type of customTypes(render)) {
                if (!isKubernetesType(type)) {
                    created.add(type);
                    assert.ok(classified.has(type), `${name} creates ${type}, which adopt/import-ids.ts does not classify: add its import ID (or why it cannot be imported)`);
                }
            }
        }
        assert.deepEqual([...classified].filter((type) => !created.has(type)), [], "rules for types no render creates");
        assert.equal(classified.size, IMPORT_RULES.length, "one rule per type");
    });

    it("states for each type its registry page, and its ID format or why it cannot be imported", () => {
        for (const rule of IMPORT_RULES) {
            assert.match(rule.registry, /^https:\/\/www\.pulumi\.com\/(registry\/packages\/(aws|random)\/api-docs\/[a-z0-9/]+\/#import|docs\/iac\/concepts\/resources\/dynamic-providers\/)$/, rule.type);
            assert.ok(rule.importable ? rule.idFormat.length > 5 : rule.why.length > 20, rule.type);
        }
        const notImportable = IMPORT_RULES.filter((rule) => !rule.importable).map((rule) => rule.type).sort();
        assert.deepEqual(notImportable, ["aws:iam/accessKey:AccessKey", "pulumi-nodejs:dynamic/pipeline-service:CosignKeyPair", "pulumi-nodejs:dynamic/pipeline-service:S3KeyRotationGuard", "pulumi-nodejs:dynamic:Resource", "random:index/randomPassword:RandomPassword"]);
    });

    it("dumps exactly the Kubernetes kinds the renders create", () => {
        const created = new Set<string>();
        for (const render of renders.values()) {
            for (const type of customTypes(render)) {
                if (isKubernetesType(type)) {
                    created.add(type);
                }
            }
        }
        assert.deepEqual(KUBERNETES_KINDS.map((kind) => kind.type).sort(), [...created].sort());
        assert.match(ocGetCommand(), /^oc get [a-z0-9.,-]+ -A -o json$/);
        assert.ok(ocGetCommand().includes("subscriptions.operators.coreos.com,tektonconfigs.operator.tekton.dev"), "each kind by plural and group, sorted");
    });

    it("documents the dump command, the scrub of Secret values and the AWS script in docs/operations.md", () => {
        const operations = fs.readFileSync(path.join(PROJECT_DIR, "docs", "operations.md"), "utf8");
        assert.ok(operations.includes(ocGetCommand()), "the oc get command, as adopt/kinds.ts makes it");
        assert.ok(operations.includes(SECRET_SCRUB_FILTER), "the jq filter that replaces Secret values");
        assert.ok(operations.includes("npm run -s adopt -- --stack S --aws-script"), "how to get the AWS script");
        // Indented as the list item it is in.
        assert.ok(operations.includes(awsCallsMarkdown().split("\n").map((line) => `   ${line}`).join("\n")), "the table of AWS calls, as adopt/aws.ts makes it");
        const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
        assert.match(readme, /npm run adopt/);
    });

    it("asks AWS exactly what the dump's schema holds, in its order", () => {
        assert.deepEqual(AWS_CALLS.map((call) => call.key), Object.keys(awsDumpSchema.shape));
    });

    it("has the import file's fields as pulumi/pulumi's importFile and importSpec declare them", () => {
        // pkg/cmd/pulumi/operations/import.go at 1b5949891b3c: the json tags of importSpec, and of importFile (less the deprecated providerInputs).
        assert.deepEqual(Object.keys(importSpecSchema.shape), ["type", "name", "id", "parent", "provider", "version", "pluginDownloadUrl", "properties", "component", "remote",
            "inputs", "outputs", "logicalName", "parameterization", "extension"]);
        assert.deepEqual(Object.keys(importFileSchema.shape), ["nameTable", "resources"]);
        assert.equal(importFileSchema.safeParse({ resources: [{ type: "t", name: "n", id: "i", pluginDownloadURL: "x" }] }).success, false, "an unknown field (the Go tag is pluginDownloadUrl)");
        assert.equal(importFileSchema.safeParse({ nameTable: { k8s: "not-a-urn" } }).success, false);
    });

    describe("the AWS dump script", () => {
        let scratch: string;
        let script: string;

        before(function () {
            if (spawnSync("jq", ["--version"]).error !== undefined) {
                if (process.env.CI) {
                    throw new Error("jq not found: the AWS dump script assembles its JSON with it");
                }
                console.warn("    skipped: jq not found (the script needs it); CI fails instead");
                this.skip();
            }
            scratch = fs.mkdtempSync(path.join(os.tmpdir(), "adopt-aws-"));
            const render = renders.get("prod") as RenderResult;
            script = path.join(scratch, "aws-dump.sh");
            fs.writeFileSync(script, awsDumpScript("prod", awsNamesOf(render.resources)));
        });
        after(() => fs.rmSync(scratch, { recursive: true, force: true }));

        /** Runs the script with a fake `aws` that logs its calls, answers `answers`, and fails `failWith` for a call; returns the run and the log. */
        function run(failWith: Readonly<Record<string, string>> = {}): { status: number | null; stdout: string; stderr: string; calls: string[] } {
            const bin = fs.mkdtempSync(path.join(scratch, "bin-"));
            const log = path.join(bin, "calls.log");
            const failures = Object.entries(failWith).map(([call, code]) => `  "${call}") echo "An error occurred (${code}) when calling it: no" >&2; exit 254;;`).join("\n");
            fs.writeFileSync(path.join(bin, "aws"), [
                "#!/usr/bin/env bash",
                `echo "$AWS_REGION $*" >> ${JSON.stringify(log)}`,
                'case "$1 $2" in',
                failures,
                '  "rds describe-db-instances") echo \'{"DBInstances":[{"DBInstanceIdentifier":"stone-prd-rh01-tekton-results","DBInstanceClass":"db.m7g.large"}]}\';;',
                '  "ec2 describe-security-groups") echo \'{"SecurityGroups":[{"GroupId":"sg-0123","GroupName":"stone-prd-rh01-tekton-results-db","VpcId":"vpc-0f1e2d3c4b5a69788"}]}\';;',
                '  "logs describe-log-groups") echo \'{"logGroups":[]}\';;',
                '  "cloudwatch describe-alarms") echo \'{"MetricAlarms":[],"CompositeAlarms":[]}\';;',
                '  "s3api list-buckets") echo \'{"Buckets":[{"Name":"stone-prd-rh01-b975a40d-tekton-results-logs"}]}\';;',
                '  "s3api get-bucket-versioning") ;;',
                '  "s3api get-bucket-policy") echo \'{"Policy":"{}"}\';;',
                '  "s3api list-bucket-metrics-configurations") echo \'{"MetricsConfigurationList":[{"Id":"EntireBucket"}]}\';;',
                '  "iam get-user") echo \'{"User":{"UserName":"stone-prd-rh01-tekton-results-s3"}}\';;',
                '  "iam list-access-keys") echo \'{"AccessKeyMetadata":[{"Status":"Active"}]}\';;',
                '  "iam list-user-policies") echo \'{"PolicyNames":[]}\';;',
                '  "rds describe-db-subnet-groups") echo "An error occurred (DBSubnetGroupNotFoundFault) when calling it" >&2; exit 254;;',
                '  "rds describe-db-parameter-groups") echo "An error occurred (DBParameterGroupNotFound) when calling it" >&2; exit 254;;',
                '  "iam get-role"|"iam list-attached-role-policies") echo "An error occurred (NoSuchEntity) when calling it" >&2; exit 254;;',
                '  "s3api "*) echo "An error occurred (NoSuchBucket) when calling it" >&2; exit 254;;',
                '  *) echo "unexpected call" >&2; exit 2;;',
                "esac",
                "",
            ].join("\n"), { mode: 0o755 });
            const result = spawnSync("bash", [script], { encoding: "utf8", env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` } });
            const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n") : [];
            return { status: result.status, stdout: result.stdout, stderr: result.stderr, calls };
        }

        it("makes only read-only calls, in the stack's region, and prints the dump adopt reads (null where AWS says none)", () => {
            const result = run();
            assert.equal(result.status, 0, result.stderr);
            assert.equal(result.calls.length, AWS_CALLS.length);
            for (const call of result.calls) {
                assert.match(call, /^us-east-1 (rds|ec2|logs|cloudwatch|s3api|iam) (describe|list|get)-[a-z-]+ .*--output json$/, call);
            }
            const dump = parseAwsDump(result.stdout, "stdout");
            assert.equal(dump.describeDbSubnetGroups, null);
            assert.equal(dump.getRole, null);
            assert.equal(dump.getBucketLifecycleConfiguration, null, "NoSuchBucket… (a not-found code) reads as null");
            assert.deepEqual(dump.getBucketVersioning, {}, "an empty answer reads as {}");
            assert.equal(dump.describeSecurityGroups.SecurityGroups[0]?.GroupId, "sg-0123");
        });

        it("stops with AWS's message on any other failure", () => {
            const result = run({ "iam get-user": "AccessDenied" });
            assert.equal(result.status, 1);
            assert.equal(result.stdout, "");
            assert.match(result.stderr, /^aws iam get-user --user-name stone-prd-rh01-tekton-results-s3: failed:\nAn error occurred \(AccessDenied\)/);
        });

        it("is shellcheck-clean", function () {
            const check = spawnSync("shellcheck", [script], { encoding: "utf8" });
            if (check.error !== undefined) {
                this.skip(); // shellcheck not installed
            }
            assert.equal(check.status, 0, check.stdout);
        });
    });
});
