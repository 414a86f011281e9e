/**
 * The deploy gate: reads what the real engine plans (`pulumi preview --json`) for one stack and refuses a delete or
 * replace of a stateful resource (stateful.ts) that acknowledged-data-loss.yaml does not name. Here the engine
 * decides, not the fleet diff's model: it backs the model up where a provider computes a diff at plan time.
 *
 * The document is pulumi/pulumi's `display.PreviewDigest` (pkg/display/json.go: `steps []*PreviewStep`, each with
 * `op`, `urn`, `oldState`/`newState` of type apitype.ResourceV3 holding `type`, `inputs`, `protect`,
 * `retainOnDelete`; no `type` on the step itself), printed once at the end of `pulumi preview --json`. A replacement
 * shows as one logical `replace` step (`create-replacement`/`delete-replaced` only with --show-replacement-steps).
 */
import { z } from "zod";
import { statefulFactOf } from "./stateful";
import type { Acknowledgment } from "./acknowledgments";

const stateSchema = z.looseObject({
    type: z.string(),
    inputs: z.record(z.string(), z.unknown()).optional(),
    protect: z.boolean().optional(),
    retainOnDelete: z.boolean().optional(),
});

const stepSchema = z.looseObject({
    op: z.string(),
    urn: z.string(),
    oldState: stateSchema.optional(),
    newState: stateSchema.optional(),
    replaceReasons: z.array(z.string()).optional(),
});

export const previewDigestSchema = z.looseObject({ steps: z.array(stepSchema) });

export type PreviewDigest = z.infer<typeof previewDigestSchema>;

/** The ops that destroy the old resource (pkg/resource/deploy/step.go: OpDelete, OpReplace, OpDeleteReplaced). */
const DESTROYING = new Set(["delete", "replace", "delete-replaced"]);

/** One planned step that loses data. */
export interface PlannedLoss {
    readonly op: string;
    readonly urn: string;
    readonly type: string;
    readonly reason: string;
    readonly replaceReasons: readonly string[];
    readonly protected: boolean;
    readonly acknowledged: boolean;
}

/** The stateful resources the engine's plan destroys, each with whether `acks` names it for `stack`. */
export function plannedLosses(digest: PreviewDigest, stack: string, acks: readonly Acknowledgment[]): PlannedLoss[] {
    const seen = new Set<string>();
    const losses: PlannedLoss[] = [];
    for (const step of digest.steps) {
        const state = step.oldState ?? step.newState;
        if (!DESTROYING.has(step.op) || state === undefined || seen.has(step.urn)) {
            continue;
        }
        const fact = statefulFactOf({ type: state.type, inputs: state.inputs ?? {} });
        if (fact !== undefined) {
            seen.add(step.urn);
            losses.push({
                op: step.op === "delete-replaced" ? "replace" : step.op, urn: step.urn, type: state.type, reason: fact.reason,
                replaceReasons: step.replaceReasons ?? [], protected: state.protect === true,
                acknowledged: acks.some((ack) => ack.stack === stack && ack.urn === step.urn),
            });
        }
    }
    return losses;
}
