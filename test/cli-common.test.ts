/**
 * What the CLIs share, in process: argument parsing (tools/cli.ts), the error rule of runCli (a bug keeps its
 * stack trace, a returned exit code is set as is) and the output-directory guard (render/directories.ts).
 * test/cli-errors.test.ts runs the real CLIs.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DirectoryError, makeDirectory } from "../render/directories";
import { parseCommandLine, runCli, UsageError } from "../tools/cli";

describe("CLI common parts", () => {
    describe("parseCommandLine", () => {
        const options = { out: { type: "string" }, help: { type: "boolean", short: "h" } } as const;

        it("parses as node:util parseArgs does", () => {
            assert.deepEqual({ ...parseCommandLine({ args: ["--out=x", "-h"], options }).values }, { out: "x", help: true });
        });

        it("turns unknown options, missing values and stray arguments into a UsageError", () => {
            for (const [args, message] of [
                [["--bogus"], /^Unknown option '--bogus'/],
                [["--out"], /^Option '--out <value>' argument missing/],
                [["stray"], /^Unexpected argument 'stray'/],
                [["--help=yes"], /^Option '-h, --help' does not take an argument/],
            ] as const) {
                assert.throws(() => parseCommandLine({ args: [...args], options }), (error: unknown) => error instanceof UsageError && message.test(error.message));
            }
        });

        it("leaves a mistake in the parser's own configuration a bug (not a UsageError)", () => {
            const bad = { args: [], options: { out: { type: "number" } } } as unknown as Parameters<typeof parseCommandLine>[0];
            assert.throws(() => parseCommandLine(bad), (error: unknown) => !(error instanceof UsageError));
        });
    });

    describe("runCli", () => {
        const capture = (): { text: string[]; codes: number[]; io: Parameters<typeof runCli>[2] } => {
            const text: string[] = [];
            const codes: number[] = [];
            return { text, codes, io: { stderr: (line) => text.push(line), setExitCode: (code) => codes.push(code) } };
        };

        it("sets the exit code main returns and prints nothing of its own", async () => {
            const { text, codes, io } = capture();
            await runCli("tool", () => Promise.resolve(2), io);
            assert.deepEqual(codes, [2]);
            assert.deepEqual(text, []);
        });

        it("prints what escapes main as a bug, with its stack trace, exit 1", async () => {
            for (const main of [() => { throw new TypeError("boom"); }, () => Promise.reject(new TypeError("boom"))]) {
                const { text, codes, io } = capture();
                await runCli("tool", main, io);
                assert.deepEqual(codes, [1]);
                assert.match(text.join(""), /^tool failed \(a bug\): TypeError: boom\n {4}at /);
            }
        });
    });

    describe("makeDirectory", () => {
        let dir: string;
        beforeEach(() => {
            dir = fs.mkdtempSync(path.join(os.tmpdir(), "make-directory-"));
        });
        afterEach(() => {
            fs.rmSync(dir, { recursive: true, force: true });
        });

        it("makes missing directories level by level with the mode asked for, and accepts an existing one", () => {
            const target = path.join(dir, "a", "b");
            makeDirectory(target, 0o700);
            assert.equal(fs.statSync(path.join(dir, "a")).mode & 0o777, 0o700);
            assert.equal(fs.statSync(target).mode & 0o777, 0o700);
            makeDirectory(target);
        });

        it("refuses a file where a directory should be, naming it", () => {
            const file = path.join(dir, "file");
            fs.writeFileSync(file, "");
            assert.throws(() => makeDirectory(file), new DirectoryError(`${file} is not a directory`));
            assert.throws(() => makeDirectory(path.join(file, "sub", "dir")), new DirectoryError(`cannot create ${path.join(file, "sub", "dir")}: ${file} is not a directory`));
        });
    });
});
