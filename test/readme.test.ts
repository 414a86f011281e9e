/**
 * The README stays a five-minute read: its two commands, its "Using it for real" steps (which set what the stack
 * files rely on and agree with the bootstrap in docs/operations.md), and a map naming every file of docs/. The
 * render contract's determinism claim (docs/render-contract.md) names the one dated input.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { PROJECT_DIR, withConfig } from "../render";
import { parseStackConfig, StackConfigError } from "../stacks/config";
import { prod } from "./config-fixtures";

const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
const operations = fs.readFileSync(path.join(PROJECT_DIR, "docs", "operations.md"), "utf8");
const renderContract = fs.readFileSync(path.join(PROJECT_DIR, "docs", "render-contract.md"), "utf8");

/** The first ```sh block after `heading`. */
function shellBlock(markdown: string, heading: string): string {
    const section = markdown.slice(markdown.indexOf(heading));
    return /```sh\n([\s\S]*?)```/.exec(section)?.[1] ?? "";
}

/** The keys `pulumi config set` lines set, with `--path` array indexes dropped. */
function keysSet(block: string): Set<string> {
    const keys = [...block.matchAll(/^pulumi config set (?:--path |--type \S+ )*'?([^\s']+)'?/gm)].map((match) => (match[1] ?? "").replace(/\[\d+\]$/, ""));
    return new Set(keys);
}

describe("README", () => {
    const forReal = keysSet(shellBlock(readme, "## Using it for real"));
    const bootstrap = keysSet(shellBlock(operations, "## Bootstrap a new cluster stack"));

    it("disables the default providers, as every stack file does", () => {
        assert.ok(forReal.has("pulumi:disable-default-providers"), [...forReal].join(", "));
        for (const stack of ["dev", "prod"]) {
            const file = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`), "utf8")) as { config: Record<string, unknown> };
            assert.deepEqual(file.config["pulumi:disable-default-providers"], ["aws", "kubernetes"], stack);
        }
        assert.match(shellBlock(readme, "## Using it for real"), /disable-default-providers\[0\]' aws[\s\S]*disable-default-providers\[1\]' kubernetes/);
    });

    it("sets no key that the operations bootstrap does not", () => {
        assert.ok(forReal.size > 5);
        assert.deepEqual([...forReal].filter((key) => !bootstrap.has(key)), []);
    });

    it("bootstraps every key a prod stack requires (each leaf of Pulumi.prod.yaml whose removal is refused as required)", () => {
        const required: string[] = [];
        for (const [fullKey, raw] of Object.entries(prod.config)) {
            const key = fullKey.replace(/^pipeline-service:/, "");
            const value: unknown = raw.trim().startsWith("{") ? JSON.parse(raw) : raw;
            const leaves = value !== null && typeof value === "object" && !Array.isArray(value) ? Object.keys(value).map((leaf) => [leaf]) : [[]];
            for (const leaf of leaves) {
                const without = leaf.length === 0 ? undefined : Object.fromEntries(Object.entries(value as Record<string, unknown>).filter(([name]) => name !== leaf[0]));
                const path = [key, ...leaf].join(".");
                try {
                    const settings = withConfig(prod, { [fullKey]: without });
                    parseStackConfig(settings.config, settings.project, settings.stack);
                } catch (error) {
                    if (error instanceof StackConfigError && error.problems.some((problem) => problem.key.replace(/^pipeline-service:/, "") === path && /is required/.test(problem.message))) {
                        required.push(path);
                    }
                }
            }
        }
        assert.ok(required.includes("observability.alarmTopicArn") && required.includes("aws:region"), required.join(", "));
        assert.deepEqual(required.filter((key) => !bootstrap.has(key)), [], "required keys missing from docs/operations.md's bootstrap");
    });

    it("is at most 250 lines and starts with the two commands of a fresh machine", () => {
        assert.ok(readme.split("\n").length - 1 <= 250, `${readme.split("\n").length - 1} lines`);
        const commands = shellBlock(readme, "## Two commands on a fresh machine");
        assert.match(commands, /^npm ci && npm start +#/m);
        assert.match(commands, /^npm ci && npm test +#/m);
    });

    it("maps every file of docs/ and docs/runbooks/, one line each, and links only files that exist", () => {
        const listed = [...readme.matchAll(/^- \[[^\]]+\]\((docs\/[^)#]+)\): \S/gm)].map((match) => match[1] ?? "");
        const files = ["docs", path.join("docs", "runbooks")].flatMap((dir) => fs.readdirSync(path.join(PROJECT_DIR, dir), { withFileTypes: true })
            .filter((entry) => entry.isFile()).map((entry) => `${dir.split(path.sep).join("/")}/${entry.name}`));
        assert.deepEqual([...listed].sort(), [...files].sort());
        for (const link of readme.matchAll(/\]\(((?:docs\/)?[^)#\s]+)(?:#[^)]*)?\)/g)) {
            assert.ok(fs.existsSync(path.join(PROJECT_DIR, link[1] ?? "")), `README links ${link[1]}, which does not exist`);
        }
    });
});

describe("docs/render-contract.md", () => {
    it("says which ConfigMap makes renders depend on the date", () => {
        const claim = renderContract.split("\n\n").find((paragraph) => paragraph.includes("byte-identical files")) ?? "";
        assert.match(claim, /rds-root-crt/);
        assert.match(claim, /valid on the day of the render/);
    });
});
