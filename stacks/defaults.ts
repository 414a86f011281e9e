/**
 * Environment defaults: prod is durable and careful, dev is cheap. A stack file states only what differs.
 */
import type { Environment } from "./types";

/** Values a stack may override; the environment decides them when it does not. */
export interface EnvironmentDefaults {
    readonly instanceClass: string;
    readonly allocatedStorage: number;
    readonly maxAllocatedStorage: number;
    readonly multiAz: boolean;
    readonly backupRetentionDays: number;
    readonly deletionProtection: boolean;
    readonly logRetentionDays: number;
    readonly installPlanApproval: "Automatic" | "Manual";
    /** `protect` on stateful resources (database, bucket, signing key). */
    readonly protectStateful: boolean;
}

export const ENVIRONMENT_DEFAULTS: Readonly<Record<Environment, EnvironmentDefaults>> = Object.freeze({
    dev: Object.freeze({
        instanceClass: "db.t4g.small",
        allocatedStorage: 20,
        maxAllocatedStorage: 50,
        multiAz: false,
        backupRetentionDays: 1,
        deletionProtection: false,
        logRetentionDays: 7,
        installPlanApproval: "Automatic",
        protectStateful: false,
    }),
    prod: Object.freeze({
        instanceClass: "db.m7g.large",
        allocatedStorage: 100,
        maxAllocatedStorage: 1000,
        multiAz: true,
        backupRetentionDays: 14,
        deletionProtection: true,
        logRetentionDays: 90,
        // A new operator build reaches prod only when someone approves its install plan.
        installPlanApproval: "Manual",
        protectStateful: true,
    }),
});
