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
 * Why the rotation may not move from `from` to `to` in one `up`, or undefined when it may: the same state, the next
 * one in the cycle, or a switch back while both keys exist (`a-to-b` ⇄ `b-to-a`). Any move that deletes a key must
 * come from a state where the Secret already named the other key at the previous `up`.
 */
export function rotationStepProblem(from: S3KeyRotation, to: S3KeyRotation): string | undefined {
    const index = S3_KEY_ROTATION_STATES.indexOf(from);
    const next = S3_KEY_ROTATION_STATES[(index + 1) % S3_KEY_ROTATION_STATES.length];
    const bothExist = (state: S3KeyRotation) => slotsOf(state).length === 2;
    if (to === from || to === next || (bothExist(from) && bothExist(to))) {
        return undefined;
    }
    const gone = slotsOf(from).filter((slot) => !slotsOf(to).includes(slot));
    const cycle = S3_KEY_ROTATION_STATES.join(" → ");
    return `results.s3KeyRotation moves from ${from} to ${to} in one up, which would delete key ${gone.join(", ").toUpperCase()} while ` +
        `pods may still use it: set ${next} first and run up, then ${to} (one step per up: ${cycle} → a)`;
}
