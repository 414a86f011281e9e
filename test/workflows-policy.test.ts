/**
 * Every workflow that previews or updates a stack runs the policy pack with the stack's environment's policy config,
 * taken from the fleet's plan (`npm run -s fleet -- --json`, its `policyConfig`). Generic over every file in
 * .github/workflows/, so a new or rewritten workflow is held to it too; the mutated workflows below show it fails.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { PROJECT_DIR } from "../render";
import { type Job, type Step } from "./workflow-steps";

interface Workflow {
    readonly jobs: Readonly<Record<string, Job>>;
}

const WORKFLOWS_DIR = path.join(PROJECT_DIR, ".github", "workflows");

/** The commands pulumi/actions runs (its README: `up` with alias `update`, `preview`). */
const PREVIEW_OR_UP = /^(preview|up|update)$/;
/** A `run:` script's `pulumi preview|up|update` command, with its backslash-continued lines. */
const PULUMI_COMMAND = /\bpulumi\s+(preview|up|update)\b(?:[^\n]*\\\n)*[^\n]*/g;

/** Whether an expression or value names the plan's `policyConfig` (e.g. `${{ matrix.policyConfig }}`). */
const NAMES_POLICY_CONFIG = /\$\{\{[^}]*\bpolicyConfig\b[^}]*\}\}/;
/** A step's output (`${{ steps.<id>.outputs.<name> }}`), which is the plan's when that step reads `.policyConfig` from it. */
const STEP_OUTPUT = /^\$\{\{\s*steps\.([A-Za-z0-9_-]+)\.outputs\.[A-Za-z0-9_-]+\s*\}\}$/;

/**
 * Where `${{ matrix.policyConfig }}` comes from: the job's matrix must be `fromJSON(needs.<job>.outputs.<x>)` of a job
 * that runs `npm run -s fleet -- --json`. Returns what is wrong, or undefined.
 */
function matrixFromPlan(workflow: Workflow, job: Job): string | undefined {
    const matrix = job.strategy?.matrix;
    const match = typeof matrix === "string" ? /^\$\{\{\s*fromJSON\(\s*needs\.([A-Za-z0-9_-]+)\.outputs\.[A-Za-z0-9_-]+\s*\)\s*\}\}$/.exec(matrix) : null;
    if (match === null) {
        return `its matrix is not fromJSON(needs.<plan job>.outputs.<output>) (got ${JSON.stringify(matrix)})`;
    }
    const plan = workflow.jobs[match[1] ?? ""];
    if (!(plan?.steps ?? []).some((step) => /\bnpm run -s fleet -- (?:[^\n]* )?--json\b/.test(step.run ?? ""))) {
        return `its matrix comes from job ${match[1] ?? "?"}, which does not run \`npm run -s fleet -- --json\``;
    }
    return undefined;
}

/** The value of `--policy-pack-config` in a command line: inline, or a `$VAR` set from the plan in env. */
function policyConfigOfCommand(command: string, env: Readonly<Record<string, string>>): string | undefined {
    const value = /--policy-pack-config(?:=|\s+)(\$\{\{[^}]*\}\}|"[^"]*"|'[^']*'|\S+)/.exec(command)?.[1]?.replace(/^["']|["']$/g, "");
    const variable = value === undefined ? undefined : /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(value)?.[1];
    return variable === undefined ? value : env[variable];
}

/** A job's steps: none for a job that calls a reusable workflow (YAML has no `steps` there, whatever Job says). */
const stepsOf = (job: Job): readonly Step[] => (job.steps as readonly Step[] | undefined) ?? [];

/** Every problem with how `workflow`'s steps that preview or update a stack run the policy pack. */
export function policyProblems(workflow: Workflow): string[] {
    const problems: string[] = [];
    for (const [jobId, job] of Object.entries(workflow.jobs)) {
        // A job that calls a reusable workflow has no steps of its own: the called file is checked as a workflow too.
        stepsOf(job).forEach((step: Step, index) => {
            const where = `job ${jobId}, step ${step.name ?? step.id ?? String(index + 1)}`;
            const configs: (string | undefined)[] = [];
            if (step.uses?.startsWith("pulumi/actions@") && PREVIEW_OR_UP.test(String(step.with?.["command"] ?? ""))) {
                const packs = String(step.with?.["policyPacks"] ?? "").split(/[\n;]/).map((pack) => pack.trim());
                if (!packs.includes("policy")) {
                    problems.push(`${where}: pulumi/actions ${String(step.with?.["command"])} without policyPacks: policy`);
                }
                configs.push(step.with?.["policyPackConfigs"] === undefined ? undefined : String(step.with["policyPackConfigs"]));
            }
            for (const command of step.run?.match(PULUMI_COMMAND) ?? []) {
                if (!/--policy-pack(?:=|\s+)["']?policy["']?(?:\s|$)/.test(command)) {
                    problems.push(`${where}: \`${command.split("\n")[0] ?? ""}\` without --policy-pack policy`);
                }
                configs.push(policyConfigOfCommand(command, { ...job.env, ...step.env }));
            }
            for (const config of configs) {
                const fromStep = config === undefined ? undefined : STEP_OUTPUT.exec(config)?.[1];
                if (fromStep !== undefined) {
                    const source = stepsOf(job).find((candidate) => candidate.id === fromStep);
                    if (!/\.policyConfig\b/.test(source?.run ?? "")) {
                        problems.push(`${where}: the policy config comes from step ${fromStep}, which does not read the plan's .policyConfig`);
                    }
                } else if (config === undefined || !NAMES_POLICY_CONFIG.test(config)) {
                    problems.push(`${where}: the policy config is not the plan's policyConfig (got ${JSON.stringify(config)})`);
                } else if (/\bmatrix\.policyConfig\b/.test(config)) {
                    const wrong = matrixFromPlan(workflow, job);
                    if (wrong !== undefined) {
                        problems.push(`${where}: ${wrong}`);
                    }
                }
            }
        });
    }
    return problems;
}

const workflowFiles = fs.readdirSync(WORKFLOWS_DIR).filter((file) => /\.ya?ml$/.test(file)).sort();
const read = (file: string): Workflow => YAML.parse(fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8")) as Workflow;

describe("workflows: every preview and update runs the policy pack with the stack's policy config", () => {
    it("finds the workflows", () => {
        assert.ok(workflowFiles.includes("pr.yml") && workflowFiles.includes("drift.yml"), workflowFiles.join(", "));
    });

    for (const file of workflowFiles) {
        it(file, () => {
            assert.deepEqual(policyProblems(read(file)), []);
        });
    }

    it("finds a preview in pr.yml and drift.yml (the check is not vacuous)", () => {
        for (const file of ["pr.yml", "drift.yml"]) {
            const steps = Object.values(read(file).jobs).flatMap(stepsOf);
            assert.ok(steps.some((step) => step.uses?.startsWith("pulumi/actions@") && step.with?.["command"] === "preview"), file);
        }
    });

    describe("fails on a step that lacks them", () => {
        const plan = `
  plan:
    runs-on: ubuntu-latest
    outputs:
      matrix: \${{ steps.plan.outputs.matrix }}
    steps:
      - id: plan
        run: |
          echo "matrix=$(npm run -s fleet -- --json | jq -c '{include: [.stacks[] | {stack, policyConfig}]}')" >> "$GITHUB_OUTPUT"`;
        const job = (steps: string): Workflow =>
            YAML.parse(`
jobs:${plan}
  apply:
    needs: plan
    runs-on: ubuntu-latest
    strategy:
      matrix: \${{ fromJSON(needs.plan.outputs.matrix) }}
    steps:${steps}
`) as Workflow;

        const good: readonly [string, string][] = [
            ["pulumi/actions with policyPacks and the plan's policyConfig", `
      - uses: pulumi/actions@v7
        with:
          command: up
          stack-name: \${{ matrix.stack }}
          policyPacks: policy
          policyPackConfigs: \${{ matrix.policyConfig }}`],
            ["a run: step with both flags, the config through env", `
      - env:
          POLICY_CONFIG: \${{ matrix.policyConfig }}
        run: |
          pulumi preview --stack "$STACK" \\
            --policy-pack policy --policy-pack-config "$POLICY_CONFIG"`],
            ["pulumi/actions with the config a step read from the plan", `
      - id: stack
        run: echo "policy-config=$(jq -r --arg s "$STACK" '.stacks[] | select(.stack == $s) | .policyConfig' <<<"$PLAN")" >> "$GITHUB_OUTPUT"
      - uses: pulumi/actions@v7
        with:
          command: up
          policyPacks: policy
          policyPackConfigs: \${{ steps.stack.outputs.policy-config }}`],
        ];
        for (const [what, steps] of good) {
            it(`(passes: ${what})`, () => {
                assert.deepEqual(policyProblems(job(steps)), []);
            });
        }

        const bad: readonly [string, string, RegExp][] = [
            ["pulumi/actions up without policyPacks", `
      - uses: pulumi/actions@v7
        with:
          command: up
          stack-name: \${{ matrix.stack }}
          policyPackConfigs: \${{ matrix.policyConfig }}`, /without policyPacks: policy/],
            ["pulumi/actions preview without policyPackConfigs", `
      - uses: pulumi/actions@v7
        with:
          command: preview
          stack-name: \${{ matrix.stack }}
          policyPacks: policy`, /not the plan's policyConfig \(got undefined\)/],
            ["pulumi/actions with the per-stack file of before", `
      - uses: pulumi/actions@v7
        with:
          command: update
          stack-name: \${{ matrix.stack }}
          policyPacks: policy
          policyPackConfigs: \${{ hashFiles(format('policy/config/{0}.json', matrix.stack)) != '' && format('policy/config/{0}.json', matrix.stack) || '' }}`, /not the plan's policyConfig/],
            ["a run: pulumi up without --policy-pack", `
      - run: pulumi up --yes --stack "$STACK" --policy-pack-config \${{ matrix.policyConfig }}`, /without --policy-pack policy/],
            ["a run: pulumi preview without --policy-pack-config", `
      - run: pulumi preview --stack "$STACK" --policy-pack policy`, /not the plan's policyConfig/],
            ["a run: pulumi preview whose config variable is not the plan's", `
      - env:
          POLICY_CONFIG: policy/config/prod.json
        run: pulumi preview --policy-pack policy --policy-pack-config "$POLICY_CONFIG"`, /not the plan's policyConfig/],
            ["pulumi/actions with a step output that is not the plan's", `
      - id: stack
        run: echo "policy-config=policy/config/\${STACK}.json" >> "$GITHUB_OUTPUT"
      - uses: pulumi/actions@v7
        with:
          command: up
          policyPacks: policy
          policyPackConfigs: \${{ steps.stack.outputs.policy-config }}`, /comes from step stack, which does not read the plan's \.policyConfig/],
        ];
        for (const [what, steps, message] of bad) {
            it(what, () => {
                const problems = policyProblems(job(steps));
                assert.equal(problems.length, 1, problems.join("\n"));
                assert.match(problems[0] ?? "", message);
            });
        }

        it("a matrix.policyConfig whose matrix does not come from the fleet's plan", () => {
            const workflow = job(`
      - uses: pulumi/actions@v7
        with:
          command: preview
          stack-name: \${{ matrix.stack }}
          policyPacks: policy
          policyPackConfigs: \${{ matrix.policyConfig }}`);
            const apply = workflow.jobs["apply"];
            assert.ok(apply);
            const mutated: Workflow = { jobs: { ...workflow.jobs, apply: { ...apply, strategy: { matrix: { include: [{ stack: "dev", policyConfig: "x.json" }] } } } } };
            assert.match(policyProblems(mutated).join("\n"), /its matrix is not fromJSON/);
            const noFleet: Workflow = { jobs: { ...workflow.jobs, plan: { steps: [{ run: "echo matrix=[] >> $GITHUB_OUTPUT" }] } } };
            assert.match(policyProblems(noFleet).join("\n"), /does not run `npm run -s fleet -- --json`/);
        });
    });
});
