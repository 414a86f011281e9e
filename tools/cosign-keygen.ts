/**
 * cosign-keygen: writes a cosign key pair for Tekton Chains to disk, for clusters whose key is managed
 * outside Pulumi state (e.g. loaded into Vault). Same code path as the `CosignKeyPair` dynamic resource.
 *
 *   npm run -s cosign-keygen -- --out DIR
 *
 * Writes DIR/cosign.key, DIR/cosign.pub and DIR/cosign.password (the file names cosign uses for the
 * `signing-secrets` Secret), each with mode 0600, never overwriting: if any of the three exists,
 * nothing is written. Prints only the paths written, never key material.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { generateCosignKeyPair } from "../components/chains/cosign-key";
import { DirectoryError, makeDirectory } from "../render/directories";
import { EXIT_USAGE, parseCommandLine, runCli, UsageError } from "./cli";

export const USAGE = `Usage: cosign-keygen --out DIR

Generates a cosign ECDSA P-256 key pair (cosign's encrypted format) and writes
DIR/cosign.key, DIR/cosign.pub and DIR/cosign.password with mode 0600.
DIR is created if missing. Existing files are never overwritten.

  --out DIR   where to write the three files
  -h, --help  show this help`;

/** Exit codes: 0 success, 1 the key pair could not be written, 2 usage error. */
const EXIT_ERROR = 1;

/** `--out DIR` (or `--out=DIR`); undefined when help was asked for. */
function options(argv: readonly string[]): { readonly outDir: string } | undefined {
    const { values } = parseCommandLine({
        args: [...argv],
        options: { out: { type: "string" }, help: { type: "boolean", short: "h", default: false } },
    });
    if (values.help) {
        return undefined;
    }
    if (values.out === undefined || values.out.length === 0) {
        throw new UsageError("--out DIR is required");
    }
    return { outDir: values.out };
}

/** An error of the file system (it names a syscall and a path): the user's to fix, not a bug. */
function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
    return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === "string";
}

/** True when something (file, directory, even a dangling symlink) occupies `file`. */
function occupied(file: string): boolean {
    try {
        fs.lstatSync(file);
        return true;
    } catch (err) {
        // ENOTDIR: a file stands where a directory above should be, so nothing is here.
        const code = (err as NodeJS.ErrnoException).code;
        if (code === "ENOENT" || code === "ENOTDIR") {
            return false;
        }
        throw err;
    }
}

/** Creates `file` exclusively with mode 0600 and writes `content`; fails if it already exists. */
function writeNewPrivateFile(file: string, content: string): void {
    const fd = fs.openSync(file, "wx", 0o600);
    try {
        fs.fchmodSync(fd, 0o600); // independent of the umask
        fs.writeFileSync(fd, content);
    } finally {
        fs.closeSync(fd);
    }
}

/** Where main writes: one line at a time (paths on `out`, messages on `err`). */
export interface KeygenIo {
    readonly out: (line: string) => void;
    readonly err: (text: string) => void;
}

const processIo: KeygenIo = {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (text) => process.stderr.write(`${text}\n`),
};

/**
 * Runs the CLI; returns the process exit code. Writes only paths to `out`. A user's mistake is a message on
 * `err`; anything else is thrown (a bug: see tools/cli.ts).
 */
export function main(argv: readonly string[], io: KeygenIo = processIo): number {
    let outDir: string;
    try {
        const parsed = options(argv);
        if (parsed === undefined) {
            io.out(USAGE);
            return 0;
        }
        outDir = parsed.outDir;
    } catch (err) {
        if (err instanceof UsageError) {
            io.err(`cosign-keygen: ${err.message}\n\n${USAGE}`);
            return EXIT_USAGE;
        }
        throw err;
    }

    const files = {
        key: path.join(outDir, "cosign.key"),
        pub: path.join(outDir, "cosign.pub"),
        password: path.join(outDir, "cosign.password"),
    };
    const written: string[] = [];
    try {
        // Refuse before writing anything, so a half-overwritten key set can never happen.
        const existing = Object.values(files).filter(occupied);
        if (existing.length > 0) {
            io.err(
                `cosign-keygen: refusing to overwrite existing file(s): ${existing.join(", ")}\n` +
                    "Nothing was written. Move them away or choose another --out directory.",
            );
            return EXIT_ERROR;
        }
        // Not mkdirSync({ recursive: true }): it spins forever on a path like /proc/1/nope (render/directories.ts).
        makeDirectory(outDir, 0o700);

        const pair = generateCosignKeyPair();
        const contents: ReadonlyArray<readonly [string, string]> = [
            [files.key, pair.privateKeyPem],
            [files.pub, pair.publicKeyPem],
            // No trailing newline: cosign uses the file's bytes verbatim as the password.
            [files.password, pair.password],
        ];
        for (const [file, content] of contents) {
            writeNewPrivateFile(file, content);
            written.push(file);
        }
    } catch (err) {
        // Don't leave a partial set behind (e.g. a file appeared between the check and the write).
        for (const file of written) {
            fs.rmSync(file, { force: true });
        }
        if (err instanceof DirectoryError || isFileSystemError(err)) {
            // These name paths and error codes, never key material.
            io.err(`cosign-keygen: error: ${err.message}\nNothing was written.`);
            return EXIT_ERROR;
        }
        throw err;
    }

    for (const file of written) {
        io.out(file);
    }
    return 0;
}

if (require.main === module) {
    void runCli("cosign-keygen", () => main(process.argv.slice(2)));
}
