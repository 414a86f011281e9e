/**
 * Test helpers over the one render mechanism (render/): renders are memoized per stack so the
 * suite pays for each example stack once.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parseStackConfig, type StackConfig } from "../stacks/config";
import { loadStackSettings, renderStack, type RenderResult, type ResourceRecord } from "../render";

export { readTree } from "./tree";

const cache = new Map<string, Promise<RenderResult>>();

/** The render of an example stack, unmodified (shared between tests: do not mutate). */
export function exampleRender(stack: "dev" | "prod"): Promise<RenderResult> {
    let render = cache.get(stack);
    if (!render) {
        render = renderStack(stack);
        cache.set(stack, render);
    }
    return render;
}

/**
 * The render of an example stack pinned to an OpenShift Pipelines line (its `operator.line`, and in prod a starting
 * CSV of that line), memoized like {@link exampleRender} (do not mutate).
 */
export function lineRender(stack: "dev" | "prod", line: string): Promise<RenderResult> {
    const key = `${stack}@${line}`;
    let render = cache.get(key);
    if (!render) {
        const settings = loadStackSettings(stack);
        const operator = JSON.parse(settings.config["pipeline-service:operator"]) as Record<string, unknown>;
        const pinned = { ...operator, line, ...(operator.startingCsv === undefined ? {} : { startingCsv: `openshift-pipelines-operator-rh.v${line}.0` }) };
        render = renderStack(stack, { overrides: { "pipeline-service:operator": pinned } });
        cache.set(key, render);
    }
    return render;
}

/** Resources of one type token. */
export function ofType(result: RenderResult, type: string): ResourceRecord[] {
    return result.resources.filter((record) => record.type === type);
}

/** The one resource of `type` named `name` (logical name); throws when absent or ambiguous. */
export function single(result: RenderResult, type: string, name?: string): ResourceRecord {
    const matches = ofType(result, type).filter((record) => name === undefined || record.name === name);
    if (matches.length !== 1) {
        throw new Error(`expected one ${type}${name ? ` named ${name}` : ""}, found ${matches.length}`);
    }
    return matches[0];
}

/** A Kubernetes object by kind type token and metadata.name (and namespace when given). */
export function manifest(result: RenderResult, type: string, objectName: string, namespace?: string): ResourceRecord {
    const matches = ofType(result, type).filter((record) => {
        const metadata = record.inputs.metadata as { name?: string; namespace?: string } | undefined;
        return metadata?.name === objectName && (namespace === undefined || metadata.namespace === namespace);
    });
    if (matches.length !== 1) {
        throw new Error(`expected one ${type} ${namespace ?? ""}/${objectName}, found ${matches.length}`);
    }
    return matches[0];
}

/** The records inside a component (its whole subtree, by parent links), the component included. */
export function subtree(result: RenderResult, root: ResourceRecord): ResourceRecord[] {
    const byUrn = new Map(result.resources.map((record) => [record.urn, record]));
    return result.resources.filter((record) => {
        for (let current: ResourceRecord | undefined = record; current; current = current.parent ? byUrn.get(current.parent) : undefined) {
            if (current.urn === root.urn) {
                return true;
            }
        }
        return false;
    });
}

/** Everything `record` waits for on `pulumi up`: its dependencies, transitively (URNs). */
export function waitsFor(result: RenderResult, record: ResourceRecord): Set<string> {
    const byUrn = new Map(result.resources.map((entry) => [entry.urn, entry]));
    const seen = new Set<string>();
    const pending = [...record.dependencies];
    while (pending.length > 0) {
        const urn = pending.pop() as string;
        if (!seen.has(urn)) {
            seen.add(urn);
            pending.push(...(byUrn.get(urn)?.dependencies ?? []));
        }
    }
    return seen;
}

/** Reads a dotted path from a plain object. */
export function at(value: unknown, ...path: string[]): unknown {
    let current = value;
    for (const key of path) {
        if (current === null || typeof current !== "object") {
            return undefined;
        }
        current = (current as Record<string, unknown>)[key];
    }
    return current;
}

/** The parsed stack config a render was made from (as the program saw it). */
export function configOf(result: RenderResult): StackConfig {
    const { config, project, stack } = result.settings;
    return parseStackConfig(config, project, stack);
}

/** Runs `fn` with `env` merged into process.env (undefined deletes), restoring it afterwards. */
export async function withEnv<T>(env: Readonly<Record<string, string | undefined>>, fn: () => Promise<T>): Promise<T> {
    const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
    const apply = (values: Readonly<Record<string, string | undefined>>): void => {
        for (const [name, value] of Object.entries(values)) {
            if (value === undefined) {
                delete process.env[name];
            } else {
                process.env[name] = value;
            }
        }
    };
    apply(env);
    try {
        return await fn();
    } finally {
        apply(saved);
    }
}

/**
 * Git in a throwaway repository, without the user's or the system's configuration and without a GIT_DIR from whoever
 * runs the tests: `env` is what to pass to `withEnv` around code under test that runs git itself.
 */
export interface GitSandbox {
    readonly env: Readonly<Record<string, string | undefined>>;
    /** Runs git in `cwd` with a fixed identity; returns its stdout. */
    git(cwd: string, ...args: string[]): string;
}

/** A {@link GitSandbox} whose HOME is `home` (made here). */
export function gitSandbox(home: string): GitSandbox {
    fs.mkdirSync(home, { recursive: true });
    const env = {
        GIT_CONFIG_NOSYSTEM: "1", HOME: home, XDG_CONFIG_HOME: path.join(home, ".config"), GIT_CONFIG_GLOBAL: undefined,
        GIT_DIR: undefined, GIT_WORK_TREE: undefined, GIT_INDEX_FILE: undefined, GIT_OBJECT_DIRECTORY: undefined,
    };
    return {
        env,
        git: (cwd, ...args) => execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
            cwd, encoding: "utf8", env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"],
        }),
    };
}
