/**
 * Pieces of `npm run bench` shared by the orchestrator (`tools/bench.ts`) and the pool workers
 * (`bench/worker.ts`): timing statistics, the generated cluster stacks, and the worker protocol.
 * Nothing here loads the Pulumi SDK.
 */
import type { StackSettings } from "../render/settings";

/** Median, min and max of repeated timings (milliseconds). */
export interface TimingStats {
    readonly medianMs: number;
    readonly minMs: number;
    readonly maxMs: number;
    readonly runs: number;
    readonly samplesMs: readonly number[];
}

/** The median (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
    if (values.length === 0) {
        throw new Error("median of no values");
    }
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** Median, min and max; samples kept rounded to 0.1 ms. */
export function timingStats(samplesMs: readonly number[]): TimingStats {
    const sorted = [...samplesMs].sort((a, b) => a - b);
    const middleValue = median(sorted);
    const round = (value: number): number => Math.round(value * 10) / 10;
    return {
        medianMs: round(middleValue),
        minMs: round(sorted[0]),
        maxMs: round(sorted[sorted.length - 1]),
        runs: sorted.length,
        samplesMs: samplesMs.map(round),
    };
}

/** Config keys the generated stacks vary (everything else is the dev example's). */
const PROJECT_KEY = (key: string): string => `pipeline-service:${key}`;

/** Name of the i-th generated cluster stack: a valid cluster name (DNS label) and stack name. */
export function generatedStackName(index: number): string {
    return `bench-${String(index).padStart(3, "0")}`;
}

/**
 * The i-th generated cluster stack, derived from the dev example: its own cluster, apps domain, Results
 * API host, kube context and Vault role, so every AWS name, URN and host differs from every other stack's.
 * Structured keys are replaced whole (as `withConfig` does), so they are rebuilt from the example's value.
 */
export function generatedStackOverrides(example: StackSettings, index: number): Record<string, unknown> {
    const clusterName = generatedStackName(index);
    const appsDomain = `apps.${clusterName}.bench.example.com`;
    const structured = (key: string): Record<string, unknown> => {
        const raw = example.config[PROJECT_KEY(key)];
        if (raw === undefined) {
            throw new Error(`the example stack has no ${PROJECT_KEY(key)}: cannot derive generated stacks from it`);
        }
        return JSON.parse(raw) as Record<string, unknown>;
    };
    return {
        "kubernetes:context": clusterName,
        [PROJECT_KEY("clusterName")]: clusterName,
        [PROJECT_KEY("appsDomain")]: appsDomain,
        [PROJECT_KEY("resultsApi")]: { ...structured("resultsApi"), host: `tekton-results.${appsDomain}` },
        [PROJECT_KEY("vault")]: { ...structured("vault"), role: `pipeline-service-${clusterName}` },
    };
}

/** Work for a pool worker: render the stack, then policy-check what it registered. */
export interface RenderJob {
    readonly kind: "render";
    readonly index: number;
    readonly settings: StackSettings;
}

/** Ask a worker to exit once its queue is drained. */
export interface StopJob {
    readonly kind: "stop";
}

export type WorkerRequest = RenderJob | StopJob;

/** Sent once the worker has loaded the SDK, the program and the policy pack. */
export interface WorkerReady {
    readonly kind: "ready";
    /** Process start to ready, as the worker measures it (`process.uptime()`). */
    readonly startupMs: number;
}

/** One stack rendered and checked. */
export interface JobDone {
    readonly kind: "done";
    readonly index: number;
    readonly stack: string;
    readonly renderMs: number;
    readonly policyMs: number;
    readonly resources: number;
    readonly violations: number;
    readonly mandatoryViolations: number;
    readonly skipped: number;
    /** sha256 of the rendered resources: shows the generated stacks really differ. */
    readonly digest: string;
}

export interface JobFailed {
    readonly kind: "failed";
    readonly index: number;
    readonly message: string;
}

export type WorkerReply = WorkerReady | JobDone | JobFailed;

/** A figure's median over the baseline's, to two decimals. */
export function ratioTo(baseline: TimingStats, stats: TimingStats): number {
    return Math.round((stats.medianMs / baseline.medianMs) * 100) / 100;
}
