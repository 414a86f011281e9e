/**
 * The render runs the program without stack traces (the SDK formats one for every promise it makes: half of a warm
 * render), and a program that fails with a bug runs once more with them, so the error that escapes has its frames.
 */
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { RenderError, renderProgram } from "../render";

const settings = { project: "tiny", stack: "unit", config: {}, secretKeys: [] };

describe("recording render: stack traces", () => {
    it("captures no frames while the program runs, and restores the limit afterwards", async () => {
        const before = Error.stackTraceLimit;
        let seen: number | undefined;
        await renderProgram(settings, () => {
            seen = Error.stackTraceLimit;
            new pulumi.ComponentResource("test:index:Group", "group");
        });
        assert.equal(seen, 0);
        assert.equal(Error.stackTraceLimit, before);
    });

    it("runs a program that fails with a bug once more with frames, and the error that escapes carries them", async () => {
        const limits: number[] = [];
        const error = await renderProgram(settings, () => {
            limits.push(Error.stackTraceLimit);
            return (undefined as unknown as { field: string }).field;
        }).then(() => undefined, (reason: unknown) => reason);
        assert.ok(error instanceof TypeError, String(error));
        assert.deepEqual(limits, [0, Error.stackTraceLimit]);
        assert.match(error.stack ?? "", /\n {4}at .*render-stack-traces\.test\.ts/);
    });

    it("runs a program that fails with a user-facing error only once (its message is all that is shown)", async () => {
        let runs = 0;
        await assert.rejects(renderProgram(settings, () => {
            runs++;
            throw new pulumi.RunError("the stack config is wrong");
        }), (error: unknown) => error instanceof RenderError && error.message === "the stack config is wrong");
        assert.equal(runs, 1);
    });
});
