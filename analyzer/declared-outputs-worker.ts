/**
 * Child process of `declared-outputs.ts`: prints, as JSON, the output properties each given resource type's SDK class
 * declares. `node -r ts-node/register/transpile-only analyzer/declared-outputs-worker.ts <type token>...`
 *
 * Under the SDK's mock runtime it asks the provider package's own resource-module registry (the one the SDK uses to
 * rehydrate resource references: `registerResourceModule` in each generated module index, `getResourceModule` in
 * @pulumi/pulumi `runtime/rpc.ts`) to construct an instance by URN, and lists the instance's own properties: the
 * SDK's `transferProperties` (`runtime/resource.ts`) creates one Output per key of the class's `resourceInputs`,
 * i.e. every input and every output-only property of the class (the ones generated as `undefined` with an `out`
 * comment), which are exactly its public readonly fields.
 * Nothing is registered with an engine; the process exits once it has printed.
 */
import * as pulumi from "@pulumi/pulumi";
import { getResourceModule } from "@pulumi/pulumi/runtime/rpc";

/** Own properties every resource instance has that are not declared by its class. */
const BASE_PROPERTIES: ReadonlySet<string> = new Set(["urn", "id"]);

async function main(types: readonly string[]): Promise<void> {
    // Resolving the by-URN lookup the constructor starts is irrelevant here: only the instance's shape is used.
    process.on("unhandledRejection", () => undefined);
    await pulumi.runtime.setMocks({ newResource: () => ({ id: "declared-outputs", state: {} }), call: () => ({}) }, "analyzer", "declared-outputs", true);
    const result: Record<string, string[] | null> = {};
    const loaded = new Set<string>();
    for (const type of types) {
        const [pkg, mod, name] = type.split(":");
        if (pkg === undefined || mod === undefined || name === undefined) {
            result[type] = null;
            continue;
        }
        if (!loaded.has(pkg)) {
            loaded.add(pkg);
            try {
                // The package index registers every module of the package with the runtime.
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                require(`@pulumi/${pkg}`);
            } catch {
                // Not an installed provider SDK (dynamic resources, components): nothing declared.
            }
        }
        const module = getResourceModule(pkg, mod, undefined);
        if (module === undefined) {
            result[type] = null;
            continue;
        }
        try {
            const instance = module.construct("declared-outputs", type, `urn:pulumi:declared-outputs::analyzer::${type}::declared-outputs`);
            result[type] = Object.keys(instance).filter((key) => !BASE_PROPERTIES.has(key) && !key.startsWith("__")).sort();
        } catch {
            result[type] = null;
        }
    }
    process.stdout.write(`${JSON.stringify(result)}\n`, () => process.exit(0));
}

main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
});
