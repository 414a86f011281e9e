/**
 * Policies on Tekton Results as the operator installs it: pruning through Results (the reason the operator's
 * pruner is off) and the database CA every Results workload that connects to PostgreSQL needs.
 *
 * Names and behaviour: tektoncd/operator v0.77.1 with results v0.16.0 (docs/operator-facts-v0.77.1.md §2-3):
 * Deployments `tekton-results-{api,watcher,retention-policy-agent}` with containers `api`, `watcher`,
 * `retention-policy-agent`; `spec.result.options.deployments` args are appended to the container's.
 */
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { asArray, asRecord, asString, tektonConfigForm } from "./resource-facts";
import { parseGoDuration } from "./secrets";

/** The Results workloads that open a database connection, by Deployment and container. */
const DB_CLIENTS = [
    { deployment: "tekton-results-api", container: "api" },
    { deployment: "tekton-results-retention-policy-agent", container: "retention-policy-agent" },
] as const;
const WATCHER = { deployment: "tekton-results-watcher", container: "watcher" } as const;
const MAX_GRACE_MS = 24 * 3600 * 1000;

/** The pod spec and one container of a Deployment override under `spec.result.options.deployments`. */
function workload(result: Record<string, unknown>, deployment: string, container: string) {
    const pod = asRecord(asRecord(asRecord(asRecord(asRecord(asRecord(result.options)?.deployments)?.[deployment])?.spec)?.template)?.spec);
    const found = asArray(pod?.containers).map(asRecord).find((candidate) => candidate?.name === container);
    return { volumes: asArray(pod?.volumes).map(asRecord), container: found };
}

/** The value of `-name=value` among a container's args. */
function flag(args: readonly unknown[], name: string): string | undefined {
    const prefix = `-${name}=`;
    return args.map(asString).find((arg) => arg?.startsWith(prefix))?.slice(prefix.length);
}

export const resultsPruningEnabled: ResourceValidationPolicy = {
    name: "results-pruning-enabled",
    description:
        "Checks whether, with the operator's pruner off, Tekton Results prunes instead: its watcher deletes archived runs " +
        "(-completed_run_grace_period > 0 and ≤ 24h; the default 0 never deletes), with -check_owner=false, and forwards logs " +
        "(-logs_api=true) before it does. Otherwise PipelineRuns, TaskRuns and their pods pile up in etcd for ever.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (tektonConfigForm(args.type) !== "object") {
            return;
        }
        const spec = asRecord(args.props.spec) ?? {};
        if (asRecord(spec.pruner)?.disabled !== true) {
            return; // The operator prunes: tekton-pruner-disabled reports that.
        }
        const result = asRecord(spec.result) ?? {};
        if (result.disabled === true) {
            reportViolation("spec.result.disabled is true while the operator's pruner is off: nothing would ever delete a completed run.");
            return;
        }
        const watcherArgs = asArray(workload(result, WATCHER.deployment, WATCHER.container).container?.args);
        const where = `spec.result.options.deployments.${WATCHER.deployment} container ${WATCHER.container} args`;
        const grace = flag(watcherArgs, "completed_run_grace_period");
        const graceMs = grace === undefined ? 0 : parseGoDuration(grace);
        if (graceMs === undefined || graceMs <= 0 || graceMs > MAX_GRACE_MS) {
            reportViolation(`${where} set -completed_run_grace_period=${grace ?? "(unset: 0, never)"}: set a Go duration above 0 and at most 24h, so the watcher deletes archived runs.`);
        }
        if (flag(watcherArgs, "check_owner") !== "false") {
            reportViolation(`${where} lack -check_owner=false: runs with an owner would never be deleted.`);
        }
        if (flag(watcherArgs, "logs_api") !== "true") {
            reportViolation(`${where} lack -logs_api=true: the watcher would delete runs without sending their logs to Results (spec.result.logs_api configures the API alone).`);
        }
    },
};

export const resultsDbCaMounted: ResourceValidationPolicy = {
    name: "results-db-ca-mounted",
    description:
        "Checks whether every Tekton Results workload that connects to the database (the API and the retention policy agent) " +
        "mounts the CA that spec.result.db_sslrootcert points at when db_sslmode verifies the server; the operator mounts none, " +
        "and without it the workload cannot connect (the agent crash-loops).",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        if (tektonConfigForm(args.type) !== "object") {
            return;
        }
        const result = asRecord(asRecord(args.props.spec)?.result) ?? {};
        const sslmode = asString(result.db_sslmode);
        if (result.disabled === true || (sslmode !== "verify-full" && sslmode !== "verify-ca")) {
            return;
        }
        const rootcert = asString(result.db_sslrootcert) ?? "";
        for (const { deployment, container } of DB_CLIENTS) {
            const found = workload(result, deployment, container);
            const mount = asArray(found.container?.volumeMounts).map(asRecord)
                .find((candidate) => rootcert.startsWith(`${asString(candidate?.mountPath) ?? "\0"}/`));
            if (!mount || !found.volumes.some((volume) => volume?.name === mount.name)) {
                reportViolation(
                    `${deployment} (container ${container}) does not mount the CA at ${JSON.stringify(rootcert)}: add a volume and a ` +
                        `volumeMount for its directory under spec.result.options.deployments.${deployment}.`,
                );
            }
        }
    },
};

/** The policies of this area, in pack order. */
export const resultsPolicies: readonly ResourceValidationPolicy[] = [resultsPruningEnabled, resultsDbCaMounted];
