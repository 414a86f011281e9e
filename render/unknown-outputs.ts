/**
 * Which output properties of a resource a first `pulumi preview` cannot know: the properties its SDK class
 * declares that the program left unset, for providers that plan computed values as unknown.
 *
 * The SDK's generated resource classes declare every output by putting it into the registration's property
 * bag, as `undefined` when the program does not set it (e.g. @pulumi/aws `s3/bucket.js`:
 * `resourceInputs["arn"] = undefined /*out*\/`). Those props reach `registerResource` in
 * `@pulumi/pulumi/runtime/resource.js`, which `CustomResource` calls through its module exports
 * (`resource.js`: `resource_1.registerResource(this, parent, t, name, …, props, …)`); wrapping that export
 * sees them before they are serialized (undefined values never reach the monitor).
 *
 * Which providers leave them unknown (what the engine hands `AnalyzeStack` for a resource being created):
 * - Terraform-bridged providers (aws, random) answer `Create(preview=true)` with the planned state, whose
 *   computed attributes are unknown. The SDK cannot tell computed from optional-and-unset, so every unset
 *   declared property counts as unknown: policies must not rely on any of them.
 * - The Kubernetes provider answers with a server-side dry run or, failing that, the inputs as they are
 *   (pulumi/pulumi-kubernetes `provider/pkg/provider/provider.go`, `Create`: `failedPreview` returns
 *   `req.GetProperties()`): nothing it has not been given is unknown.
 * - Dynamic providers (pulumi-nodejs) and provider resources report their inputs.
 */

/** Type-token packages whose preview outputs are the inputs (no provider-computed unknowns). */
const INPUT_ECHOING_PACKAGES: readonly string[] = ["kubernetes", "pulumi-nodejs", "pulumi"];

interface RuntimeResourceModule {
    registerResource(res: unknown, parent: unknown, t: string, name: string, custom: boolean, remote: boolean, newDependency: unknown,
        props: Record<string, unknown>, ...rest: unknown[]): void;
}

/** Unset declared properties by `<type>::<name>`, as registered. */
export type DeclaredUnset = ReadonlyMap<string, readonly string[]>;

/**
 * Runs `during` while recording, for every custom resource registered, the declared properties it left
 * unset. Returns the lookup alongside `during`'s result.
 */
export async function capturingDeclaredUnset<T>(during: (unset: DeclaredUnset) => Promise<T>): Promise<T> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const runtime = require("@pulumi/pulumi/runtime/resource") as RuntimeResourceModule;
    const registerResource = runtime.registerResource;
    const unset = new Map<string, readonly string[]>();
    runtime.registerResource = function (res, parent, t, name, custom, remote, newDependency, props, ...rest) {
        if (custom) {
            unset.set(`${t}::${name}`, Object.keys(props).filter((key) => props[key] === undefined && !key.startsWith("__")).sort());
        }
        return registerResource.call(this, res, parent, t, name, custom, remote, newDependency, props, ...rest);
    };
    try {
        return await during(unset);
    } finally {
        runtime.registerResource = registerResource;
    }
}

/** The outputs of a resource of `type` that are unknown in a first preview, given the declared ones it left unset. */
export function unknownOutputsOf(type: string, declaredUnset: readonly string[]): string[] {
    const pkg = type.slice(0, type.indexOf(":"));
    return INPUT_ECHOING_PACKAGES.includes(pkg) ? [] : [...declaredUnset];
}
