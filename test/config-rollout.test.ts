/**
 * `rollout.ring` and `rollout.soakHours`: where a stack goes in a fleet rollout. Prod states its ring (1 or above),
 * dev is ring 0, and every bad value is refused naming the key.
 */
import * as assert from "node:assert/strict";
import { parseStackConfig } from "../stacks/config";
import { DEFAULT_SOAK_HOURS, MAX_RING, MAX_SOAK_HOURS } from "../stacks/keys";
import { withConfig } from "../render";
import { parseDev, problemsOf, prod } from "./config-fixtures";

function parseProd(overrides: Record<string, unknown>) {
    const settings = withConfig(prod, overrides);
    return parseStackConfig(settings.config, settings.project, settings.stack);
}

describe("stack config: rollout", () => {
    it("defaults a dev stack to ring 0 with the default soak", () => {
        assert.deepEqual(parseDev({}).rollout, { ring: 0, soakHours: DEFAULT_SOAK_HOURS });
    });

    it("takes a prod stack's ring and soak as given", () => {
        assert.deepEqual(parseProd({ "pipeline-service:rollout": { ring: 3, soakHours: 72 } }).rollout, { ring: 3, soakHours: 72 });
    });

    const refused: ReadonlyArray<{ what: string; parse: () => unknown; key: string; says: RegExp }> = [
        { what: "a prod stack without a ring", parse: () => parseProd({ "pipeline-service:rollout": undefined }), key: "pipeline-service:rollout.ring", says: /required in prod.*no default/ },
        { what: "a prod stack in ring 0", parse: () => parseProd({ "pipeline-service:rollout": { ring: 0 } }), key: "pipeline-service:rollout.ring", says: /1 or above in prod/ },
        { what: "a dev stack in a production ring", parse: () => parseDev({ "pipeline-service:rollout": { ring: 2 } }), key: "pipeline-service:rollout.ring", says: /must be 0 in dev/ },
        { what: "a ring past the last", parse: () => parseProd({ "pipeline-service:rollout": { ring: MAX_RING + 1 } }), key: "pipeline-service:rollout.ring", says: new RegExp(`<=${MAX_RING}`) },
        { what: "a fractional ring", parse: () => parseProd({ "pipeline-service:rollout": { ring: 1.5 } }), key: "pipeline-service:rollout.ring", says: /whole number/ },
        { what: "a quoted ring", parse: () => parseProd({ "pipeline-service:rollout": { ring: "1" } }), key: "pipeline-service:rollout.ring", says: /unquoted/ },
        { what: "a negative soak", parse: () => parseDev({ "pipeline-service:rollout": { soakHours: -1 } }), key: "pipeline-service:rollout.soakHours", says: />=0/ },
        { what: "a soak longer than a week", parse: () => parseDev({ "pipeline-service:rollout": { soakHours: MAX_SOAK_HOURS + 1 } }), key: "pipeline-service:rollout.soakHours", says: new RegExp(`<=${MAX_SOAK_HOURS}`) },
        { what: "an unknown rollout key", parse: () => parseDev({ "pipeline-service:rollout": { wave: 1 } }), key: "pipeline-service:rollout.wave", says: /not a known key/ },
    ];
    for (const { what, parse, key, says } of refused) {
        it(`refuses ${what}, naming ${key}`, () => {
            const { problems } = problemsOf(parse);
            assert.deepEqual(problems.map((problem) => problem.key), [key]);
            assert.match(problems[0]?.message ?? "", says);
        });
    }
});
