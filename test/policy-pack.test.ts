/**
 * The policy pack on the real runtime: its shape, and each Tekton, Chains and RBAC policy catching its violation.
 */
import assert from "node:assert/strict";
import { checkRecords } from "../analyzer/check";
import { parsePolicyConfig } from "../analyzer/config";
import { UserError } from "../analyzer/records";
import { policies } from "../policy/policies";
import type { ResourceRecord } from "../render";
import { mutate, T, without } from "./fixtures/policy-edits";
import { urnOf, withRecord, type EditableInputs } from "./fixtures/policy-records";
import { goodResources } from "./fixtures/policy-resources";
import { check, expectNoViolation, expectViolation, tektonConfig } from "./policy-expect";
import { packSession } from "./policy-runtime";

describe("policy pack", () => {
    it("has kebab-case, unique names, a 'Checks whether' description and a level for every policy", () => {
        const names = policies.map((p) => p.name);
        assert.equal(new Set(names).size, names.length);
        for (const policy of policies) {
            assert.match(policy.name, /^[a-z0-9]+(-[a-z0-9]+)*$/);
            assert.match(policy.description, /^Checks whether\b/);
            assert.ok(policy.enforcementLevel === "mandatory" || policy.enforcementLevel === "advisory", policy.name);
        }
    });

    it("contains every mandatory policy (issues 7, 13 and 15) at level mandatory", () => {
        const mandatory = policies.filter((p) => p.enforcementLevel === "mandatory").map((p) => p.name).sort();
        assert.deepEqual(mandatory, [
            "appstudio-pipelines-scc-unbound",
            "aws-alarms-notify-in-prod",
            "chains-public-key-readable-by-authenticated",
            "chains-signing-key-protected",
            "chains-stays-enabled",
            "controllers-highly-available",
            "external-secret-refresh",
            "no-key-material-outside-secrets",
            "operator-catalog-pinned",
            "operator-line-pinned",
            "prometheus-alerts-have-runbook",
            "prometheus-alerts-have-severity",
            "results-api-exposed-once",
            "results-bucket-5xx-alarm",
            "results-bucket-hardened",
            "results-db-alarms",
            "results-db-ca-mounted",
            "results-db-enhanced-monitoring",
            "results-db-hardened",
            "results-log-expiry-after-retention",
            "results-pruning-enabled",
            "results-s3-key-age",
            "tekton-config-fits-line",
            "tekton-profile-without-triggers",
            "tekton-pruner-disabled",
            "tekton-triggers-disabled",
        ]);
    });

    it("passes the good resource set without any violation, and every policy runs in preview", async () => {
        const result = await check(goodResources());
        assert.deepEqual(result.violations, []);
        assert.deepEqual(result.notRunInPreview, []);
    });
});

describe("policy config, as policy:check --config passes it (checkRecords' defaults)", () => {
    const refused = async (config: string, message: RegExp): Promise<void> => {
        await assert.rejects(checkRecords(await packSession(), goodResources(), { config: parsePolicyConfig(config) }),
            (error: unknown) => error instanceof UserError && message.test(error.message));
    };

    it("refuses a misspelt policy name, even one that sets a level (the Pulumi CLI would ignore it)", async () => {
        await refused(`{"tekton-trigers-disabled": "advisory"}`, /^policy config for "pipeline-service" names no policy of the pack: tekton-trigers-disabled \(policies: /);
    });

    it("refuses a value the policy's schema does not allow, with the CLI's message", async () => {
        await refused(`{"results-db-prod-backup-retention": {"minimumRetentionDays": 0}}`,
            /^validating policy config: pipeline-service \S+ {2}results-db-prod-backup-retention: minimumRetentionDays: Must be greater than or equal to 1\nvalidating policy config$/);
    });
});

describe("tekton-triggers-disabled", () => {
    it("fails when Triggers is enabled", async () => {
        const records = tektonConfig(goodResources(), (spec) => (spec.trigger.disabled = false));
        await expectViolation(records, "tekton-triggers-disabled", /set spec\.trigger\.disabled: true/, { urn: urnOf(T.tektonConfig, "config") });
    });
    it("fails when only trigger.options.disabled is set (not the component switch)", async () => {
        const records = tektonConfig(goodResources(), (spec) => (spec.trigger = { options: { disabled: true } }));
        await expectViolation(records, "tekton-triggers-disabled", /Tekton Triggers would be installed/);
    });
    it("fails a TektonConfigPatch that turns Triggers on, and passes one that does not touch it", async () => {
        const patchType = `${T.tektonConfig}Patch`;
        const on = withRecord(goodResources(), patchType, "config-results", { spec: { trigger: { disabled: false } } });
        await expectViolation(on, "tekton-triggers-disabled", /patch sets spec\.trigger\.disabled/);
        const untouched = withRecord(goodResources(), patchType, "config-results", { spec: { result: { db_host: "db.example.com" } } });
        await expectNoViolation(untouched, "tekton-triggers-disabled");
    });
});

describe("tekton-pruner-disabled", () => {
    it("fails when the job-based pruner is enabled", async () => {
        const records = tektonConfig(goodResources(), (spec) => (spec.pruner = { disabled: false, keep: 100 }));
        await expectViolation(records, "tekton-pruner-disabled", /set spec\.pruner\.disabled: true/);
    });
    it("fails when the event-based tektonpruner is enabled or present without disabled: true", async () => {
        const enabled = tektonConfig(goodResources(), (spec) => (spec.tektonpruner = { disabled: false }));
        await expectViolation(enabled, "tekton-pruner-disabled", /spec\.tektonpruner/);
        const implicit = tektonConfig(goodResources(), (spec) => (spec.tektonpruner = {}));
        await expectViolation(implicit, "tekton-pruner-disabled", /spec\.tektonpruner\.disabled: true/);
    });
    it("accepts tektonpruner with disabled: true", async () => {
        await expectNoViolation(tektonConfig(goodResources(), (spec) => (spec.tektonpruner = { disabled: true })), "tekton-pruner-disabled");
    });
});

describe("tekton-profile-without-triggers", () => {
    const policy = "tekton-profile-without-triggers";
    it("fails profile all with Triggers disabled, explaining the deadlock", async () => {
        await expectViolation(tektonConfig(goodResources(), (spec) => (spec.profile = "all")), policy, /PipelinesAsCode|Pipelines-as-Code is never installed.*Set spec\.profile: basic/, {
            urn: urnOf(T.tektonConfig, "config"),
        });
    });
    it("accepts basic, the empty (basic) profile, and profile all with Triggers on", async () => {
        await expectNoViolation(goodResources(), policy);
        await expectNoViolation(tektonConfig(goodResources(), (spec) => delete spec.profile), policy);
        await expectNoViolation(tektonConfig(goodResources(), (spec) => Object.assign(spec, { profile: "all", trigger: { disabled: false } })), policy);
    });
});

describe("operator-catalog-pinned", () => {
    it("fails a tag-pinned catalog image", async () => {
        const records = mutate(goodResources(), T.catalogSource, "pipelines-catalog", (r) => (r.inputs.spec.image = "quay.io/openshift-pipeline/pipelines-index:v1.20"));
        await expectViolation(records, "operator-catalog-pinned", /not pinned by digest.*@sha256:/);
    });
    it("degrades to the runtime's advisory, not a failure, when the image is unknown during preview", async () => {
        const records = mutate(goodResources(), T.catalogSource, "pipelines-catalog", (r) => (r.inputs.spec.image = "(known after apply)"));
        const result = await check(records);
        assert.deepEqual(result.violations.filter((v) => v.policy === "operator-catalog-pinned"), []);
        const skip = result.notRunInPreview.find((s) => s.policy === "operator-catalog-pinned");
        assert.ok(skip, "expected a can't-run advisory");
        assert.equal(skip.urn, urnOf(T.catalogSource, "pipelines-catalog"));
        assert.equal(skip.level, "advisory");
        assert.match(skip.message, /^can't run policy 'operator-catalog-pinned' from policy pack 'pipeline-service@v0\.1\.0' during preview: string value at \.spec\.image/);
    });
});

describe("chains-public-key-readable-by-authenticated", () => {
    const policy = "chains-public-key-readable-by-authenticated";
    it("fails when a role bound to system:authenticated can read all secrets", async () => {
        const records = mutate(goodResources(), T.clusterRole, "public-key-viewer", (r) => (r.inputs.rules = [{ apiGroups: [""], resources: ["secrets"], verbs: ["get", "list", "watch"] }]));
        const violation = await expectViolation(records, policy, /grants on every Secret/);
        assert.equal(violation.urn, urnOf(T.roleBinding, "public-key-viewer"));
    });
    it("fails when the role also grants signing-secrets or write verbs", async () => {
        const wider = mutate(goodResources(), T.clusterRole, "public-key-viewer", (r) => (r.inputs.rules[0].resourceNames = ["public-key", "signing-secrets"]));
        await expectViolation(wider, policy, /not only public-key/);
        const write = mutate(goodResources(), T.clusterRole, "public-key-viewer", (r) => r.inputs.rules[0].verbs.push("update"));
        await expectViolation(write, policy, /verbs \[update\]/);
    });
    it("fails a binding of system:unauthenticated to a role not defined in the stack", async () => {
        const records = withRecord(goodResources(), T.clusterRoleBinding, "anonymous-view", {
            metadata: { name: "anonymous-view" },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" },
            subjects: [{ kind: "Group", name: "system:unauthenticated" }],
        });
        await expectViolation(records, policy, /which this stack does not define/);
    });
    it("fails when the public-key Secret or the binding is missing", async () => {
        await expectViolation(without(goodResources(), T.secret, "public-key"), policy, /No Secret public-key in openshift-pipelines/);
        await expectViolation(without(goodResources(), T.roleBinding, "public-key-viewer"), policy, /Nothing lets Group system:authenticated get Secret public-key/);
    });
    it("does not require the public key when Chains signs keyless", async () => {
        const keyless = tektonConfig(without(goodResources(), T.secret, "public-key"), (spec) => (spec.chain["signers.x509.fulcio.enabled"] = true));
        await expectNoViolation(keyless, policy);
    });
});

describe("chains-signing-key-protected", () => {
    const policy = "chains-signing-key-protected";
    const signingSecret = (change: (r: ResourceRecord & { inputs: EditableInputs }) => unknown): ResourceRecord[] =>
        mutate(goodResources(), T.secret, "signing-secrets", change);
    it("fails when signing-secrets is not protected", async () => {
        await expectViolation(signingSecret((r) => ({ ...r, protect: false })), policy, /Secret openshift-pipelines\/signing-secrets is not protected/, {
            urn: urnOf(T.secret, "signing-secrets"),
        });
    });
    it("fails when signing-secrets is mutable or may be replaced", async () => {
        await expectViolation(signingSecret((r) => void (r.inputs.immutable = false)), policy, /immutable: true/);
        await expectViolation(signingSecret((r) => ({ ...r, ignoreChanges: ["data"] })), policy, /does not ignore changes to stringData/);
        await expectViolation(signingSecret((r) => ({ ...r, deleteBeforeReplace: true })), policy, /deleteBeforeReplace/);
    });
    it("fails when the cosign key pair's dynamic resource is not protected", async () => {
        const records = mutate(goodResources(), T.cosignKeyPair, "chains-signing-key", (r) => ({ ...r, protect: false }));
        await expectViolation(records, policy, /Dynamic resource chains-signing-key is not protected/, { urn: urnOf(T.cosignKeyPair, "chains-signing-key") });
    });
    it("never sees retainOnDelete: the engine does not pass it, so the render invariants own it", async () => {
        await expectNoViolation(signingSecret((r) => ({ ...r, retainOnDelete: false })), policy);
    });
    it("recognises a plain pulumi-nodejs:dynamic:Resource by a name containing cosign, and ignores other dynamic resources", async () => {
        const cosign = withRecord(goodResources(), T.dynamic, "cluster-cosign-key", { __provider: "..." });
        await expectViolation(cosign, policy, /Dynamic resource cluster-cosign-key is not protected/);
        await expectNoViolation(withRecord(goodResources(), T.dynamic, "operator-readiness", { __provider: "..." }), policy);
    });
    it("fails when the operator may generate the key, or when signing-secrets is missing", async () => {
        await expectViolation(tektonConfig(goodResources(), (spec) => (spec.chain.generateSigningSecret = true)), policy, /generateSigningSecret is true/);
        await expectViolation(without(goodResources(), T.secret, "signing-secrets"), policy, /No Secret signing-secrets/);
    });
    it("is not applicable when Chains signs keyless", async () => {
        const keyless = tektonConfig(without(goodResources(), T.secret, "signing-secrets"), (spec) => (spec.chain["signers.x509.fulcio.enabled"] = true));
        const result = await check(keyless);
        assert.deepEqual(result.violations.filter((v) => v.policy === policy), []);
        assert.ok(result.notApplicable.some((n) => n.policyName === policy && /keyless/.test(n.reason)));
    });
});

describe("chains-stays-enabled", () => {
    const policy = "chains-stays-enabled";
    it("fails when chain.disabled is true", async () => {
        await expectViolation(tektonConfig(goodResources(), (spec) => (spec.chain.disabled = true)), policy, /chain\.disabled is true.*delete signing-secrets/);
    });
    it("does not depend on the profile (the operator gates Chains by chain.disabled alone)", async () => {
        await expectNoViolation(tektonConfig(goodResources(), (spec) => (spec.profile = "lite")), policy);
    });
    it("fails when the target namespace moves away from openshift-pipelines", async () => {
        await expectViolation(tektonConfig(goodResources(), (spec) => (spec.targetNamespace = "tekton-pipelines")), policy, /targetNamespace is "tekton-pipelines"/);
    });
    it("allows disabling Chains in keyless mode", async () => {
        await expectNoViolation(
            tektonConfig(goodResources(), (spec) => Object.assign(spec.chain, { disabled: true, "signers.x509.fulcio.enabled": true })),
            policy,
        );
    });
});

describe("appstudio-pipelines-scc-unbound", () => {
    it("fails a ClusterRoleBinding to appstudio-pipelines-scc", async () => {
        const records = withRecord(goodResources(), T.clusterRoleBinding, "scc-binding", {
            metadata: { name: "appstudio-pipelines-scc" },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "appstudio-pipelines-scc" },
            subjects: [{ kind: "ServiceAccount", name: "appstudio-pipeline", namespace: "tenant" }],
        });
        await expectViolation(records, "appstudio-pipelines-scc-unbound", /ClusterRoleBinding appstudio-pipelines-scc binds appstudio-pipelines-scc/, {
            urn: urnOf(T.clusterRoleBinding, "scc-binding"),
        });
    });
    it("fails a namespaced RoleBinding to it too", async () => {
        const records = withRecord(goodResources(), T.roleBinding, "scc-binding", {
            metadata: { name: "scc", namespace: "tenant" },
            roleRef: { kind: "ClusterRole", name: "appstudio-pipelines-scc" },
            subjects: [{ kind: "ServiceAccount", name: "appstudio-pipeline" }],
        });
        await expectViolation(records, "appstudio-pipelines-scc-unbound", /RoleBinding scc binds/);
    });
});

