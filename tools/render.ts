/**
 * The recording render: runs the real program offline under the SDK's mock runtime in preview mode and
 * records every RegisterResource request, as `pulumi preview` would send them to the engine.
 *
 * It wraps `getMonitor().registerResource` after `setMocks` (never `setMockOptions` with a custom
 * monitor: that turns the runtime's secret support off and secrets would arrive as plain values).
 * The same harness serves the CLI (`npm start`) and the tests: there is one mechanism.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { unknownValue, specialSigKey, specialSecretSig, specialResourceSig } from "@pulumi/pulumi/runtime/rpc";
import * as runtimeSettings from "@pulumi/pulumi/runtime/settings";
import * as structproto from "google-protobuf/google/protobuf/struct_pb";
import * as YAML from "yaml";

/** How a secret value appears in every rendered file and on stdout. */
export const SECRET_MARK = "[secret]";
/** How a value unknown until `pulumi up` appears. */
export const UNKNOWN_MARK = "(known after apply)";
/** What stands in for a dynamic provider's serialized code (absolute paths inside would break determinism). */
export const DYNAMIC_PROVIDER_MARK = "(serialized dynamic provider)";

export const STACK_TYPE = "pulumi:pulumi:Stack";

/** One registered resource: the contract of `out/<stack>/resources.json` (see README). */
export interface ResourceRecord {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly parent: string | null;
    readonly custom: boolean;
    readonly provider: string | null;
    readonly dependencies: readonly string[];
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly ignoreChanges: readonly string[];
    readonly deleteBeforeReplace: boolean;
    readonly additionalSecretOutputs: readonly string[];
    readonly inputs: Readonly<Record<string, unknown>>;
}

/** A stack's config as the Pulumi CLI would hand it to the program. */
export interface StackSettings {
    readonly project: string;
    readonly stack: string;
    /** Fully qualified keys (`project:key`), values as the runtime holds them (structured values as JSON). */
    readonly config: Readonly<Record<string, string>>;
    readonly secretKeys: readonly string[];
}

export interface RenderResult {
    readonly settings: StackSettings;
    readonly resources: readonly ResourceRecord[];
    /** Stack outputs, redacted like the inputs. */
    readonly outputs: Readonly<Record<string, unknown>>;
}

/** A render that could not run: no such stack, or the program refused its config. Nothing is written. */
export class RenderError extends Error {
    /** @param registered types the program registered before it stopped (for a config error: only the stack). */
    constructor(message: string, readonly registered: readonly string[] = []) {
        super(message);
        this.name = "RenderError";
    }
}

export const PROJECT_DIR = path.resolve(__dirname, "..");

interface PulumiProjectFile {
    readonly name?: unknown;
    readonly config?: Readonly<Record<string, { readonly default?: unknown; readonly value?: unknown }>>;
}

function configValueString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** Loads `Pulumi.yaml` and `Pulumi.<stack>.yaml` the way the CLI does: namespaced keys, `secure:` values as secrets. */
export function loadStackSettings(stack: string, projectDir: string = PROJECT_DIR): StackSettings {
    const projectFile = YAML.parse(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as PulumiProjectFile;
    const project = typeof projectFile.name === "string" ? projectFile.name : "";
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
        throw new RenderError(`invalid stack name ${JSON.stringify(stack)}`);
    }
    const stackPath = path.join(projectDir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackPath)) {
        const known = fs.readdirSync(projectDir).filter((file) => /^Pulumi\.[^.]+\.yaml$/.test(file)).map((file) => file.split(".")[1]);
        throw new RenderError(`no stack ${JSON.stringify(stack)}: ${stackPath} does not exist (stacks here: ${known.join(", ")})`);
    }
    const stackFile = (YAML.parse(fs.readFileSync(stackPath, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const qualify = (key: string): string => (key.includes(":") ? key : `${project}:${key}`);
    for (const [key, declared] of Object.entries(projectFile.config ?? {})) {
        const value = declared.value ?? declared.default;
        if (value !== undefined) {
            config[qualify(key)] = configValueString(value);
        }
    }
    for (const [key, value] of Object.entries(stackFile.config ?? {})) {
        const fullKey = qualify(key);
        if (value !== null && typeof value === "object" && !Array.isArray(value) && "secure" in value) {
            // Offline there is no secrets provider to decrypt with: the ciphertext stands in, marked secret.
            config[fullKey] = String((value as { secure: unknown }).secure);
            secretKeys.push(fullKey);
        } else {
            config[fullKey] = configValueString(value);
        }
    }
    return { project, stack, config, secretKeys };
}

/** Applies test or benchmark overrides to loaded settings: `undefined` removes a key. */
export function withConfig(settings: StackSettings, overrides: Readonly<Record<string, unknown>>, secretKeys: readonly string[] = []): StackSettings {
    const config: Record<string, string> = { ...settings.config };
    for (const [key, value] of Object.entries(overrides)) {
        if (value === undefined) {
            delete config[key];
        } else {
            config[key] = configValueString(value);
        }
    }
    return { ...settings, config, secretKeys: [...settings.secretKeys, ...secretKeys] };
}

function isSecretEnvelope(value: object): value is { value?: unknown } {
    return (value as Record<string, unknown>)[specialSigKey] === specialSecretSig;
}

/** Turns the wire form of a property value into what the render shows: secrets and unknowns marked. */
export function redact(value: unknown): unknown {
    if (value === unknownValue) {
        return UNKNOWN_MARK;
    }
    if (Array.isArray(value)) {
        return value.map(redact);
    }
    if (value !== null && typeof value === "object") {
        if (isSecretEnvelope(value)) {
            return SECRET_MARK;
        }
        const record = value as Record<string, unknown>;
        if (record[specialSigKey] === specialResourceSig) {
            return { resourceReference: record.urn };
        }
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(record).sort()) {
            out[key] = redact(record[key]);
        }
        return out;
    }
    return value;
}

/** The engine's URN: the parent's qualified type chain, except that the root stack is never part of it. */
function engineUrn(settings: StackSettings, parentUrn: string, type: string, name: string, stackUrn: string | undefined): string {
    let qualifiedType = type;
    if (parentUrn && parentUrn !== stackUrn) {
        qualifiedType = `${parentUrn.split("::")[2]}$${type}`;
    }
    return `urn:pulumi:${settings.stack}::${settings.project}::${qualifiedType}::${name}`;
}

function providerReference(reference: string): string | null {
    if (!reference) {
        return null;
    }
    const separator = reference.lastIndexOf("::");
    const id = reference.slice(separator + 2);
    return id === unknownValue ? `${reference.slice(0, separator)}::${UNKNOWN_MARK}` : reference;
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
interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getObject(): structproto.Struct | undefined;
    getProtect(): boolean;
    getRetainondelete(): boolean;
    getProvider(): string;
    getDependenciesList(): string[];
    getDeletebeforereplace(): boolean;
    getIgnorechangesList(): string[];
    getAdditionalsecretoutputsList(): string[];
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

/** How a render runs. */
export interface RenderOptions {
    /**
     * Serialize dynamic providers' code as the engine would (default false). The render records a marker in
     * its place either way, and the serialization is most of a cold render's time; the providers' own tests
     * serialize them for real, and a render test checks that both ways record the same.
     */
    readonly serializeDynamicProviders?: boolean;
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

async function renderNow(settings: StackSettings, program: () => unknown, options: RenderOptions): Promise<RenderResult> {
    return options.serializeDynamicProviders ? record(settings, program) : withoutClosureSerialization(() => record(settings, program));
}

async function record(settings: StackSettings, program: () => unknown): Promise<RenderResult> {
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

    let programError: unknown;
    // The SDK captures a stack trace for every promise it creates; under ts-node each one would be
    // source-mapped, which doubles a render's time. V8's plain formatting is enough while the program runs.
    const prepareStackTrace = Error.prepareStackTrace;
    delete (Error as { prepareStackTrace?: unknown }).prepareStackTrace;
    try {
        await pulumi.runtime.runInPulumiStack(async () => program());
    } catch (error) {
        programError = error;
    } finally {
        await waitForRPCs();
        Error.prepareStackTrace = prepareStackTrace;
    }
    if (programError !== undefined) {
        if (programError instanceof pulumi.RunError) {
            throw new RenderError(programError.message, records.map((record) => record.type));
        }
        throw programError;
    }
    const stackOutputs = stackUrn === undefined ? {} : outputsByUrn.get(stackUrn) ?? {};
    return { settings, resources: canonicalOrder(records), outputs: redact(stackOutputs) as Record<string, unknown> };
}

/**
 * A registration order that does not depend on timing: every resource after its parent and its
 * dependencies (as the engine requires), ties broken by URN. The order RPCs happen to arrive in varies
 * with async work such as serializing a dynamic provider, so it is not used as such.
 */
export function canonicalOrder(records: readonly ResourceRecord[]): ResourceRecord[] {
    const byUrn = new Map(records.map((record) => [record.urn, record]));
    const waitingOn = new Map<string, Set<string>>();
    const dependents = new Map<string, string[]>();
    for (const record of records) {
        const prerequisites = new Set([record.parent, ...record.dependencies].filter((urn): urn is string => urn !== null && byUrn.has(urn)));
        waitingOn.set(record.urn, prerequisites);
        for (const prerequisite of prerequisites) {
            dependents.set(prerequisite, [...(dependents.get(prerequisite) ?? []), record.urn]);
        }
    }
    const ready = records.filter((record) => waitingOn.get(record.urn)?.size === 0).map((record) => record.urn);
    const ordered: ResourceRecord[] = [];
    while (ready.length > 0) {
        ready.sort();
        const urn = ready.shift() as string;
        ordered.push(byUrn.get(urn) as ResourceRecord);
        for (const dependent of dependents.get(urn) ?? []) {
            const remaining = waitingOn.get(dependent) as Set<string>;
            remaining.delete(urn);
            if (remaining.size === 0) {
                ready.push(dependent);
            }
        }
    }
    return ordered;
}

/** Loads the project's own program (index.ts) fresh and renders `stack` with it. */
export async function renderStack(stack: string, options: RenderOptions & { readonly overrides?: Readonly<Record<string, unknown>>; readonly secretKeys?: readonly string[]; readonly projectDir?: string } = {}): Promise<RenderResult> {
    const projectDir = options.projectDir ?? PROJECT_DIR;
    const settings = withConfig(loadStackSettings(stack, projectDir), options.overrides ?? {}, options.secretKeys ?? []);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require(path.join(projectDir, "index")) as () => unknown;
    return renderProgram(settings, program, options);
}

/** `kubernetes:<group>/<version>:<Kind>` for Kubernetes objects (not providers, not patches of other kinds). */
export function isKubernetesObject(record: ResourceRecord): boolean {
    return record.custom && record.type.startsWith("kubernetes:") && !record.type.startsWith("pulumi:providers:");
}

function manifestFileName(index: number, record: ResourceRecord): string {
    const kind = record.type.split(":").pop() ?? "Object";
    const metadata = (record.inputs.metadata ?? {}) as { name?: unknown; namespace?: unknown };
    const objectName = typeof metadata.name === "string" ? metadata.name : record.name;
    const namespace = typeof metadata.namespace === "string" ? `${metadata.namespace}.` : "";
    return `${String(index).padStart(3, "0")}-${kind}-${namespace}${objectName}.yaml`.replace(/[^A-Za-z0-9._-]/g, "_");
}

/** Kubernetes manifests read best with apiVersion, kind and metadata first. */
function manifestOf(record: ResourceRecord): Record<string, unknown> {
    const { apiVersion, kind, metadata, ...rest } = record.inputs as Record<string, unknown>;
    return { apiVersion, kind, metadata, ...rest };
}

/** Name of a resource for humans: its logical name, or its type and name when ambiguous. */
function shortName(urn: string, byUrn: ReadonlyMap<string, ResourceRecord>): string {
    const record = byUrn.get(urn);
    return record ? record.name : urn.split("::").pop() ?? urn;
}

/** How many `dependencies` hops each resource sits above a resource that waits on nothing (0). */
export function dependencyDepths(records: readonly ResourceRecord[]): Map<string, number> {
    const byUrn = new Map(records.map((record) => [record.urn, record]));
    const depths = new Map<string, number>();
    const depthOf = (urn: string): number => {
        const known = depths.get(urn);
        if (known !== undefined) {
            return known;
        }
        const record = byUrn.get(urn);
        const prerequisites = record ? record.dependencies.filter((dependency) => byUrn.has(dependency)) : [];
        const depth = prerequisites.length === 0 ? 0 : 1 + Math.max(...prerequisites.map(depthOf));
        depths.set(urn, depth);
        return depth;
    };
    records.forEach((record) => depthOf(record.urn));
    return depths;
}

/**
 * Rough creation times by type, for the critical path only (from experience, not measured here): an RDS
 * instance takes many minutes, an OLM operator install a few, most objects seconds.
 */
export const TYPICAL_CREATE_SECONDS: Readonly<Record<string, number>> = {
    "aws:rds/instance:Instance": 600,
    // The operator readiness step waits for OLM to install the operator.
    "pulumi-nodejs:dynamic:Resource": 240,
    "aws:s3/bucket:Bucket": 5,
};
const DEFAULT_CREATE_SECONDS = 2;

/** Estimated creation time of one resource (components take none of their own). */
export function estimatedCreateSeconds(record: ResourceRecord): number {
    return record.custom ? TYPICAL_CREATE_SECONDS[record.type] ?? DEFAULT_CREATE_SECONDS : 0;
}

/**
 * The chain of `dependencies` with the largest estimated total creation time, first to last: what
 * `pulumi up` must do one after the other however parallel it runs.
 */
export function criticalPath(records: readonly ResourceRecord[]): { readonly path: ResourceRecord[]; readonly seconds: number } {
    const byUrn = new Map(records.map((record) => [record.urn, record]));
    const finish = new Map<string, number>();
    const via = new Map<string, string | undefined>();
    const finishOf = (urn: string): number => {
        const known = finish.get(urn);
        if (known !== undefined) {
            return known;
        }
        const record = byUrn.get(urn) as ResourceRecord;
        let latest: string | undefined;
        for (const dependency of [...record.dependencies].filter((candidate) => byUrn.has(candidate)).sort()) {
            if (latest === undefined || finishOf(dependency) > finishOf(latest)) {
                latest = dependency;
            }
        }
        const total = (latest === undefined ? 0 : finishOf(latest)) + estimatedCreateSeconds(record);
        finish.set(urn, total);
        via.set(urn, latest);
        return total;
    };
    let last: string | undefined;
    for (const record of records) {
        if (last === undefined || finishOf(record.urn) > finishOf(last)) {
            last = record.urn;
        }
    }
    const path: ResourceRecord[] = [];
    for (let urn = last; urn !== undefined; urn = via.get(urn)) {
        path.unshift(byUrn.get(urn) as ResourceRecord);
    }
    return { path, seconds: last === undefined ? 0 : finishOf(last) };
}

/** Resources that wait, directly or through others, on the resource `urn`. */
export function waitersOn(records: readonly ResourceRecord[], urn: string): ResourceRecord[] {
    const waiting = new Set<string>([urn]);
    let grew = true;
    while (grew) {
        grew = false;
        for (const record of records) {
            if (!waiting.has(record.urn) && record.dependencies.some((dependency) => waiting.has(dependency))) {
                waiting.add(record.urn);
                grew = true;
            }
        }
    }
    return records.filter((record) => record.urn !== urn && waiting.has(record.urn));
}

/** The stdout summary: one row per resource with its dependency depth and what it waits on, then the critical path. */
export function formatSummary(result: RenderResult): string {
    const byUrn = new Map(result.resources.map((record) => [record.urn, record]));
    const depths = dependencyDepths(result.resources);
    const rows = result.resources.map((record) => [
        record.type,
        record.name,
        String(depths.get(record.urn) ?? 0),
        record.dependencies.map((urn) => shortName(urn, byUrn)).join(", ") || "-",
    ]);
    const header = ["TYPE", "NAME", "DEPTH", "WAITS ON"];
    const widths = header.map((title, column) => Math.min(70, Math.max(title.length, ...rows.map((row) => row[column].length))));
    const line = (cells: readonly string[]): string => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]))).join("  ");
    const outputs = Object.entries(result.outputs).map(([key, value]) => `  ${key}: ${typeof value === "string" ? value : JSON.stringify(value)}`);
    const critical = criticalPath(result.resources);
    const database = result.resources.find((record) => record.type === "aws:rds/instance:Instance");
    const databaseLines = database === undefined ? [] : (() => {
        const waiters = waitersOn(result.resources, database.urn);
        const custom = result.resources.filter((record) => record.custom && record.urn !== database.urn);
        return [
            `waits on the RDS instance (${waiters.length}): ${waiters.map((record) => `${record.type.split(":").pop()}/${record.name}`).join(", ") || "-"}`,
            `starts without it: ${custom.length - waiters.filter((record) => record.custom).length} of ${custom.length} custom resources`,
        ];
    })();
    return [
        `stack ${result.settings.stack} (project ${result.settings.project}): ${result.resources.length} resources, preview (nothing deployed)`,
        line(header),
        ...rows.map(line),
        `critical path of pulumi up (~${critical.seconds} s by typical creation times): ${critical.path.map((record) => `${record.type.split(":").pop()}/${record.name}`).join(" → ")}`,
        ...databaseLines,
        "outputs:",
        ...outputs,
    ].join("\n");
}

/** Writes `resources.json`, `outputs.json` and one manifest per Kubernetes object under `outDir`; returns the paths. */
export function writeRender(result: RenderResult, outDir: string): string[] {
    fs.rmSync(outDir, { recursive: true, force: true });
    fs.mkdirSync(path.join(outDir, "manifests"), { recursive: true });
    const written: string[] = [];
    const write = (file: string, content: string): void => {
        fs.writeFileSync(file, content);
        written.push(file);
    };
    write(path.join(outDir, "resources.json"), `${JSON.stringify(result.resources, null, 2)}\n`);
    write(path.join(outDir, "outputs.json"), `${JSON.stringify(result.outputs, null, 2)}\n`);
    result.resources.filter(isKubernetesObject).forEach((record, index) => {
        write(path.join(outDir, "manifests", manifestFileName(index + 1, record)),
            YAML.stringify(manifestOf(record), { lineWidth: 0, sortMapEntries: false }));
    });
    return written;
}
