/**
 * The dynamic provider behind OperatorReadiness (readiness.ts). In preview the engine never calls `create`, so
 * previews touch nothing; `check` and `diff` refuse a line change OLM cannot perform (a skipped line or a downgrade),
 * so that `pulumi preview` fails before anything changes. (An `up` without a preview, like the Automation API's `up`
 * that pulumi/actions runs, has by then already applied the Subscription this resource depends on: the SDK registers
 * a resource only once its `dependsOn` resources are registered, i.e. done.)
 *
 * Pulumi serializes the provider from its function text and runs it in the engine's dynamic-provider host, not in
 * the program: what it calls at run time is captured from module-level functions and values (project modules by
 * value, packages by `require` in the host). test/operator-readiness-provider.test.ts runs it serialized.
 */
import type * as pulumi from "@pulumi/pulumi";
import { lineChangeProblem, minorOfCsv } from "../../lib/operator-lines";
import { waitForOperatorReady, type OperatorReadinessOptions, type OperatorReadinessResult } from "./readiness-wait";

/** Inputs of the OperatorReadiness dynamic provider, as the provider sees them (resolved). */
type ReadinessInputs = Omit<OperatorReadinessOptions, "pollIntervalMs">;

/**
 * Outputs recorded in state; the kubeconfig is deliberately not among them. `line` only when the stack is pinned,
 * `installedCsv` is what really ran at the last `up` (what `diff` judges a line change against).
 */
type ReadinessOutputs = Omit<ReadinessInputs, "kubeconfig" | "context" | "tektonConfigName"> & OperatorReadinessResult;

/** Inputs whose change means "a different operator install" (or line): only these re-run the wait. */
const WAIT_KEYS = ["subscriptionNamespace", "subscriptionName", "crdName", "line"] as const;

async function runWait(inputs: ReadinessInputs): Promise<ReadinessOutputs> {
    const { installedCsv } = await waitForOperatorReady(inputs);
    return {
        subscriptionNamespace: inputs.subscriptionNamespace,
        subscriptionName: inputs.subscriptionName,
        crdName: inputs.crdName,
        timeoutSeconds: inputs.timeoutSeconds,
        ...(inputs.line === undefined ? {} : { line: inputs.line }),
        installedCsv,
    };
}

/** The dynamic provider behind OperatorReadiness (exported for tests). */
export const operatorReadinessProvider: pulumi.dynamic.ResourceProvider<ReadinessInputs, ReadinessOutputs> = {
    async create(inputs) {
        const outs = await runWait(inputs);
        return { id: `${inputs.subscriptionNamespace}/${inputs.subscriptionName}`, outs };
    },
    async check(olds, news) {
        // `olds` are the previous INPUTS (pulumi/pulumi pkg/resource/deploy/step_generator.go passes
        // `Olds: oldInputs` to prov.Check; empty on a create or a replacement's re-check), so this compares the
        // line asked for last time with the one asked for now. `diff` judges against what really ran.
        const problem = typeof olds.line === "string" && typeof news.line === "string"
            ? lineChangeProblem(olds.line, news.line)
            : undefined;
        return problem === undefined ? { inputs: news } : { inputs: news, failures: [{ property: "line", reason: problem }] };
    },
    async diff(_id, olds, news) {
        // `olds` are the previous OUTPUTS (state: the DiffRequest's `olds` are OldOutputs, pulumi/pulumi
        // sdk/go/common/resource/plugin/provider_plugin.go), whose installedCsv is what ran at the last `up`; it
        // also catches a stack that followed `latest` (no old line) and is now pinned below what it runs. Throwing
        // fails the preview (see the module comment for an `up` without one).
        const deployed = (typeof olds.installedCsv === "string" ? minorOfCsv(olds.installedCsv) : undefined) ?? olds.line;
        if (typeof news.line === "string" && typeof deployed === "string") {
            const problem = lineChangeProblem(deployed, news.line);
            if (problem !== undefined) {
                throw new Error(problem);
            }
        }
        // A new kubeconfig (token rotation) or timeout must not re-run the wait. Any other change replaces the
        // resource (re-runs `create`), so the provider has no `update`: the engine would never call it.
        const changed = WAIT_KEYS.filter((key) => olds[key] !== news[key]);
        return { changes: changed.length > 0, replaces: changed.length > 0 ? [...changed] : [] };
    },
    async delete() {
        // Nothing to clean up: the wait created no cluster object.
    },
};
