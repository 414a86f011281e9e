/**
 * Root hooks (.mocharc): no test may change the checkout's `out/`, the developer's renders. A CLI run without
 * `--out` writes there, and a failed render removes its own earlier render there: tests pass a scratch `--out`.
 * Serially this runs once around the whole run; under `mocha --parallel`, around each file.
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import { PROJECT_DIR } from "../../render/settings";
import { readTree } from "../harness";

const OUT = path.join(PROJECT_DIR, "out");
let before: Map<string, string> | undefined;

export const mochaHooks = {
    beforeAll(): void {
        before = readTree(OUT, { directories: true });
    },
    afterAll(): void {
        assert.deepEqual(readTree(OUT, { directories: true }), before, "a test changed the checkout's out/ (give the CLI a scratch --out)");
    },
};
