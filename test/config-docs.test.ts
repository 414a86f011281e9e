import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { configReferenceMarkdown, withConfigReference } from "../stacks/config-docs";
import { ENVIRONMENT_DEFAULTS } from "../stacks/schema";

const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");

describe("configuration reference", () => {
    it("in the README matches the schema (run `npm run -s docs:config` after changing it)", () => {
        assert.equal(withConfigReference(readme), readme);
    });

    it("lists every key with its environment defaults", () => {
        const table = configReferenceMarkdown();
        assert.match(table, /\| `pipeline-service:results\.backupRetentionDays` \| integer 0–35 \| dev `1`, prod `14` \|/);
        assert.match(table, /\| `pipeline-service:operator\.catalogImage` \| string \| \*\*required\*\* \|/);
        assert.match(table, /\| `pipeline-service:vault\.refreshInterval` \| string \| `"1m"` \|/);
        assert.equal(ENVIRONMENT_DEFAULTS.prod.results.backupRetentionDays, 14);
    });

    it("notices a README that drifted", () => {
        const drifted = readme.replace("dev `1`, prod `14`", "dev `1`, prod `30`");
        assert.notEqual(withConfigReference(drifted), drifted);
    });
});
