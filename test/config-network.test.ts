/**
 * The network rules (`pipeline-service:network.*`): each refusal names its key and says exactly one thing; the
 * ranges a cluster uses are accepted.
 */
import * as assert from "node:assert/strict";
import { SECURITY_GROUP_INBOUND_RULES } from "../lib/aws-limits";
import { coversAllIpv4 } from "../lib/network";
import { devObject, parseDev, problemsOf } from "./config-fixtures";

const SUBNET_A = "subnet-0123456789abcdef0";
const SUBNET_B = "subnet-0fedcba9876543210";

/** dev's network with `patch` applied. */
function network(patch: Record<string, unknown>): Record<string, unknown> {
    return { "pipeline-service:network": devObject("network", patch) };
}

/** `count` distinct private /24s. */
function cidrs(count: number): string[] {
    return Array.from({ length: count }, (_, index) => `10.${Math.floor(index / 256)}.${index % 256}.0/24`);
}

const PRIVATE = "10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 (RFC 1918) and 100.64.0.0/10 (RFC 6598)";

describe("stack config: network", () => {
    const refused: ReadonlyArray<{ what: string; patch: Record<string, unknown>; key: string; message: string }> = [
        {
            what: "the same subnet twice (RDS needs two AZs)",
            patch: { privateSubnetIds: [SUBNET_A, SUBNET_A] },
            key: "network.privateSubnetIds[1]",
            message: "is listed twice (also privateSubnetIds[0]): RDS needs distinct subnets in two availability zones",
        },
        {
            what: "a subnet repeated among three",
            patch: { privateSubnetIds: [SUBNET_A, SUBNET_B, SUBNET_B] },
            key: "network.privateSubnetIds[2]",
            message: "is listed twice (also privateSubnetIds[1]): RDS needs distinct subnets in two availability zones",
        },
        {
            what: "two halves that together are all of IPv4",
            patch: { allowedCidrs: ["128.0.0.0/1", "0.0.0.0/1"], minCidrPrefix: 1, allowPublicCidrs: true },
            key: "network.allowedCidrs",
            message: "together cover all of IPv4, as 0.0.0.0/0 would: PostgreSQL is never reachable from everywhere",
        },
        {
            what: "overlapping blocks that together are all of IPv4",
            patch: { allowedCidrs: ["0.0.0.0/2", "64.0.0.0/2", "0.0.0.0/1", "128.0.0.0/2", "192.0.0.0/2"], minCidrPrefix: 1, allowPublicCidrs: true },
            key: "network.allowedCidrs",
            message: "together cover all of IPv4, as 0.0.0.0/0 would: PostgreSQL is never reachable from everywhere",
        },
        {
            what: "a /7 (wider than the default minimum prefix /8)",
            patch: { allowedCidrs: ["10.0.0.0/7"] },
            key: "network.allowedCidrs[0]",
            message: "is wider than /8 (network.minCidrPrefix): allow the cluster's networks, not a large part of the address space",
        },
        {
            what: "a /15 when the minimum prefix is /16",
            patch: { allowedCidrs: ["10.0.0.0/15"], minCidrPrefix: 16 },
            key: "network.allowedCidrs[0]",
            message: "is wider than /16 (network.minCidrPrefix): allow the cluster's networks, not a large part of the address space",
        },
        {
            what: "a /0 even with the minimum prefix lowered",
            patch: { allowedCidrs: ["0.0.0.0/0"], minCidrPrefix: 1, allowPublicCidrs: true },
            key: "network.allowedCidrs[0]",
            message: "must not be a /0: PostgreSQL is never reachable from everywhere",
        },
        { what: "a public range", patch: { allowedCidrs: ["10.0.0.0/16", "203.0.113.0/24"] }, key: "network.allowedCidrs[1]",
            message: `is outside the private ranges ${PRIVATE}: set network.allowPublicCidrs to true to let other addresses reach PostgreSQL` },
        { what: "a block holding 172.16.0.0/12 and more", patch: { allowedCidrs: ["172.0.0.0/11"] }, key: "network.allowedCidrs[0]",
            message: `is outside the private ranges ${PRIVATE}: set network.allowPublicCidrs to true to let other addresses reach PostgreSQL` },
        { what: "10.0.0.0/7 (10/8 and 11/8) with the minimum prefix lowered", patch: { allowedCidrs: ["10.0.0.0/7"], minCidrPrefix: 7 }, key: "network.allowedCidrs[0]",
            message: `is outside the private ranges ${PRIVATE}: set network.allowPublicCidrs to true to let other addresses reach PostgreSQL` },
        { what: "a block just outside RFC 6598", patch: { allowedCidrs: ["100.128.0.0/16"] }, key: "network.allowedCidrs[0]",
            message: `is outside the private ranges ${PRIVATE}: set network.allowPublicCidrs to true to let other addresses reach PostgreSQL` },
        { what: "a loopback range", patch: { allowedCidrs: ["127.0.0.0/8"] }, key: "network.allowedCidrs[0]",
            message: `is outside the private ranges ${PRIVATE}: set network.allowPublicCidrs to true to let other addresses reach PostgreSQL` },
        {
            what: "a CIDR listed twice",
            patch: { allowedCidrs: ["10.0.0.0/16", "10.128.0.0/14", "10.0.0.0/16"] },
            key: "network.allowedCidrs[2]",
            message: "is listed twice (also allowedCidrs[0]): AWS refuses a duplicate security group rule",
        },
        { what: "host bits set", patch: { allowedCidrs: ["10.0.0.1/16"] }, key: "network.allowedCidrs[0]", message: "has host bits set: write its network address 10.0.0.0/16" },
        { what: "host bits set in a /32's neighbour", patch: { allowedCidrs: ["192.168.1.7/31"] }, key: "network.allowedCidrs[0]", message: "has host bits set: write its network address 192.168.1.6/31" },
        { what: "a prefix with a leading zero", patch: { allowedCidrs: ["10.0.0.0/08"] }, key: "network.allowedCidrs[0]", message: "must be written 10.0.0.0/8" },
        { what: "a short-form address", patch: { allowedCidrs: ["10.1/16"] }, key: "network.allowedCidrs[0]", message: "must be an IPv4 CIDR such as 10.0.0.0/16" },
        { what: "a hexadecimal octet", patch: { allowedCidrs: ["0x0a.0.0.0/8"] }, key: "network.allowedCidrs[0]", message: "must be an IPv4 CIDR such as 10.0.0.0/16" },
        { what: "an address without a prefix", patch: { allowedCidrs: ["10.0.0.0"] }, key: "network.allowedCidrs[0]", message: "must be an IPv4 CIDR such as 10.0.0.0/16" },
        { what: "an IPv6 block", patch: { allowedCidrs: ["fd00::/8"] }, key: "network.allowedCidrs[0]", message: "must be an IPv4 CIDR such as 10.0.0.0/16" },
        {
            what: `${SECURITY_GROUP_INBOUND_RULES.defaultQuota + 1} CIDRs (one security group rule each, AWS's default quota is ${SECURITY_GROUP_INBOUND_RULES.defaultQuota})`,
            patch: { allowedCidrs: cidrs(61) },
            key: "network.allowedCidrs",
            message: "has 61 CIDRs, but the database's security group holds at most 60 inbound rules, one per CIDR "
                + "(network.securityGroupRuleQuota: raise it only after AWS raises the account's quota)",
        },
        {
            what: "more CIDRs than a lowered quota",
            patch: { allowedCidrs: cidrs(3), securityGroupRuleQuota: 2 },
            key: "network.allowedCidrs",
            message: "has 3 CIDRs, but the database's security group holds at most 2 inbound rules, one per CIDR "
                + "(network.securityGroupRuleQuota: raise it only after AWS raises the account's quota)",
        },
        { what: "a quota above what AWS allows", patch: { securityGroupRuleQuota: 1001 }, key: "network.securityGroupRuleQuota", message: "Too big: expected number to be <=1000" },
        { what: "a minimum prefix of 0", patch: { minCidrPrefix: 0 }, key: "network.minCidrPrefix", message: "Too small: expected number to be >=1" },
        { what: "allowPublicCidrs as text", patch: { allowPublicCidrs: "yes" }, key: "network.allowPublicCidrs", message: "must be true or false" },
    ];

    for (const example of refused) {
        it(`refuses ${example.what}`, () => {
            const error = problemsOf(() => parseDev(network(example.patch)));
            assert.deepEqual(error.problems.map((problem) => [problem.key, problem.message]), [[`pipeline-service:${example.key}`, example.message]], error.message);
        });
    }

    it("reports every network problem at once", () => {
        const error = problemsOf(() => parseDev(network({ privateSubnetIds: [SUBNET_B, SUBNET_B], allowedCidrs: ["10.0.0.1/16", "8.8.8.0/24", "10.0.0.0/16", "10.0.0.0/16"] })));
        assert.deepEqual(error.problems.map((problem) => problem.key), [
            "pipeline-service:network.privateSubnetIds[1]",
            "pipeline-service:network.allowedCidrs[0]",
            "pipeline-service:network.allowedCidrs[1]",
            "pipeline-service:network.allowedCidrs[3]",
        ]);
    });

    const accepted: ReadonlyArray<{ what: string; patch: Record<string, unknown> }> = [
        { what: "every RFC 1918 range whole", patch: { allowedCidrs: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"] } },
        { what: "OpenShift's default pod and service networks", patch: { allowedCidrs: ["10.128.0.0/14", "172.30.0.0/16"] } },
        { what: "RFC 6598 shared address space (CGNAT pod networks)", patch: { allowedCidrs: ["100.64.0.0/10", "100.127.255.0/24"] } },
        { what: "a single host", patch: { allowedCidrs: ["192.168.1.7/32"] } },
        { what: "a public range with allowPublicCidrs", patch: { allowedCidrs: ["203.0.113.0/24", "10.0.0.0/16"], allowPublicCidrs: true } },
        { what: "a /7 with the minimum prefix lowered to 7 and public ranges allowed", patch: { allowedCidrs: ["10.0.0.0/7"], minCidrPrefix: 7, allowPublicCidrs: true } },
        { what: "half of IPv4 with the limits lowered (not all of it)", patch: { allowedCidrs: ["0.0.0.0/1", "128.0.0.0/2"], minCidrPrefix: 1, allowPublicCidrs: true } },
        { what: `${SECURITY_GROUP_INBOUND_RULES.defaultQuota} CIDRs with the default quota`, patch: { allowedCidrs: cidrs(60) } },
        { what: "120 CIDRs with the quota raised to 120", patch: { allowedCidrs: cidrs(120), securityGroupRuleQuota: 120 } },
        { what: "a block inside another (redundant, but AWS accepts it)", patch: { allowedCidrs: ["10.0.0.0/16", "10.0.1.0/24"] } },
        { what: "three distinct subnets", patch: { privateSubnetIds: [SUBNET_A, SUBNET_B, "subnet-0c2d3e4f5a6b7c8d9"] } },
    ];
    for (const example of accepted) {
        it(`accepts ${example.what}`, () => {
            const config = parseDev(network(example.patch));
            assert.deepEqual(config.network.allowedCidrs, devObject("network", example.patch).allowedCidrs);
        });
    }

    it("defaults the new keys: /8, private ranges only, AWS's default quota", () => {
        const config = parseDev({});
        assert.equal(config.network.minCidrPrefix, 8);
        assert.equal(config.network.allowPublicCidrs, false);
        assert.equal(config.network.securityGroupRuleQuota, SECURITY_GROUP_INBOUND_RULES.defaultQuota);
    });

    it("merges blocks as 32-bit intervals: a gap of one address is not all of IPv4", () => {
        const all = 2 ** 32;
        assert.equal(coversAllIpv4([{ start: 0, end: all / 2 }, { start: all / 2, end: all }]), true);
        assert.equal(coversAllIpv4([{ start: all / 2, end: all }, { start: 0, end: all / 2 - 1 }]), false);
        assert.equal(coversAllIpv4([{ start: 1, end: all }]), false);
        assert.equal(coversAllIpv4([]), false);
    });
});
