/**
 * `npm run adopt` (tools/adopt.ts): its exit codes (0 import, 1 stop or an unusable dump, 2 usage), the
 * one-paragraph refusal of each bad dump, what it writes and removes, and that no Secret value of the dump reaches
 * stdout, stderr or a file it writes. The cases run its `main` in this process; the plan that goes ahead runs the
 * real process, for what only a process shows (its exit code and streams as npm run gives them).
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { PROJECT_DIR } from "../render";
import { importFileSchema } from "../adopt/import-file";
import { ocGetCommand } from "../adopt/kinds";
import { fixtureFile, liveOf, secretForms, VARIANTS } from "./adopt-fixtures";
import { cli, cliInProcess, type Run } from "./cli-process";

const INFRA_LIVE = fixtureFile("infra-deployments", "live.json");
const INFRA_AWS = fixtureFile("infra-deployments", "aws.json");

function adopt(args: readonly string[]): Promise<Run> {
    return cliInProcess("adopt.ts", args);
}

/** A refusal of the input: exit 1, one paragraph on stderr, nothing on stdout. */
function assertRefused(run: Run, pattern: RegExp): void {
    assert.equal(run.code, 1, run.stderr);
    assert.equal(run.stdout, "");
    assert.match(run.stderr, /^error: [^\n]+\n$/, "one paragraph");
    assert.match(run.stderr, pattern);
}

describe("npm run adopt", function () {
    this.timeout(120_000);
    let scratch: string;
    let adoptKeyStack: string;

    before(() => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "adopt-cli-"));
        // The prod stack adopting the fixture cluster's key, as a stack file (what --config-file reads).
        const document = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.prod.yaml"), "utf8")) as { config: Record<string, unknown> };
        Object.assign(document.config, VARIANTS["adopt-key"]);
        adoptKeyStack = path.join(scratch, "Pulumi.prod.yaml");
        fs.writeFileSync(adoptKeyStack, YAML.stringify(document));
    });
    after(() => fs.rmSync(scratch, { recursive: true, force: true }));

    /** A file in the scratch directory with `text`. */
    function file(name: string, text: string): string {
        const written = path.join(scratch, name);
        fs.writeFileSync(written, text);
        return written;
    }

    it("prints its usage, with the dump command, for --help (exit 0)", async () => {
        const run = await adopt(["--help"]);
        assert.equal(run.code, 0, run.stderr);
        assert.ok(run.stdout.includes(ocGetCommand()), "the oc get command");
        assert.match(run.stdout, /--aws-script/);
        assert.match(run.stdout, /Exit codes: 0 the import can go ahead/);
    });

    it("refuses bad arguments and unreadable files with the usage (exit 2)", async () => {
        for (const args of [[], ["--stack", "prod"], ["--live", INFRA_LIVE], ["--stack", "prod", "--live", INFRA_LIVE, "--force"],
            ["--stack", "prod", "--aws-script", "--live", INFRA_LIVE], ["--stack", "prod", "--live", path.join(scratch, "missing.json")]]) {
            const run = await adopt(args);
            assert.equal(run.code, 2, `${args.join(" ")}: ${run.stderr}`);
            assert.match(run.stderr, /^error: .*\n\nusage: npm run adopt/s, args.join(" "));
        }
    });

    it("refuses a dump it cannot use in one paragraph naming the problem (exit 1)", async () => {
        const out = path.join(scratch, "bad-out");
        const cases: readonly (readonly [string, string, RegExp])[] = [
            ["not-json.json", "apiVersion: v1\nkind: List\n", /not-json\.json is not JSON \(it does not parse\): expected the JSON `oc get … -A -o json` prints/],
            ["empty.json", "  \n", /empty\.json is empty/],
            ["object.json", JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "x" }, data: { k: "c2VjcmV0" } }), /object\.json is not a Kubernetes List: it has kind "Secret" and no items array/],
            ["no-items.json", JSON.stringify({ apiVersion: "v1", kind: "List", items: [] }), /no-items\.json holds no objects/],
            ["not-objects.json", JSON.stringify({ kind: "List", items: [{ kind: "Pod" }] }), /not-objects\.json: items\[0\] is not a Kubernetes object/],
        ];
        for (const [name, text, pattern] of cases) {
            assertRefused(await adopt(["--stack", "prod", "--live", file(name, text), "--out", out]), pattern);
        }
        const aws = JSON.parse(fs.readFileSync(INFRA_AWS, "utf8")) as Record<string, unknown>;
        delete aws.getUser;
        aws.extra = 1;
        const shape = await adopt(["--stack", "prod", "--live", INFRA_LIVE, "--aws", file("aws-shape.json", JSON.stringify(aws)), "--out", out]);
        assertRefused(shape, /aws-shape\.json is not the documented AWS dump: /);
        assert.match(shape.stderr, /unknown key extra/);
        assert.match(shape.stderr, /getUser is missing/);
        assertRefused(await adopt(["--stack", "prod", "--live", INFRA_LIVE, "--aws", file("aws-array.json", "[]"), "--out", out]), /aws-array\.json is not the documented AWS dump: its JSON is an array/);
        assert.ok(!fs.existsSync(out), "nothing written");
    });

    it("reports a stack that does not render as the render does (exit 1, no stack trace)", async () => {
        const run = await adopt(["--stack", "nosuch", "--live", INFRA_LIVE, "--out", path.join(scratch, "nosuch-out")]);
        assertRefused(run, /^error: no stack "nosuch": .*Pulumi\.nosuch\.yaml does not exist/);
        assert.ok(!run.stderr.includes("    at "), "no stack trace");
    });

    it("refuses a dump of another cluster, and leaves no import file of an earlier run behind", async () => {
        const out = path.join(scratch, "other-cluster-out");
        fs.mkdirSync(out);
        fs.writeFileSync(path.join(out, "import.json"), "{}\n");
        const other = fs.readFileSync(INFRA_LIVE, "utf8").replaceAll("apps.stone-prd-rh01.pg1f.p1.openshiftapps.com", "apps.other.example.com");
        const run = await adopt(["--stack", "prod", "--config-file", adoptKeyStack, "--live", file("other-cluster.json", other), "--out", out]);
        assertRefused(run, /other-cluster\.json is from another cluster: its console is at console-openshift-console\.apps\.other\.example\.com/);
        assert.deepEqual(fs.readdirSync(out), []);
    });

    it("plans the infra-deployments cluster adopting its key (the real process): exit 0, the import file and report written, the report printed, no secret anywhere", async () => {
        const out = path.join(scratch, "adopt-key-out");
        const run = await cli("adopt.ts", ["--stack", "prod", "--config-file", adoptKeyStack, "--live", INFRA_LIVE, "--aws", INFRA_AWS, "--out", out]);
        assert.equal(run.code, 0, run.stderr);
        assert.deepEqual(fs.readdirSync(out).sort(), ["import.json", "report.json"]);
        const importFile = importFileSchema.parse(JSON.parse(fs.readFileSync(path.join(out, "import.json"), "utf8")));
        assert.ok((importFile.resources ?? []).some((entry) => entry.id === "config"));
        assert.match(run.stdout, /^adopt: stack prod\n/);
        assert.match(run.stdout, /\n5\. What the first up changes in imported objects \(\d+\)\n/);
        assert.match(run.stdout, /pulumi import --stack prod --file .*adopt-key-out\/import\.json --generate-code=false/);
        assert.equal(run.stderr, `wrote import.json and report.json to ${out}\n`);
        const outputs = [run.stdout, run.stderr, ...fs.readdirSync(out).map((name) => fs.readFileSync(path.join(out, name), "utf8"))];
        for (const form of secretForms(liveOf("infra-deployments"))) {
            assert.ok(outputs.every((text) => !text.includes(form)), `a Secret value (${form.slice(0, 12)}…) in the output`);
        }
    });

    it("stops the infra-deployments cluster in key mode: exit 1, the report only, an earlier import file removed", async () => {
        const out = path.join(scratch, "key-out");
        fs.mkdirSync(out);
        fs.writeFileSync(path.join(out, "import.json"), "{}\n");
        const run = await adopt(["--stack", "prod", "--live", INFRA_LIVE, "--aws", INFRA_AWS, "--out", out]);
        assert.equal(run.code, 1, run.stderr);
        assert.deepEqual(fs.readdirSync(out), ["report.json"]);
        assert.match(run.stdout, /STOP before import: 2 things to resolve first/);
        assert.match(run.stdout, /chains\.adoptExistingKey/);
        assert.doesNotMatch(run.stdout, /\nnext:/);
        assert.equal((JSON.parse(fs.readFileSync(path.join(out, "report.json"), "utf8")) as { verdict: string }).verdict, "stop");
    });

    it("prints the AWS dump script for the stack with --aws-script", async () => {
        const run = await adopt(["--stack", "prod", "--aws-script"]);
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /^#!\/usr\/bin\/env bash\n/);
        assert.match(run.stdout, /\ncall NoSuchEntity getUser aws iam get-user --user-name stone-prd-rh01-tekton-results-s3\n/);
        assert.match(run.stdout, /export AWS_REGION=us-east-1 /);
    });
});
