/**
 * The CrossGuard policy pack: `pulumi preview --policy-pack policy`. It only serves the shared policy array;
 * see `policies.ts` for why nothing else may construct a `PolicyPack`.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies, POLICY_PACK_NAME } from "./policies";

new PolicyPack(POLICY_PACK_NAME, { policies });
