/**
 * Runs a CLI of tools/ in a child process, as `npm run` does: for what only a real process shows (exit codes,
 * stack traces, crash dumps, closed pipes, spinning).
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { PROJECT_DIR } from "../render";

export interface Run {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** How {@link cli} runs a tool. */
export interface RunOptions {
    /** Close the reading end of stdout at once, as `| head -1` does once it has its line. */
    readonly closeStdout?: boolean;
    /** Kill the tool after this long (a CLI that spins must fail its test, not hang the run). */
    readonly killAfterMs?: number;
    /** The child's whole environment (default: this process's). */
    readonly env?: NodeJS.ProcessEnv;
}

/** Runs `tools/<tool>` with `args`; resolves with its exit code (-1 when killed) and output. */
export function cli(tool: string, args: readonly string[], options: RunOptions = {}): Promise<Run> {
    return new Promise((resolve) => {
        const child = execFile(process.execPath, ["-r", require.resolve("../tools/register.js"), path.join(PROJECT_DIR, "tools", tool), ...args], {
            cwd: PROJECT_DIR,
            timeout: options.killAfterMs ?? 0,
            ...(options.env === undefined ? {} : { env: options.env }),
        }, (error, stdout, stderr) => {
            const code = error === null ? 0 : typeof error.code === "number" && !error.killed ? error.code : -1;
            resolve({ code, stdout, stderr: error?.killed ? `killed after ${String(options.killAfterMs)} ms (spinning?)\n${stderr}` : stderr });
        });
        if (options.closeStdout) {
            child.stdout?.destroy();
        }
    });
}
