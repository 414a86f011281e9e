/**
 * `secure:` config values in an offline render: decrypted for passphrase stacks (the passphrase from the
 * environment, as the CLI reads it), kept secret in every file the render writes and in config errors, and a
 * clear refusal, naming what to do, for what cannot be decrypted offline.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { formatSummary, loadStackSettings, PROJECT_DIR, RenderError, renderStack, SECRET_MARK, writeRender } from "../render";
import { cli, cliInProcess } from "./cli-process";
import { readTree, withEnv } from "./harness";
import { CLI_STACK, devStackWith, encryptLikeCli, secureEntry } from "./secrets-fixtures";

const SALT_LINE = `encryptionsalt: ${CLI_STACK.encryptionsalt}\n`;
const PLANTED_KUBECONFIG = "apiVersion: v1\nkind: Config\n# PLANTED-decrypted-kubeconfig-5c1d\n";
const RIGHT = { PULUMI_CONFIG_PASSPHRASE: CLI_STACK.passphrase };

function userError(fn: () => unknown, expected: RegExp): string {
    let message = "";
    assert.throws(fn, (error: unknown) => {
        assert.ok(error instanceof RenderError, String(error));
        assert.match(error.message, expected);
        message = error.message;
        return true;
    });
    return message;
}

describe("secure: values in an offline render", function () {
    this.timeout(120_000);
    let dir: string;
    const write = (name: string, content: string): string => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, content);
        return file;
    };
    const load = (content: string, env: NodeJS.ProcessEnv) => loadStackSettings("s", PROJECT_DIR, write("Pulumi.s.yaml", content), env);

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "render-secrets-"));
    });
    after(() => {
        fs.rmSync(dir, { recursive: true, force: true });
    });

    describe("loading a passphrase stack", () => {
        const stack = devStackWith(SALT_LINE, secureEntry("kubernetes:kubeconfig", encryptLikeCli(PLANTED_KUBECONFIG))
            + "  pipeline-service:extra:\n    nested:\n      - plain\n      - secure: " + encryptLikeCli("inner-secret") + "\n");

        it("decrypts each secure: value, top-level and nested, and marks its key secret", () => {
            const settings = load(stack, RIGHT);
            assert.equal(settings.config["kubernetes:kubeconfig"], PLANTED_KUBECONFIG);
            assert.equal(settings.config["pipeline-service:extra"], JSON.stringify({ nested: ["plain", "inner-secret"] }));
            assert.deepEqual([...settings.secretKeys].sort(), ["kubernetes:kubeconfig", "pipeline-service:extra"]);
            assert.equal(settings.config["pipeline-service:clusterName"], "stone-stg-rh01");
        });

        it("reads PULUMI_CONFIG_PASSPHRASE_FILE (trimmed) when PULUMI_CONFIG_PASSPHRASE is unset", () => {
            const file = write("passphrase.txt", `${CLI_STACK.passphrase}\n`);
            assert.equal(load(stack, { PULUMI_CONFIG_PASSPHRASE_FILE: file }).config["kubernetes:kubeconfig"], PLANTED_KUBECONFIG);
            userError(() => load(stack, { PULUMI_CONFIG_PASSPHRASE_FILE: path.join(dir, "none.txt") }),
                /^cannot read PULUMI_CONFIG_PASSPHRASE_FILE .*none\.txt: ENOENT$/);
        });

        it("refuses an incorrect passphrase, naming the stack and where it came from (an empty one is still used)", () => {
            userError(() => load(stack, { PULUMI_CONFIG_PASSPHRASE: "not-it" }), /^incorrect passphrase for stack s \(PULUMI_CONFIG_PASSPHRASE\)$/);
            // The CLI takes PULUMI_CONFIG_PASSPHRASE whenever it is set, even empty, before the file.
            userError(() => load(stack, { PULUMI_CONFIG_PASSPHRASE: "", PULUMI_CONFIG_PASSPHRASE_FILE: write("p.txt", CLI_STACK.passphrase) }),
                /^incorrect passphrase for stack s \(PULUMI_CONFIG_PASSPHRASE\)$/);
            userError(() => load(stack, { PULUMI_CONFIG_PASSPHRASE_FILE: write("wrong.txt", "not-it") }),
                /^incorrect passphrase for stack s \(PULUMI_CONFIG_PASSPHRASE_FILE .*wrong\.txt\)$/);
        });

        it("names the environment variables when no passphrase is set, and asks for none without secure: values", () => {
            userError(() => load(stack, {}),
                /^stack s has secure: values \(kubernetes:kubeconfig, pipeline-service:extra\) encrypted with a passphrase; set PULUMI_CONFIG_PASSPHRASE \(or PULUMI_CONFIG_PASSPHRASE_FILE/);
            assert.deepEqual(load(devStackWith(SALT_LINE), {}).secretKeys, []);
        });

        it("lists every secure: value that will not decrypt, by key and path, without its value", () => {
            const sealedElsewhere = encryptLikeCli("from-another-stack", Buffer.alloc(32, 9));
            const message = userError(() => load(devStackWith(SALT_LINE, secureEntry("kubernetes:kubeconfig", "v1:not-base64!:AAAA")
                + `  pipeline-service:extra:\n    a:\n      secure: v1:AAAA\n    b:\n      secure: ${sealedElsewhere}\n`), RIGHT),
            /^stack s: 3 secure: values cannot be decrypted:\n/);
            assert.match(message, /\n {2}- kubernetes:kubeconfig: secure: value is malformed \(the nonce is not standard padded base64\); pulumi config set --secret writes v1:<nonce base64>:<ciphertext base64>\n/);
            assert.match(message, /\n {2}- pipeline-service:extra\.a: secure: value is malformed \(not three :-separated parts\)/);
            assert.match(message, /\n {2}- pipeline-service:extra\.b: secure: value does not decrypt with this stack's key \(authentication failed[^\n]*\): was it copied from another stack\?$/);
            assert.ok(!message.includes("from-another-stack"));
        });

        it("reports a malformed encryptionsalt as the stack file's problem", () => {
            userError(() => load(devStackWith("encryptionsalt: v1:ThS5UPxP9qc\n", secureEntry("kubernetes:kubeconfig", CLI_STACK.secure)), RIGHT),
                /Pulumi\.s\.yaml: encryptionsalt is malformed \(not three :-separated parts\); pulumi stack init writes v1:<salt base64>:<check value>$/);
            userError(() => load(devStackWith("encryptionsalt: v1:ThS5UPxP9qc=:v1:AAAA\n", secureEntry("kubernetes:kubeconfig", CLI_STACK.secure)), RIGHT),
                /Pulumi\.s\.yaml: encryptionsalt is malformed \(its check value: not three :-separated parts\)/);
        });
    });

    describe("stacks an offline render cannot decrypt", () => {
        const entry = secureEntry("kubernetes:kubeconfig", "AQICAHh...");
        for (const [provider, scheme] of [
            ["awskms://alias/pipeline-service?region=us-east-1", "awskms"], ["gcpkms://projects/p/locations/l/keyRings/r/cryptoKeys/k", "gcpkms"],
            ["azurekeyvault://v.vault.azure.net/keys/k", "azurekeyvault"], ["hashivault://pipeline-service", "hashivault"],
        ] as const) {
            it(`names the ${scheme} provider and what to do instead`, () => {
                const message = userError(() => load(devStackWith(`secretsprovider: ${provider}\nencryptedkey: ZW5j\n`, entry), RIGHT),
                    new RegExp(`^stack s uses the ${scheme} secrets provider; the offline render can't decrypt it: .*\\(kubernetes:kubeconfig\\)`));
                assert.match(message, /--config-file/);
                assert.match(message, /pulumi stack change-secrets-provider passphrase/);
            });
        }

        it("names the Pulumi Cloud provider for a stack with neither salt nor provider", () => {
            userError(() => load(devStackWith("", entry), RIGHT), /^stack s uses the Pulumi Cloud \(service\) secrets provider; the offline render can't decrypt it/);
            userError(() => load(devStackWith("secretsprovider: passphrase\n", entry), RIGHT), /passphrase secrets provider but .*Pulumi\.s\.yaml has no encryptionsalt/);
        });
    });

    describe("rendering", () => {
        it("renders a decrypted value as [secret] in every file and the summary", async () => {
            const stackFile = write("Pulumi.dev.yaml", devStackWith(SALT_LINE, secureEntry("kubernetes:kubeconfig", encryptLikeCli(PLANTED_KUBECONFIG))));
            const result = await withEnv({ ...RIGHT, PULUMI_CONFIG_PASSPHRASE_FILE: undefined }, () => renderStack("dev", { stackFile }));
            assert.equal(result.settings.config["kubernetes:kubeconfig"], PLANTED_KUBECONFIG, "the program got the plaintext");
            assert.equal(result.resources.find((record) => record.type === "pulumi:providers:kubernetes")?.inputs.kubeconfig, SECRET_MARK);
            const out = path.join(dir, "out-decrypted");
            writeRender(result, out);
            for (const [file, content] of readTree(out)) {
                assert.ok(!content.includes("PLANTED-decrypted"), `${file} holds the decrypted kubeconfig`);
            }
            assert.ok(!formatSummary(result).includes("PLANTED-decrypted"));
        });

        it("never echoes a decrypted value in a config error", async () => {
            const stackFile = write("Pulumi.dev.yaml", devStackWith(SALT_LINE).replace(/ {2}pipeline-service:environment: dev\n/, secureEntry("pipeline-service:environment", encryptLikeCli("PLANTED-env-qa"))));
            await assert.rejects(withEnv(RIGHT, () => renderStack("dev", { stackFile })), (error: unknown) => {
                assert.ok(error instanceof RenderError);
                assert.match(error.message, /pipeline-service:environment: must be one of "dev", "prod" \(got \(secret\)\)/);
                assert.ok(!error.message.includes("PLANTED"));
                return true;
            });
        });

        it("refuses to write a secret the program uses as a plain value, naming the key, not the value", async () => {
            const stackFile = write("Pulumi.dev.yaml", devStackWith(SALT_LINE, "  pipeline-service:vault:\n    server: https://vault.devshift.net\n"
                + `    role:\n      secure: ${encryptLikeCli("PLANTED-vault-role")}\n    githubAppSecretPath: stonesoup/staging/pipeline-service/github-app\n`)
                .replace(/ {2}pipeline-service:vault:\n(?: {4}.*\n)+?(?= {2}pipeline-service:resultsApi)/, ""));
            await assert.rejects(withEnv(RIGHT, () => renderStack("dev", { stackFile })), (error: unknown) => {
                assert.ok(error instanceof RenderError);
                assert.match(error.message, /^the render would write secret config values in clear \(the program uses them as plain values[^]*\n {2}- pipeline-service:vault is a secret but its value would be written in clear to kubernetes:external-secrets\.io\/v1:SecretStore::pipelines-as-code-vault/);
                assert.ok(!error.message.includes("PLANTED"));
                return true;
            });
        });
    });

    describe("the render CLI", () => {
        // Only what the CLI needs to run: nothing of this process's PULUMI_* variables leaks in.
        const baseEnv = { PATH: process.env.PATH ?? "", HOME: os.tmpdir() };
        /** For a run in this process: neither passphrase variable of whoever runs the tests. */
        const NO_PASSPHRASE = { PULUMI_CONFIG_PASSPHRASE: undefined, PULUMI_CONFIG_PASSPHRASE_FILE: undefined };

        it("decrypts with PULUMI_CONFIG_PASSPHRASE_FILE (a wrong one is refused) and writes no plaintext anywhere under --out", async () => {
            const stackFile = write("Pulumi.dev.yaml", devStackWith(SALT_LINE, secureEntry("kubernetes:kubeconfig", encryptLikeCli(PLANTED_KUBECONFIG))));
            const out = path.join(dir, "cli-out");
            const run = await cli("render.ts", ["--stack", "dev", "--config-file", stackFile, "--out", out, "--no-graph"], { env: { ...baseEnv, PULUMI_CONFIG_PASSPHRASE_FILE: write("cli-passphrase.txt", CLI_STACK.passphrase) } });
            assert.equal(run.code, 0, run.stderr);
            const files = readTree(out);
            assert.ok(files.has("resources.json"));
            for (const [file, content] of files) {
                assert.ok(!content.includes("PLANTED-decrypted"), `${file} holds the decrypted kubeconfig`);
            }
            assert.ok(!run.stdout.includes("PLANTED-decrypted"));
            // It did decrypt: the same stack with a wrong passphrase file is refused.
            const wrong = await withEnv({ ...NO_PASSPHRASE, PULUMI_CONFIG_PASSPHRASE_FILE: write("cli-wrong.txt", "not-it") },
                () => cliInProcess("render.ts", ["--stack", "dev", "--config-file", stackFile, "--out", path.join(dir, "cli-out-wrong"), "--no-graph"]));
            assert.equal(wrong.code, 1, wrong.stderr);
            assert.match(wrong.stderr, /^error: incorrect passphrase for stack dev \(PULUMI_CONFIG_PASSPHRASE_FILE .*cli-wrong\.txt\)/);
        });

        it("prints a refusal alone (exit 1, no stack trace): wrong passphrase, none set, a KMS provider", async () => {
            const passphraseStack = write("Pulumi.dev.yaml", devStackWith(SALT_LINE, secureEntry("kubernetes:kubeconfig", CLI_STACK.secure)));
            const kmsStack = write("Pulumi.kms.yaml", devStackWith("secretsprovider: awskms://alias/p?region=us-east-1\nencryptedkey: ZW5j\n",
                secureEntry("kubernetes:kubeconfig", "AQICAHh")));
            // In this process (runCli reports as the process would); --out in the scratch directory: a failed render
            // removes its own earlier render, by default out/dev.
            const runs = [
                await withEnv({ ...NO_PASSPHRASE, PULUMI_CONFIG_PASSPHRASE: "not-it" }, () => cliInProcess("render.ts", ["--config-file", passphraseStack, "--no-graph", "--out", path.join(dir, "wrong-out")])),
                await withEnv(NO_PASSPHRASE, () => cliInProcess("render.ts", ["--config-file", passphraseStack, "--no-graph", "--out", path.join(dir, "none-out")])),
                await withEnv(NO_PASSPHRASE, () => cliInProcess("render.ts", ["--config-file", kmsStack, "--no-graph", "--out", path.join(dir, "kms-out")])),
            ];
            const expected = [
                /^error: incorrect passphrase for stack dev \(PULUMI_CONFIG_PASSPHRASE\)\n/,
                /^error: stack dev has secure: values \(kubernetes:kubeconfig\) encrypted with a passphrase; set PULUMI_CONFIG_PASSPHRASE /,
                /^error: stack dev uses the awskms secrets provider; the offline render can't decrypt it/,
            ];
            runs.forEach((run, index) => {
                assert.equal(run.code, 1, run.stderr);
                assert.match(run.stderr, expected[index]);
                assert.ok(!run.stderr.includes("    at "), `stack frame on stderr:\n${run.stderr}`);
            });
        });
    });
});
