/**
 * Runs a dynamic provider's method the way the engine does: the provider serialized by Pulumi's closure serializer,
 * then loaded in a plain node process with the same loader as @pulumi/pulumi's dynamic-provider host
 * (`cmd/dynamic-provider`: require-from-string), without ts-node.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";

/** What the child process did: exit 0 with the result as JSON on stdout, or exit 1 with the rejection's message on stderr. */
export interface SerializedRun {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

const serialized = new WeakMap<object, Promise<string>>();

/**
 * Calls `provider[method](...args)` in a child process. Asynchronous: a fake API server in this process must keep
 * answering while the child waits on it.
 */
export async function runSerialized(provider: pulumi.dynamic.ResourceProvider, method: string, args: readonly unknown[]): Promise<SerializedRun> {
    let text = serialized.get(provider);
    if (text === undefined) {
        text = pulumi.runtime.serializeFunction(() => provider, { allowSecrets: true }).then((result) => result.text);
        serialized.set(provider, text);
    }
    const driver = `
        const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
        const provider = require("require-from-string")(input.text).handler();
        Promise.resolve()
            .then(() => provider[input.method](...input.args))
            // exit explicitly: a client's keep-alive socket would otherwise hold the process open
            .then((r) => process.stdout.write(JSON.stringify(r), () => process.exit(0)))
            .catch((e) => { console.error(e.message); process.exit(1); });`;
    const child = spawn(process.execPath, ["-e", driver], { cwd: path.resolve(__dirname, "..") });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdin.end(JSON.stringify({ text: await text, method, args }));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    return { code, stdout, stderr };
}
