/**
 * Supply-chain and injection hardening of every workflow in .github/workflows/ (issue 27): actions pinned to a
 * release's commit, least permissions per job, no persisted checkout token, no untrusted expression inside a shell
 * script, no `pull_request_target`, and no shared cache restored into a job that holds credentials. Generic over
 * every file, so a new workflow is held to it too; each rule is also shown failing on a bad example.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { PROJECT_DIR } from "../render";
import { PINNED_USES, usesLines } from "./workflow-steps";

const WORKFLOWS_DIR = path.join(PROJECT_DIR, ".github", "workflows");
const FILES = fs.readdirSync(WORKFLOWS_DIR).filter((file) => /\.ya?ml$/.test(file)).sort();

interface Step {
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Readonly<Record<string, unknown>>;
}
interface Job {
    readonly uses?: string;
    readonly environment?: unknown;
    readonly permissions?: unknown;
    readonly steps?: readonly Step[];
}
interface Workflow {
    readonly on?: unknown;
    readonly permissions?: unknown;
    readonly jobs: Readonly<Record<string, Job>>;
}

const parse = (text: string): Workflow => YAML.parse(text) as Workflow;
const stepsOf = (job: Job): readonly Step[] => job.steps ?? [];
const isLocal = (uses: string): boolean => uses.startsWith("./");

/** Every `uses:` that is not a local reusable workflow or action, as `owner/repo[/path]@<40 hex> # v<semver>`. */
export function usesProblems(text: string): string[] {
    const problems: string[] = [];
    for (const line of usesLines(text)) {
        const value = line.replace(/^uses:\s*/, "").replace(/\s+#.*$/, "");
        if (isLocal(value)) continue;
        if (!PINNED_USES.test(line)) problems.push(`not pinned to a commit with its release tag as a comment: ${line}`);
    }
    // The parsed values too, so a `uses:` written in another YAML style (flow map, quoted) cannot slip past the lines.
    const workflow = parse(text);
    const pinned = new Set(usesLines(text).flatMap((line) => {
        const match = PINNED_USES.exec(line);
        return match === null ? [] : [`${match[1] ?? ""}@${match[2] ?? ""}`];
    }));
    for (const [id, job] of Object.entries(workflow.jobs)) {
        for (const uses of [job.uses, ...stepsOf(job).map((step) => step.uses)]) {
            if (uses !== undefined && !isLocal(uses) && !pinned.has(uses)) problems.push(`job ${id}: ${uses} is not a pinned \`uses:\` line`);
        }
    }
    return problems;
}

const READ_ONLY = new Set(["read", "none"]);

/** Whether a `permissions:` value grants nothing beyond read (an empty map grants nothing). */
const readOnly = (permissions: unknown): boolean =>
    typeof permissions === "object" && permissions !== null && Object.values(permissions).every((level) => READ_ONLY.has(String(level)));

/**
 * Every job has permissions: its own block, or the workflow's top-level read-only one. A `write` says why in a
 * comment on its line (or the line above it).
 */
export function permissionProblems(text: string): string[] {
    const problems: string[] = [];
    const workflow = parse(text);
    const topLevelReadOnly = workflow.permissions !== undefined && readOnly(workflow.permissions);
    if (workflow.permissions !== undefined && !topLevelReadOnly) problems.push("the workflow's top-level permissions are not read-only");
    for (const [id, job] of Object.entries(workflow.jobs)) {
        if (job.permissions === undefined && !topLevelReadOnly) problems.push(`job ${id} has no permissions and no read-only top-level ones`);
        if (typeof job.permissions === "string") problems.push(`job ${id}: permissions ${job.permissions}, not a map of scopes`);
    }
    const document = YAML.parseDocument(text);
    const blocks: [string, unknown][] = [["the workflow", document.get("permissions")]];
    const jobs = document.get("jobs");
    if (YAML.isMap(jobs)) {
        for (const pair of jobs.items) {
            if (YAML.isMap(pair.value)) blocks.push([`job ${String(YAML.isScalar(pair.key) ? pair.key.value : pair.key)}`, pair.value.get("permissions")]);
        }
    }
    for (const [where, block] of blocks) {
        if (!YAML.isMap(block)) continue;
        for (const pair of block.items) {
            const value = YAML.isScalar(pair.value) ? pair.value : undefined;
            if (String(value?.value) !== "write") continue;
            const key = YAML.isScalar(pair.key) ? pair.key : undefined;
            // The comment on the scope's own line, or a comment line right above it (the parser attaches the latter
            // to the map when the scope comes first, so this reads the text).
            const line = text.slice(0, key?.range?.[0] ?? 0).split("\n").length - 1;
            const lines = text.split("\n");
            const why = /#\s*\S/.test(lines[line]?.slice(lines[line]?.indexOf("write") ?? 0) ?? "") || /^\s*#\s*\S/.test(lines[line - 1] ?? "");
            if (!why) problems.push(`${where}: ${String(key?.value)}: write has no comment saying why`);
        }
    }
    return problems;
}

/** Every actions/checkout step keeps no token in .git/config. */
export function checkoutProblems(text: string): string[] {
    return Object.entries(parse(text).jobs).flatMap(([id, job]) =>
        stepsOf(job)
            .filter((step) => step.uses?.startsWith("actions/checkout@") === true && step.with?.["persist-credentials"] !== false)
            .map(() => `job ${id}: actions/checkout without \`persist-credentials: false\``),
    );
}

/**
 * No `${{ }}` expression inside a `run:` script: the runner pastes its value into the script before bash reads it,
 * so a PR title, branch name or dispatch input would run as code. Values go through `env:` and `"$VAR"`. (Stricter
 * than only the user-controlled contexts — inputs.*, github.event.*, github.head_ref, outputs built from them — since
 * which context a value really comes from is easy to get wrong.)
 */
export function runExpressionProblems(text: string): string[] {
    return Object.entries(parse(text).jobs).flatMap(([id, job]) =>
        stepsOf(job).flatMap((step) => (step.run?.match(/\$\{\{[^}]*\}\}/g) ?? []).map((expression) => `job ${id}: ${expression} inside a run: script`)),
    );
}

/** The events a workflow runs on, whatever form `on:` takes. */
const eventsOf = (on: unknown): string[] =>
    typeof on === "string" ? [on] : Array.isArray(on) ? on.map(String) : typeof on === "object" && on !== null ? Object.keys(on) : [];

export function triggerProblems(text: string): string[] {
    return eventsOf(parse(text).on).includes("pull_request_target") ? ["runs on pull_request_target (a PR's code with the base's secrets)"] : [];
}

/** Whether a job holds credentials: an environment's secrets, an OIDC token, any secret, or AWS credentials. */
function holdsCredentials(job: Job): boolean {
    const permissions = job.permissions as Readonly<Record<string, string>> | undefined;
    return (
        job.environment !== undefined ||
        (typeof permissions === "object" && Object.values(permissions).some((level) => level === "write")) ||
        /\bsecrets\./.test(YAML.stringify(job)) ||
        stepsOf(job).some((step) => step.uses?.startsWith("aws-actions/configure-aws-credentials@") === true)
    );
}

/** The steps of a job that restore a cache: setup-node's `cache:`, or actions/cache itself. */
const cacheSteps = (job: Job): readonly Step[] =>
    stepsOf(job).filter((step) => (step.uses?.startsWith("actions/setup-node@") === true && step.with?.["cache"] !== undefined) || /^actions\/cache(\/restore)?@/.test(step.uses ?? ""));

/**
 * No job that holds credentials restores a cache another workflow's run could have written; in the deploy and drift
 * workflows no job restores one at all (their plan jobs decide what the credentialed jobs run).
 */
export function cacheProblems(text: string, file: string): string[] {
    const noCacheAtAll = /^(deploy|deploy-ring|drift)\.ya?ml$/.test(file);
    return Object.entries(parse(text).jobs).flatMap(([id, job]) =>
        (noCacheAtAll || holdsCredentials(job)) && cacheSteps(job).length > 0 ? [`job ${id} restores a cache (${file})`] : [],
    );
}

const rules: readonly [string, (text: string, file: string) => string[]][] = [
    ["pins every action to a release's commit, the tag as a comment", usesProblems],
    ["gives every job permissions, saying why for each write", permissionProblems],
    ["checks out without persisting the token", checkoutProblems],
    ["puts no expression inside a run: script", runExpressionProblems],
    ["never runs on pull_request_target", triggerProblems],
    ["restores no cache into a job that holds credentials, nor anywhere in deploy and drift", cacheProblems],
];

describe("workflow hardening", () => {
    it("reads every workflow, the four known ones among them", () => {
        for (const file of ["deploy-ring.yml", "deploy.yml", "drift.yml", "pr.yml"]) assert.ok(FILES.includes(file), file);
    });

    for (const file of FILES) {
        const text = fs.readFileSync(path.join(WORKFLOWS_DIR, file), "utf8");
        describe(file, () => {
            for (const [what, check] of rules) {
                it(what, () => assert.deepEqual(check(text, file), []));
            }
        });
    }

    describe("fails on bad examples", () => {
        const sha = "3d3c42e5aac5ba805825da76410c181273ba90b1";
        const steps = (...lines: string[]): string => `on: push\npermissions:\n  contents: read\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n${lines.map((line) => `      ${line}`).join("\n")}\n`;

        it("accepts a pinned action with its tag, a sub-path action and a local workflow", () => {
            assert.deepEqual(usesProblems(steps(`- uses: actions/checkout@${sha} # v7.0.1`, `- uses: github/codeql-action/init@${sha} # v4.1.0`)), []);
            assert.deepEqual(usesProblems("on: push\njobs:\n  a:\n    uses: ./.github/workflows/deploy-ring.yml\n"), []);
        });

        const badUses = [
            "actions/checkout@v7",
            "actions/checkout@v7 # v7.0.1",
            "actions/checkout@main",
            `actions/checkout@${sha.slice(0, 7)} # v7.0.1`,
            `actions/checkout@${sha}`,
            `actions/checkout@${sha} # v7`,
            `actions/checkout@${sha} # 7.0.1`,
            `actions/checkout@${sha.toUpperCase()} # v7.0.1`,
            "docker://alpine:3.20",
        ];
        for (const uses of badUses) {
            it(`refuses uses: ${uses}`, () => {
                assert.notDeepEqual(usesProblems(steps(`- uses: ${uses}`)), []);
            });
        }
        it("refuses an unpinned action written as a flow map", () => {
            assert.notDeepEqual(usesProblems(steps("- { uses: actions/checkout@v7 }")), []);
        });

        it("refuses a job without permissions when the top level has none or grants write, and a write without a reason", () => {
            assert.notDeepEqual(permissionProblems("on: push\njobs:\n  a:\n    runs-on: x\n    steps: []\n"), []);
            assert.notDeepEqual(permissionProblems("on: push\npermissions: write-all\njobs:\n  a:\n    runs-on: x\n    steps: []\n"), []);
            assert.notDeepEqual(permissionProblems("on: push\npermissions:\n  contents: write\njobs:\n  a:\n    runs-on: x\n    steps: []\n"), []);
            const job = (permissions: string): string => `on: push\njobs:\n  a:\n    runs-on: x\n    permissions:\n${permissions}    steps: []\n`;
            assert.notDeepEqual(permissionProblems(job("      id-token: write\n")), []);
            assert.deepEqual(permissionProblems(job("      id-token: write # OIDC token for the AWS role\n")), []);
            assert.deepEqual(permissionProblems(job("      # OIDC token for the AWS role\n      id-token: write\n")), []);
            assert.deepEqual(permissionProblems("on: push\njobs:\n  a:\n    runs-on: x\n    permissions: {}\n    steps: []\n"), []);
        });

        it("refuses a checkout that persists its token", () => {
            assert.notDeepEqual(checkoutProblems(steps(`- uses: actions/checkout@${sha} # v7.0.1`)), []);
            assert.notDeepEqual(checkoutProblems(steps(`- uses: actions/checkout@${sha} # v7.0.1`, "  with:", "    persist-credentials: true")), []);
        });

        for (const expression of ["${{ github.event.pull_request.title }}", "${{ inputs.reason }}", "${{ github.head_ref }}", "${{ steps.plan.outputs.matrix }}"]) {
            it(`refuses ${expression} inside a run: script`, () => {
                assert.notDeepEqual(runExpressionProblems(steps("- run: |", `    echo "${expression}"`)), []);
            });
        }

        for (const on of ["pull_request_target", "[push, pull_request_target]", "\n  pull_request_target:\n    types: [opened]"]) {
            it(`refuses on: ${on.trim().split("\n")[0] ?? ""}`, () => {
                assert.notDeepEqual(triggerProblems(`on: ${on}\njobs: {}\n`), []);
            });
        }

        it("refuses cache: npm in a job that holds credentials, and anywhere in the deploy workflows", () => {
            const setupNode = ["- uses: actions/setup-node@820762786026740c76f36085b0efc47a31fe5020 # v7.0.0", "  with:", "    cache: npm"];
            const withOidc = steps(...setupNode).replace("    runs-on:", "    permissions:\n      id-token: write # AWS\n    runs-on:");
            assert.notDeepEqual(cacheProblems(withOidc, "pr.yml"), []);
            assert.notDeepEqual(cacheProblems(steps(...setupNode).replace("    runs-on:", "    environment: prod\n    runs-on:"), "pr.yml"), []);
            assert.deepEqual(cacheProblems(steps(...setupNode), "pr.yml"), []);
            assert.notDeepEqual(cacheProblems(steps(...setupNode), "deploy.yml"), []);
        });
    });
});
