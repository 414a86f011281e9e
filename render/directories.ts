/**
 * Creating an output directory without `fs.mkdirSync(dir, { recursive: true })`, which can loop forever at 100%
 * CPU: Node's MKDirpSync (src/node_file.cc) answers ENOENT for a path by creating its parent and retrying the
 * path, and takes EEXIST of that parent as success, so a path that stays ENOENT although its parent exists
 * (`/proc/1/nope`) is retried without end, and no timer can interrupt the synchronous call.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { RenderError } from "./errors";

/** A directory that cannot be made or written to: the message names the path and why. */
export class DirectoryError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "DirectoryError";
    }
}

function isDirectory(file: string): boolean {
    try {
        return fs.statSync(file).isDirectory();
    } catch {
        return false;
    }
}

/** The nearest path at or above `dir` that exists, and what stat says of it. */
function nearestExisting(dir: string): { readonly existing: string; readonly stats: fs.Stats } {
    for (let current = dir; ; current = path.dirname(current)) {
        try {
            return { existing: current, stats: fs.statSync(current) };
        } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            // ENOTDIR: a file stands where a directory above should be; keep climbing to name it.
            if ((code !== "ENOENT" && code !== "ENOTDIR") || path.dirname(current) === current) {
                throw new DirectoryError(`cannot use ${current}: ${code ?? String(error)}`);
            }
        }
    }
}

/**
 * Makes `dir` and any missing directories above it, one level at a time (a plain mkdir fails instead of
 * looping). First checks that the nearest existing path above is a directory this process may write to.
 * Throws a {@link DirectoryError} saying what is wrong; an existing directory is fine.
 */
export function makeDirectory(dir: string, mode = 0o777): void {
    const target = path.resolve(dir);
    const { existing, stats } = nearestExisting(target);
    if (!stats.isDirectory()) {
        throw new DirectoryError(existing === target ? `${target} is not a directory` : `cannot create ${target}: ${existing} is not a directory`);
    }
    if (existing === target) {
        return;
    }
    try {
        fs.accessSync(existing, fs.constants.W_OK | fs.constants.X_OK);
    } catch (error) {
        throw new DirectoryError(`cannot create ${target}: ${existing} is not writable (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    const missing = path.relative(existing, target).split(path.sep);
    let current = existing;
    for (const part of missing) {
        current = path.join(current, part);
        try {
            fs.mkdirSync(current, { mode });
        } catch (error) {
            const code = (error as NodeJS.ErrnoException).code;
            // Made meanwhile by someone else is as good as made here.
            if (code !== "EEXIST" || !isDirectory(current)) {
                throw new DirectoryError(`cannot create ${current}: ${code ?? String(error)}${code === "ENOENT" ? " (this file system does not allow it here)" : ""}`);
            }
        }
    }
}

/** {@link makeDirectory} for a CLI's output: a directory it cannot make is a RenderError saying what would go there. */
export function makeOutputDirectory(dir: string, what: string): void {
    try {
        makeDirectory(dir);
    } catch (error) {
        if (error instanceof DirectoryError) {
            throw new RenderError(`cannot write ${what} to ${dir}: ${error.message}`);
        }
        throw error;
    }
}
