/**
 * The fleet as a whole (fleet/plan.ts), pure: which names two stacks may not share, in which scope; rings that form a
 * chain; the ring plan. Tables of members, each row a refusal (or not) that would change if the code were wrong.
 */
import * as assert from "node:assert/strict";
import { AWS_PHYSICAL_NAMES, awsNameClaims, fleetProblems, ringPlan, type Claim, type FleetMember } from "../fleet/plan";
import { exampleRender } from "./harness";

/** A fleet member; production on line 1.20 and pre-production on latest unless `line` says otherwise (null: latest). */
function member(stack: string, ring: number, claims: readonly Claim[] = [], soakHours = 24, line: string | null = ring === 0 ? null : "1.20"): FleetMember {
    return { stack, file: `Pulumi.${stack}.yaml`, environment: ring === 0 ? "dev" : "prod", ring, soakHours, claims, ...(line === null ? {} : { line }) };
}
const on = (stack: string, ring: number, line: string | null): FleetMember => member(stack, ring, [], 24, line);

const bucket = (value: string): Claim => ({ what: "aws:s3/bucket:Bucket bucket", value, scope: "global" });
const rdsId = (value: string, region: string): Claim => ({ what: "aws:rds/instance:Instance identifier", value, scope: "region", within: region });
const cluster = (value: string): Claim => ({ what: "pipeline-service:clusterName", value, scope: "fleet" });

describe("fleet checks (fleet/plan.ts)", () => {
    const cases: ReadonlyArray<{ what: string; members: readonly FleetMember[]; says: readonly RegExp[] }> = [
        { what: "a fleet of distinct stacks in rings 0, 1, 2", members: [member("stg", 0, [cluster("a")]), member("p1", 1, [cluster("b")]), member("p2", 2, [cluster("c")])], says: [] },
        { what: "a pre-production fleet only", members: [member("dev", 0), member("stg", 0)], says: [] },
        {
            what: "two stacks with one cluster name",
            members: [member("stg", 0, [cluster("x")]), member("p1", 1, [cluster("x")])],
            says: [/^Pulumi\.stg\.yaml and Pulumi\.p1\.yaml: both claim pipeline-service:clusterName "x" \(which names one cluster\)/],
        },
        {
            what: "one bucket name in two regions (bucket names are global)",
            members: [member("stg", 0, [bucket("b")]), member("p1", 1, [bucket("b")])],
            says: [/Pulumi\.stg\.yaml and Pulumi\.p1\.yaml: both claim aws:s3\/bucket:Bucket bucket "b" \(which must be unique in all of AWS\)/],
        },
        { what: "one RDS identifier in two regions", members: [member("stg", 0, [rdsId("db", "us-east-1")]), member("p1", 1, [rdsId("db", "us-west-2")])], says: [] },
        {
            what: "one RDS identifier in one region",
            members: [member("stg", 0, [rdsId("db", "us-east-1")]), member("p1", 1, [rdsId("db", "us-east-1")])],
            says: [/both claim aws:rds\/instance:Instance identifier "db" \(in region us-east-1/],
        },
        {
            what: "production with nothing in ring 0",
            members: [member("p1", 1), member("p2", 2)],
            says: [/^Pulumi\.p1\.yaml: production ring 1 has no pre-production stack below it: ring 0 is empty/],
        },
        {
            what: "a gap between ring 1 and ring 3",
            members: [member("stg", 0), member("p1", 1), member("p3", 3)],
            says: [/^Pulumi\.p1\.yaml \(ring 1\) and Pulumi\.p3\.yaml \(ring 3\): ring 2 is empty, a gap in rollout\.ring/],
        },
        {
            what: "a new line going ring by ring (ring 0 on latest, ring 1 trying 1.21, ring 2 still on 1.20)",
            members: [on("stg", 0, null), on("p1", 1, "1.21"), on("p2", 2, "1.20"), on("p3", 3, "1.21")],
            says: [],
        },
        {
            what: "a production ring on a line no earlier ring runs",
            members: [on("stg", 0, "1.20"), on("p1", 1, "1.20"), on("p2", 2, "1.21")],
            says: [/^Pulumi\.p2\.yaml \(ring 2\) runs OpenShift Pipelines 1\.21, which no stack of rings 0, 1 runs yet: a line goes through the rings in order like any change; move a stack of ring 1 to it first$/],
        },
        {
            what: "ring 1 ahead of a pinned ring 0",
            members: [on("stg", 0, "1.20"), on("p1", 1, "1.22")],
            says: [/^Pulumi\.p1\.yaml \(ring 1\) runs OpenShift Pipelines 1\.22, which no stack of ring 0 runs yet/],
        },
        {
            what: "a production stack following latest above pinned rings",
            members: [on("stg", 0, "1.21"), on("p1", 1, null)],
            says: [/^Pulumi\.p1\.yaml \(ring 1\) follows latest \(every new line first\), which no stack of ring 0 runs yet/],
        },
        {
            what: "a gap of two rings",
            members: [member("stg", 0), member("p3", 3)],
            says: [/^Pulumi\.stg\.yaml \(ring 0\) and Pulumi\.p3\.yaml \(ring 3\): rings 1–2 are empty/],
        },
    ];
    for (const { what, members, says } of cases) {
        it(`${says.length === 0 ? "accepts" : "refuses"} ${what}`, () => {
            const problems = fleetProblems(members);
            assert.equal(problems.length, says.length, problems.join("\n"));
            says.forEach((pattern, index) => assert.match(problems[index] ?? "", pattern));
        });
    }

    it("plans rings in ascending order, each waiting for its longest soak", () => {
        const plan = ringPlan([member("p2", 2), member("crit", 1, [], 72), member("stg", 0, [], 0), member("p1", 1), member("dev", 0, [], 12)]);
        assert.deepEqual(plan, [
            { ring: 0, soakHours: 12, stacks: ["dev", "stg"] },
            { ring: 1, soakHours: 72, stacks: ["crit", "p1"] },
            { ring: 2, soakHours: 24, stacks: ["p2"] },
        ]);
    });

    it("claims the physical names of a render, scoped, and nothing unknown or secret", () => {
        const claims = awsNameClaims([
            { type: "aws:s3/bucket:Bucket", name: "logs", inputs: { bucket: "c-logs" } },
            { type: "aws:ec2/securityGroup:SecurityGroup", name: "db", inputs: { name: "c-db" } },
            { type: "aws:rds/instance:Instance", name: "db", inputs: { identifier: "(known after apply)" } },
            { type: "aws:iam/user:User", name: "u", inputs: { name: "[secret]" } },
            { type: "aws:s3/bucketPolicy:BucketPolicy", name: "logs", inputs: { bucket: "c-logs" } },
        ], "us-east-1", "vpc-1");
        assert.deepEqual(claims, [
            { what: "aws:s3/bucket:Bucket bucket", value: "c-logs", scope: "global" },
            { what: "aws:ec2/securityGroup:SecurityGroup name", value: "c-db", scope: "vpc", within: "vpc-1" },
        ]);
    });

    // A new AWS resource with a name of its own must be classified, or two clusters could collide unnoticed.
    const SCOPED_TO_PARENT = new Set([
        "aws:s3/bucketMetric:BucketMetric", // per bucket
        "aws:iam/userPolicy:UserPolicy", // per user
        "aws:iam/accessKey:AccessKey", "aws:iam/rolePolicyAttachment:RolePolicyAttachment", // names their parent, has none
    ]);
    it("classifies every AWS resource of the prod render that is given a name", async () => {
        const render = await exampleRender("prod");
        const named = render.resources.filter((record) => record.type.startsWith("aws:") && ["name", "bucket", "identifier"].some((key) => typeof record.inputs[key] === "string"));
        const unclassified = [...new Set(named.map((record) => record.type))].filter((type) => !(type in AWS_PHYSICAL_NAMES) && !SCOPED_TO_PARENT.has(type)
            && !type.startsWith("aws:s3/bucket")); // the bucket's sub-resources name the bucket, their parent
        assert.deepEqual(unclassified, []);
        assert.ok(named.some((record) => record.type === "aws:rds/instance:Instance"));
    });
});
