/**
 * The runner machine of the deploy rollout simulation (test/deploy-simulation.ts): a checkout and a RUNNER_TEMP
 * in a temporary directory, fakes of `npm run fleet` (the plan), `gh api` (this run's jobs) and `date` (the
 * simulated clock) first on PATH, and bash running a `run:` script exactly as written, as the runner does.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { Contexts, Json } from "./actions-expressions";

export type Result = "success" | "failure" | "skipped" | "cancelled";

/** A job of this run as `gh api …/jobs` lists it (at a time between its start and its end it is in progress). */
export interface JobRecord { readonly name: string; readonly startedAt: number; readonly finishedAt: number; conclusion: Result }

/** What a `run:` script did: its exit status, its GITHUB_OUTPUT, what it printed and the step summary so far. */
export interface ScriptRun { readonly status: number; readonly outputs: Record<string, Json>; readonly output: string; readonly summary: string }

const FAKES: Readonly<Record<string, string>> = {
    // `npm ci` (nothing to install here) and `npm run -s fleet -- --json` (the scenario's plan)
    npm: `case "$*" in
  "ci --no-audit --no-fund") ;;
  "run -s fleet -- --json") cat "$SIM_FLEET_FILE"; exit "$SIM_FLEET_STATUS" ;;
  "run -s preview:gate -- --stack "*" --preview "*) [ -s "$RUNNER_TEMP/preview.json" ] || exit 96 ;;
  *) echo "fake npm: unexpected: $*" >&2; exit 97 ;;
esac`,
    // \`gh api [--paginate] PATH --jq FILTER\`, answered from this run's jobs so far
    gh: `[ "$1" = api ] || exit 99; shift; filter=.; url=
while [ $# -gt 0 ]; do case "$1" in --paginate) ;; --jq) filter=$2; shift ;; *) url=$1 ;; esac; shift; done
[ "$url" = "repos/$GITHUB_REPOSITORY/actions/runs/$GITHUB_RUN_ID/attempts/$GITHUB_RUN_ATTEMPT/jobs" ] || { echo "fake gh: unexpected $url" >&2; exit 98; }
# gh prints strings raw, as jq -r does
jq -r "$filter" "$SIM_JOBS_FILE"`,
    // \`pulumi preview --json …\`: a plan with nothing to refuse (the gate's own tests read real shapes)
    pulumi: `[ "$1 $2" = "preview --json" ] || { echo "fake pulumi: unexpected: $*" >&2; exit 95; }; echo '{"steps": []}'`,
    // the simulated clock; anything else goes to the real date (not this fake, which is first on PATH)
    date: `if [ "$*" = "-u +%s" ]; then echo "$SIM_NOW"; else PATH=/usr/bin:/bin exec date "$@"; fi`,
};

export class Runner {
    private readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), "deploy-rollout-"));
    private readonly bin = path.join(this.dir, "bin");
    private readonly checkout = path.join(this.dir, "checkout");
    private readonly runnerTemp = path.join(this.dir, "runner-temp");

    /** A runner for a run of `plan` (`npm run fleet` exits `fleetExitCode`) in the `github` context's repository. */
    constructor(plan: Json, private readonly fleetExitCode: number, private readonly github: Contexts) {
        fs.mkdirSync(this.bin);
        fs.mkdirSync(this.runnerTemp);
        for (const [name, script] of Object.entries(FAKES)) {
            const file = path.join(this.bin, name);
            fs.writeFileSync(file, `#!/bin/bash\n${script}\n`, { mode: 0o755 });
        }
        fs.writeFileSync(path.join(this.dir, "fleet.json"), JSON.stringify(plan, null, 2));
        // The checkout holds the policy config files the plan names (the lead adds policy/config/prod.json).
        for (const stack of (plan as { stacks: { policyConfig: string }[] }).stacks) {
            fs.mkdirSync(path.dirname(path.join(this.checkout, stack.policyConfig)), { recursive: true });
            fs.writeFileSync(path.join(this.checkout, stack.policyConfig), "{}\n");
        }
    }

    /** Runs `script` with `env` at time `now`, while `jobs` are this run's jobs so far. */
    bash(script: string, env: Record<string, Json>, now: number, jobs: readonly JobRecord[]): ScriptRun {
        const outputFile = path.join(this.dir, "output");
        const summaryFile = path.join(this.dir, "summary");
        const jobsFile = path.join(this.dir, "jobs.json");
        fs.writeFileSync(outputFile, "");
        if (!fs.existsSync(summaryFile)) fs.writeFileSync(summaryFile, "");
        const visible = jobs.filter((job) => job.startedAt <= now).map((job) => ({
            name: job.name,
            status: job.finishedAt <= now ? "completed" : "in_progress",
            conclusion: job.finishedAt <= now ? job.conclusion : null,
        }));
        fs.writeFileSync(jobsFile, JSON.stringify({ total_count: visible.length, jobs: visible }));
        const stringEnv = Object.fromEntries(Object.entries(env).map(([key, value]) => [key, value === null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value)]));
        // The runner's shell for `run:` steps: bash --noprofile --norc -eo pipefail {0}
        const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", script], {
            cwd: this.checkout,
            encoding: "utf8",
            env: {
                PATH: `${this.bin}:${process.env["PATH"] ?? ""}`,
                GITHUB_OUTPUT: outputFile,
                GITHUB_STEP_SUMMARY: summaryFile,
                GITHUB_ENV: path.join(this.dir, "env"),
                RUNNER_TEMP: this.runnerTemp,
                GITHUB_REPOSITORY: String(this.github["repository"]),
                GITHUB_RUN_ID: String(this.github["run_id"]),
                GITHUB_RUN_ATTEMPT: "1",
                SIM_FLEET_FILE: path.join(this.dir, "fleet.json"),
                SIM_FLEET_STATUS: String(this.fleetExitCode),
                SIM_JOBS_FILE: jobsFile,
                SIM_NOW: String(now),
                ...stringEnv,
            },
        });
        const outputs: Record<string, Json> = {};
        for (const line of fs.readFileSync(outputFile, "utf8").split("\n")) {
            const match = /^([^=]+)=(.*)$/.exec(line);
            if (match?.[1] !== undefined) outputs[match[1]] = match[2] ?? "";
        }
        return { status: result.status ?? -1, outputs, output: `${result.stdout}${result.stderr}`, summary: fs.readFileSync(summaryFile, "utf8") };
    }

    remove(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}
