/**
 * `appstudio-pipelines-scc` through the render harness: the SCC as the upstream deployment defines it, the
 * ClusterRole granting `use` of exactly it, and no binding of that role anywhere (the platform binds it).
 */
import * as assert from "node:assert/strict";
import { PIPELINES_SCC_NAME } from "../components/rbac/component";
import { SECRET_MARK, UNKNOWN_MARK, type RenderResult, type ResourceRecord } from "../render";
import { at, exampleRender, manifest } from "./harness";

const SCC_TYPE = "kubernetes:security.openshift.io/v1:SecurityContextConstraints";
const CLUSTER_ROLE_TYPE = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole";

/**
 * Fields the SCC CRD lists as `required` (openshift/api security/v1 zz_generated.crd-manifests
 * 0000_03_config-operator_01_securitycontextconstraints-Default.crd.yaml): the list ones are `nullable`
 * but must still be present, or the API server refuses the object.
 */
const SCC_REQUIRED_FIELDS = [
    "allowHostDirVolumePlugin", "allowHostIPC", "allowHostNetwork", "allowHostPID", "allowHostPorts",
    "allowPrivilegedContainer", "allowedCapabilities", "defaultAddCapabilities", "priority",
    "readOnlyRootFilesystem", "requiredDropCapabilities", "volumes",
] as const;

/** The SCC of the upstream deployment (openshift-pipelines/pipeline-service, operator/gitops/argocd/pipeline-service), without metadata. */
const EXPECTED_SCC_BODY = {
    apiVersion: "security.openshift.io/v1",
    kind: "SecurityContextConstraints",
    priority: 10,
    allowHostDirVolumePlugin: false,
    allowHostIPC: false,
    allowHostNetwork: false,
    allowHostPID: false,
    allowHostPorts: false,
    allowPrivilegeEscalation: false,
    allowPrivilegedContainer: false,
    readOnlyRootFilesystem: false,
    allowedCapabilities: ["SETFCAP"],
    defaultAddCapabilities: [],
    requiredDropCapabilities: ["MKNOD"],
    fsGroup: { type: "MustRunAs" },
    runAsUser: { type: "RunAsAny" },
    seLinuxContext: { type: "MustRunAs" },
    supplementalGroups: { type: "RunAsAny" },
    groups: ["system:cluster-admins"],
    users: [],
    volumes: ["configMap", "downwardAPI", "emptyDir", "persistentVolumeClaim", "projected", "secret"],
};

interface RoleRef {
    readonly kind?: unknown;
    readonly name?: unknown;
}

/** Every `roleRef` anywhere in a resource's inputs (a binding, or a binding inside a List). */
function roleRefsIn(value: unknown): RoleRef[] {
    if (Array.isArray(value)) {
        return value.flatMap(roleRefsIn);
    }
    if (value === null || typeof value !== "object") {
        return [];
    }
    const record = value as Record<string, unknown>;
    const own = record.roleRef !== null && typeof record.roleRef === "object" ? [record.roleRef as RoleRef] : [];
    return [...own, ...Object.values(record).flatMap(roleRefsIn)];
}

/** Resources that bind `roleName`, or whose role reference is not a plain name (so cannot be ruled out). */
function bindingsOf(resources: readonly ResourceRecord[], roleName: string): string[] {
    return resources
        .filter((record) => roleRefsIn(record.inputs).some((ref) => typeof ref.name !== "string"
            || ref.name === roleName || ref.name === UNKNOWN_MARK || ref.name === SECRET_MARK))
        .map((record) => record.urn);
}

describe("PipelineRbac (rendered)", () => {
    for (const stack of ["dev", "prod"] as const) {
        describe(`${stack} stack`, () => {
            it("renders the SCC with every field its CRD requires, as upstream defines it", async () => {
                const scc = manifest(await exampleRender(stack), SCC_TYPE, PIPELINES_SCC_NAME);
                for (const field of SCC_REQUIRED_FIELDS) {
                    assert.ok(field in scc.inputs, `SCC lacks required field ${field}`);
                }
                // Cluster-scoped: no namespace.
                assert.equal(at(scc.inputs, "metadata", "namespace"), undefined);
                const body = Object.fromEntries(Object.entries(scc.inputs).filter(([key]) => key !== "metadata"));
                assert.deepEqual(body, EXPECTED_SCC_BODY);
            });

            it("grants `use` of exactly that SCC through ClusterRole appstudio-pipelines-scc", async () => {
                const role = manifest(await exampleRender(stack), CLUSTER_ROLE_TYPE, "appstudio-pipelines-scc");
                assert.equal(PIPELINES_SCC_NAME, "appstudio-pipelines-scc");
                assert.deepEqual(role.inputs.rules, [{
                    apiGroups: ["security.openshift.io"],
                    resources: ["securitycontextconstraints"],
                    resourceNames: [PIPELINES_SCC_NAME],
                    verbs: ["use"],
                }]);
            });

            it("binds that role nowhere (the platform binds it per tenant namespace)", async () => {
                const result = await exampleRender(stack);
                // The search does see bindings: the render has others (the public-key viewer's).
                assert.ok(result.resources.some((record) => roleRefsIn(record.inputs).length > 0), "expected some binding in the render");
                assert.deepEqual(bindingsOf(result.resources, PIPELINES_SCC_NAME), []);
            });
        });
    }

    it("the binding check catches a RoleBinding or ClusterRoleBinding of the role, and an unknown role reference", async () => {
        const result: RenderResult = await exampleRender("dev");
        const binding = (kind: string, roleName: string): ResourceRecord => ({
            ...result.resources[result.resources.length - 1],
            type: `kubernetes:rbac.authorization.k8s.io/v1:${kind}`,
            urn: `urn:test::${kind}::${roleName}`,
            inputs: {
                metadata: { name: "sneaky" },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: roleName },
                subjects: [{ kind: "Group", name: "system:authenticated", apiGroup: "rbac.authorization.k8s.io" }],
            },
        });
        const planted = [
            binding("RoleBinding", PIPELINES_SCC_NAME),
            binding("ClusterRoleBinding", PIPELINES_SCC_NAME),
            binding("ClusterRoleBinding", UNKNOWN_MARK),
        ];
        assert.deepEqual(bindingsOf([...result.resources, ...planted], PIPELINES_SCC_NAME), planted.map((record) => record.urn));
        // A binding of some other role is not flagged.
        assert.deepEqual(bindingsOf([binding("RoleBinding", "view")], PIPELINES_SCC_NAME), []);
    });
});
