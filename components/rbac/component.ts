/**
 * `appstudio-pipelines-scc`: the SecurityContextConstraints pipelines run under and the ClusterRole that
 * grants `use` of it. The role is bound to nothing here: the platform (CodeReadyToolchain) binds it to the
 * `appstudio-pipeline` service account in each tenant namespace. The operator's automatic `pipeline`
 * service account is disabled (TektonConfig param createRbacResource=false) because it granted too much.
 */
import * as apiextensions from "@pulumi/kubernetes/apiextensions";
import * as rbacv1 from "@pulumi/kubernetes/rbac/v1";
import type * as k8sInput from "@pulumi/kubernetes/types/input";
import * as pulumi from "@pulumi/pulumi";
import { kubernetesLabels } from "../shared/labels";

export const PIPELINES_SCC_NAME = "appstudio-pipelines-scc";

/**
 * The SCC object. Field names from openshift/api `security/v1/types.go` (SecurityContextConstraints); every
 * field the CRD requires is present.
 */
export function buildPipelinesScc(): Record<string, unknown> {
    return {
        apiVersion: "security.openshift.io/v1",
        kind: "SecurityContextConstraints",
        metadata: { name: PIPELINES_SCC_NAME, labels: kubernetesLabels("pipeline-rbac") },
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
        // Required by the CRD; an empty list rather than null, which server-side apply would treat as unset.
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
}

/** The ClusterRole granting `use` of exactly that SCC. */
export function buildPipelinesSccRole(): k8sInput.rbac.v1.ClusterRole {
    return {
        metadata: { name: PIPELINES_SCC_NAME, labels: kubernetesLabels("pipeline-rbac") },
        rules: [{
            apiGroups: ["security.openshift.io"],
            resources: ["securitycontextconstraints"],
            resourceNames: [PIPELINES_SCC_NAME],
            verbs: ["use"],
        }],
    };
}

/** No inputs: the SCC and its role are the same on every cluster. */
export type PipelineRbacArgs = Record<string, never>;

export class PipelineRbac extends pulumi.ComponentResource {
    /** Name of the (unbound) ClusterRole granting use of the SCC. */
    public readonly sccClusterRoleName: pulumi.Output<string>;

    constructor(name: string, _args: PipelineRbacArgs, opts?: pulumi.ComponentResourceOptions) {
        super("pipeline-service:rbac:PipelineRbac", name, {}, opts);

        new apiextensions.CustomResource(`${name}-scc`, buildPipelinesScc() as apiextensions.CustomResourceArgs, { parent: this });
        const role = new rbacv1.ClusterRole(`${name}-scc-role`, buildPipelinesSccRole(), { parent: this });

        this.sccClusterRoleName = role.metadata.name;
        this.registerOutputs({ sccClusterRoleName: this.sccClusterRoleName });
    }
}
