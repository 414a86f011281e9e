/**
 * Root hooks (.mocharc), once around the whole run serially and around each file under `mocha --parallel`:
 * - no test may change the checkout's `out/`, the developer's renders (a CLI run without `--out` writes there,
 *   and a failed render removes its own earlier render there: tests pass a scratch `--out`);
 * - the shared policy pack process is closed at the end of a serial run; a worker of `mocha --parallel` (which runs
 *   these hooks around each of its files, and has MOCHA_WORKER_ID set) keeps it for its next file and closes it when
 *   it exits (test/policy-runtime.ts).
 */
import * as assert from "node:assert/strict";
import * as path from "node:path";
import type * as PolicyRuntime from "../policy-runtime";
import { readTree } from "../tree";

// Light on purpose: mocha's main process loads these hooks too, and needs neither the SDK nor the policy runtime.
const OUT = path.join(__dirname, "..", "..", "out");
let before: Map<string, string> | undefined;

export const mochaHooks = {
    beforeAll(): void {
        before = readTree(OUT, { directories: true });
    },
    async afterAll(): Promise<void> {
        if (process.env.MOCHA_WORKER_ID === undefined) {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            await (require("../policy-runtime") as typeof PolicyRuntime).closePackSession();
        }
        assert.deepEqual(readTree(OUT, { directories: true }), before, "a test changed the checkout's out/ (give the CLI a scratch --out)");
    },
};
