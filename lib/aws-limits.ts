/**
 * AWS limits that both the stack config (to refuse a value early) and the storage component (to size what
 * it creates) need. Each limit names the document it comes from.
 */

/**
 * RDS refuses a storage autoscaling ceiling less than 10% above the allocated storage ("Invalid max storage
 * size"; Amazon RDS user guide, "Managing capacity automatically with Amazon RDS storage autoscaling").
 */
export const MIN_AUTOSCALING_HEADROOM_PERCENT = 10;

/** The lowest autoscaling ceiling RDS accepts for `allocatedStorage` GiB. */
export function smallestAutoscalingCeiling(allocatedStorage: number): number {
    // Integer arithmetic: 100 * 1.1 is 110.00000000000001 in floating point.
    return Math.ceil((allocatedStorage * (100 + MIN_AUTOSCALING_HEADROOM_PERCENT)) / 100);
}

/** Why RDS would refuse this allocated/maximum storage pair, or undefined when it accepts it. */
export function storageAutoscalingProblem(allocatedStorage: number, maxAllocatedStorage: number): string | undefined {
    const smallestCeiling = smallestAutoscalingCeiling(allocatedStorage);
    return maxAllocatedStorage < smallestCeiling
        ? `maxAllocatedStorage ${maxAllocatedStorage} GiB must be at least 10% above allocatedStorage ${allocatedStorage} GiB (≥ ${smallestCeiling}), or RDS refuses it`
        : undefined;
}

/** Retention periods CloudWatch Logs accepts (PutRetentionPolicy `retentionInDays`). */
export const CLOUDWATCH_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** gp3 storage RDS accepts for PostgreSQL, in GiB. */
export const RDS_STORAGE_GIB = { min: 20, max: 65536 } as const;

/** Automated backup retention RDS accepts, in days. */
export const RDS_BACKUP_RETENTION_DAYS = { min: 0, max: 35 } as const;

/**
 * Inbound rules a security group holds: AWS's default quota "Inbound or outbound rules per security group" is 60,
 * counted separately for IPv4 and IPv6, adjustable (quota code L-0EA8095F); the quota times the security groups per
 * network interface (5 by default) cannot exceed 1,000 (Amazon VPC user guide, "Amazon VPC quotas", Security groups).
 * A rule that references a CIDR block counts as one rule (same guide, "Security group rules", Security group size).
 */
export const SECURITY_GROUP_INBOUND_RULES = { defaultQuota: 60, max: 1000 } as const;

/**
 * Instance classes on which RDS offers no Performance Insights (now Database Insights), by engine. Only MySQL and
 * MariaDB have such classes; RDS for PostgreSQL has none ("Instance class restrictions: N/A"), so the dev stack's
 * db.t4g.small gets Performance Insights too. Sources: Amazon RDS user guide, "Amazon RDS DB engine, Region, and
 * instance class support for Performance Insights" (awsdocs/amazon-rds-user-guide
 * doc_source/USER_PerfInsights.Overview.Engines.md) and its successor USER_DatabaseInsights.Engines.html.
 */
export const PERFORMANCE_INSIGHTS_UNSUPPORTED_CLASSES: Readonly<Record<string, readonly string[]>> = {
    mysql: ["db.t2.micro", "db.t2.small", "db.t3.micro", "db.t3.small", "db.t4g.micro", "db.t4g.small"],
    mariadb: ["db.t2.micro", "db.t2.small", "db.t3.micro", "db.t3.small", "db.t4g.micro", "db.t4g.small"],
};

/** Whether RDS offers Performance Insights for this engine on this instance class. */
export function performanceInsightsSupported(engine: string, instanceClass: string): boolean {
    return !(PERFORMANCE_INSIGHTS_UNSUPPORTED_CLASSES[engine] ?? []).includes(instanceClass);
}
