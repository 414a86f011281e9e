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

const USAGE = `Usage: cosign-keygen --out DIR

Generates a cosign ECDSA P-256 key pair (cosign's encrypted format) and writes
DIR/cosign.key, DIR/cosign.pub and DIR/cosign.password with mode 0600.
DIR is created if missing. Existing files are never overwritten.`;

/** Exit codes: 0 success, 1 runtime error, 2 usage error. */
const EXIT_ERROR = 1;
const EXIT_USAGE = 2;

class UsageError extends Error {}

/** Parses `--out DIR` / `--out=DIR` / `--help`; returns undefined when help was requested. */
function parseArgs(argv: readonly string[]): { readonly outDir: string } | undefined {
    let outDir: string | undefined;
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--help" || arg === "-h") {
            return undefined;
        } else if (arg === "--out") {
            const value = argv[i + 1];
            if (value === undefined || value.startsWith("--")) {
                throw new UsageError("--out needs a directory argument");
            }
            outDir = value;
            i++;
        } else if (arg.startsWith("--out=")) {
            outDir = arg.slice("--out=".length);
        } else {
            throw new UsageError(`unknown argument: ${arg}`);
        }
    }
    if (outDir === undefined || outDir.length === 0) {
        throw new UsageError("--out DIR is required");
    }
    return { outDir };
}

/** True when something (file, directory, even a dangling symlink) occupies `file`. */
function occupied(file: string): boolean {
    try {
        fs.lstatSync(file);
        return true;
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") {
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

/** Runs the CLI; returns the process exit code. Writes only paths to stdout. */
export function main(argv: readonly string[]): number {
    let outDir: string;
    try {
        const parsed = parseArgs(argv);
        if (parsed === undefined) {
            process.stdout.write(`${USAGE}\n`);
            return 0;
        }
        outDir = parsed.outDir;
    } catch (err) {
        if (err instanceof UsageError) {
            process.stderr.write(`cosign-keygen: ${err.message}\n\n${USAGE}\n`);
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
            process.stderr.write(
                `cosign-keygen: refusing to overwrite existing file(s): ${existing.join(", ")}\n` +
                    "Nothing was written. Move them away or choose another --out directory.\n",
            );
            return EXIT_ERROR;
        }
        fs.mkdirSync(outDir, { recursive: true, mode: 0o700 });

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
        // Error messages from fs and crypto name paths and codes, never key material.
        const message = err instanceof Error ? err.message : String(err);
        process.stderr.write(`cosign-keygen: error: ${message}\nNothing was written.\n`);
        return EXIT_ERROR;
    }

    for (const file of written) {
        process.stdout.write(`${file}\n`);
    }
    return 0;
}

if (require.main === module) {
    process.exitCode = main(process.argv.slice(2));
}
