/**
 * The pack's policies, in one array. `policy/index.ts` serves exactly these objects through `PolicyPack`, and
 * `tools/policy-check.ts` evaluates exactly these objects without the CLI: constructing a `PolicyPack` starts a gRPC
 * server (and a second one in a process exits it), so nothing but `index.ts` may construct one.
 */
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { chainsPolicies } from "./chains";
import { rbacPolicies } from "./rbac";
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
    ...chainsPolicies,
    ...rbacPolicies,
    ...storagePolicies,
    ...secretsPolicies,
];
