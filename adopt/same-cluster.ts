/**
 * Whether a cluster dump is of the cluster the stack deploys to: adopting another cluster's objects would import
 * what the program must not own.
 */
import type { ResourceRecord } from "../render/contract";
import { compareStrings } from "../lib/json-values";
import { ingressHosts } from "./conflicts";
import { AdoptInputError, stringAt, type LiveObject } from "./inputs";

/** The TektonConfig's target namespace in the render (where Chains keeps its key). */
export function targetNamespace(resources: readonly ResourceRecord[]): string | undefined {
    const config = resources.find((record) => record.custom && record.type.startsWith("kubernetes:operator.tekton.dev/") && record.type.endsWith(":TektonConfig"));
    return config === undefined ? undefined : stringAt(config.inputs, "spec", "targetNamespace");
}

/**
 * Refuses a dump of another cluster: the console's URL (ConfigMap openshift-config-managed/console-public, on every
 * OpenShift 4 cluster) or every Ingress host outside the stack's appsDomain, or a TektonConfig `config` that targets
 * another namespace than the program's.
 */
export function checkSameCluster(live: readonly LiveObject[], appsDomain: string, resources: readonly ResourceRecord[], file: string): void {
    const underDomain = (host: string): boolean => host === appsDomain || host.endsWith(`.${appsDomain}`);
    const console = live.find((object) => object.kind === "ConfigMap" && object.metadata.namespace === "openshift-config-managed" && object.metadata.name === "console-public");
    const consoleUrl = console === undefined ? undefined : stringAt(console, "data", "consoleURL");
    const consoleHost = consoleUrl === undefined ? undefined : /^https?:\/\/([^/:]+)/.exec(consoleUrl)?.[1];
    if (consoleHost !== undefined && !underDomain(consoleHost)) {
        throw new AdoptInputError(`${file} is from another cluster: its console is at ${consoleHost} (ConfigMap openshift-config-managed/console-public), not under the stack's appsDomain ${appsDomain}. `
            + "Dump the cluster the stack deploys to (its kubernetes:context), or check appsDomain.");
    }
    const hosts = live.filter((object) => object.kind === "Ingress").flatMap((object) => ingressHosts(object));
    if (hosts.length > 0 && !hosts.some(underDomain)) {
        throw new AdoptInputError(`${file} is from another cluster: none of its ${hosts.length} Ingress host${hosts.length === 1 ? "" : "s"} (e.g. ${[...hosts].sort(compareStrings)[0]}) is under the stack's appsDomain ${appsDomain}. `
            + "Dump the cluster the stack deploys to (its kubernetes:context), or check appsDomain.");
    }
    const namespace = targetNamespace(resources);
    for (const object of live) {
        const target = stringAt(object, "spec", "targetNamespace");
        if (object.kind === "TektonConfig" && object.metadata.name === "config" && namespace !== undefined && target !== undefined && target !== namespace) {
            throw new AdoptInputError(`${file}: the cluster's TektonConfig config targets namespace ${target}, the program's targets ${namespace}. This is not a cluster the program can adopt as it is: `
                + "changing the target namespace makes the operator reinstall every component there (and, in key mode, delete signing-secrets). Check that this is the right cluster.");
        }
    }
}
