/**
 * `npm run fleet` (tools/fleet.ts) over the fixture fleet and over small fleets made from it: the table, the JSON
 * contract the deploy workflow reads, what it writes, and each refusal naming both stack files.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { PROJECT_DIR } from "../render";
import { type FleetReport } from "../fleet";
import { main, USAGE } from "../tools/fleet";
import { FIXTURE_FLEET, fleetPlan } from "./fleet-plans";
import { readTree } from "./harness";
import { packSession } from "./policy-runtime";

const FIXTURE_FLEET_DIR = path.join(PROJECT_DIR, "test", "fixtures", "fleet");

interface Run {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

async function fleet(args: readonly string[]): Promise<Run> {
    let stdout = "";
    let stderr = "";
    const code = await main(args, (text) => {
        stdout += text;
    }, (text) => {
        stderr += text;
    }, { session: packSession });
    return { code, stdout, stderr };
}

/** A stack file of the fixture fleet with `edit` applied to its config mapping. */
function fixtureStack(stack: string, edit: (config: Record<string, unknown>) => void = () => undefined): string {
    const document = YAML.parse(fs.readFileSync(path.join(FIXTURE_FLEET_DIR, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
    edit(document.config);
    return YAML.stringify(document);
}

describe("npm run fleet", function () {
    this.timeout(120_000);
    let scratch: string;
    let fixture: Run;
    let fixtureOut: string;

    before(async () => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-"));
        fixtureOut = path.join(scratch, "fixture-out");
        fixture = await fleet(["--stacks-dir", FIXTURE_FLEET_DIR, "--json", "--out", fixtureOut]);
    });
    after(() => fs.rmSync(scratch, { recursive: true, force: true }));

    /** A fleet directory of fixture stacks (some edited); returns its path. */
    function fleetDir(name: string, stacks: Readonly<Record<string, string>>): string {
        const dir = path.join(scratch, name);
        fs.mkdirSync(dir);
        for (const [stack, text] of Object.entries(stacks)) {
            fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
        }
        return dir;
    }

    it("passes the fixture fleet and prints the ring plan as JSON", () => {
        assert.equal(fixture.code, 0, fixture.stderr);
        const report = JSON.parse(fixture.stdout) as FleetReport;
        assert.deepEqual(report.problems, []);
        assert.equal(report.maxParallelPerRing, 3);
        assert.deepEqual(report.rings, [
            { ring: 0, soakHours: 24, stacks: ["dev-rh01", "stone-stg-rh01", "stone-stg-rh02", "stone-stg-rh03"] },
            { ring: 1, soakHours: 24, stacks: ["stone-prd-rh01", "stone-prd-rh02", "stone-prd-rh03"] },
            { ring: 2, soakHours: 24, stacks: ["stone-prd-rh04", "stone-prd-rh05", "stone-prd-rh06"] },
            { ring: 3, soakHours: 72, stacks: ["stone-prd-critical01", "stone-prd-rh07"] },
        ]);
        assert.deepEqual(report.stacks.map((stack) => stack.stack), report.rings.flatMap((ring) => ring.stacks));
    });

    it("plans the fixture fleet as the workflow tests' fixture plan does", () => {
        // What deploy.yml reads of a plan; test/deploy-rollout-*.test.ts simulate the rollout (test/deploy-simulation.ts) over fleetPlan(FIXTURE_FLEET).
        const planned = (report: FleetReport) => ({
            maxParallelPerRing: report.maxParallelPerRing,
            rings: report.rings,
            stacks: report.stacks.map(({ stack, environment, ring, soakHours, policyConfig }) => ({ stack, environment, ring, soakHours, policyConfig })),
        });
        assert.deepEqual(planned(JSON.parse(fixture.stdout) as FleetReport), planned(fleetPlan(FIXTURE_FLEET)));
    });

    it("describes each stack with the fields the workflows read", () => {
        const report = JSON.parse(fixture.stdout) as FleetReport;
        const critical = report.stacks.find((stack) => stack.stack === "stone-prd-critical01");
        assert.deepEqual(Object.keys(critical ?? {}), ["stack", "file", "environment", "ring", "soakHours", "awsRegion", "clusterName", "operator", "policyConfig", "resources", "violations", "error"]);
        assert.equal(critical?.policyConfig, "policy/config/prod.json");
        assert.equal(critical?.awsRegion, "us-west-2");
        assert.equal(critical?.operator, "1.20 (openshift-pipelines-operator-rh.v1.20.1)");
        for (const stack of report.stacks) {
            assert.equal(stack.error, null);
            assert.ok((stack.resources ?? 0) > 40, `${stack.stack} rendered ${String(stack.resources)} resources`);
            assert.equal(stack.violations?.mandatory, 0);
            assert.equal(stack.policyConfig, `policy/config/${stack.environment ?? "?"}.json`);
        }
        assert.equal(report.stacks.find((stack) => stack.stack === "dev-rh01")?.policyConfig, "policy/config/dev.json");
    });

    it("writes a render per stack and the report", () => {
        const written = readTree(fixtureOut);
        assert.deepEqual(JSON.parse(written.get("fleet.json") ?? "{}"), JSON.parse(fixture.stdout));
        for (const stack of ["dev-rh01", "stone-prd-critical01"]) {
            assert.ok(written.has(path.join(stack, "resources.json")), stack);
        }
    });

    it("prints a table by ring with the operator, resources and violations", async () => {
        const out = path.join(scratch, "table-out");
        const dir = fleetDir("table", { "stone-stg-rh01": fixtureStack("stone-stg-rh01"), "stone-prd-rh01": fixtureStack("stone-prd-rh01") });
        const run = await fleet(["--stacks-dir", dir, "--out", out]);
        assert.equal(run.code, 0, run.stderr);
        const lines = run.stdout.split("\n");
        assert.match(lines[0] ?? "", /^STACK +ENV +RING +SOAK +OPERATOR +RESOURCES +VIOLATIONS$/);
        assert.match(lines[1] ?? "", /^stone-stg-rh01 +dev +0 +24h +channel latest +\d+ +0 mandatory, \d+ advisory$/);
        assert.match(lines[2] ?? "", /^stone-prd-rh01 +prod +1 +24h +1\.21 \(openshift-pipelines-operator-rh\.v1\.21\.3\) +\d+ +0 mandatory, 0 advisory$/);
        assert.match(run.stdout, /rollout: ring 0 \(1, soak 24h\) → ring 1 \(1, soak 24h\)/);
    });

    const refusals: ReadonlyArray<{ what: string; stacks: () => Record<string, string>; says: RegExp }> = [
        {
            what: "two stacks with one clusterName (and so one bucket, database and IAM names)",
            stacks: () => ({ "stone-stg-rh01": fixtureStack("stone-stg-rh01"), "stone-prd-rh01": fixtureStack("stone-prd-rh01", (config) => {
                config["pipeline-service:clusterName"] = "stone-stg-rh01";
            }) }),
            says: /Pulumi\.stone-prd-rh01\.yaml and \S*Pulumi\.stone-stg-rh01\.yaml: both claim pipeline-service:clusterName "stone-stg-rh01"/,
        },
        {
            what: "two stacks with one kubernetes context",
            stacks: () => ({ "stone-stg-rh01": fixtureStack("stone-stg-rh01"), "stone-stg-rh02": fixtureStack("stone-stg-rh02", (config) => {
                config["kubernetes:context"] = "stone-stg-rh01";
            }) }),
            says: /Pulumi\.stone-stg-rh01\.yaml and \S*Pulumi\.stone-stg-rh02\.yaml: both claim kubernetes:context "stone-stg-rh01"/,
        },
        {
            what: "two stacks with one Results API host",
            stacks: () => ({ "stone-stg-rh01": fixtureStack("stone-stg-rh01"), "stone-stg-rh02": fixtureStack("stone-stg-rh02", (config) => {
                config["pipeline-service:resultsApi"] = { host: "tekton-results.apps.stone-stg-rh01.l2vh.p1.openshiftapps.com" };
            }) }),
            says: /both claim pipeline-service:resultsApi\.host "tekton-results\.apps\.stone-stg-rh01/,
        },
        {
            what: "two stacks with one apps domain",
            stacks: () => ({ "stone-stg-rh01": fixtureStack("stone-stg-rh01"), "stone-stg-rh02": fixtureStack("stone-stg-rh02", (config) => {
                config["pipeline-service:appsDomain"] = "apps.stone-stg-rh01.l2vh.p1.openshiftapps.com";
            }) }),
            says: /both claim pipeline-service:appsDomain "apps\.stone-stg-rh01/,
        },
        {
            what: "a production ring on a line no earlier ring runs",
            stacks: () => ({ "stone-stg-rh03": fixtureStack("stone-stg-rh03", (config) => {
                config["pipeline-service:operator"] = { ...(config["pipeline-service:operator"] as object), line: "1.20" };
            }), "stone-prd-rh01": fixtureStack("stone-prd-rh01") }),
            says: /\S*Pulumi\.stone-prd-rh01\.yaml \(ring 1\) runs OpenShift Pipelines 1\.21, which no stack of ring 0 runs yet: a line goes through the rings in order/,
        },
        {
            what: "production without a ring 0",
            stacks: () => ({ "stone-prd-rh01": fixtureStack("stone-prd-rh01") }),
            says: /Pulumi\.stone-prd-rh01\.yaml: production ring 1 has no pre-production stack below it/,
        },
        {
            what: "a gap in ring numbers",
            stacks: () => ({ "stone-stg-rh01": fixtureStack("stone-stg-rh01"), "stone-prd-rh04": fixtureStack("stone-prd-rh04") }),
            says: /Pulumi\.stone-stg-rh01\.yaml \(ring 0\) and \S*Pulumi\.stone-prd-rh04\.yaml \(ring 2\): ring 1 is empty/,
        },
        {
            what: "a stack whose config is refused",
            stacks: () => ({ "stone-stg-rh01": fixtureStack("stone-stg-rh01"), "stone-prd-rh01": fixtureStack("stone-prd-rh01", (config) => {
                config["pipeline-service:rollout"] = {};
            }) }),
            says: /Pulumi\.stone-prd-rh01\.yaml: invalid stack configuration \(1 problem\):\n +- pipeline-service:rollout\.ring: is required in prod/,
        },
    ];
    for (const { what, stacks, says } of refusals) {
        it(`refuses ${what}, exit 1`, async () => {
            const dir = fleetDir(what.replace(/\W+/g, "-"), stacks());
            const run = await fleet(["--stacks-dir", dir, "--out", path.join(dir, "out")]);
            assert.equal(run.code, 1, run.stdout);
            assert.match(run.stdout, says);
            const report = JSON.parse(fs.readFileSync(path.join(dir, "out", "fleet.json"), "utf8")) as FleetReport;
            assert.ok(report.problems.length + report.stacks.filter((stack) => stack.error !== null).length > 0);
        });
    }

    it("shows a stack that does not render in the table and leaves it out of the plan", async () => {
        const dir = fleetDir("broken", { "stone-stg-rh01": fixtureStack("stone-stg-rh01"), broken: "config: [" });
        const run = await fleet(["--stacks-dir", dir, "--json", "--out", path.join(dir, "out")]);
        assert.equal(run.code, 1);
        const report = JSON.parse(run.stdout) as FleetReport;
        const broken = report.stacks.find((stack) => stack.stack === "broken");
        assert.match(broken?.error ?? "", /Pulumi\.broken\.yaml:1:\d+: /);
        assert.equal(broken?.resources, null);
        assert.deepEqual(report.rings.flatMap((ring) => ring.stacks), ["stone-stg-rh01"]);
    });

    it("refuses to replace a directory it did not write, deleting nothing", async () => {
        const out = path.join(scratch, "users-files");
        fs.mkdirSync(out);
        fs.writeFileSync(path.join(out, "notes.txt"), "mine");
        const run = await fleet(["--stacks-dir", fleetDir("one", { "stone-stg-rh01": fixtureStack("stone-stg-rh01") }), "--out", out]);
        assert.equal(run.code, 1);
        assert.match(run.stderr, /refusing to replace .*users-files: it is not empty and no fleet render/);
        assert.deepEqual([...readTree(out).keys()], ["notes.txt"]);
    });

    it("says so, exit 1, for a stacks directory with no stack files or none at all", async () => {
        const empty = fleetDir("empty", {});
        for (const [dir, says] of [[empty, /no stack files in .*empty: a stack is a Pulumi\.<stack>\.yaml file there/], [path.join(scratch, "nope"), /no stacks directory .*nope/]] as const) {
            const run = await fleet(["--stacks-dir", dir, "--out", path.join(scratch, "out-none")]);
            assert.equal(run.code, 1);
            assert.match(run.stderr, says);
            assert.equal(run.stdout, "");
        }
    });

    it("prints its usage for --help and with a bad flag (exit 2)", async () => {
        assert.deepEqual(await fleet(["--help"]), { code: 0, stdout: `${USAGE}\n`, stderr: "" });
        const bad = await fleet(["--stack", "x"]);
        assert.equal(bad.code, 2);
        assert.match(bad.stderr, /^error: Unknown option '--stack'/);
    });
});
