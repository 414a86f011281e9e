/**
 * A render that could not run because of its input: no such stack, an unreadable stack file, or a program
 * that refused its config. CLIs print its message alone (no stack trace): it is the user's to fix.
 */
export class RenderError extends Error {
    /** @param registered types the program registered before it stopped (for a config error: only the stack). */
    constructor(message: string, readonly registered: readonly string[] = []) {
        super(message);
        this.name = "RenderError";
    }
}
