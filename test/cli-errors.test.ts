/**
 * A user's mistake makes a CLI print what is wrong (and the usage, for bad arguments), exit non-zero, and
 * print no stack trace. The cases run each CLI's `main` in this process, through runCli as its file does; what only
 * a process shows (a closed pipe, a fleet that ends with its pack closed, a refused ref) runs the real CLI.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_DIR } from "../render";
import { cli, cliInProcess, type Run } from "./cli-process";

/** The failure a user should see: a non-zero exit, `expected` on stderr, no stack frame or dumped error object. */
function assertUserError(run: Run, expected: RegExp, code?: number): void {
    assert.notEqual(run.code, 0, `exit 0; stdout: ${run.stdout}`);
    if (code !== undefined) {
        assert.equal(run.code, code, run.stderr);
    }
    assert.match(run.stderr, expected);
    assert.ok(!run.stderr.includes("    at "), `stack frame on stderr:\n${run.stderr}`);
    assert.ok(!run.stderr.includes("StackConfigError {"), `error object on stderr:\n${run.stderr}`);
    assert.doesNotMatch(run.stderr, /^\s+\^$/m, "Node's uncaught-error source excerpt");
}

/** Runs in-process CLI calls one after another (they capture this process's streams) and returns their results. */
async function sequence(runs: readonly (() => Promise<Run>)[]): Promise<Run[]> {
    const results: Run[] = [];
    for (const run of runs) {
        results.push(await run());
    }
    return results;
}

describe("CLI user errors", function () {
    this.timeout(120_000);
    let dir: string;
    const write = (name: string, content: string): string => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, content);
        return file;
    };
    const devStack = (): string => fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8");

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-errors-"));
    });
    after(() => {
        fs.rmSync(dir, { recursive: true, force: true });
    });

    describe("render", () => {
        it("lists every problem of a bad stack config, and nothing else (exit 1, nothing written)", async () => {
            const stack = devStack().replace(/environment: dev/, "environment: qa").replace(/^ {2}aws:region: .*\n/m, "");
            const stackFile = write("Pulumi.dev.yaml", `${stack}  pipeline-service:results:\n    backupRetentionDays: 99\n`);
            const out = path.join(dir, "bad-config-out");
            const run = await cliInProcess("render.ts", ["--stack", "dev", "--config-file", stackFile, "--out", out]);
            assertUserError(run, new RegExp(String.raw`^error: invalid stack configuration \(3 problems\):\n {2}- aws:region: is required .*\n` +
                String.raw` {2}- pipeline-service:environment: must be one of "dev", "prod" \(got "qa"\)\n {2}- pipeline-service:results\.backupRetentionDays: .*\n$`), 1);
            assert.equal(fs.existsSync(out), false);
        });

        it("never replaces a directory it did not write (--out .), and deletes nothing there", async () => {
            const foreign = path.join(dir, "users-files");
            fs.mkdirSync(foreign);
            fs.writeFileSync(path.join(foreign, "keep.txt"), "mine");
            const run = await cliInProcess("render.ts", ["--stack", "dev", "--no-graph", "--quiet", "--out", foreign]);
            assertUserError(run, /^error: refusing to replace .*users-files: it is not empty and no render of this tool/, 1);
            assert.deepEqual(fs.readdirSync(foreign), ["keep.txt"]);
        });

        it("removes its own earlier render when a render fails, so no stale files pass a policy check", async () => {
            const out = path.join(dir, "stale-out");
            const good = await cliInProcess("render.ts", ["--stack", "dev", "--no-graph", "--quiet", "--out", out]);
            assert.equal(good.code, 0, good.stderr);
            assert.ok(fs.existsSync(path.join(out, "resources.json")));
            const stackFile = write("Pulumi.stale.yaml", devStack().replace(/environment: dev/, "environment: qa"));
            const bad = await cliInProcess("render.ts", ["--stack", "stale", "--config-file", stackFile, "--no-graph", "--out", out]);
            assertUserError(bad, /^error: invalid stack configuration[^]*removed the earlier render in /, 1);
            assert.equal(fs.existsSync(out), false);
        });

        it("names the file, line and column of bad YAML", async () => {
            const stackFile = write("Pulumi.broken.yaml", "config:\n  pipeline-service:clusterName: c1\n pipeline-service:environment: [dev\n");
            assertUserError(await cliInProcess("render.ts", ["--stack", "broken", "--config-file", stackFile, "--out", path.join(dir, "broken-out")]), /^error: .*Pulumi\.broken\.yaml:3:\d+: \S.*\n$/, 1);
        });

        it("reports a missing stack or config file", async () => {
            const [missingStack, missingFile] = await sequence([
                // --out in the scratch directory: a failed render removes its own earlier render there, which by
                // default would be the checkout's out/<stack>.
                () => cliInProcess("render.ts", ["--stack", "nope", "--out", path.join(dir, "nope-out")]),
                () => cliInProcess("render.ts", ["--config-file", path.join(dir, "Pulumi.none.yaml"), "--out", path.join(dir, "none-out")]),
            ]);
            assertUserError(missingStack, /no stack "nope": .*Pulumi\.nope\.yaml does not exist/, 1);
            assertUserError(missingFile, /no config file for stack "dev": .*Pulumi\.none\.yaml does not exist/, 1);
        });

        it("prints the usage for an unknown flag, a missing value or a stray argument (exit 2), and on --help", async () => {
            const [unknown, missing, stray, help] = await sequence([
                () => cliInProcess("render.ts", ["--bogus"]),
                () => cliInProcess("render.ts", ["--stack"]),
                () => cliInProcess("render.ts", ["dev"]),
                () => cliInProcess("render.ts", ["--help"]),
            ]);
            assertUserError(unknown, /error: Unknown option '--bogus'[^]*usage: npm run render/, 2);
            assertUserError(missing, /error: Option '--stack <value>' argument missing[^]*usage: npm run render/, 2);
            assertUserError(stray, /error: Unexpected argument 'dev'[^]*usage: npm run render/, 2);
            assert.equal(help.code, 0);
            assert.match(help.stdout, /^usage: npm run render -- [^]*--config-file <file>/);
        });
    });

    describe("policy-check", () => {
        it("reports bad JSON, an unknown flag, a missing file argument and a --pack that is no pack (exit 2), prints --help", async () => {
            const notAPack = fs.mkdtempSync(path.join(dir, "not-a-pack-"));
            const [badJson, unknown, missing, noPack, help] = await sequence([
                () => cliInProcess("policy-check.ts", [write("broken.json", "[{")]),
                () => cliInProcess("policy-check.ts", [write("empty.json", "[]"), "--bogus"]),
                () => cliInProcess("policy-check.ts", []),
                () => cliInProcess("policy-check.ts", [write("empty.json", "[]"), "--pack", notAPack]),
                () => cliInProcess("policy-check.ts", ["--help"]),
            ]);
            assertUserError(badJson, /^policy-check: .*broken\.json is not JSON/, 2);
            assertUserError(noPack, /^policy-check: policy pack .*not-a-pack-\w+: @pulumi\/pulumi is not installed where the pack can load it/, 2);
            assertUserError(unknown, /^policy-check: Unknown option '--bogus'[^]*usage: npm run -s policy:check/, 2);
            assertUserError(missing, /^policy-check: missing the resources file[^]*usage:/, 2);
            assert.equal(help.code, 0);
            assert.match(help.stdout, /^usage: npm run -s policy:check -- /);
        });
    });

    describe("cosign-keygen", function () {
        // Short, and the tool is killed before it: an --out that makes mkdir spin must fail here, not hang the run.
        this.timeout(10_000);

        it("refuses an --out it cannot create (under /proc, or below a file) at once and writes nothing", async () => {
            const file = write("a-file", "");
            const [proc, belowFile] = await sequence([
                () => cliInProcess("cosign-keygen.ts", ["--out", "/proc/1/nope"]),
                () => cliInProcess("cosign-keygen.ts", ["--out", path.join(file, "keys")]),
            ]);
            assertUserError(proc, /^cosign-keygen: error: cannot create \/proc\/1\/nope: .*\nNothing was written\.\n$/, 1);
            assertUserError(belowFile, /^cosign-keygen: error: cannot create \S*a-file\/keys: \S*a-file is not a directory\nNothing was written\.\n$/, 1);
            assert.equal(fs.readFileSync(file, "utf8"), "");
        });
    });

    describe("docs:config and docs:architecture", () => {
        it("print the usage for an unknown flag or any argument (exit 2) and change nothing; print --help", async () => {
            const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
            const runs = await sequence(["docs-config.ts", "docs-architecture.ts"].flatMap((tool) => [
                () => cliInProcess(tool, ["--bogus"]), () => cliInProcess(tool, ["README.md"]), () => cliInProcess(tool, ["--help"]),
            ]));
            for (const [index, usage] of [[0, /usage: npm run -s docs:config/], [3, /usage: npm run -s docs:architecture/]] as const) {
                const [unknown, stray, help] = runs.slice(index, index + 3) as [Run, Run, Run];
                assertUserError(unknown, new RegExp(`^error: Unknown option '--bogus'[^]*${usage.source}`), 2);
                assertUserError(stray, new RegExp(`^error: Unexpected argument 'README.md'[^]*${usage.source}`), 2);
                assert.equal(help.code, 0, help.stderr);
                assert.match(help.stdout, new RegExp(`^${usage.source}`));
            }
            assert.equal(fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8"), readme);
        });
    });

    describe("output into a closed pipe (`| head -1`)", () => {
        it("every command of tools/ runs its main through runCli, which ends output quietly when the reader goes away", () => {
            const manifest = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as { scripts: Record<string, string> };
            const commands = Object.entries(manifest.scripts).flatMap(([script, command]) => {
                const file = /^node -r \.\/tools\/register\.js (tools\/\S+\.ts)$/.exec(command)?.[1];
                return file === undefined ? [] : [[script, file] as const];
            });
            assert.ok(commands.length >= 9, `${commands.length} commands`);
            for (const [script, file] of commands) {
                const text = fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
                assert.ok(text.endsWith(`if (require.main === module) {\n    void runCli("${script}", () => main(process.argv.slice(2)));\n}\n`), `${file} (npm run ${script})`);
            }
        });

        it("ends quietly: no EPIPE crash (the render and a usage), and the render still writes its files (exit 0)", async () => {
            const out = path.join(dir, "piped-out");
            const [render, help] = await Promise.all([
                cli("render.ts", ["--no-graph", "--out", out], { closeStdout: true }),
                cli("policy-check.ts", ["--help"], { closeStdout: true }),
            ]);
            for (const [name, run] of [["render", render], ["policy-check --help", help]] as const) {
                assert.deepEqual({ code: run.code, stderr: run.stderr }, { code: 0, stderr: "" }, name);
            }
            assert.ok(fs.existsSync(path.join(out, "resources.json")));
        });
    });

    describe("bench", () => {
        it("reports a bad --runs and an unknown flag with the usage (exit 2), prints --help", async () => {
            const [badRuns, unknown, help] = await sequence([
                () => cliInProcess("bench.ts", ["--runs", "0"]),
                () => cliInProcess("bench.ts", ["--bogus"]),
                () => cliInProcess("bench.ts", ["--help"]),
            ]);
            assertUserError(badRuns, /^error: --runs must be a positive integer, got 0[^]*usage: npm run bench/, 2);
            assertUserError(unknown, /^error: Unknown option '--bogus'/, 2);
            assert.equal(help.code, 0);
            assert.match(help.stdout, /^usage: npm run bench/);
        });
    });

    describe("fleet and fleet:diff", () => {
        it("fleet refuses two stacks claiming one cluster: exit 1, the table and the refusal on stdout, no trace, and the process ends (its pack closed)", async () => {
            const stacks = path.join(dir, "fleet-stacks");
            fs.mkdirSync(stacks);
            fs.writeFileSync(path.join(stacks, "Pulumi.a.yaml"), devStack());
            fs.writeFileSync(path.join(stacks, "Pulumi.b.yaml"), devStack());
            const run = await cli("fleet.ts", ["--stacks-dir", stacks, "--out", path.join(dir, "fleet-out")], { killAfterMs: 100_000 });
            assert.equal(run.code, 1, run.stderr);
            assert.match(run.stdout, /^STACK +ENV +RING/);
            assert.match(run.stdout, /Pulumi\.a\.yaml and \S*Pulumi\.b\.yaml: both claim pipeline-service:clusterName "stone-stg-rh01"/);
            assert.equal(run.stderr, "");
        });

        it("fleet:diff refuses a ref that names no commit: exit 2, one line, nothing on stdout", async () => {
            const run = await cli("fleet-diff.ts", ["--base", "no-such-ref-anywhere"], { killAfterMs: 60_000 });
            assertUserError(run, /^error: no commit "no-such-ref-anywhere" in the repository at [^\n]*\n$/, 2);
            assert.equal(run.stdout, "");
        });
    });
});
