/**
 * The refusals of the stack config as the config-refusals tests tabulate them, one row each (the key it names and the
 * one problem it reports), and the test every row makes of dev's config with the row's overrides.
 */
import * as assert from "node:assert/strict";
import { parseDev, problemsOf } from "./config-fixtures";

export interface Refusal { what: string; overrides: Record<string, unknown>; key: string; says: RegExp }

/** One test per row: the overrides are rejected with exactly one problem, at the row's key, saying what the row says. */
export function itRejectsEach(rejected: ReadonlyArray<Refusal>): void {
    for (const example of rejected) {
        it(`rejects ${example.what}, naming ${example.key}`, () => {
            const error = problemsOf(() => parseDev(example.overrides));
            assert.deepEqual(error.problems.map((candidate) => candidate.key), [example.key], error.message);
            const [problem] = error.problems;
            assert.match(problem.message, example.says);
            assert.match(error.message, new RegExp(example.key.replace(/[.[\]]/g, "\\$&")));
        });
    }
}
