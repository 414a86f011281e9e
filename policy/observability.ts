/**
 * Policies on alerting rules: whoever is paged must know how bad it is and what to do.
 *
 * PrometheusRule fields (prometheus-operator `pkg/apis/monitoring/v1/prometheusrule_types.go`): `spec.groups[].rules[]`
 * with `alert` (alerting rules; recording rules have `record` instead), `labels`, `annotations`.
 */
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { asArray, asRecord, asString, TYPES } from "./resource-facts";

/** Severities Alertmanager routing (and OpenShift's own alerts) use. */
export const ALERT_SEVERITIES = ["critical", "warning", "info"] as const;

interface AlertingRule {
    readonly where: string;
    readonly alert: string;
    readonly labels: Record<string, unknown>;
    readonly annotations: Record<string, unknown>;
}

/** The alerting rules of a PrometheusRule, with where each sits; empty for any other resource. */
function alertingRules(args: ResourceValidationArgs): AlertingRule[] {
    if (args.type !== TYPES.prometheusRule) {
        return [];
    }
    return asArray(asRecord(args.props.spec)?.groups).flatMap((group, g) =>
        asArray(asRecord(group)?.rules).flatMap((rule, r) => {
            const fields = asRecord(rule) ?? {};
            const alert = asString(fields.alert);
            return alert === undefined ? [] : [{
                where: `spec.groups[${g}].rules[${r}]`,
                alert,
                labels: asRecord(fields.labels) ?? {},
                annotations: asRecord(fields.annotations) ?? {},
            }];
        }));
}

export const prometheusAlertsHaveRunbook: ResourceValidationPolicy = {
    name: "prometheus-alerts-have-runbook",
    description: "Checks whether every alerting rule of a PrometheusRule has an annotations.runbook_url (an https URL), so whoever is paged finds how to confirm and fix it.",
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        for (const rule of alertingRules(args)) {
            const url = asString(rule.annotations.runbook_url);
            if (url === undefined || !/^https:\/\/\S+$/.test(url)) {
                reportViolation(`Alert ${rule.alert} (${rule.where}) has no https runbook_url annotation: add annotations.runbook_url pointing to its runbook (docs/runbooks/${rule.alert}.md).`);
            }
        }
    },
};

export const prometheusAlertsHaveSeverity: ResourceValidationPolicy = {
    name: "prometheus-alerts-have-severity",
    description: `Checks whether every alerting rule of a PrometheusRule has a labels.severity of ${ALERT_SEVERITIES.join(", ")}, which Alertmanager routes on.`,
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        for (const rule of alertingRules(args)) {
            const severity = rule.labels.severity;
            if (!(ALERT_SEVERITIES as readonly unknown[]).includes(severity)) {
                reportViolation(`Alert ${rule.alert} (${rule.where}) has severity ${JSON.stringify(severity ?? null)}: set labels.severity to one of ${ALERT_SEVERITIES.join(", ")}.`);
            }
        }
    },
};

export const observabilityPolicies: readonly ResourceValidationPolicy[] = [prometheusAlertsHaveRunbook, prometheusAlertsHaveSeverity];
