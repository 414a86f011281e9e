/**
 * The guard of the S3 key rotation (lib/s3-key-rotation.ts): a dynamic resource that records the rotation state of
 * the last `up` in the engine's state and refuses, in `pulumi preview`, a step that would delete a key still in use.
 */
import * as pulumi from "@pulumi/pulumi";
import { rotationStepProblem, S3_KEY_ROTATION_STATES, type S3KeyRotation } from "../../lib/s3-key-rotation";

/** What the guard records: the rotation state of the last `up`. */
interface GuardInputs {
    readonly s3KeyRotation: S3KeyRotation;
}

function isState(value: unknown): value is S3KeyRotation {
    return typeof value === "string" && (S3_KEY_ROTATION_STATES as readonly string[]).includes(value);
}

/** The dynamic provider of {@link RotationGuard} (exported for tests): it refuses a step the cycle does not allow. */
export const rotationGuardProvider: pulumi.dynamic.ResourceProvider<GuardInputs, GuardInputs> = {
    async check(olds, news) {
        // `olds` are the previous inputs (pulumi/pulumi step_generator.go passes oldInputs to Check); absent on a create.
        const problem = isState(olds.s3KeyRotation) && isState(news.s3KeyRotation) ? rotationStepProblem(olds.s3KeyRotation, news.s3KeyRotation) : undefined;
        return problem === undefined ? { inputs: news } : { inputs: news, failures: [{ property: "s3KeyRotation", reason: problem }] };
    },
    async diff(_id, olds, news) {
        return { changes: olds.s3KeyRotation !== news.s3KeyRotation };
    },
    async create(inputs) {
        return { id: "results-s3-key-rotation", outs: { s3KeyRotation: inputs.s3KeyRotation } };
    },
    async update(_id, _olds, news) {
        return { outs: { s3KeyRotation: news.s3KeyRotation } };
    },
    async delete() {
        // Records a state only: nothing to remove.
    },
};

/**
 * Records the rotation state in the engine's state and refuses, in `pulumi preview`, a step that would delete a key
 * still in use. The access keys and the Results Secret depend on it, so nothing switches before it has checked.
 */
export class RotationGuard extends pulumi.dynamic.Resource {
    constructor(name: string, s3KeyRotation: S3KeyRotation, opts?: pulumi.CustomResourceOptions) {
        super(rotationGuardProvider, name, { s3KeyRotation }, opts, "pipeline-service", "S3KeyRotationGuard");
    }
}
