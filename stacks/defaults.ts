/**
 * Environment defaults: prod is durable and careful, dev is cheap. A stack file states only what differs.
 * The shape comes from the schema ({@link EnvironmentDefaults}); the schema applies these values.
 */
import type { Environment, EnvironmentDefaults } from "./schema";

export const ENVIRONMENT_DEFAULTS: Readonly<Record<Environment, EnvironmentDefaults>> = Object.freeze({
    dev: {
        results: {
            instanceClass: "db.t4g.small",
            allocatedStorage: 20,
            maxAllocatedStorage: 50,
            multiAz: false,
            backupRetentionDays: 1,
            deletionProtection: false,
            logRetentionDays: 7,
        },
        operator: { installPlanApproval: "Automatic" },
        protectStateful: false,
    },
    prod: {
        results: {
            instanceClass: "db.m7g.large",
            allocatedStorage: 100,
            maxAllocatedStorage: 1000,
            multiAz: true,
            backupRetentionDays: 14,
            deletionProtection: true,
            logRetentionDays: 90,
        },
        // A new operator build reaches prod only when someone approves its install plan.
        operator: { installPlanApproval: "Manual" },
        protectStateful: true,
    },
});
