/**
 * The pack's policies, in one array. `policy/index.ts` serves exactly these objects through `PolicyPack`, the one
 * place that may construct one: it starts a gRPC server (and a second one in a process exits it). `npm run policy:check`
 * starts `index.ts` the way the Pulumi CLI does and talks to it over the Analyzer protocol (analyzer/).
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { awsMonitoringPolicies } from "./aws-monitoring";
import { chainsPolicies } from "./chains";
import { observabilityPolicies } from "./observability";
import { operatorLinePolicies } from "./operator-lines";
import { rbacPolicies } from "./rbac";
import { resultsPolicies } from "./results";
import { secretsPolicies } from "./secrets";
import { storagePolicies } from "./storage";
import { tektonPolicies } from "./tekton";

/** Name of the policy pack (what `pulumi preview --policy-pack policy` reports). */
export const POLICY_PACK_NAME = "pipeline-service";
/** Version of the policy pack; kept equal to `policy/package.json`'s version, which `PolicyPack` reads. */
export const POLICY_PACK_VERSION = "0.1.0";

/** Every policy of the pack. */
export const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
    ...tektonPolicies,
    ...operatorLinePolicies,
    ...chainsPolicies,
    ...rbacPolicies,
    ...resultsPolicies,
    ...storagePolicies,
    ...secretsPolicies,
    ...awsMonitoringPolicies,
    ...observabilityPolicies,
];
