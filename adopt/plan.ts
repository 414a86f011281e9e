/**
 * The adoption plan, pure: from a render of the stack, its parsed config, the cluster dump and (optionally) the AWS
 * dump, what `pulumi import` adopts (the import file) and the report of what happens to everything else. No I/O:
 * tools/adopt.ts reads the files and writes the results. The parts: same-cluster.ts (the dump's cluster),
 * signing-key.ts, classify.ts and consequences.ts (imported or created), unmanaged.ts, live-facts.ts (for the config
 * check) and build-import-file.ts.
 */
import type { ResourceRecord } from "../render/contract";
import type { RenderResult } from "../render/recorder";
import type { StackConfig } from "../stacks/config";
import { compareStrings } from "../lib/json-values";
import { buildImportFile } from "./build-import-file";
import { classifyAll } from "./classify";
import { configMismatches } from "./config-check";
import { awsConflicts, kubernetesConflicts, renderedObjects, type Conflict } from "./conflicts";
import { createdEntries } from "./consequences";
import type { ImportFile } from "./import-file";
import { keyOfLive, keyString, qualifiedName, stringAt, type AwsDump, type LiveObject } from "./inputs";
import { liveFacts } from "./live-facts";
import type { AdoptReport } from "./report";
import { checkSameCluster, targetNamespace } from "./same-cluster";
import { chainsOutcome } from "./signing-key";
import { unmanagedObjects } from "./unmanaged";

/** What the plan is made from. */
export interface AdoptInputs {
    readonly render: RenderResult;
    readonly config: StackConfig;
    readonly live: readonly LiveObject[];
    readonly aws?: AwsDump;
}

/** The plan: the report always, the import file only when nothing stops the import. */
export interface AdoptPlan {
    readonly report: AdoptReport;
    readonly importFile?: ImportFile;
}

/** Too many access keys for the program to add one. */
function accessKeyStop(resources: readonly ResourceRecord[], aws: AwsDump | undefined): string | undefined {
    const key = resources.find((record) => record.type === "aws:iam/accessKey:AccessKey");
    const user = key === undefined ? undefined : stringAt(key.inputs, "user");
    const count = aws?.getUser?.User.UserName === user ? aws?.listAccessKeys?.AccessKeyMetadata.length ?? 0 : 0;
    if (user === undefined || count < 2) {
        return undefined;
    }
    return `IAM user ${user} already has ${count} access keys, the most AWS allows, so the first up cannot create the one the program writes for Results. `
        + `Delete the one Results does not use (aws iam list-access-keys --user-name ${user}, then aws iam delete-access-key --user-name ${user} --access-key-id <id>) and run adopt again.`;
}

/** The stop that sums up section 3, if anything is in it. */
function conflictsStop(conflicts: readonly Conflict[]): string[] {
    const count = conflicts.length;
    return count === 0 ? [] : [`${count} thing${count === 1 ? "" : "s"} of the program exist${count === 1 ? "s" : ""} under another name (section 3): `
        + "importing now would leave the program creating duplicates beside them. Resolve each as it says."];
}

/** The plan for adopting what runs into the stack: see {@link AdoptPlan}. Throws AdoptInputError (inputs.ts) for a dump of another cluster. */
export function planAdoption(inputs: AdoptInputs, liveFile = "the live dump"): AdoptPlan {
    const { render, config, aws } = inputs;
    const resources = render.resources;
    checkSameCluster(inputs.live, config.appsDomain, resources, liveFile);
    const live = new Map(inputs.live.map((object) => [keyString(keyOfLive(object)), object]));
    const rendered = renderedObjects(resources);
    const namespace = targetNamespace(resources) ?? "openshift-pipelines";
    const chains = chainsOutcome(config, live, namespace);
    // In key mode the program's signing-secrets is never imported: the chains outcome says what to do with a live one.
    const skip = new Set(config.chains.signing === "key" && !config.chains.adoptExistingKey ? [keyString({ groupKind: "core/Secret", namespace, name: "signing-secrets" })] : []);
    const classified = classifyAll(resources, rendered, live, skip, aws, chains.stops);
    const conflicts: Conflict[] = [...kubernetesConflicts(rendered, inputs.live), ...(aws === undefined ? [] : awsConflicts(resources, aws, config.clusterName))]
        .sort((a, b) => compareStrings(a.urn, b.urn) || compareStrings(a.existing, b.existing));
    const accessKeys = accessKeyStop(resources, aws);
    const stops = [...classified.stops, ...(accessKeys === undefined ? [] : [accessKeys]), ...conflictsStop(conflicts)];
    const conflicting = new Set(conflicts.map((entry) => entry.existing));
    const conflictKeys = new Set(inputs.live.filter((object) => conflicting.has(`${object.kind} ${qualifiedName(keyOfLive(object))}`)).map((object) => keyString(keyOfLive(object))));
    const report: AdoptReport = {
        stack: render.settings.stack,
        project: render.settings.project,
        verdict: stops.length === 0 ? "import" : "stop",
        stops,
        awsChecked: aws !== undefined,
        imported: [...classified.imported.values()].sort((a, b) => compareStrings(a.type, b.type) || compareStrings(a.urn, b.urn)),
        created: createdEntries(classified, resources, aws).sort((a, b) => compareStrings(a.type, b.type) || compareStrings(a.urn, b.urn)),
        differentName: conflicts,
        unmanaged: unmanagedObjects(inputs.live, rendered, conflictKeys, chains.notes),
        changes: classified.changes.sort((a, b) => compareStrings(a.urn, b.urn)),
        configMismatches: configMismatches(render.settings, config, liveFacts(live, rendered, resources, aws)),
    };
    return stops.length === 0 ? { report, importFile: buildImportFile(resources, classified.imported) } : { report };
}
