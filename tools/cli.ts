/**
 * What every CLI of tools/ shares: its arguments through node:util parseArgs (any mistake is a UsageError,
 * printed with the usage), a quiet end of output when the reader goes away (`| head -1`), and the one rule for
 * errors: a user's mistake is reported by the CLI's own `main` as a message alone; whatever escapes `main` is a
 * bug, and its stack trace is what helps.
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import { PackStartError } from "../analyzer/pack-process";
import { RenderError } from "../render/errors";

/** A mistake in the arguments: reported with the usage, exit 2. */
export class UsageError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UsageError";
    }
}

/** The exit code of bad arguments, for every CLI. */
export const EXIT_USAGE = 2;

/**
 * node:util parseArgs (strict unless `config` says otherwise: unknown options, missing values and, unless
 * allowed, positionals are refused); its own errors, all coded `ERR_PARSE_ARGS_*`
 * (lib/internal/util/parse_args/parse_args.js), become a {@link UsageError}.
 */
export function parseCommandLine<T extends ParseArgsConfig>(config: T): ReturnType<typeof parseArgs<T>> {
    try {
        return parseArgs(config);
    } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_")) {
            throw new UsageError((error as Error).message);
        }
        throw error;
    }
}

/**
 * Ends output quietly when the reader of stdout or stderr has gone (`| head -1` closes the pipe: the next
 * write fails with EPIPE, which Node emits as an 'error' event and, unhandled, prints as a crash). The run goes
 * on and exits with its own code: a render still writes its files. Later writes to the closed stream are
 * dropped by Node (Writable.write on a destroyed stream emits nothing).
 */
function endOutputQuietlyOnEpipe(streams: readonly NodeJS.WriteStream[] = [process.stdout, process.stderr]): void {
    for (const stream of streams) {
        stream.on("error", (error: NodeJS.ErrnoException) => {
            if (error.code !== "EPIPE") {
                throw error;
            }
        });
    }
}

/** Where {@link runCli} reports (replaceable in tests). */
export interface CliIo {
    readonly stderr: (text: string) => void;
    readonly setExitCode: (code: number) => void;
}

const processIo: CliIo = {
    stderr: (text) => process.stderr.write(text),
    setExitCode: (code) => {
        process.exitCode = code;
    },
};

/**
 * Runs a CLI's `main` and sets the exit code it returns. `main` reports its user's mistakes itself (a message,
 * no stack trace); anything it throws is a bug and is printed with its stack trace, exit 1. Resolves when done.
 */
export async function runCli(name: string, main: () => number | Promise<number>, io: CliIo = processIo): Promise<void> {
    if (io === processIo) {
        endOutputQuietlyOnEpipe();
    }
    try {
        io.setExitCode(await main());
    } catch (error) {
        io.stderr(`${name} failed (a bug): ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
        io.setExitCode(1);
    }
}

/**
 * The command line of a CLI that takes nothing but `--help`: prints the usage for `--help` (exit 0) or with the
 * mistake for anything else (exit 2). Returns that exit code, or undefined when the CLI should run.
 */
export function helpOnlyCommandLine(argv: readonly string[], usage: string): number | undefined {
    let help: boolean | undefined;
    try {
        ({ help } = parseCommandLine({ args: [...argv], options: { help: { type: "boolean", short: "h" } } }).values);
    } catch (error) {
        if (error instanceof UsageError) {
            process.stderr.write(`error: ${error.message}\n\n${usage}\n`);
            return EXIT_USAGE;
        }
        throw error;
    }
    if (help) {
        process.stdout.write(`${usage}\n`);
        return 0;
    }
    return undefined;
}

/**
 * A CLI's options from `parse` (which throws a {@link UsageError} for a mistake), or the exit code to return at once:
 * 0 after printing the usage for `--help`, {@link EXIT_USAGE} after printing the mistake and the usage.
 */
export function commandLineOrExit<T extends { readonly help?: boolean | undefined }>(parse: () => T, usage: string, out: (text: string) => void, err: (text: string) => void): T | number {
    let values: T;
    try {
        values = parse();
    } catch (error) {
        if (error instanceof UsageError) {
            err(`error: ${error.message}\n\n${usage}\n`);
            return EXIT_USAGE;
        }
        throw error;
    }
    if (values.help === true) {
        out(`${usage}\n`);
        return 0;
    }
    return values;
}

/**
 * The exit code of a render tool's user-facing failure, after printing its message: a stack or render problem is 1, a
 * policy pack that does not start is {@link EXIT_USAGE}. Anything else is a bug and is thrown again.
 */
export function renderFailureExit(error: unknown, err: (text: string) => void): number {
    if (error instanceof RenderError || error instanceof PackStartError) {
        err(`error: ${error.message}\n`);
        return error instanceof RenderError ? 1 : EXIT_USAGE;
    }
    throw error;
}
