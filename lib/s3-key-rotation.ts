/**
 * Rotation of the Results S3 access key through two slots, without a moment where the Secret names a deleted key.
 *
 * Results reads S3 only through a static key pair (results v0.16.0 `pkg/api/server/v1alpha2/log/s3.go` builds a
 * static credentials provider), so the key must be rotated, not replaced by a role. The IAM user holds two keys at
 * most (an IAM limit), one per slot. `results.s3KeyRotation` walks a cycle of four states, one step per `up`:
 *
 *   a  →  a-to-b  →  b  →  b-to-a  →  a
 *
 * `a-to-b` creates key B and points the Results Secret at it (the API pods restart onto it: results/tekton-result.ts),
 * while key A still exists for pods not yet restarted; `b` deletes key A. A direct `a → b` would delete A in the same
 * `up` that switches the Secret, while old pods still use it: the guard (components/storage/rotation.ts) refuses it at preview, from the state
 * recorded by the previous `up`.
 */
/** The rotation states, in cycle order. */
export const S3_KEY_ROTATION_STATES = ["a", "a-to-b", "b", "b-to-a"] as const;
export type S3KeyRotation = (typeof S3_KEY_ROTATION_STATES)[number];
/** An access key slot of the Results IAM user. */
export type S3KeySlot = "a" | "b";

/** The slots whose key exists in a state. */
export function slotsOf(state: S3KeyRotation): readonly S3KeySlot[] {
    return state === "a" ? ["a"] : state === "b" ? ["b"] : ["a", "b"];
}

/** The slot whose key the Results Secret names in a state. */
export function activeSlotOf(state: S3KeyRotation): S3KeySlot {
    return state === "a" || state === "b-to-a" ? "a" : "b";
}

/**
 * Why the rotation may not move from `from` to `to` in one `up`, or undefined when it may: it may not delete the key
 * the Secret named at the previous `up` (pods may still use it until they have restarted onto the new one). So a key
 * is deleted one `up` after the Secret stopped naming it, never in the same one.
 */
export function rotationStepProblem(from: S3KeyRotation, to: S3KeyRotation): string | undefined {
    const inUse = activeSlotOf(from);
    if (slotsOf(to).includes(inUse)) {
        return undefined;
    }
    const next = S3_KEY_ROTATION_STATES[(S3_KEY_ROTATION_STATES.indexOf(from) + 1) % S3_KEY_ROTATION_STATES.length];
    return `results.s3KeyRotation moves from ${from} to ${to} in one up, which would delete key ${inUse.toUpperCase()} while ` +
        `pods may still use it: set ${next} first and run up, then ${to} (one step per up: ${S3_KEY_ROTATION_STATES.join(" → ")} → a)`;
}
