/**
 * AWS naming rules, each written down once as data with the document it comes from, so the same rules
 * validate derived names (components/storage/names.ts) and can validate names anywhere else.
 */

/** A documented AWS naming rule, checkable offline. */
export interface NameRule {
    /** What the name belongs to, for error messages (e.g. "RDS DB instance identifier"). */
    readonly subject: string;
    /** Where the rule is documented. */
    readonly source: string;
    /** Minimum length in characters. */
    readonly minLength: number;
    /** Maximum length in characters. */
    readonly maxLength: number;
    /** Allowed characters and overall shape (anchored). */
    readonly pattern: RegExp;
    /** Human-readable description of {@link pattern}. */
    readonly patternDescription: string;
    /** Prefixes a name must not start with (compared case-insensitively). */
    readonly forbiddenPrefixes?: readonly string[];
    /** Suffixes a name must not end with (compared case-insensitively). */
    readonly forbiddenSuffixes?: readonly string[];
    /** Substrings a name must not contain anywhere. */
    readonly forbiddenSubstrings?: readonly string[];
    /** Whole names that are reserved (compared case-insensitively). */
    readonly forbiddenNames?: readonly string[];
}

// RDS rules are the intersection of the RDS API reference and the Pulumi AWS provider's own
// validation (bridged from terraform-provider-aws internal/service/rds/validate.go), which only
// accepts lower case even where RDS itself would fold the case.
const rdsIdentifierRule = (subject: string, maxLength: number, source: string): NameRule => ({
    subject,
    source,
    minLength: 1,
    maxLength,
    pattern: /^[a-z][a-z0-9-]*$/,
    patternDescription: "lowercase letters, digits and hyphens, starting with a letter",
    forbiddenSuffixes: ["-"],
    forbiddenSubstrings: ["--"],
});

const iamNameRule = (subject: string, maxLength: number, source: string): NameRule => ({
    subject,
    source,
    minLength: 1,
    maxLength,
    pattern: /^[\w+=,.@-]+$/,
    patternDescription: "letters, digits and _+=,.@-",
});

/** The AWS naming rules this module's names must satisfy, keyed like the name functions. */
export const awsNameRules = {
    /** CreateDBInstance `DBInstanceIdentifier`: 1–63, letter first, no trailing hyphen or `--`. */
    rdsInstanceIdentifier: rdsIdentifierRule(
        "RDS DB instance identifier",
        63,
        "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBInstance.html",
    ),
    /** DeleteDBInstance `FinalDBSnapshotIdentifier`: 1–255, otherwise the instance identifier rules. */
    rdsFinalSnapshotIdentifier: rdsIdentifierRule(
        "RDS final DB snapshot identifier",
        255,
        "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html",
    ),
    /** CreateDBSubnetGroup `DBSubnetGroupName`: ≤255, letter first, letters/digits/`._ -`, not `default`. */
    rdsSubnetGroupName: {
        subject: "RDS DB subnet group name",
        source: "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBSubnetGroup.html",
        minLength: 1,
        maxLength: 255,
        pattern: /^[a-z][a-z0-9._ -]*$/,
        patternDescription: "lowercase letters, digits, periods, underscores, spaces and hyphens, starting with a letter",
        forbiddenNames: ["default"],
    },
    /** CreateDBParameterGroup `DBParameterGroupName`: 1–255, letter first, no trailing hyphen or `--`. */
    rdsParameterGroupName: rdsIdentifierRule(
        "RDS DB parameter group name",
        255,
        "https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_CreateDBParameterGroup.html",
    ),
    /** EC2 CreateSecurityGroup `GroupName`: ≤255, must not start with `sg-`, limited punctuation. */
    securityGroupName: {
        subject: "EC2 security group name",
        source: "https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_CreateSecurityGroup.html",
        minLength: 1,
        maxLength: 255,
        pattern: /^[A-Za-z0-9 ._\-:/()#,@[\]+=&;{}!$*]+$/,
        patternDescription: "letters, digits, spaces and ._-:/()#,@[]+=&;{}!$*",
        forbiddenPrefixes: ["sg-"],
    },
    /**
     * S3 general purpose bucket: 3–63, lowercase letters/digits/hyphens, letter or digit at both
     * ends, reserved prefixes and suffixes. Periods are legal but we forbid them: they break TLS
     * for virtual-hosted-style requests and Transfer Acceleration.
     */
    s3BucketName: {
        subject: "S3 bucket name",
        source: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html",
        minLength: 3,
        maxLength: 63,
        pattern: /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/,
        patternDescription: "lowercase letters, digits and hyphens, starting and ending with a letter or digit",
        forbiddenPrefixes: ["xn--", "sthree-", "amzn-s3-demo-"],
        forbiddenSuffixes: ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"],
    },
    /** IAM CreateUser `UserName`: 1–64 of `[\w+=,.@-]`. */
    iamUserName: iamNameRule(
        "IAM user name",
        64,
        "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateUser.html",
    ),
    /** IAM CreateRole `RoleName`: 1–64 of `[\w+=,.@-]`. */
    iamRoleName: iamNameRule(
        "IAM role name",
        64,
        "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html",
    ),
    /** IAM CreatePolicy `PolicyName`: 1–128 of `[\w+=,.@-]`. */
    iamPolicyName: iamNameRule(
        "IAM policy name",
        128,
        "https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreatePolicy.html",
    ),
} as const satisfies Record<string, NameRule>;

/** Key of one rule in {@link awsNameRules}. */
export type AwsNameKind = keyof typeof awsNameRules;

/** Every way `name` breaks `rule`; empty when the name is valid. */
export function nameProblems(rule: NameRule, name: string): string[] {
    const problems: string[] = [];
    const lower = name.toLowerCase();
    if (name.length < rule.minLength || name.length > rule.maxLength) {
        problems.push(`length ${name.length} is outside ${rule.minLength}–${rule.maxLength}`);
    }
    if (!rule.pattern.test(name)) {
        problems.push(`must consist of ${rule.patternDescription}`);
    }
    for (const prefix of rule.forbiddenPrefixes ?? []) {
        if (lower.startsWith(prefix)) problems.push(`must not start with "${prefix}"`);
    }
    for (const suffix of rule.forbiddenSuffixes ?? []) {
        if (lower.endsWith(suffix)) problems.push(`must not end with "${suffix}"`);
    }
    for (const part of rule.forbiddenSubstrings ?? []) {
        if (name.includes(part)) problems.push(`must not contain "${part}"`);
    }
    for (const reserved of rule.forbiddenNames ?? []) {
        if (lower === reserved) problems.push(`"${reserved}" is reserved`);
    }
    return problems;
}
