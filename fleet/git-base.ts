/**
 * A clean copy of the project as it was at a git ref, to render the base of a diff from. Read from the object
 * database only (`git rev-parse`, `git archive`), never by checking out, stashing or adding a worktree: the
 * user's work tree, index, stash and refs stay exactly as they were, whatever state they are in.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { makeDirectory } from "../render/directories";
import { RenderError } from "../render/errors";

/** The project at a commit, copied into a directory of its own. */
export interface BaseTree {
    /** The project's directory in the copy (the repository's copy, and below it where the project sits in it). */
    readonly dir: string;
    /** The full id of the commit the ref named. */
    readonly commit: string;
    /**
     * Whether the copy can use the working tree's installed dependencies: its package-lock.json is byte for byte
     * the working tree's and the working tree has a node_modules, which `dir/node_modules` then links to. When
     * false, nothing is linked: run {@link installDependencies} on `dir` before loading the project from it.
     */
    readonly sameDependencies: boolean;
    /** Removes the copy (a linked node_modules only as the link). Safe to call more than once. */
    dispose(): void;
}

/** What {@link installDependencies} runs by default: the lockfile's exact tree, no install scripts, no network extras. */
export const INSTALL_COMMAND: readonly [string, ...string[]] = ["npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund"];

interface Run {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs a command to the end, collecting its output; a command that cannot start rejects. */
function run(command: string, args: readonly string[], cwd: string): Promise<Run> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
        child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8") }));
    });
}

/** The last non-empty lines of a command's error output, for a message of one paragraph. */
function said(stderr: string, lines = 1): string {
    return stderr.split("\n").map((line) => line.trim()).filter(Boolean).slice(-lines).join(" ");
}

/** The repository's top directory and the project's path below it (`""` or ending in "/"), or a RenderError. */
async function locateRepository(repoDir: string): Promise<{ readonly top: string; readonly prefix: string }> {
    const notARepository = (why: string): RenderError => new RenderError(
        `${repoDir} is not in a git repository (${why}): the base of a diff is read from git history, so run this from a clone of the project`,
    );
    if (!fs.existsSync(repoDir)) {
        throw notARepository("it does not exist");
    }
    const result = await run("git", ["rev-parse", "--show-toplevel", "--show-prefix"], repoDir);
    if (result.code !== 0) {
        throw notARepository(`git says: ${said(result.stderr) || `exit ${String(result.code)}`}`);
    }
    const [top, prefix = ""] = result.stdout.split("\n");
    return { top, prefix };
}

/** The full commit id `ref` names in the repository, or a RenderError saying how to get it. */
async function resolveCommit(ref: string, top: string): Promise<string> {
    // A ref starting with "-" would be read as an option (this git may predate --end-of-options in rev-parse).
    if (ref === "" || ref.startsWith("-")) {
        throw new RenderError(`${JSON.stringify(ref)} is not a git ref: give a branch, tag or commit id, e.g. --base origin/main`);
    }
    const result = await run("git", ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`], top);
    const commit = result.stdout.trim();
    if (result.code !== 0 || !/^[0-9a-f]{40,64}$/.test(commit)) {
        throw new RenderError(`no commit ${JSON.stringify(ref)} in the repository at ${top}: ${await howToFetch(ref, top)}; \`git log --oneline\` lists the commits there are`);
    }
    return commit;
}

/** Advice for a ref this clone lacks: most often a branch, tag or commit only the remote has so far. */
async function howToFetch(ref: string, top: string): Promise<string> {
    const remotes = (await run("git", ["remote"], top)).stdout.split("\n").filter(Boolean);
    const slash = ref.indexOf("/");
    const remote = slash > 0 ? ref.slice(0, slash) : undefined;
    if (remote !== undefined && remotes.includes(remote)) {
        // A remote-tracking branch: fetching the branch under its own name creates it.
        return `fetch it first (git fetch ${remote} ${ref.slice(slash + 1)})`;
    }
    if (/^[0-9a-f]{7,64}$/i.test(ref)) {
        return `if the remote has that commit, fetch it first (git fetch ${remotes[0] ?? "origin"}), or check the commit id`;
    }
    const origin = remotes.includes("origin") ? "origin" : (remotes[0] ?? "origin");
    return `if it is a branch or tag of the remote, fetch it first (git fetch ${origin} ${ref}) and give it as ${origin}/${ref}, or give a commit id`;
}

/** Writes the tree of `commit` into `into`: `git archive` piped straight into `tar -x`, nothing in between on disk. */
function extract(commit: string, top: string, into: string): Promise<void> {
    return new Promise((resolve, reject) => {
        const archive = spawn("git", ["archive", "--format=tar", commit], { cwd: top, stdio: ["ignore", "pipe", "pipe"] });
        // --no-same-owner: as root, tar would otherwise give the files the archive's owner.
        const unpack = spawn("tar", ["-x", "--no-same-owner", "-f", "-", "-C", into], { stdio: ["pipe", "ignore", "pipe"] });
        archive.stdout.pipe(unpack.stdin);
        const errors = { archive: "", unpack: "" };
        archive.stderr.on("data", (chunk: Buffer) => (errors.archive += chunk.toString("utf8")));
        unpack.stderr.on("data", (chunk: Buffer) => (errors.unpack += chunk.toString("utf8")));
        // tar can exit early and close its input: the failure is then tar's exit code, not this pipe's error.
        unpack.stdin.on("error", () => undefined);
        let pending = 2;
        const codes: { archive?: number | null; unpack?: number | null } = {};
        const settle = (): void => {
            if (--pending > 0) {
                return;
            }
            if (codes.archive !== 0 || codes.unpack !== 0) {
                const why = codes.archive !== 0 ? `git archive: ${said(errors.archive) || `exit ${String(codes.archive)}`}` : `tar: ${said(errors.unpack) || `exit ${String(codes.unpack)}`}`;
                reject(new Error(`cannot copy commit ${commit} into ${into}: ${why}`));
            } else {
                resolve();
            }
        };
        archive.on("error", reject);
        unpack.on("error", reject);
        archive.on("close", (code) => {
            codes.archive = code;
            settle();
        });
        unpack.on("close", (code) => {
            codes.unpack = code;
            settle();
        });
    });
}

function readIfFile(file: string): Buffer | undefined {
    try {
        return fs.readFileSync(file);
    } catch {
        return undefined;
    }
}

function isDirectory(file: string): boolean {
    try {
        return fs.statSync(file).isDirectory();
    } catch {
        return false;
    }
}

/**
 * Copies the project as it is at `ref` (a branch, tag, commit id or any revision git resolves to a commit) into a
 * fresh directory made inside `into`, from the git repository `repoDir` is in. The ref is resolved first; a ref
 * that names no commit, or a `repoDir` outside any git repository, is a {@link RenderError} saying what to do.
 *
 * Only what is committed is copied: a file added or changed in the work tree and not committed at `ref` is not
 * there. `git archive` reads the commit's `.gitattributes`: files marked `export-ignore` are left out and
 * `export-subst` files expanded (this project marks none), and submodules are not included.
 *
 * When the copy's package-lock.json is byte-identical to the one in `repoDir`, and `repoDir` has a
 * node_modules, the copy's node_modules is a symbolic link to it (see {@link BaseTree.sameDependencies}).
 */
export async function materializeRef(ref: string, repoDir: string, into: string = os.tmpdir()): Promise<BaseTree> {
    const projectDir = path.resolve(repoDir);
    const { top, prefix } = await locateRepository(projectDir);
    const commit = await resolveCommit(ref, top);
    makeDirectory(into);
    const root = fs.mkdtempSync(path.join(path.resolve(into), "base-tree-"));
    const dispose = (): void => fs.rmSync(root, { recursive: true, force: true });
    try {
        await extract(commit, top, root);
        const dir = path.join(root, prefix);
        const lockfile = readIfFile(path.join(dir, "package-lock.json"));
        const workingLockfile = readIfFile(path.join(projectDir, "package-lock.json"));
        const modules = path.join(projectDir, "node_modules");
        const sameDependencies = lockfile !== undefined && workingLockfile !== undefined && lockfile.equals(workingLockfile) && isDirectory(modules);
        if (sameDependencies) {
            // The real path: Node resolves modules by it anyway, and a chain of links is one more thing to break.
            fs.symlinkSync(fs.realpathSync(modules), path.join(dir, "node_modules"), "dir");
        }
        return { dir, commit, sameDependencies, dispose };
    } catch (error) {
        dispose();
        throw error;
    }
}

/**
 * Installs the dependencies of a copy whose lockfile differs from the working tree's (`npm ci` by default; the
 * command is a parameter so that tests need no network). Refuses when `dir/node_modules` is a symbolic link:
 * `npm ci` empties node_modules first, and through a link that would be the working tree's. A failure is a
 * {@link RenderError} with the command's last words.
 */
export async function installDependencies(dir: string, command: readonly [string, ...string[]] = INSTALL_COMMAND): Promise<void> {
    const modules = path.join(dir, "node_modules");
    if (fs.lstatSync(modules, { throwIfNoEntry: false })?.isSymbolicLink()) {
        throw new RenderError(`not installing dependencies in ${dir}: its node_modules is a link (to ${fs.readlinkSync(modules)}), which the install would empty`);
    }
    const [program, ...args] = command;
    let result: Run;
    try {
        result = await run(program, args, dir);
    } catch (error) {
        throw new RenderError(`cannot install the base's dependencies in ${dir}: ${program}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    if (result.code !== 0) {
        throw new RenderError(`cannot install the base's dependencies in ${dir}: \`${command.join(" ")}\` failed (exit ${String(result.code)}): ${said(result.stderr, 3) || "no error output"}`);
    }
}
