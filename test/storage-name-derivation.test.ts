import assert from "node:assert/strict";
import { createHash } from "node:crypto";

import { awsNameRules, type AwsNameKind, nameProblems, type NameRule } from "../lib/aws-name-rules";
import {
    rdsFinalSnapshotIdentifier,
    rdsInstanceIdentifier,
    rdsParameterGroupName,
    resultsStorageNames,
    s3BucketName,
    securityGroupName,
    shortHash,
} from "../components/storage/names";

const NAME_FUNCTIONS: Readonly<Record<AwsNameKind, (cluster: string) => string>> = {
    rdsInstanceIdentifier: (c) => resultsStorageNames(c).rdsInstanceIdentifier,
    rdsFinalSnapshotIdentifier: (c) => resultsStorageNames(c).rdsFinalSnapshotIdentifier,
    rdsSubnetGroupName: (c) => resultsStorageNames(c).rdsSubnetGroupName,
    rdsParameterGroupName: (c) => rdsParameterGroupName(c, "postgres17"),
    securityGroupName: (c) => resultsStorageNames(c).securityGroupName,
    s3BucketName: (c) => s3BucketName(c, "123456789012"),
    iamUserName: (c) => resultsStorageNames(c).iamUserName,
    iamRoleName: (c) => resultsStorageNames(c).iamRoleName,
    iamPolicyName: (c) => resultsStorageNames(c).iamPolicyName,
};
const KINDS = Object.keys(NAME_FUNCTIONS) as AwsNameKind[];

const LONG_PREFIX = "stone-prd-" + "x".repeat(60); // 70 characters

const CLUSTER_NAMES: readonly string[] = [
    "a",
    "stone-prd-rh01",
    "c".repeat(100),
    "Stone-PRD-RH01",
    "stone.prd_rh01",
    "01-stone",
    "sg-cluster",
    "sthree-cluster",
    "amzn-s3-demo-cluster",
    "xn--cluster",
    "default",
    "stone--prd--",
    "___",
    `${LONG_PREFIX}-alpha`,
    `${LONG_PREFIX}-beta`,
    "ünïcode-クラスタ",
];

describe("storage name derivation", () => {
    describe("every derived name satisfies its AWS rule", () => {
        for (const cluster of CLUSTER_NAMES) {
            for (const kind of KINDS) {
                it(`${kind}(${JSON.stringify(cluster.length > 30 ? cluster.slice(0, 30) + "…" : cluster)})`, () => {
                    const name = NAME_FUNCTIONS[kind](cluster);
                    assert.deepEqual(nameProblems(awsNameRules[kind], name), [], name);
                    // Lower case everywhere: RDS folds case, IAM compares case-insensitively, S3 requires it.
                    assert.equal(name, name.toLowerCase());
                    assert.match(name, /^[a-z]/, "every name starts with a letter");
                    assert.ok(!name.includes("--"), `no double hyphen in ${name}`);
                });
            }
        }
    });

    it("uses a typical cluster name verbatim and without a hash", () => {
        assert.deepEqual(resultsStorageNames("stone-prd-rh01", { parameterGroupFamily: "postgres17" }), {
            rdsInstanceIdentifier: "stone-prd-rh01-tekton-results",
            rdsFinalSnapshotIdentifier: "stone-prd-rh01-tekton-results-final",
            rdsSubnetGroupName: "stone-prd-rh01-tekton-results",
            rdsParameterGroupName: "stone-prd-rh01-tekton-results-postgres17",
            securityGroupName: "stone-prd-rh01-tekton-results-db",
            s3BucketName: `stone-prd-rh01-${shortHash("stone-prd-rh01")}-tekton-results-logs`,
            iamUserName: "stone-prd-rh01-tekton-results-s3",
            iamRoleName: "stone-prd-rh01-tekton-results-rds-monitoring",
            iamPolicyName: "stone-prd-rh01-tekton-results-s3",
        });
    });

    it("hashes the full, original cluster name with sha256 (first 8 hex digits)", () => {
        const expected = createHash("sha256").update("stone-prd-rh01").digest("hex").slice(0, 8);
        assert.equal(shortHash("stone-prd-rh01"), expected);
        assert.match(expected, /^[0-9a-f]{8}$/);
    });

    it("is deterministic", () => {
        for (const cluster of CLUSTER_NAMES) {
            assert.deepEqual(resultsStorageNames(cluster), resultsStorageNames(cluster));
        }
    });

    it("keeps long cluster names that share a 70-character prefix apart in every name", () => {
        const alpha = `${LONG_PREFIX}-alpha`;
        const beta = `${LONG_PREFIX}-beta`;
        for (const kind of KINDS) {
            const a = NAME_FUNCTIONS[kind](alpha);
            const b = NAME_FUNCTIONS[kind](beta);
            assert.notEqual(a, b, kind);
            // Names limited to 63/64 characters (and the snapshot, built on the instance identifier)
            // must be cut, so they carry the hash of the full name; the others fit verbatim.
            const cut = awsNameRules[kind].maxLength <= 64 || kind === "rdsFinalSnapshotIdentifier";
            const hash = kind === "s3BucketName" ? shortHash(alpha, "123456789012") : shortHash(alpha);
            assert.equal(a.includes(hash), cut, `${kind}: ${a}`);
        }
        assert.equal(rdsInstanceIdentifier(alpha).length, 63, "truncated to the limit, not shorter");
        assert.ok(rdsInstanceIdentifier(alpha).startsWith("stone-prd-xxx"), "keeps the readable start");
    });

    it("keeps names apart when slugging loses information (case, dots, underscores)", () => {
        const variants = ["stone-prd-rh01", "Stone-PRD-RH01", "stone.prd.rh01", "stone_prd_rh01"];
        const identifiers = variants.map(rdsInstanceIdentifier);
        assert.equal(new Set(identifiers).size, variants.length, identifiers.join(", "));
        assert.equal(rdsInstanceIdentifier("Stone-PRD-RH01"), `stone-prd-rh01-${shortHash("Stone-PRD-RH01")}-tekton-results`);
    });

    it("prefixes cluster names that start with a digit or a reserved prefix, and hashes them", () => {
        assert.equal(rdsInstanceIdentifier("01-stone"), `cluster-01-stone-${shortHash("01-stone")}-tekton-results`);
        assert.equal(securityGroupName("sg-cluster"), `cluster-sg-cluster-${shortHash("sg-cluster")}-tekton-results-db`);
        assert.ok(s3BucketName("sthree-x").startsWith("cluster-sthree-x-"));
        // A cluster literally named like the prefixed form must not collide with it.
        assert.notEqual(rdsInstanceIdentifier("cluster-01-stone"), rdsInstanceIdentifier("01-stone"));
    });

    it("derives the final snapshot identifier from the instance identifier", () => {
        for (const cluster of CLUSTER_NAMES) {
            assert.equal(rdsFinalSnapshotIdentifier(cluster), `${rdsInstanceIdentifier(cluster)}-final`);
        }
    });

    it("gives each parameter group family its own name", () => {
        assert.notEqual(rdsParameterGroupName("stone-prd-rh01", "postgres17"), rdsParameterGroupName("stone-prd-rh01", "postgres18"));
        assert.equal(rdsParameterGroupName("stone-prd-rh01"), "stone-prd-rh01-tekton-results");
        assert.equal(rdsParameterGroupName("stone-prd-rh01", "aurora-postgresql16"), "stone-prd-rh01-tekton-results-aurora-postgresql16");
    });

    it("mixes the account id into the S3 hash, so equal cluster names in two accounts differ", () => {
        assert.notEqual(s3BucketName("dev", "111111111111"), s3BucketName("dev", "222222222222"));
        assert.notEqual(s3BucketName("dev"), s3BucketName("dev", "111111111111"));
        assert.equal(s3BucketName("dev", "111111111111"), `dev-${shortHash("dev", "111111111111")}-tekton-results-logs`);
    });

    it("rejects an empty cluster name", () => {
        assert.throws(() => rdsInstanceIdentifier(""), /must not be empty/);
        assert.throws(() => s3BucketName("   "), /must not be empty/);
    });

    describe("rules reject what AWS rejects", () => {
        const bad: ReadonlyArray<readonly [AwsNameKind, string, RegExp]> = [
            ["rdsInstanceIdentifier", "1abc", /must consist of/],
            ["rdsInstanceIdentifier", "abc-", /must not end with "-"/],
            ["rdsInstanceIdentifier", "a--b", /must not contain "--"/],
            ["rdsInstanceIdentifier", "Abc", /must consist of/],
            ["rdsInstanceIdentifier", "a".repeat(64), /length 64/],
            ["rdsFinalSnapshotIdentifier", "a".repeat(256), /length 256/],
            ["rdsSubnetGroupName", "default", /reserved/],
            ["rdsSubnetGroupName", "1net", /must consist of/],
            ["rdsParameterGroupName", "pg--17", /"--"/],
            ["securityGroupName", "sg-0123", /must not start with "sg-"/],
            ["securityGroupName", "a".repeat(256), /length 256/],
            ["securityGroupName", "tab\there", /must consist of/],
            ["s3BucketName", "ab", /length 2/],
            ["s3BucketName", "xn--bucket", /"xn--"/],
            ["s3BucketName", "sthree-bucket", /"sthree-"/],
            ["s3BucketName", "amzn-s3-demo-bucket", /"amzn-s3-demo-"/],
            ["s3BucketName", "bucket-s3alias", /"-s3alias"/],
            ["s3BucketName", "bucket--ol-s3", /"--ol-s3"/],
            ["s3BucketName", "bucket--x-s3", /"--x-s3"/],
            ["s3BucketName", "bucket--table-s3", /"--table-s3"/],
            ["s3BucketName", "my.bucket", /must consist of/],
            ["s3BucketName", "-bucket", /must consist of/],
            ["s3BucketName", "bucket-", /must consist of/],
            ["s3BucketName", "Bucket", /must consist of/],
            ["iamUserName", "a b", /must consist of/],
            ["iamUserName", "u".repeat(65), /length 65/],
            ["iamUserName", "user/name", /must consist of/],
            ["iamUserName", "u".repeat(65), /length 65/],
            ["iamPolicyName", "p".repeat(129), /length 129/],
            ["iamRoleName", "r".repeat(65), /length 65/],
            ["iamRoleName", "role:name", /must consist of/],
        ];
        for (const [kind, name, problem] of bad) {
            it(`${kind} rejects ${JSON.stringify(name.length > 20 ? name.slice(0, 20) + "…" : name)}`, () => {
                const rule: NameRule = awsNameRules[kind];
                assert.match(nameProblems(rule, name).join("; "), problem);
            });
        }

        const good: ReadonlyArray<readonly [AwsNameKind, string]> = [
            ["rdsInstanceIdentifier", "a"],
            ["rdsInstanceIdentifier", "a".repeat(63)],
            ["rdsSubnetGroupName", "my_subnet.group 1"],
            ["securityGroupName", "Results DB (prod) #1"],
            ["s3BucketName", "abc"],
            ["iamPolicyName", "Policy_+=,.@-1"],
            ["iamPolicyName", "p".repeat(128)],
            ["iamRoleName", "r".repeat(64)],
        ];
        for (const [kind, name] of good) {
            it(`${kind} accepts ${JSON.stringify(name.length > 20 ? name.slice(0, 20) + "…" : name)}`, () => {
                assert.deepEqual(nameProblems(awsNameRules[kind], name), []);
            });
        }
    });

    it("documents every rule with an AWS source", () => {
        for (const kind of KINDS) {
            assert.match(awsNameRules[kind].source, /^https:\/\/docs\.aws\.amazon\.com\//, kind);
        }
    });
});
