/**
 * A stack's configuration as the Pulumi CLI would hand it to the program, read from `Pulumi.yaml` and
 * `Pulumi.<stack>.yaml` without the CLI. Every problem with those files is a {@link RenderError} naming the
 * file (and line and column for YAML syntax), never a parser's stack trace.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { RenderError } from "./errors";
import { decryptStackConfig } from "./stack-secrets";

/** A stack's config as the Pulumi CLI would hand it to the program. */
export interface StackSettings {
    readonly project: string;
    readonly stack: string;
    /** Fully qualified keys (`project:key`), values as the runtime holds them (structured values as JSON). */
    readonly config: Readonly<Record<string, string>>;
    readonly secretKeys: readonly string[];
}

/** The project this library renders by default: the directory above render/ (also right in bin/). */
export const PROJECT_DIR = path.resolve(__dirname, "..");

interface PulumiProjectFile {
    readonly name?: unknown;
    readonly config?: Readonly<Record<string, { readonly default?: unknown; readonly value?: unknown }>>;
}

function configValueString(value: unknown): string {
    return typeof value === "string" ? value : JSON.stringify(value);
}

/** A path as a user recognizes it: relative to the working directory when below it. */
export function shown(file: string): string {
    const relative = path.relative(process.cwd(), file);
    return relative && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

/** Reads a YAML mapping; a missing file, bad syntax or another top-level value is a RenderError. */
function readYamlMapping(file: string): Record<string, unknown> {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        throw new RenderError(`cannot read ${shown(file)}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    const lineCounter = new YAML.LineCounter();
    const document = YAML.parseDocument(text, { lineCounter });
    const [error] = document.errors;
    if (error !== undefined) {
        // The parser's message repeats the position and quotes the source; file:line:col says it once.
        const position = error.linePos?.[0];
        const where = position ? `:${position.line}:${position.col}` : "";
        throw new RenderError(`${shown(file)}${where}: ${error.message.split(" at line ")[0].split("\n")[0]}`);
    }
    // A list or mapping as a key (`? [a]`) would become a string key with a process warning on stderr (yaml's
    // toJS, "Keys with collection values will be stringified"); the Pulumi CLI reads keys as strings only.
    YAML.visit(document, {
        Pair(_, pair) {
            if (YAML.isCollection(pair.key)) {
                const position = lineCounter.linePos(pair.key.range?.[0] ?? 0);
                throw new RenderError(`${shown(file)}:${position.line}:${position.col}: a key must be a string, not a list or mapping`);
            }
        },
    });
    const parsed: unknown = document.toJS();
    if (parsed === null || parsed === undefined) {
        return {};
    }
    if (typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new RenderError(`${shown(file)}: expected a mapping at the top level`);
    }
    return parsed as Record<string, unknown>;
}

/** Where a stack's file lives unless given: `Pulumi.<stack>.yaml` beside `Pulumi.yaml`. */
export function stackFilePath(stack: string, projectDir: string = PROJECT_DIR): string {
    return path.join(projectDir, `Pulumi.${stack}.yaml`);
}

/**
 * Loads `Pulumi.yaml` and `Pulumi.<stack>.yaml` the way the CLI does: namespaced keys, `secure:` values decrypted
 * (passphrase stacks, the passphrase from `env`) and marked secret. `stackFile` replaces the stack's file, like
 * `pulumi --config-file`.
 */
export function loadStackSettings(stack: string, projectDir: string = PROJECT_DIR, stackFile?: string, env: NodeJS.ProcessEnv = process.env): StackSettings {
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) {
        throw new RenderError(`invalid stack name ${JSON.stringify(stack)}: use letters, digits, "-", "_" and "." only (the stack's file is Pulumi.<stack>.yaml beside Pulumi.yaml)`);
    }
    const projectFile = readYamlMapping(path.join(projectDir, "Pulumi.yaml")) as PulumiProjectFile;
    const project = typeof projectFile.name === "string" ? projectFile.name : "";
    const stackPath = stackFile ?? stackFilePath(stack, projectDir);
    if (stackFile !== undefined && !fs.existsSync(stackFile)) {
        throw new RenderError(`no config file for stack ${JSON.stringify(stack)}: ${stackFile} does not exist`);
    }
    if (!fs.existsSync(stackPath)) {
        const known = fs.readdirSync(projectDir).filter((file) => /^Pulumi\.[^.]+\.yaml$/.test(file)).map((file) => file.split(".")[1]);
        throw new RenderError(`no stack ${JSON.stringify(stack)}: ${stackPath} does not exist (stacks here: ${known.join(", ")})`);
    }
    const stackMapping = readYamlMapping(stackPath);
    const stackConfig = stackMapping.config ?? {};
    if (typeof stackConfig !== "object" || stackConfig === null || Array.isArray(stackConfig)) {
        throw new RenderError(`${shown(stackPath)}: config must be a mapping of keys to values`);
    }
    const config: Record<string, string> = {};
    const qualify = (key: string): string => (key.includes(":") ? key : `${project}:${key}`);
    for (const [key, declared] of Object.entries(projectFile.config ?? {})) {
        const value = declared.value ?? declared.default;
        if (value !== undefined) {
            config[qualify(key)] = configValueString(value);
        }
    }
    const qualified = Object.fromEntries(Object.entries(stackConfig).map(([key, value]) => [qualify(key), value as unknown]));
    const { values, secretKeys } = decryptStackConfig(stack, shown(stackPath), stackMapping, qualified, env);
    for (const [key, value] of Object.entries(values)) {
        config[key] = configValueString(value);
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
