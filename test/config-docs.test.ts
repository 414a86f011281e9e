import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { configReferenceMarkdown, withConfigReference } from "../stacks/config-docs";
import { ENVIRONMENT_DEFAULTS } from "../stacks/schema";
import { CONFIG_DOCS_FILE, main } from "../tools/docs-config";

const reference = fs.readFileSync(CONFIG_DOCS_FILE, "utf8");

describe("configuration reference", () => {
    it("in docs/configuration.md matches the schema (run `npm run -s docs:config` after changing it)", () => {
        assert.equal(path.relative(path.join(__dirname, ".."), CONFIG_DOCS_FILE), path.join("docs", "configuration.md"));
        assert.equal(withConfigReference(reference), reference);
    });

    it("lists every key with its environment defaults", () => {
        const table = configReferenceMarkdown();
        assert.match(table, /\| `pipeline-service:results\.backupRetentionDays` \| integer 0–35 \| dev `1`, prod `14` \|/);
        assert.match(table, /\| `pipeline-service:operator\.catalogImage` \| string \| \*\*required\*\* \|/);
        assert.match(table, /\| `pipeline-service:vault\.refreshInterval` \| string \| `"1m"` \|/);
        assert.equal(ENVIRONMENT_DEFAULTS.prod.results.backupRetentionDays, 14);
    });

    it("notices a reference that drifted", () => {
        const drifted = reference.replace("dev `1`, prod `14`", "dev `1`, prod `30`");
        assert.notEqual(withConfigReference(drifted), drifted);
    });
});

describe("npm run -s docs:config (tools/docs-config.ts)", () => {
    /** Runs the CLI in process on `text` as docs/configuration.md; what it printed and left in the file. */
    function docsConfig(text: string): { code: number; stdout: string; stderr: string; written: string } {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "config-docs-"));
        const file = path.join(dir, "configuration.md");
        fs.writeFileSync(file, text);
        const printed = { stdout: "", stderr: "" };
        const [stdoutWrite, stderrWrite] = [process.stdout.write, process.stderr.write];
        process.stdout.write = ((chunk: string) => (printed.stdout += chunk, true)) as typeof process.stdout.write;
        process.stderr.write = ((chunk: string) => (printed.stderr += chunk, true)) as typeof process.stderr.write;
        try {
            const code = main([], file);
            return { code, ...printed, written: fs.readFileSync(file, "utf8") };
        } finally {
            [process.stdout.write, process.stderr.write] = [stdoutWrite, stderrWrite];
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }

    it("rewrites a drifted reference in place", () => {
        const run = docsConfig(reference.replace("dev `1`, prod `14`", "dev `1`, prod `30`"));
        assert.deepEqual([run.code, run.stderr, run.written === reference], [0, "", true]);
        assert.match(run.stdout, /^updated the configuration reference in /);
    });

    it("refuses a file without the markers: a message, no stack trace, nothing written", () => {
        const run = docsConfig("# Configuration reference\n");
        assert.equal(run.code, 1);
        assert.match(run.stderr, /^error: \S*configuration\.md has no configuration reference to rewrite: it needs the lines\n {2}<!-- config-reference:begin [^]*nothing was written\n$/);
        assert.equal(run.written, "# Configuration reference\n");
    });
});
