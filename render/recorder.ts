/**
 * The recording render: runs a Pulumi program offline under the SDK's mock runtime in preview mode and
 * records every RegisterResource request, as `pulumi preview` would send them to the engine.
 *
 * It wraps `getMonitor().registerResource` after `setMocks` (never `setMockOptions` with a custom
 * monitor: that turns the runtime's secret support off and secrets would arrive as plain values).
 * The same mechanism serves the CLI (`npm start`), the benchmark and the tests.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import * as runtimeSettings from "@pulumi/pulumi/runtime/settings";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import { DYNAMIC_PROVIDER_MARK, STACK_TYPE, type ResourceRecord } from "./contract";
import { RenderError } from "./errors";
import { canonicalOrder } from "./order";
import { findSecretLeaks } from "./secret-leaks";
import { isSecretEnvelope, redact } from "./redact";
import { aliasUrn, engineUrn, propertyDependenciesOf, providerReference, type RegisterRequest } from "./request-fields";
import { loadStackSettings, PROJECT_DIR, withConfig, type StackSettings } from "./settings";
import { capturingDeclaredUnset, unknownOutputsOf, type DeclaredUnset } from "./unknown-outputs";

export interface RenderResult {
    readonly settings: StackSettings;
    /** In canonical order (see order.ts). */
    readonly resources: readonly ResourceRecord[];
    /** Stack outputs, redacted like the inputs. */
    readonly outputs: Readonly<Record<string, unknown>>;
}

/** How a render runs. */
export interface RenderOptions {
    /**
     * Serialize dynamic providers' code as the engine would (default false). The render records a marker in
     * its place either way, and the serialization is most of a cold render's time; the providers' own tests
     * serialize them for real, and a render test checks that both ways record the same.
     */
    readonly serializeDynamicProviders?: boolean;
}

/** What the engine would report as outputs in preview: the inputs, plus secret-but-unknown extra secret outputs. */
function previewState(inputs: Record<string, unknown>, additionalSecretOutputs: readonly string[]): Record<string, unknown> {
    const state: Record<string, unknown> = { ...inputs };
    for (const key of additionalSecretOutputs) {
        const current = state[key];
        const alreadySecret = current !== null && typeof current === "object" && isSecretEnvelope(current);
        if (!alreadySecret) {
            state[key] = { [specialSigKey]: specialSecretSig, value: current === undefined ? unknownValue : current };
        }
    }
    return state;
}

type Callback<T> = (error: Error | null, response?: T) => void;
interface RecordingMonitor {
    registerResource(request: RegisterRequest, callback: Callback<RegisterResponse>): void;
    registerResourceOutputs(request: { getUrn(): string; getOutputs(): structproto.Struct | undefined }, callback: Callback<object>): void;
}
interface RegisterResponse {
    setUrn(urn: string): void;
    setId(id: string): void;
    setObject(object: structproto.Struct): void;
}

const mocks: pulumi.runtime.Mocks = {
    // The recording monitor below answers with the preview state; the mock's own answer is discarded.
    newResource: () => ({ id: undefined, state: {} }),
    call: () => ({}),
};

/**
 * Drains the runtime's RPC queue. `waitForRPCs` is exported by the SDK at run time but marked internal,
 * so its declaration is stripped; `disconnect()` would also drain it but ends the mock session.
 */
const waitForRPCs = (runtimeSettings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs;

let renderQueue: Promise<unknown> = Promise.resolve();

/** Runs `program` as the stack described by `settings` and returns what it registered. One render at a time. */
export function renderProgram(settings: StackSettings, program: () => unknown, options: RenderOptions = {}): Promise<RenderResult> {
    const run = renderQueue.then(() => renderNow(settings, program, options));
    renderQueue = run.catch(() => undefined);
    return run;
}

interface ClosureSerializer {
    serializeFunction(func: () => unknown, options?: object): Promise<{ text: string; exportName: string; containsSecrets: boolean }>;
}

/**
 * Runs `during` with the SDK's closure serializer (what `pulumi.dynamic.Resource` calls, through its module
 * exports, to ship a provider's code) answering with the render's marker instead of serializing.
 */
async function withoutClosureSerialization<T>(during: () => Promise<T>): Promise<T> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const closure = require("@pulumi/pulumi/runtime/closure/serializeClosure") as ClosureSerializer;
    const serializeFunction = closure.serializeFunction;
    closure.serializeFunction = async () => ({ text: DYNAMIC_PROVIDER_MARK, exportName: "handler", containsSecrets: false });
    try {
        return await during();
    } finally {
        closure.serializeFunction = serializeFunction;
    }
}

/**
 * Runs the program without stack traces (see runSettled); when it fails with anything but the user-facing errors
 * (a bug), runs it once more with them, so that the error that escapes carries its frames. The program is
 * deterministic: the same bug fails the same way.
 */
async function renderNow(settings: StackSettings, program: () => unknown, options: RenderOptions): Promise<RenderResult> {
    const run = (stackTraces: boolean) => (): Promise<RenderResult> => capturingDeclaredUnset((unset) => record(settings, program, unset, stackTraces));
    const serializing = (during: () => Promise<RenderResult>): Promise<RenderResult> => (options.serializeDynamicProviders ? during() : withoutClosureSerialization(during));
    try {
        return await serializing(run(false));
    } catch (error) {
        if (error instanceof RenderError) {
            throw error;
        }
        return serializing(run(true));
    }
}

/**
 * Runs `program` in a Pulumi stack and settles everything it started. When the program throws, the SDK's
 * Stack leaves promises derived from that error unhandled (the stack outputs' `isKnown` and `isSecret`);
 * the Pulumi CLI's language host catches those with a process handler, and so does this, for the duration
 * of the run: otherwise Node would print the error a second time with its stack trace and crash after the
 * render has already reported it. A rejection with any other reason fails the render, as it fails
 * `pulumi preview`.
 */
async function runSettled(program: () => unknown, stackTraces: boolean): Promise<unknown> {
    const unhandled: unknown[] = [];
    const collect = (reason: unknown): void => {
        unhandled.push(reason);
    };
    let programError: unknown;
    process.on("unhandledRejection", collect);
    // The SDK captures a stack trace for every promise it creates (runtime/debuggable.js debuggablePromise reads
    // `new Error().stack`, for its leak report), and formatting them was half of a warm render's time. No frames are
    // captured while the program runs (renderNow runs a failing program again with them); when they are, V8's plain
    // formatting is enough (under ts-node each would be source-mapped).
    const prepareStackTrace = Error.prepareStackTrace;
    const stackTraceLimit = Error.stackTraceLimit;
    delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
    if (!stackTraces) {
        Error.stackTraceLimit = 0;
    }
    try {
        await pulumi.runtime.runInPulumiStack(async () => program());
    } catch (error) {
        programError = error;
    } finally {
        await waitForRPCs();
        Error.prepareStackTrace = prepareStackTrace;
        Error.stackTraceLimit = stackTraceLimit;
        // Node reports a rejection as unhandled once the current macrotask is done: wait for that, still listening.
        await new Promise<void>((resolve) => setImmediate(resolve));
        process.off("unhandledRejection", collect);
    }
    return programError ?? unhandled.find((reason) => reason !== programError);
}

async function record(settings: StackSettings, program: () => unknown, declaredUnset: DeclaredUnset, stackTraces: boolean): Promise<RenderResult> {
    pulumi.runtime.setAllConfig({ ...settings.config }, [...settings.secretKeys]);
    await pulumi.runtime.setMocks(mocks, settings.project, settings.stack, true);

    const monitor = pulumi.runtime.getMonitor() as unknown as RecordingMonitor;
    const originalRegister = monitor.registerResource.bind(monitor);
    const records: ResourceRecord[] = [];
    const outputsByUrn = new Map<string, unknown>();
    let stackUrn: string | undefined;

    monitor.registerResource = (request, callback) => {
        const type = request.getType();
        const rawInputs = (request.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>;
        const urn = engineUrn(settings, request.getParent(), type, request.getName(), stackUrn);
        if (type === STACK_TYPE) {
            stackUrn = urn;
        }
        const inputs = redact(rawInputs) as Record<string, unknown>;
        if (typeof inputs.__provider === "string") {
            inputs.__provider = DYNAMIC_PROVIDER_MARK;
        }
        // Field order is the file's: resources.json is written from these objects as they are.
        records.push({
            urn,
            type,
            name: request.getName(),
            parent: request.getParent() || null,
            custom: request.getCustom(),
            provider: providerReference(request.getProvider()),
            dependencies: [...new Set(request.getDependenciesList())],
            protect: request.getProtect(),
            retainOnDelete: request.getRetainondelete(),
            ignoreChanges: request.getIgnorechangesList(),
            deleteBeforeReplace: request.getDeletebeforereplace(),
            additionalSecretOutputs: request.getAdditionalsecretoutputsList(),
            replaceOnChanges: request.getReplaceonchangesList(),
            aliases: request.getAliasesList().map((alias) => aliasUrn(alias, settings, request.getParent(), type, request.getName(), stackUrn)),
            unknownOutputs: request.getCustom() ? unknownOutputsOf(type, declaredUnset.get(`${type}::${request.getName()}`) ?? []) : [],
            propertyDependencies: propertyDependenciesOf(request),
            inputs,
        });
        originalRegister(request, (error, response) => {
            if (response) {
                response.setUrn(urn);
                // Preview: ids are unknown; outputs are the inputs (secrets stay secret) as the engine reports them.
                response.setId("");
                response.setObject(structproto.Struct.fromJavaScript(
                    previewState(rawInputs, request.getAdditionalsecretoutputsList()) as Record<string, structproto.JavaScriptValue>));
            }
            callback(error, response);
        });
    };
    monitor.registerResourceOutputs = (request, callback) => {
        outputsByUrn.set(request.getUrn(), request.getOutputs()?.toJavaScript() ?? {});
        callback(null, {});
    };

    const programError = await runSettled(program, stackTraces);
    if (programError !== undefined) {
        if (programError instanceof pulumi.RunError) {
            throw new RenderError(programError.message, records.map((entry) => entry.type));
        }
        throw programError;
    }
    const stackOutputs = stackUrn === undefined ? {} : outputsByUrn.get(stackUrn) ?? {};
    const result = { settings, resources: canonicalOrder(records), outputs: redact(stackOutputs) as Record<string, unknown> };
    const leaks = findSecretLeaks(settings, result.resources, result.outputs);
    if (leaks.length > 0) {
        throw new RenderError(`the render would write secret config values in clear (the program uses them as plain values, so pulumi up `
            + `would store them in clear in the state too); set them without --secret if they are not secret:\n${leaks.map((line) => `  - ${line}`).join("\n")}`);
    }
    return result;
}

/** Where the project's program and stack files are, and what to change for this render. */
export interface RenderStackOptions extends RenderOptions {
    readonly overrides?: Readonly<Record<string, unknown>>;
    readonly secretKeys?: readonly string[];
    /** Directory of `Pulumi.yaml` and the program (`index`); default: this project. */
    readonly projectDir?: string;
    /** The stack's config file instead of `<projectDir>/Pulumi.<stack>.yaml` (like `pulumi --config-file`). */
    readonly stackFile?: string;
}

/** Loads the project's own program (index) fresh and renders `stack` with it. */
export async function renderStack(stack: string, options: RenderStackOptions = {}): Promise<RenderResult> {
    const projectDir = options.projectDir ?? PROJECT_DIR;
    const settings = withConfig(loadStackSettings(stack, projectDir, options.stackFile), options.overrides ?? {}, options.secretKeys ?? []);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require(path.join(projectDir, "index")) as () => unknown;
    return renderProgram(settings, program, options);
}
