/**
 * The output properties a resource type's SDK class declares, for the first-preview model of `previewOutputs`.
 *
 * Why this way: no provider SDK here ships its schema (node_modules/@pulumi/aws has only `package.json`'s
 * `pulumi: {resource, name, version}`), and reading the generated JavaScript for properties assigned `undefined` (marked `out`) would be a regex
 * over code. The SDK itself knows the answer: an instance of the class owns one Output per declared property. The
 * worker builds one instance per type through the package's own resource-module registry, under the mock runtime, in
 * a child process so the caller's runtime state (a render's mocks, for instance) is never touched.
 *
 * Types without an SDK class here (Kubernetes custom resources, dynamic resources, components, providers) declare
 * nothing: their outputs are modelled as their inputs.
 */
import { execFile } from "node:child_process";
import * as path from "node:path";

/** Declared output property names by type token; `undefined` when the type has no SDK class here. */
export type DeclaredOutputs = ReadonlyMap<string, readonly string[]>;

const WORKER = path.join(__dirname, "declared-outputs-worker.ts");

/** Asks the worker for the declared outputs of each type; one child process for all of them. */
export function loadDeclaredOutputs(types: Iterable<string>): Promise<DeclaredOutputs> {
    const unique = [...new Set(types)].filter((type) => !type.startsWith("pulumi:")).sort();
    if (unique.length === 0) {
        return Promise.resolve(new Map());
    }
    return new Promise((resolve, reject) => {
        execFile(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", WORKER, ...unique],
            { cwd: path.join(__dirname, ".."), maxBuffer: 16 * 1024 * 1024 },
            (error, stdout, stderr) => {
                if (error) {
                    reject(new Error(`could not read the SDK classes' declared outputs: ${stderr.trim() || error.message}`));
                    return;
                }
                try {
                    const parsed = JSON.parse(stdout) as Record<string, string[] | null>;
                    resolve(new Map(Object.entries(parsed).flatMap(([type, keys]) => (keys === null ? [] : [[type, keys] as const]))));
                } catch (parseError) {
                    reject(new Error(`declared-outputs worker printed no JSON: ${(parseError as Error).message}`));
                }
            },
        );
    });
}
