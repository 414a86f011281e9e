/**
 * The hostile-input suite: every case runs a CLI's real `main` in-process (as its bin entry does; the policy
 * pack is the test process's shared session, as a CLI's own pack is the same pack started by the same code) and must
 * exit non-zero with a one-paragraph message naming the key or argument (the usage may follow), print nothing
 * on stdout and no stack trace, leave no unhandled rejection behind, and write or delete nothing. The CLIs'
 * process-level behaviour (exit codes, no crash dump from the SDK's rejections) is covered by cli-errors.test.ts.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_DIR, renderStack, writeRender } from "../render";
import * as cosignKeygen from "../tools/cosign-keygen";
import * as fleetCli from "../tools/fleet";
import * as fleetDiffCli from "../tools/fleet-diff";
import * as policyCheck from "../tools/policy-check";
import * as renderCli from "../tools/render";
import { readTree, withEnv } from "./harness";
import { packSession } from "./policy-runtime";
import { HOSTILE_CASES, type Tool } from "./hostile/cases";

interface Outcome {
    readonly code: number;
    readonly stdout: string;
    readonly stderr: string;
}

const USAGES: Readonly<Record<Tool, string>> = {
    "render": renderCli.USAGE, "policy-check": policyCheck.USAGE, "cosign-keygen": cosignKeygen.USAGE, "fleet": fleetCli.USAGE, "fleet-diff": fleetDiffCli.USAGE,
};

async function run(tool: Tool, args: readonly string[]): Promise<Outcome> {
    let stdout = "";
    let stderr = "";
    const out = (text: string): void => {
        stdout += text;
    };
    const err = (text: string): void => {
        stderr += text;
    };
    let code: number;
    switch (tool) {
        case "render":
            code = await renderCli.main(args, out, err);
            break;
        case "policy-check":
            code = await policyCheck.main(args, (text) => out(`${text}\n`), (text) => err(`${text}\n`), { session: packSession });
            break;
        case "cosign-keygen":
            code = cosignKeygen.main(args, { out: (line) => out(`${line}\n`), err: (text) => err(`${text}\n`) });
            break;
        case "fleet":
            code = await fleetCli.main(args, out, err, { session: packSession });
            break;
        case "fleet-diff":
            code = await fleetDiffCli.main(args, out, err, { session: packSession });
            break;
    }
    return { code, stdout, stderr };
}

/** The message with the tool's usage (which may follow a usage error) taken out. */
function messageOf(stderr: string, tool: Tool): string {
    return stderr.replace(USAGES[tool], "").trim();
}

describe("hostile inputs", function () {
    this.timeout(60_000);
    let scratch: string;
    let devRender: string;
    const rejections: unknown[] = [];
    // A rejection counts only when this listener is the sole one: the render's recorder listens while the
    // program runs, as the Pulumi language host does (render/recorder.ts runSettled), and those are handled.
    const onRejection = (reason: unknown): void => {
        if (process.listenerCount("unhandledRejection") === 1) {
            rejections.push(reason);
        }
    };

    before(async () => {
        scratch = fs.mkdtempSync(path.join(os.tmpdir(), "hostile-"));
        // A real render for the policy-input cases, outside the checkout.
        devRender = path.join(scratch, "dev-render");
        writeRender(await renderStack("dev"), devRender);
        process.on("unhandledRejection", onRejection);
    });
    after(() => {
        process.off("unhandledRejection", onRejection);
        fs.rmSync(scratch, { recursive: true, force: true });
    });

    it("has at least 60 cases, each with a distinct description", () => {
        assert.ok(HOSTILE_CASES.length >= 60, `${HOSTILE_CASES.length} cases`);
        assert.equal(new Set(HOSTILE_CASES.map((example) => example.what)).size, HOSTILE_CASES.length);
    });

    HOSTILE_CASES.forEach((example, index) => {
        it(`${example.tool}: ${example.what}`, async () => {
            const dir = path.join(scratch, `case-${index}`);
            fs.mkdirSync(dir);
            for (const [file, content] of Object.entries(example.files ?? {})) {
                fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
                fs.writeFileSync(path.join(dir, file), content);
            }
            const args = example.args.map((arg) => arg.replaceAll("{dir}", dir).replace(/^out\/dev\/resources\.json$/, path.join(devRender, "resources.json")));
            const projectBefore = readTree(path.join(PROJECT_DIR, "out"), { directories: true });
            const before = readTree(dir, { directories: true });
            const rejectionsBefore = rejections.length;

            const outcome = await withEnv(example.env ?? {}, () => run(example.tool, args));
            // An unhandled rejection is reported on a later tick.
            await new Promise((resolve) => setImmediate(resolve));

            const message = messageOf(outcome.stderr, example.tool);
            if (process.env["HOSTILE_SHOW"] !== undefined) {
                process.stdout.write(`--- ${example.what}\n${message}\n`);
            }
            assert.notEqual(outcome.code, 0, `exit 0; stdout:\n${outcome.stdout}`);
            assert.equal(outcome.stdout, "", "stdout must stay empty");
            assert.ok(message.length > 0, "no message");
            assert.ok(!message.includes("\n\n"), `more than one paragraph:\n${message}`);
            assert.ok(message.includes(example.names), `does not name ${example.names}:\n${message}`);
            if (example.says !== undefined) {
                assert.match(message, example.says);
            }
            assert.doesNotMatch(outcome.stderr, /^\s+at \S.*(:\d+:\d+\)?|<anonymous>\)?)$/m, "stack frame");
            assert.doesNotMatch(outcome.stderr, /\b\w*Error \{|\b(Type|Range|Reference|Syntax|YAMLParse)Error\b|node:internal/, "error object or trace");
            assert.equal(rejections.length, rejectionsBefore, `unhandled rejection: ${String(rejections.at(-1))}`);
            assert.deepEqual(readTree(dir, { directories: true }), before, "the case wrote or deleted something in its directory");
            assert.deepEqual(readTree(path.join(PROJECT_DIR, "out"), { directories: true }), projectBefore, "the case touched out/");
        });
    });
});
