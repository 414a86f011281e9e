/**
 * Starts a Node.js policy pack the way the Pulumi CLI's Node.js language host does, and talks to it over the
 * Analyzer gRPC protocol with the generated client in @pulumi/pulumi/proto.
 *
 * Reproduced from pulumi/pulumi:
 * - `sdk/nodejs/cmd/pulumi-language-nodejs/main.go` RunPlugin (kind analyzer): run `node` on the module
 *   `@pulumi/pulumi/cmd/run-policy-pack` located from the pack directory, arguments `<engine address> <pack dir>`
 *   (the program directory last), working directory the pack directory, and the stack's identity in
 *   PULUMI_NODEJS_PROJECT / PULUMI_NODEJS_STACK / PULUMI_NODEJS_DRY_RUN.
 * - `sdk/policy_proxy.go` PolicyProxy.Attach: the first line of the pack's stdout is
 *   its port (`fmt.Fscanf("%d\n")`); the rest of stdout is passed through; dial `127.0.0.1:<port>` insecure; then
 *   forward ConfigureStack.
 * - `@pulumi/policy` server.js `serve`: binds 127.0.0.1:0 and prints the port; `run-policy-pack/run.js` registers
 *   ts-node with typeCheck: true, so a pack that does not type-check never prints a port.
 * The engine address is a placeholder: run-policy-pack drops it and the pack never calls the engine.
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as grpc from "@grpc/grpc-js";
import type { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import type * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";
import type * as emptyproto from "google-protobuf/google/protobuf/empty_pb";

/**
 * The generated gRPC modules, loaded when first needed rather than on import: a caller can then spawn the pack
 * (seconds to start) before it pays for loading them.
 */
const proto = {
    /* eslint-disable @typescript-eslint/no-require-imports */
    get client(): typeof AnalyzerClient {
        return (require("@pulumi/pulumi/proto/analyzer_grpc_pb") as { AnalyzerClient: typeof AnalyzerClient }).AnalyzerClient;
    },
    get analyzer(): typeof analyzerproto {
        return require("@pulumi/pulumi/proto/analyzer_pb") as typeof analyzerproto;
    },
    get empty(): typeof emptyproto {
        return require("google-protobuf/google/protobuf/empty_pb") as typeof emptyproto;
    },
    /* eslint-enable @typescript-eslint/no-require-imports */
};

/** The pack process could not start or did not answer: carries what it printed on stderr. */
export class PackStartError extends Error {
    constructor(message: string, readonly stderr: string) {
        super(message);
        this.name = "PackStartError";
    }
}

/** How to start a pack. */
export interface PackStartOptions {
    /** Project and stack names the language host hands the pack (PULUMI_NODEJS_PROJECT / _STACK). */
    readonly project?: string;
    readonly stack?: string;
    /** Milliseconds to wait for the port (type-checking the pack takes a few seconds). Default 60 000. */
    readonly timeoutMs?: number;
    /** Where the pack's stdout after the port line and its stderr go (default: discarded, stderr kept for errors). */
    readonly log?: (line: string) => void;
}

/** The gRPC client of @pulumi/pulumi's own @grpc/grpc-js (credentials must come from the same module instance). */
function grpcOf(): typeof grpc {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(require.resolve("@grpc/grpc-js", { paths: [path.dirname(require.resolve("@pulumi/pulumi/package.json"))] })) as typeof grpc;
}

type Unary<Req, Res> = (request: Req, callback: (error: grpc.ServiceError | null, response: Res) => void) => unknown;

function call<Req, Res>(method: Unary<Req, Res>, request: Req): Promise<Res> {
    return new Promise((resolve, reject) => {
        method(request, (error, response) => (error ? reject(error) : resolve(response)));
    });
}

/** A running policy pack and its Analyzer client; start once, reuse for many requests, then `close()`. */
export class PolicyPackProcess {
    private stderrText = "";

    private constructor(
        private readonly child: ChildProcess,
        readonly client: AnalyzerClient,
        readonly port: number,
        readonly packDir: string,
    ) {}

    /** Spawns the pack in `packDir` and connects once it has printed its port. */
    static start(packDir: string, options: PackStartOptions = {}): Promise<PolicyPackProcess> {
        const dir = path.resolve(packDir);
        if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
            return Promise.reject(new PackStartError(`policy pack ${dir} is not a directory`, ""));
        }
        let runPath: string;
        try {
            // locateModule(ctx, "@pulumi/pulumi/cmd/run-policy-pack", programDirectory, …): resolved from the pack directory.
            runPath = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [dir] });
        } catch {
            return Promise.reject(new PackStartError(`policy pack ${dir}: @pulumi/pulumi is not installed where the pack can load it (is it a policy pack, with its dependencies installed?)`, ""));
        }
        const env: NodeJS.ProcessEnv = {};
        for (const [key, value] of Object.entries(process.env)) {
            // ts-node settings of the calling process (e.g. transpile-only under mocha) must not weaken the pack's
            // type check: the language host starts the pack with the user's environment, not a test runner's.
            if (!key.startsWith("TS_NODE_")) {
                env[key] = value;
            }
        }
        env.PULUMI_NODEJS_DRY_RUN = "true";
        if (options.project) {
            env.PULUMI_NODEJS_PROJECT = options.project;
        }
        if (options.stack) {
            env.PULUMI_NODEJS_STACK = options.stack;
        }
        const child = spawn(process.execPath, [runPath, "127.0.0.1:0", dir], { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
        let stderr = "";
        child.stderr?.setEncoding("utf8");
        child.stderr?.on("data", (chunk: string) => {
            stderr += chunk;
            options.log?.(chunk);
        });
        return new Promise((resolve, reject) => {
            let stdout = "";
            let settled = false;
            const fail = (message: string): void => {
                if (!settled) {
                    settled = true;
                    clearTimeout(timer);
                    child.kill();
                    reject(new PackStartError(`${message}${stderr.trim() ? `:\n${stderr.trim()}` : ""}`, stderr));
                }
            };
            const timer = setTimeout(() => fail(`policy pack ${dir} printed no port within ${options.timeoutMs ?? 60_000} ms`), options.timeoutMs ?? 60_000);
            child.on("error", (error) => fail(`could not run node for policy pack ${dir}: ${error.message}`));
            child.on("exit", (code) => fail(`policy pack ${dir} exited with code ${String(code)} before printing its port`));
            child.stdout?.setEncoding("utf8");
            child.stdout?.on("data", (chunk: string) => {
                if (settled) {
                    options.log?.(chunk);
                    return;
                }
                stdout += chunk;
                const newline = stdout.indexOf("\n");
                if (newline < 0) {
                    return;
                }
                const port = Number.parseInt(stdout.slice(0, newline).trim(), 10);
                if (!Number.isInteger(port) || port <= 0) {
                    fail(`could not read policy pack port from ${JSON.stringify(stdout.slice(0, newline))}`);
                    return;
                }
                settled = true;
                clearTimeout(timer);
                const grpcjs = grpcOf();
                const client = new proto.client(`127.0.0.1:${port}`, grpcjs.credentials.createInsecure(), {
                    "grpc.max_receive_message_length": 1024 * 1024 * 400,
                });
                const pack = new PolicyPackProcess(child, client, port, dir);
                pack.stderrText = stderr;
                child.stderr?.on("data", (more: string) => (pack.stderrText += more));
                resolve(pack);
            });
        });
    }

    /** What the pack has printed on stderr so far. */
    get stderr(): string {
        return this.stderrText;
    }

    getAnalyzerInfo(): Promise<analyzerproto.AnalyzerInfo> {
        return call(this.client.getAnalyzerInfo.bind(this.client), new proto.empty.Empty());
    }

    /** ConfigureStack, as PolicyProxy.Attach forwards it: the stack's identity and dry-run flag. */
    configureStack(project: string, stack: string, dryRun = true): Promise<analyzerproto.AnalyzerStackConfigureResponse> {
        const request = new proto.analyzer.AnalyzerStackConfigureRequest();
        request.setProject(project);
        request.setStack(stack);
        request.setDryRun(dryRun);
        return call(this.client.configureStack.bind(this.client), request);
    }

    configure(request: analyzerproto.ConfigureAnalyzerRequest): Promise<emptyproto.Empty> {
        return call(this.client.configure.bind(this.client), request);
    }

    analyze(request: analyzerproto.AnalyzeRequest): Promise<analyzerproto.AnalyzeResponse> {
        return call(this.client.analyze.bind(this.client), request);
    }

    analyzeStack(request: analyzerproto.AnalyzeStackRequest): Promise<analyzerproto.AnalyzeResponse> {
        return call(this.client.analyzeStack.bind(this.client), request);
    }

    /** Closes the connection and ends the pack process (the plugin host kills its plugins when it closes them). */
    close(): Promise<void> {
        this.client.close();
        if (this.child.exitCode !== null || this.child.signalCode !== null) {
            return Promise.resolve();
        }
        return new Promise((resolve) => {
            this.child.once("exit", () => resolve());
            this.child.kill();
        });
    }
}
