/**
 * `npm run fleet:diff` (tools/fleet-diff.ts) on a throwaway copy of this project under git: a base commit with a
 * three-stack fleet, then changes in the work tree. Exactly the changed stack and path show; a stack added or removed
 * is created or deleted whole; a stack that does not render is named; a bad ref is one paragraph; the user's
 * repository (work tree, index, stash) is left as it was.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { PROJECT_DIR } from "../render";
import { type FleetDiff } from "../fleet";
import { main, USAGE } from "../tools/fleet-diff";
import { gitSandbox, withEnv, type GitSandbox } from "./harness";
import { packSession } from "./policy-runtime";

interface Run {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

describe("npm run fleet:diff", function () {
    this.timeout(180_000);
    let scratch: string;
    let project: string;
    let sandbox: GitSandbox;

    function git(...args: string[]): string {
        return sandbox.git(project, ...args);
    }

    async function diff(args: readonly string[]): Promise<Run> {
        let stdout = "";
        let stderr = "";
        const code = await withEnv(sandbox.env, () => main(args, (text) => {
            stdout += text;
        }, (text) => {
            stderr += text;
        }, { session: packSession, projectDir: project }));
        return { code, stdout, stderr };
    }

    const fleetFile = (stack: string): string => path.join(project, "clusters", `Pulumi.${stack}.yaml`);
    const fixture = (stack: string): string => fs.readFileSync(path.join(PROJECT_DIR, "test", "fixtures", "fleet", `Pulumi.${stack}.yaml`), "utf8");

    before(() => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-diff-"));
        project = path.join(scratch, "project");
        sandbox = gitSandbox(path.join(scratch, "home"));
        // The project's tracked files as they are now (a copy: the test commits and edits freely), its dependencies linked.
        const tracked = execFileSync("git", ["ls-files", "-z"], { cwd: PROJECT_DIR, encoding: "utf8" }).split("\0").filter((file) => file !== "" && fs.existsSync(path.join(PROJECT_DIR, file)));
        for (const file of tracked) {
            fs.mkdirSync(path.join(project, path.dirname(file)), { recursive: true });
            fs.copyFileSync(path.join(PROJECT_DIR, file), path.join(project, file));
        }
        fs.mkdirSync(path.join(project, "clusters"));
        for (const stack of ["stone-stg-rh01", "stone-prd-rh01", "stone-prd-rh04"]) {
            fs.writeFileSync(fleetFile(stack), fixture(stack));
        }
        git("init", "-q", "-b", "main");
        git("add", "-A");
        git("commit", "-q", "-m", "base");
        // After the commit: .gitignore's `node_modules/` does not match a link, which `git add -A` would commit.
        fs.symlinkSync(fs.realpathSync(path.join(PROJECT_DIR, "node_modules")), path.join(project, "node_modules"), "dir");
    });
    after(() => fs.rmSync(scratch, { recursive: true, force: true }));
    afterEach(() => {
        // Back to the base commit's fleet for the next case.
        git("checkout", "-q", "--", "clusters");
        git("clean", "-q", "-fd", "--", "clusters");
    });

    it("shows exactly the one stack and path a one-line change touches, as JSON in the documented shape", async () => {
        fs.writeFileSync(fleetFile("stone-prd-rh04"), fixture("stone-prd-rh04").replace("    allocatedStorage: 200\n", "    allocatedStorage: 200\n    instanceClass: db.m7g.xlarge\n"));
        const run = await diff(["--base", "main", "--stacks-dir", path.join(project, "clusters"), "--json"]);
        assert.equal(run.code, 0, run.stderr);
        const result = JSON.parse(run.stdout) as FleetDiff;
        assert.match(result.base, /^main \([0-9a-f]{12}\)$/);
        assert.deepEqual(result.stacks.map((stack) => [stack.stack, stack.ring, stack.changes.length]), [["stone-stg-rh01", 0, 0], ["stone-prd-rh01", 1, 0], ["stone-prd-rh04", 2, 1]]);
        assert.deepEqual(result.stacks[2]?.changes, [{
            urn: "urn:pulumi:stone-prd-rh04::pipeline-service::pipeline-service:index:PipelineService$pipeline-service:storage:ResultsStorage$aws:rds/instance:Instance::results-storage-db",
            type: "aws:rds/instance:Instance", name: "results-storage-db", op: "update", paths: ["instanceClass"],
            replaceBecause: [], deleteBeforeReplace: false, dataLoss: null, protected: false, notes: [], provenance: {}, renamedFrom: null,
        }]);
    });

    it("prints the change with its values and the fleet summary, and writes the same as Markdown", async () => {
        fs.writeFileSync(fleetFile("stone-prd-rh04"), fixture("stone-prd-rh04").replace("    allocatedStorage: 200\n", "    allocatedStorage: 200\n    instanceClass: db.m7g.xlarge\n"));
        const markdown = path.join(scratch, "summary.md");
        const run = await diff(["--base", "main", "--stacks-dir", path.join(project, "clusters"), "--markdown", markdown]);
        assert.equal(run.code, 0, run.stderr);
        assert.match(run.stdout, /^fleet diff: main \([0-9a-f]{12}\) → working tree\n\nstone-prd-rh04 \(ring 2\): 1 to update\n {2}~ Instance results-storage-db {2}\(aws:rds\/instance:Instance\)\n {6}instanceClass: "db\.m7g\.large" → "db\.m7g\.xlarge"\n\n1 of 3 stacks change: ring 2 \(stone-prd-rh04\)\n$/);
        const text = fs.readFileSync(markdown, "utf8");
        assert.match(text, /^## Fleet diff against `main \([0-9a-f]{12}\)`\n/);
        assert.match(text, /\| `stone-prd-rh04` \| 2 \| 0 \| 1 \| 0 \|/);
        assert.match(text, /- `instanceClass`: `"db\.m7g\.large" → "db\.m7g\.xlarge"`/);
    });

    it("shows a stack file added as the whole stack created, and one removed as the whole stack deleted", async () => {
        fs.writeFileSync(fleetFile("stone-prd-rh02"), fixture("stone-prd-rh02"));
        fs.rmSync(fleetFile("stone-prd-rh04"));
        const run = await diff(["--base", "main", "--stacks-dir", path.join(project, "clusters"), "--json"]);
        assert.equal(run.code, 0, run.stderr);
        const stacks = new Map((JSON.parse(run.stdout) as FleetDiff).stacks.map((stack) => [stack.stack, stack]));
        const created = stacks.get("stone-prd-rh02")?.changes ?? [];
        const deleted = stacks.get("stone-prd-rh04")?.changes ?? [];
        assert.ok(created.length > 40 && created.every((change) => change.op === "create" && change.paths.length === 0), "created whole");
        assert.ok(deleted.length > 40 && deleted.every((change) => change.op === "delete"), "deleted whole");
        assert.ok(created.some((change) => change.type === "pulumi:pulumi:Stack"));
        assert.equal(stacks.get("stone-prd-rh04")?.ring, 2, "a removed stack keeps the base's ring");
        assert.deepEqual(stacks.get("stone-prd-rh01")?.changes, []);
    });

    it("--fail-on-data-loss refuses a renamed cluster's data loss (exit 1) until acknowledged.yaml names each step, and names stale entries", async () => {
        fs.writeFileSync(fleetFile("stone-stg-rh01"), fixture("stone-stg-rh01").replace("pipeline-service:clusterName: stone-stg-rh01", "pipeline-service:clusterName: stone-stg-rh09"));
        const args = ["--base", "main", "--stacks-dir", path.join(project, "clusters"), "--json", "--fail-on-data-loss"];
        const refused = await diff(args);
        assert.equal(refused.code, 1, refused.stderr);
        const lost = (JSON.parse(refused.stdout) as FleetDiff).stacks.flatMap((stack) => stack.changes.filter((change) => change.dataLoss !== null).map((change) => ({ stack: stack.stack, urn: change.urn })));
        assert.ok(lost.some(({ urn }) => urn.includes("aws:s3/bucket:Bucket")), JSON.stringify(lost));
        for (const { stack, urn } of lost) {
            assert.ok(refused.stderr.includes(`error: ${stack}: replace ${urn} loses data`), refused.stderr);
        }
        const acks = [...lost.map((entry) => ({ ...entry, why: "the dev cluster is renamed; its logs are disposable" })), { stack: "stone-prd-rh01", urn: "urn:pulumi:stone-prd-rh01::pipeline-service::x::gone", why: "an old one" }];
        fs.writeFileSync(path.join(project, "clusters", "acknowledged-data-loss.yaml"), YAML.stringify(acks));
        const accepted = await diff(args);
        assert.equal(accepted.code, 0, accepted.stderr);
        assert.equal(accepted.stderr, "note: acknowledged-data-loss.yaml acknowledges stone-prd-rh01 urn:pulumi:stone-prd-rh01::pipeline-service::x::gone, which loses no data in this diff: remove the entry\n");
    });

    it("names a stack that does not render in the working tree, still diffs the others, and exits 1", async () => {
        fs.writeFileSync(fleetFile("stone-prd-rh01"), fixture("stone-prd-rh01").replace("    ring: 1\n", "    ring: 0\n"));
        fs.writeFileSync(fleetFile("stone-prd-rh04"), fixture("stone-prd-rh04").replace("    allocatedStorage: 200\n", "    allocatedStorage: 300\n"));
        const run = await diff(["--base", "main", "--stacks-dir", path.join(project, "clusters")]);
        assert.equal(run.code, 1);
        assert.match(run.stdout, /stone-prd-rh01: does not render in the working tree:\n {2}\S*Pulumi\.stone-prd-rh01\.yaml: invalid stack configuration \(1 problem\):\n {4}- pipeline-service:rollout\.ring: must be 1 or above in prod/);
        // The alarm on free storage follows the allocation: its threshold and description change with it.
        assert.match(run.stdout, /stone-prd-rh04 \(ring 2\): 2 to update\n/);
        assert.match(run.stdout, /\n {2}~ Instance results-storage-db {2}\(aws:rds\/instance:Instance\)\n {6}allocatedStorage: 200 → 300\n/);
        assert.match(run.stdout, /\n {6}threshold: 10737418240 → 16106127360\n/);
        assert.match(run.stdout, /not compared, they do not render: stone-prd-rh01 \(in the working tree\)/);
    });

    it("refuses a ref that names no commit in one paragraph (exit 2), touching nothing in the repository", async () => {
        fs.writeFileSync(fleetFile("stone-prd-rh04"), "# edited\n" + fixture("stone-prd-rh04"));
        git("stash", "-q");
        fs.writeFileSync(fleetFile("stone-prd-rh01"), "# staged\n" + fixture("stone-prd-rh01"));
        git("add", fleetFile("stone-prd-rh01"));
        fs.writeFileSync(fleetFile("stone-stg-rh01"), "# unstaged\n" + fixture("stone-stg-rh01"));
        const state = (): string[] => [git("status", "--porcelain=v2", "--branch"), git("diff"), git("diff", "--cached"), git("stash", "list"), git("worktree", "list")];
        const before = state();
        const bad = await diff(["--base", "no-such-branch", "--stacks-dir", path.join(project, "clusters")]);
        assert.equal(bad.code, 2);
        assert.equal(bad.stdout, "");
        assert.match(bad.stderr, /^error: [^\n]*no-such-branch[^\n]*\n$/);
        const good = await diff(["--base", "main", "--stacks-dir", path.join(project, "clusters"), "--json"]);
        assert.equal(good.code, 0, good.stderr);
        assert.deepEqual(state(), before);
        git("reset", "-q");
        git("stash", "drop", "-q");
    });

    it("prints its usage for --help, and refuses a missing --base or a stacks directory outside the project (exit 2)", async () => {
        assert.deepEqual(await diff(["--help"]), { code: 0, stdout: `${USAGE}\n`, stderr: "" });
        const missing = await diff([]);
        assert.equal(missing.code, 2);
        assert.match(missing.stderr, /^error: --base <git-ref> is required/);
        const outside = await diff(["--base", "main", "--stacks-dir", os.tmpdir()]);
        assert.equal(outside.code, 2);
        assert.match(outside.stderr, /is outside the project/);
    });
});
