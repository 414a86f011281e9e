/**
 * Policies that depend on the OpenShift Pipelines line a stack runs: the Results API exposed once, the TektonConfig
 * saying what its line needs said, and a Subscription pinned to one line at all.
 *
 * The pack is published on its own and loads nothing outside `policy/`, so it keeps its own copy of the few line
 * facts it relies on; a test holds them equal to `lib/operator-lines.ts`. Sources: docs/operator-facts-v0.78.2.md
 * §2 and §5 (the Results Route, Results v0.17's retention precedence), docs/operator-facts-v0.79.2.md §2-3.
 */
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { asArray, asRecord, asString, describe, resourcesOfType, TYPES } from "./resource-facts";

/** What the pack's policies need to know about one line. */
export interface PackLineFacts {
    /** `1.21`. */
    readonly pipelines: string;
    /** The OLM channel holding only this line. */
    readonly channel: string;
    /** The operator creates a Route for the Results API unless `spec.result.route_enabled` is false. */
    readonly resultsRoute: boolean;
    /** `spec.scheduler` exists and must say `disabled: true` itself. */
    readonly scheduler: boolean;
    /** Results lets `maxRetention` override `defaultRetention` (v0.17+). */
    readonly maxRetentionOverrides: boolean;
    /** Key paths under `spec` the line's webhook drops. */
    readonly droppedKeys: readonly (readonly string[])[];
}

export const PACK_LINE_FACTS: readonly PackLineFacts[] = [
    { pipelines: "1.20", channel: "pipelines-1.20", resultsRoute: false, scheduler: false, maxRetentionOverrides: false, droppedKeys: [] },
    { pipelines: "1.21", channel: "pipelines-1.21", resultsRoute: true, scheduler: false, maxRetentionOverrides: true, droppedKeys: [] },
    { pipelines: "1.22", channel: "pipelines-1.22", resultsRoute: true, scheduler: true, maxRetentionOverrides: true, droppedKeys: [["pipeline", "disable-affinity-assistant"]] },
];

const SUBSCRIPTION = "kubernetes:operators.coreos.com/v1alpha1:Subscription";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";
const ROUTE = "kubernetes:route.openshift.io/v1:Route";
const OPERATOR_PACKAGE = "openshift-pipelines-operator-rh";
/** The Service in front of the Results API (results `config/base/api.yaml`, prefixed by the operator). */
const RESULTS_API_SERVICE = "tekton-results-api-service";
const RETENTION_CONFIGMAP = "tekton-results-config-results-retention-policy";

/** The stack's Subscriptions to the OpenShift Pipelines operator. */
function operatorSubscriptions(resources: readonly PolicyResource[]): PolicyResource[] {
    return resourcesOfType(resources, SUBSCRIPTION).filter((subscription) => asRecord(subscription.props.spec)?.name === OPERATOR_PACKAGE);
}

/** The line the stack's operator Subscription is pinned to by its channel; undefined when it follows `latest` (or another channel). */
export function lineOfStack(resources: readonly PolicyResource[]): PackLineFacts | undefined {
    const channels = operatorSubscriptions(resources).map((subscription) => asString(asRecord(subscription.props.spec)?.channel));
    return PACK_LINE_FACTS.find((line) => channels.length > 0 && channels.every((channel) => channel === line.channel));
}

/** The stack's TektonConfig objects (not patches), with their spec. */
function tektonConfigs(resources: readonly PolicyResource[]): { readonly resource: PolicyResource; readonly spec: Record<string, unknown> }[] {
    return resourcesOfType(resources, TYPES.tektonConfig).map((resource) => ({ resource, spec: asRecord(resource.props.spec) ?? {} }));
}

/** Ingresses and Routes of the stack that send traffic to the Results API Service. */
function resultsApiFrontends(resources: readonly PolicyResource[]): PolicyResource[] {
    const ingresses = resourcesOfType(resources, INGRESS).filter((ingress) =>
        asArray(asRecord(ingress.props.spec)?.rules).some((rule) =>
            asArray(asRecord(asRecord(rule)?.http)?.paths).some((entry) =>
                asString(asRecord(asRecord(asRecord(entry)?.backend)?.service)?.name) === RESULTS_API_SERVICE)));
    const routes = resourcesOfType(resources, ROUTE).filter((route) => asString(asRecord(asRecord(route.props.spec)?.to)?.name) === RESULTS_API_SERVICE);
    return [...ingresses, ...routes];
}

export const resultsApiExposedOnce: StackValidationPolicy = {
    name: "results-api-exposed-once",
    description:
        "Checks whether the Tekton Results API is exposed exactly once: by the stack's own Ingress or Route, or by the operator's " +
        "Route (OpenShift Pipelines 1.21 and later create one unless spec.result.route_enabled is false), never both. Two " +
        "entrances mean two hosts, certificates and router settings to keep right, and the operator's default edge Route " +
        "sends plain HTTP to an API that serves TLS.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const line = lineOfStack(args.resources);
        if (line === undefined || !line.resultsRoute) {
            return; // No operator Route on this line; an unknown line is operator-line-pinned's to report.
        }
        const frontends = resultsApiFrontends(args.resources);
        for (const { resource, spec } of tektonConfigs(args.resources)) {
            const result = asRecord(spec.result) ?? {};
            if (result.disabled === true || result.route_enabled === false || frontends.length === 0) {
                continue;
            }
            reportViolation(
                `${describe(resource)} leaves spec.result.route_enabled ${result.route_enabled === undefined ? "unset (the webhook makes it true on OpenShift)" : "true"} ` +
                    `on OpenShift Pipelines ${line.pipelines}, so the operator's Route tekton-results-api exposes the Results API besides ` +
                    `${frontends.map(describe).join(", ")}: set route_enabled: false, or drop the stack's own entrance.`,
                resource.urn,
            );
        }
    },
};

/** Whether `spec` carries the key path. */
function hasPath(spec: Record<string, unknown>, keyPath: readonly string[]): boolean {
    let node: unknown = spec;
    for (const segment of keyPath) {
        const record = asRecord(node);
        if (record === undefined || !(segment in record)) {
            return false;
        }
        node = record[segment];
    }
    return true;
}

export const tektonConfigFitsLine: StackValidationPolicy = {
    name: "tekton-config-fits-line",
    description:
        "Checks whether the TektonConfig says what the Subscription's OpenShift Pipelines line needs said: on 1.22 " +
        "spec.scheduler.disabled: true itself (an enabled scheduler without Kueue holds back every component after it), no " +
        "key the line's webhook drops (a diff on every preview), and from 1.21 no Results maxRetention (Results v0.17 lets it " +
        "override defaultRetention, reversing 1.20's precedence). A stack on no known line gets the checks that hold on every line.",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        const pinned = lineOfStack(args.resources);
        // On no known line (latest) the cluster may run any of them: what every line drops or reverses still bites, but a
        // key only the newest line has cannot be required of a spec written for the oldest.
        const on = pinned === undefined ? "any OpenShift Pipelines line (the Subscription follows no single one)" : `OpenShift Pipelines ${pinned.pipelines}`;
        const dropped = pinned?.droppedKeys ?? PACK_LINE_FACTS.flatMap((line) => line.droppedKeys);
        const maxRetentionOverrides = pinned?.maxRetentionOverrides ?? true;
        for (const { resource, spec } of tektonConfigs(args.resources)) {
            const label = describe(resource);
            if (pinned?.scheduler === true && asRecord(spec.scheduler)?.disabled !== true) {
                reportViolation(`${label} does not set spec.scheduler.disabled: true on ${on}: say it, so the scheduler stays off whatever the defaults.`, resource.urn);
            }
            for (const keyPath of dropped.filter((candidate) => hasPath(spec, candidate))) {
                reportViolation(`${label} sets spec.${keyPath.join(".")}, which the webhook drops on ${on}: remove it.`, resource.urn);
            }
            const retention = asRecord(asRecord(asRecord(asRecord(asRecord(spec.result)?.options)?.configMaps)?.[RETENTION_CONFIGMAP])?.data);
            if (maxRetentionOverrides && retention !== undefined && "maxRetention" in retention) {
                reportViolation(`${label} sets maxRetention in ${RETENTION_CONFIGMAP} on ${on}: from 1.21 it overrides defaultRetention; set defaultRetention alone.`, resource.urn);
            }
        }
    },
};

export const operatorLinePinned: StackValidationPolicy = {
    name: "operator-line-pinned",
    description:
        "Checks whether the OpenShift Pipelines Subscription follows one line's pipelines-1.N channel. On latest a catalog " +
        "update moves the cluster to the next line unplanned, where the operator creates its own Results Route and reads " +
        "settings the TektonConfig was not written for (advisory in dev, where a stack may follow latest on purpose).",
    enforcementLevel: "mandatory",
    validateStack: (args, reportViolation) => {
        for (const subscription of operatorSubscriptions(args.resources)) {
            const channel = asString(asRecord(subscription.props.spec)?.channel) ?? "(unset)";
            if (!PACK_LINE_FACTS.some((line) => line.channel === channel)) {
                reportViolation(
                    `${describe(subscription)} follows channel ${channel}, which no single line owns: pin operator.line ` +
                        `(${PACK_LINE_FACTS.map((line) => line.pipelines).join(", ")}) so the Subscription follows that line's channel.`,
                    subscription.urn,
                );
            }
        }
    },
};

/** The policies of this area, in pack order. */
export const operatorLinePolicies: readonly StackValidationPolicy[] = [operatorLinePinned, resultsApiExposedOnce, tektonConfigFitsLine];
