/**
 * tools/policy-publish.sh in its dry-run mode: it prints the publish and one enable per environment, each with that
 * environment's policy config, and runs nothing (a `pulumi` on PATH that fails proves it).
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { POLICY_PACK_NAME } from "../policy/policies";
import { PROJECT_DIR } from "../render";

const SCRIPT = path.join(PROJECT_DIR, "tools", "policy-publish.sh");
const environments = fs
    .readdirSync(path.join(PROJECT_DIR, "policy", "config"))
    .filter((file) => file.endsWith(".json"))
    .map((file) => file.replace(/\.json$/, ""))
    .sort();
const version = (JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "policy", "package.json"), "utf8")) as { version: string }).version;

function publish(args: readonly string[], env: Readonly<Record<string, string>> = {}): { code: number; stdout: string; stderr: string } {
    const bin = fs.mkdtempSync(path.join(os.tmpdir(), "policy-publish-"));
    try {
        fs.writeFileSync(path.join(bin, "pulumi"), "#!/usr/bin/env bash\necho \"pulumi ran: $*\" >&2\nexit 99\n", { mode: 0o755 });
        const run = spawnSync("bash", [SCRIPT, ...args], { cwd: os.tmpdir(), env: { PATH: `${bin}:${process.env["PATH"] ?? ""}`, ...env }, encoding: "utf8" });
        return { code: run.status ?? -1, stdout: run.stdout, stderr: run.stderr };
    } finally {
        fs.rmSync(bin, { recursive: true, force: true });
    }
}

describe("tools/policy-publish.sh", () => {
    it("has a policy config for every environment the program knows (dev, prod)", () => {
        assert.deepEqual(environments, ["dev", "prod"]);
    });

    for (const [how, args, env] of [
        ["--dry-run", ["acme", "--dry-run"], {}],
        ["DRY_RUN=1", ["acme"], { DRY_RUN: "1" }],
    ] as const) {
        it(`prints, with ${how}, the publish and an enable per environment with its config file, and runs nothing`, () => {
            const run = publish(args, env);
            assert.equal(run.code, 0, run.stderr);
            assert.doesNotMatch(run.stderr, /pulumi ran/);
            assert.deepEqual(run.stdout.trim().split("\n"), [
                "(cd policy && pulumi policy publish acme)",
                ...environments.map(
                    (environment) => `pulumi policy enable acme/${POLICY_PACK_NAME} ${version} --policy-group ${environment} --config policy/config/${environment}.json`,
                ),
            ]);
            for (const environment of environments) {
                assert.ok(fs.existsSync(path.join(PROJECT_DIR, "policy", "config", `${environment}.json`)));
            }
        });
    }

    it("refuses a missing or odd organization name and unknown options (exit 2)", () => {
        assert.equal(publish(["--dry-run"]).code, 2);
        assert.equal(publish(["acme/x", "--dry-run"]).code, 2);
        assert.equal(publish(["$(id)", "--dry-run"]).code, 2);
        assert.equal(publish(["acme", "--force"]).code, 2);
    });

    it("is shellcheck-clean", function () {
        const check = spawnSync("shellcheck", [SCRIPT], { encoding: "utf8" });
        if (check.error !== undefined) {
            this.skip(); // shellcheck not installed (apt-get install -y shellcheck)
        }
        assert.equal(check.status, 0, check.stdout);
    });
});
