/**
 * The base copy of a diff (fleet/git-base.ts), in a throwaway repository: the files at the commit and only
 * those, refusals that say what to do, a user's repository left exactly as it was, and the dependency link.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { RenderError } from "../render";
import { baseRenderCommand, installDependencies, materializeRef, type BaseTree } from "../fleet";
import { gitSandbox, readTree, withEnv, type GitSandbox } from "./harness";

let scratch: string;
let repo: string;
/** Where copies go; each test's copies are checked to be gone after dispose. */
let copies: string;
/** Git without the user's or the system's configuration, and without a GIT_DIR from whoever runs the tests. */
let sandbox: GitSandbox;

function git(...args: string[]): string {
    return sandbox.git(repo, ...args);
}

function write(file: string, text: string): void {
    fs.mkdirSync(path.dirname(path.join(repo, file)), { recursive: true });
    fs.writeFileSync(path.join(repo, file), text);
}

function materialize(ref: string, dir = repo): Promise<BaseTree> {
    return withEnv(sandbox.env, () => materializeRef(ref, dir, copies));
}

async function refusal(promise: Promise<unknown>): Promise<RenderError> {
    const error = await promise.then(() => undefined, (reason: unknown) => reason);
    assert.ok(error instanceof RenderError, `expected a RenderError, got ${String(error)}`);
    assert.doesNotMatch(error.message, /\n/, "one paragraph");
    return error;
}

/** Everything about the repository a copy must not change. */
function repositoryState(): Record<string, unknown> {
    const files = readTree(repo);
    for (const file of files.keys()) {
        if (file === ".git" || file.startsWith(`.git${path.sep}`)) {
            files.delete(file);
        }
    }
    return {
        head: git("rev-parse", "HEAD"),
        branch: git("symbolic-ref", "HEAD"),
        refs: git("for-each-ref"),
        status: git("status", "--porcelain=v2", "--branch", "--untracked-files=all"),
        staged: git("diff", "--cached"),
        unstaged: git("diff"),
        index: git("ls-files", "--stage"),
        stash: git("stash", "list"),
        stashed: git("stash", "show", "-p", "stash@{0}"),
        worktrees: git("worktree", "list", "--porcelain"),
        files: Object.fromEntries(files),
    };
}

describe("the base copy of a diff (fleet/git-base.ts)", () => {
    let first: string;
    let second: string;

    beforeEach(() => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "git-base-test-"));
        repo = path.join(scratch, "repo");
        copies = path.join(scratch, "copies");
        sandbox = gitSandbox(path.join(scratch, "home"));
        fs.mkdirSync(repo);
        git("init", "--quiet", "--initial-branch=main");
        write("Pulumi.yaml", "name: p\n");
        write("package-lock.json", '{"lockfileVersion":3,"v":1}\n');
        write("lib/a.ts", "export const a = 1;\n");
        fs.mkdirSync(path.join(repo, "node_modules", "dep"), { recursive: true });
        write("node_modules/dep/index.js", "module.exports = 1;\n");
        write(".gitignore", "node_modules/\n");
        git("add", ".");
        git("commit", "--quiet", "-m", "first");
        first = git("rev-parse", "HEAD").trim();
        write("lib/a.ts", "export const a = 2;\n");
        write("lib/b.ts", "export const b = 2;\n");
        write("package-lock.json", '{"lockfileVersion":3,"v":2}\n');
        git("add", ".");
        git("commit", "--quiet", "-m", "second");
        second = git("rev-parse", "HEAD").trim();
        git("tag", "v1", first);
    });

    afterEach(() => {
        fs.rmSync(scratch, { recursive: true, force: true });
    });

    it("copies the files of the commit, and none the work tree has besides", async () => {
        write("lib/uncommitted.ts", "export {};\n");
        const base = await materialize("v1");
        try {
            assert.equal(base.commit, first);
            assert.ok(base.dir.startsWith(copies + path.sep));
            assert.deepEqual([...readTree(base.dir).entries()].filter(([file]) => !file.startsWith("node_modules")).sort(), [
                [".gitignore", "node_modules/\n"], ["Pulumi.yaml", "name: p\n"], [path.join("lib", "a.ts"), "export const a = 1;\n"],
                ["package-lock.json", '{"lockfileVersion":3,"v":1}\n'],
            ]);
            assert.equal(fs.existsSync(path.join(base.dir, ".git")), false);
        } finally {
            base.dispose();
        }
    });

    it("accepts any revision git resolves to a commit, and gives the project's own directory when it is below the top", async () => {
        write("project/Pulumi.yaml", "name: sub\n");
        git("add", ".");
        git("commit", "--quiet", "-m", "sub");
        const base = await materialize("HEAD~0", path.join(repo, "project"));
        try {
            assert.equal(base.commit, git("rev-parse", "HEAD").trim());
            assert.equal(path.basename(base.dir), "project");
            assert.equal(fs.readFileSync(path.join(base.dir, "Pulumi.yaml"), "utf8"), "name: sub\n");
            assert.equal(fs.readFileSync(path.join(base.dir, "..", "lib", "b.ts"), "utf8"), "export const b = 2;\n");
        } finally {
            base.dispose();
        }
    });

    it("refuses a ref that names no commit, naming it and how to fetch it", async () => {
        const error = await refusal(materialize("feature/nope"));
        assert.match(error.message, /no commit "feature\/nope" in the repository at .*: .*\(git fetch origin feature\/nope\) and give it as origin\/feature\/nope/);
        git("remote", "add", "upstream", "https://example.com/p.git");
        assert.match((await refusal(materialize("upstream/release-1"))).message, /no commit "upstream\/release-1" .*\(git fetch upstream release-1\)/);
        assert.match((await refusal(materialize("deadbeef"))).message, /if the remote has that commit, fetch it first \(git fetch upstream\)/);
        // A tree is not a commit either.
        await refusal(materialize(`${first}^{tree}`));
        assert.match((await refusal(materialize("--output=x"))).message, /"--output=x" is not a git ref/);
        assert.equal(fs.existsSync(copies) ? fs.readdirSync(copies).length : 0, 0, "nothing left behind");
    });

    it("refuses a directory that is not in a git repository, and one that does not exist", async () => {
        const plain = path.join(scratch, "plain");
        fs.mkdirSync(plain);
        // GIT_CEILING_DIRECTORIES: the scratch directory may itself be inside a repository (a checkout in /tmp).
        const error = await refusal(withEnv({ ...sandbox.env, GIT_CEILING_DIRECTORIES: scratch }, () => materializeRef("main", plain, copies)));
        assert.match(error.message, new RegExp(`^${plain.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not in a git repository \\(git says: .*not a git repository.*\\): .*clone`));
        assert.match((await refusal(materialize("main", path.join(scratch, "missing")))).message, /missing is not in a git repository \(it does not exist\)/);
    });

    it("leaves the work tree, index, stash, refs and HEAD exactly as they were", async () => {
        write("lib/a.ts", "export const a = 'stashed';\n");
        git("stash", "--quiet");
        write("lib/a.ts", "export const a = 'staged';\n");
        git("add", "lib/a.ts");
        write("lib/a.ts", "export const a = 'unstaged';\n");
        write("lib/new.ts", "export {};\n");
        const before = repositoryState();
        assert.match(String(before.status), /^1 M\. |^1 MM /m, "a staged and unstaged change");
        assert.match(String(before.stash), /stash@\{0\}/);
        for (const ref of ["v1", "main", second]) {
            (await materialize(ref)).dispose();
        }
        await refusal(materialize("nope"));
        assert.deepEqual(repositoryState(), before);
    });

    it("links the working tree's node_modules when the lockfiles are the same, and never removes it", async () => {
        const base = await materialize("main");
        assert.equal(base.sameDependencies, true);
        const link = path.join(base.dir, "node_modules");
        assert.ok(fs.lstatSync(link).isSymbolicLink());
        assert.equal(fs.realpathSync(link), fs.realpathSync(path.join(repo, "node_modules")));
        await assert.rejects(installDependencies(base.dir, [process.execPath, "-e", ""]), (error: Error) => error instanceof RenderError && /node_modules is a link/.test(error.message));
        base.dispose();
        assert.equal(fs.readFileSync(path.join(repo, "node_modules", "dep", "index.js"), "utf8"), "module.exports = 1;\n");
    });

    it("links nothing when the lockfiles differ, or the working tree has no node_modules", async () => {
        const older = await materialize("v1");
        assert.equal(older.sameDependencies, false);
        assert.equal(fs.existsSync(path.join(older.dir, "node_modules")), false);
        older.dispose();
        fs.rmSync(path.join(repo, "node_modules"), { recursive: true });
        const uninstalled = await materialize("main");
        assert.equal(uninstalled.sameDependencies, false);
        uninstalled.dispose();
    });

    it("installs dependencies by running the command in the copy, and says when it fails", async () => {
        const base = await materialize("v1");
        try {
            await installDependencies(base.dir, [process.execPath, "-e", "require('fs').writeFileSync('installed', process.cwd())"]);
            assert.equal(fs.readFileSync(path.join(base.dir, "installed"), "utf8"), fs.realpathSync(base.dir));
            const failed = await refusal(installDependencies(base.dir, [process.execPath, "-e", "console.error('npm ERR! network'); process.exit(3)"]));
            assert.match(failed.message, /cannot install the base's dependencies in .*: `.* -e .*` failed \(exit 3\): npm ERR! network$/);
            const missing = await refusal(installDependencies(base.dir, [path.join(scratch, "no-such-npm")]));
            assert.match(missing.message, /no-such-npm: ENOENT/);
        } finally {
            base.dispose();
        }
    });

    it("removes the copy on dispose, twice without harm", async () => {
        const base = await materialize("main");
        assert.ok(fs.existsSync(base.dir));
        base.dispose();
        base.dispose();
        assert.equal(fs.existsSync(base.dir), false);
        assert.deepEqual(fs.readdirSync(copies), []);
    });
});

describe("the base's own render command (fleet/base-render.ts)", () => {
    const withManifest = (scripts: Record<string, string> | undefined): string => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "base-render-"));
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(scripts === undefined ? {} : { scripts }));
        return dir;
    };

    it("runs whatever file the base's render script names, before and after the CLIs were renamed", () => {
        for (const file of ["tools/render-cli.ts", "tools/render.ts"]) {
            const dir = withManifest({ render: `node -r ./tools/register.js ${file}` });
            assert.deepEqual(baseRenderCommand(dir), ["-r", "./tools/register.js", file]);
            fs.rmSync(dir, { recursive: true });
        }
    });

    it("refuses a base whose render script is missing or is not a node command of one file", () => {
        for (const scripts of [undefined, { render: "ts-node tools/render.ts" }, { render: "node -r ./tools/register.js" }]) {
            const dir = withManifest(scripts);
            assert.throws(() => baseRenderCommand(dir), /the base's package\.json has no render script of the form "node \[options\] <file>"/);
            fs.rmSync(dir, { recursive: true });
        }
    });
});
