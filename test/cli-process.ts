/**
 * Runs a CLI of tools/ in a child process, as `npm run` does: for what only a real process shows (exit codes,
 * stack traces, crash dumps, closed pipes, spinning).
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { PROJECT_DIR } from "../render";
import { runCli } from "../tools/cli";

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

/** A CLI module of tools/: its `main` takes the arguments and writes through process.stdout and process.stderr by default. */
interface CliModule {
    main(argv: readonly string[]): number | Promise<number>;
}

let inProcessRunning = false;

/**
 * Runs `tools/<tool>`'s `main` in this process, as {@link cli} runs the file, and resolves with the same {@link Run}:
 * what it wrote to stdout and stderr and its exit code, a bug thrown out of `main` reported by runCli as the process
 * would (its stack on stderr, exit 1). For argument and refusal cases: one real process per CLI ({@link cli}) is
 * enough for what only a process shows. Runs one at a time (it captures the process's streams while `main` runs).
 */
export async function cliInProcess(tool: string, args: readonly string[]): Promise<Run> {
    if (inProcessRunning) {
        throw new Error("cliInProcess runs one CLI at a time: await each before the next");
    }
    inProcessRunning = true;
    let stdout = "";
    let stderr = "";
    let code = -1;
    const writes = { out: process.stdout.write, err: process.stderr.write };
    const capture = (append: (text: string) => void) => ((chunk: string | Uint8Array): boolean => {
        append(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
        return true;
    }) as typeof process.stdout.write;
    process.stdout.write = capture((text) => {
        stdout += text;
    });
    process.stderr.write = capture((text) => {
        stderr += text;
    });
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const module = require(path.join(PROJECT_DIR, "tools", tool)) as CliModule;
        await runCli(tool, () => module.main(args), {
            stderr: (text) => {
                stderr += text;
            },
            setExitCode: (exitCode) => {
                code = exitCode;
            },
        });
    } finally {
        process.stdout.write = writes.out;
        process.stderr.write = writes.err;
        inProcessRunning = false;
    }
    return { code, stdout, stderr };
}
