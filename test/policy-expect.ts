/**
 * Expectations over the policy pack's verdicts on the real runtime (test/policy-runtime.ts), shared by the pack's
 * tests: each violation is found by policy name and message, and its resource.
 */
import assert from "node:assert/strict";
import type { ResourceRecord } from "../render";
import { mutate, T } from "./fixtures/policy-edits";
import type { EditableInputs } from "./fixtures/policy-records";
import { checkWithPack, type PackResult, type Violation } from "./policy-runtime";

export interface CheckOptions {
    /** Policy config, as a `--policy-pack-config` file holds it. */
    readonly config?: Readonly<Record<string, unknown>>;
}

export async function check(records: readonly ResourceRecord[], options?: CheckOptions): Promise<PackResult> {
    return checkWithPack(records, options?.config);
}

export async function violationsOf(records: readonly ResourceRecord[], policy: string, options?: CheckOptions): Promise<Violation[]> {
    return (await check(records, options)).violations.filter((v) => v.policy === policy);
}

/** Asserts that `policy` reports (at least) one violation matching `message`, and that it is the only policy that fails when `only`. */
export async function expectViolation(records: readonly ResourceRecord[], policy: string, message: RegExp, options?: CheckOptions & { readonly urn?: string }): Promise<Violation> {
    const found = await violationsOf(records, policy, options);
    const match = found.find((v) => message.test(v.message));
    assert.ok(match, `expected ${policy} to report ${message}; got ${JSON.stringify(found.map((v) => v.message))}`);
    if (options?.urn !== undefined) {
        assert.equal(match.urn, options.urn);
    }
    return match;
}

export async function expectNoViolation(records: readonly ResourceRecord[], policy: string, options?: CheckOptions): Promise<void> {
    assert.deepEqual((await violationsOf(records, policy, options)).map((v) => v.message), []);
}

export const tektonConfig = (records: readonly ResourceRecord[], change: (spec: EditableInputs) => unknown): ResourceRecord[] =>
    mutate(records, T.tektonConfig, "config", (r) => change(r.inputs.spec));

