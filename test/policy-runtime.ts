/**
 * The policy pack under the real @pulumi/policy runtime, for tests: one pack process per test process (the run, or
 * each worker of `mocha --parallel`), started on first use and reused over the Analyzer connection
 * (analyzer/check.ts), closed when the run or the worker ends.
 */
import * as path from "node:path";
import { checkRecords, startSession, type AnalyzerSession, type CheckResult, type Diagnostic } from "../analyzer/check";
import { parsePolicyConfig } from "../analyzer/config";
import { transpiledPack } from "../analyzer/pack-build";
import { PROJECT_DIR } from "../render";
import type { ResourceRecord } from "../render";

let session: Promise<AnalyzerSession> | undefined;
/** The started session, for the exit handler (which cannot wait for a promise). */
let started: AnalyzerSession | undefined;

/**
 * The shared session: the pack starts once per process (about a second). Under `mocha --parallel`
 * a worker runs many files, so the pack lives across them and ends when the worker exits: PolicyPackProcess.close
 * kills the child synchronously, which an 'exit' handler may do.
 */
export function packSession(): Promise<AnalyzerSession> {
    if (session === undefined) {
        // The pack transpiled, as npm run fleet starts it: the same runtime and protocol without ts-node's type check at
        // start (tsc checks the pack's types; analyzer-pack.test.ts and cli-loaders.test.ts start it the CLI's way).
        session = startSession({ packDir: transpiledPack(path.join(PROJECT_DIR, "policy")) });
        session.then((value) => {
            started = value;
        }, () => undefined);
        process.once("exit", () => {
            void started?.close();
        });
    }
    return session;
}

/**
 * Closes the shared session, so the next use starts a fresh one. The root hooks (test/hooks/) call it when a serial
 * run ends; a worker of `mocha --parallel` keeps it for its next file and closes it on exit.
 */
export async function closePackSession(): Promise<void> {
    const closing = session;
    session = undefined;
    started = undefined;
    await (await closing)?.close();
}

/** A diagnostic as the tests read it: the policy's own message, without the description the runtime puts first. */
export interface Violation {
    readonly policy: string;
    readonly level: Diagnostic["enforcementLevel"];
    readonly message: string;
    /** The resource; undefined for a stack-wide violation. */
    readonly urn: string | undefined;
}

/** What a first `pulumi preview` with the pack reports over `records`. */
export interface PackResult {
    readonly violations: Violation[];
    /** The "can't run … during preview" advisories: a policy read a value unknown in preview. */
    readonly notRunInPreview: Violation[];
    readonly notApplicable: CheckResult["notApplicable"];
}

function violationOf(diagnostic: Diagnostic): Violation {
    const prefix = `${diagnostic.description}\n`;
    return {
        policy: diagnostic.policyName,
        level: diagnostic.enforcementLevel,
        message: diagnostic.message.startsWith(prefix) ? diagnostic.message.slice(prefix.length) : diagnostic.message,
        urn: diagnostic.urn === "" ? undefined : diagnostic.urn,
    };
}

/** Runs the pack over `records`, with an optional policy config (as a `--policy-pack-config` file holds it). */
export async function checkWithPack(records: readonly ResourceRecord[], config?: Readonly<Record<string, unknown>>): Promise<PackResult> {
    const result = await checkRecords(await packSession(), records, config === undefined ? {} : { config: parsePolicyConfig(JSON.stringify(config)) });
    return { violations: result.violations.map(violationOf), notRunInPreview: result.notRunInPreview.map(violationOf), notApplicable: result.notApplicable };
}
