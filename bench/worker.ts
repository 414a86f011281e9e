/**
 * A pool worker of `npm run bench` (a child process forked by `tools/bench.ts`, one per core). It pays the
 * SDK, program and policy-pack load once, then renders and policy-checks the stacks it is sent one after
 * another, in-process: renders must be sequential in one process because the Pulumi runtime state is global
 * (`renderProgram` queues them anyway). Run from `bin/tools/` it uses the precompiled program in `bin/`.
 */
import { createHash } from "node:crypto";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import type { JobDone, RenderJob, WorkerReply, WorkerRequest } from "./lib";
import { PROJECT_DIR as SOURCE_DIR } from "./process";
import { checkRecords, startSession, type AnalyzerSession } from "../analyzer/check";
import { loadPolicyConfig } from "../analyzer/config";
import { PROJECT_DIR, renderProgram } from "../render";

function send(reply: WorkerReply): void {
    if (!process.send) {
        throw new Error("bench/worker.ts must be forked with an IPC channel (tools/bench.ts does that)");
    }
    process.send(reply);
}

/** The policy pack of this worker: started on the first job, reused for the rest. */
let session: Promise<AnalyzerSession> | undefined;

async function runJob(job: RenderJob, program: () => unknown): Promise<JobDone> {
    const renderStart = performance.now();
    const result = await renderProgram(job.settings, program);
    const renderEnd = performance.now();
    // The pack is the source's policy/ (with its package.json), also when this worker runs from bin/; the
    // generated stacks are dev stacks, checked with the dev environment's policy config as CI checks dev.
    const check = await checkRecords(await (session ??= startSession({ packDir: path.join(SOURCE_DIR, "policy") })), result.resources, {
        config: loadPolicyConfig(path.join(SOURCE_DIR, "policy", "config", "dev.json")),
    });
    const policyEnd = performance.now();
    return {
        kind: "done",
        index: job.index,
        stack: job.settings.stack,
        renderMs: renderEnd - renderStart,
        policyMs: policyEnd - renderEnd,
        resources: result.resources.length,
        violations: check.violations.length,
        mandatoryViolations: check.violations.filter((violation) => violation.enforcementLevel === "mandatory").length,
        skipped: check.notRunInPreview.length,
        digest: createHash("sha256").update(JSON.stringify(result.resources)).digest("hex"),
    };
}

function main(): void {
    // The program as `renderStack` loads it: `<project>/index` next to this build of the render harness.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require(path.join(PROJECT_DIR, "index")) as () => unknown;
    let queue: Promise<void> = Promise.resolve();
    process.on("message", (request: WorkerRequest) => {
        if (request.kind === "stop") {
            queue = queue.then(async () => {
                await (await session)?.close();
                process.disconnect();
            });
            return;
        }
        queue = queue.then(async () => {
            try {
                send(await runJob(request, program));
            } catch (error) {
                send({ kind: "failed", index: request.index, message: error instanceof Error ? error.message : String(error) });
            }
        });
    });
    send({ kind: "ready", startupMs: process.uptime() * 1000 });
}

main();
