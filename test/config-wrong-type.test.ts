/**
 * A value of the wrong type (null, a string for an object, text for a number...) is one problem that says what the
 * key expects, in a config user's words, and what it got.
 */
import * as assert from "node:assert/strict";
import { devObject, parseDev, problemsOf } from "./config-fixtures";

const NETWORK = "must be an object with vpcId, privateSubnetIds and allowedCidrs (every key is in docs/configuration.md)";

describe("stack config: values of the wrong type", () => {
    const refused: ReadonlyArray<{ what: string; overrides: Record<string, unknown>; problems: readonly (readonly [string, string])[]; says: string }> = [
        {
            what: "network: null",
            overrides: { "pipeline-service:network": null },
            problems: [["pipeline-service:network", NETWORK]],
            says: `pipeline-service:network: ${NETWORK} (got null)`,
        },
        {
            what: "network as text",
            overrides: { "pipeline-service:network": "vpc-0a1b2c3d4e5f60718" },
            problems: [["pipeline-service:network", NETWORK]],
            says: `pipeline-service:network: ${NETWORK} (got "vpc-0a1b2c3d4e5f60718")`,
        },
        {
            what: "network as a list",
            overrides: { "pipeline-service:network": ["vpc-0a1b2c3d4e5f60718"] },
            problems: [["pipeline-service:network", NETWORK]],
            says: `pipeline-service:network: ${NETWORK} (got ["vpc-0a1b2c3d4e5f60718"])`,
        },
        {
            what: "an object whose keys are all optional set to null",
            overrides: { "pipeline-service:results": null },
            problems: [["pipeline-service:results", "must be an object (its keys are in docs/configuration.md)"]],
            says: "(got null)",
        },
        {
            what: "a nested string set to null",
            overrides: { "pipeline-service:network": devObject("network", { vpcId: null }) },
            problems: [["pipeline-service:network.vpcId", "must be a string"]],
            says: "pipeline-service:network.vpcId: must be a string (got null)",
        },
        {
            // zod also runs the list's .min(2) on the text "x": that would be a second, confusing problem.
            what: "a list given as text",
            overrides: { "pipeline-service:network": devObject("network", { privateSubnetIds: "x" }) },
            problems: [["pipeline-service:network.privateSubnetIds", "must be a list of strings"]],
            says: "pipeline-service:network.privateSubnetIds: must be a list of strings (got \"x\")",
        },
        {
            what: "a switch given as text",
            overrides: { "pipeline-service:results": { multiAz: "yes" } },
            problems: [["pipeline-service:results.multiAz", "must be true or false"]],
            says: "(got \"yes\")",
        },
        {
            what: "a count given as text",
            overrides: { "pipeline-service:pipelines": { buckets: "2" } },
            problems: [["pipeline-service:pipelines.buckets", "must be a whole number (unquoted)"]],
            says: "(got \"2\")",
        },
        {
            what: "a rate given as text",
            overrides: { "pipeline-service:pipelines": { kubeApiQps: "fast" } },
            problems: [["pipeline-service:pipelines.kubeApiQps", "must be a number"]],
            says: "(got \"fast\")",
        },
    ];

    for (const example of refused) {
        it(`refuses ${example.what}, saying what is expected`, () => {
            const error = problemsOf(() => parseDev(example.overrides));
            assert.deepEqual(error.problems.map((problem) => [problem.key, problem.message]), example.problems, error.message);
            assert.ok(error.message.includes(example.says), error.message);
            assert.doesNotMatch(error.message, /Invalid input|received/);
        });
    }

    it("keeps the text \"null\" as text where a string is expected", () => {
        assert.equal(parseDev({ "pipeline-service:vault": devObject("vault", { role: "null" }) }).vault.role, "null");
    });
});
