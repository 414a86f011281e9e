/**
 * docs/policies.md names every policy of the pack under its enforcement level, and the dev stack's policy config
 * relaxes only mandatory policies.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { policies } from "../policy/policies";
import { PROJECT_DIR } from "../render";

const doc = fs.readFileSync(path.join(PROJECT_DIR, "docs", "policies.md"), "utf8");
const section = doc.slice(doc.indexOf("# The policy pack"), doc.indexOf("`npm run -s policy:check -- out/<stack>/resources.json` runs"));
const mandatoryText = section.slice(section.indexOf("Mandatory:"), section.indexOf("Advisory:"));
const advisoryText = section.slice(section.indexOf("Advisory:"), section.indexOf("Policy config"));

describe("docs/policies.md", () => {
    for (const policy of policies) {
        it(`lists ${policy.name} as ${policy.enforcementLevel ?? "advisory"}`, () => {
            const listedIn = policy.enforcementLevel === "mandatory" ? mandatoryText : advisoryText;
            assert.ok(listedIn.includes(`\`${policy.name}\``), `${policy.name} missing from the ${policy.enforcementLevel ?? "advisory"} list`);
        });
    }

    it("relaxes in dev.json only mandatory policies of the pack, each listed as mandatory", () => {
        const dev = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "policy", "config", "dev.json"), "utf8")) as Record<string, string>;
        const mandatory = new Set(policies.filter((policy) => policy.enforcementLevel === "mandatory").map((policy) => policy.name));
        for (const name of Object.keys(dev)) {
            assert.ok(mandatory.has(name), `${name} is not a mandatory policy`);
            assert.ok(mandatoryText.includes(`\`${name}\``), name);
        }
    });
});
