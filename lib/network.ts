/**
 * The rules for the database's network settings: which CIDRs may reach PostgreSQL and which subnets hold it.
 * Addresses are parsed by ipaddr.js, never by hand-written patterns.
 */
import * as ipaddr from "ipaddr.js";

/** What the stack allows of `network.allowedCidrs`. */
export interface CidrRules {
    /** The widest block allowed, as a prefix length: 8 allows 10.0.0.0/8 and refuses 10.0.0.0/7. */
    readonly minCidrPrefix: number;
    /** Whether blocks outside the private ranges may reach the database. */
    readonly allowPublicCidrs: boolean;
    /** How many inbound rules the security group holds (one per CIDR). */
    readonly securityGroupRuleQuota: number;
}

/** One problem, at a path relative to the `network` object. */
export interface NetworkProblem {
    readonly path: readonly (string | number)[];
    readonly message: string;
    /** The value the problem is about. */
    readonly input: unknown;
}

/** RFC 1918 private ranges and RFC 6598 shared address space (the carrier-grade NAT range some clusters use for pods). */
export const PRIVATE_RANGES: readonly (readonly [string, readonly [ipaddr.IPv4, number]])[] = [
    ["RFC 1918", ipaddr.IPv4.parseCIDR("10.0.0.0/8")],
    ["RFC 1918", ipaddr.IPv4.parseCIDR("172.16.0.0/12")],
    ["RFC 1918", ipaddr.IPv4.parseCIDR("192.168.0.0/16")],
    ["RFC 6598", ipaddr.IPv4.parseCIDR("100.64.0.0/10")],
];

/** "10.0.0.0/8, ... (RFC 1918) and 100.64.0.0/10 (RFC 6598)". */
const PRIVATE_RANGES_TEXT = ["RFC 1918", "RFC 6598"].map((rfc) => `${PRIVATE_RANGES.filter(([source]) => source === rfc)
    .map(([, [address, bits]]) => `${address.toString()}/${bits}`).join(", ")} (${rfc})`).join(" and ");

const IPV4_SIZE = 2 ** 32;

/** A parsed IPv4 block: its network address and prefix, and the addresses it spans as numbers [start, end). */
interface Block {
    /** The address as written, host bits and all. */
    readonly address: ipaddr.IPv4;
    readonly network: ipaddr.IPv4;
    readonly prefix: number;
    readonly start: number;
    readonly end: number;
}

/** Parses dotted-quad CIDR notation only: ipaddr.js would also take "10.1/16" or hex octets, which AWS refuses. */
function parseBlock(text: string): Block | undefined {
    if (!ipaddr.IPv4.isValidCIDRFourPartDecimal(text)) {
        return undefined;
    }
    const [address, prefix] = ipaddr.IPv4.parseCIDR(text);
    const network = ipaddr.IPv4.networkAddressFromCIDR(`${address.toString()}/${prefix}`);
    const start = network.toByteArray().reduce((sum, octet) => sum * 256 + octet, 0);
    return { address, network, prefix, start, end: start + 2 ** (32 - prefix) };
}

/** Whether the block lies wholly inside one of the {@link PRIVATE_RANGES}. */
function isPrivate(block: Block): boolean {
    return PRIVATE_RANGES.some(([, [range, bits]]) => block.prefix >= bits && block.network.match(range, bits));
}

/** The problem with one CIDR on its own, or undefined. */
export function cidrProblem(text: string, rules: CidrRules): string | undefined {
    const block = parseBlock(text);
    if (block === undefined) {
        return "must be an IPv4 CIDR such as 10.0.0.0/16";
    }
    const canonical = `${block.network.toString()}/${block.prefix}`;
    if (block.address.toString() !== block.network.toString()) {
        // A typo in the address or in the prefix: name the block it would be, rather than guess which was meant.
        return `has host bits set: write its network address ${canonical}`;
    }
    if (canonical !== text) {
        return `must be written ${canonical}`;
    }
    if (block.prefix === 0) {
        return "must not be a /0: PostgreSQL is never reachable from everywhere";
    }
    if (block.prefix < rules.minCidrPrefix) {
        return `is wider than /${rules.minCidrPrefix} (network.minCidrPrefix): allow the cluster's networks, not a large part of the address space`;
    }
    if (!rules.allowPublicCidrs && !isPrivate(block)) {
        return `is outside the private ranges ${PRIVATE_RANGES_TEXT}: set network.allowPublicCidrs to true to let other addresses reach PostgreSQL`;
    }
    return undefined;
}

/** Whether the blocks together span every IPv4 address: merged as 32-bit intervals, in address order. */
export function coversAllIpv4(blocks: readonly { readonly start: number; readonly end: number }[]): boolean {
    let reached = 0;
    for (const block of [...blocks].sort((left, right) => left.start - right.start)) {
        if (block.start > reached) {
            return false;
        }
        reached = Math.max(reached, block.end);
    }
    return reached >= IPV4_SIZE;
}

/** Each later entry of `values` equal to an earlier one (by `keyOf`), with the index it repeats. */
function repeats<T>(values: readonly T[], keyOf: (value: T) => string | undefined): { index: number; first: number }[] {
    const firstIndex = new Map<string, number>();
    const found: { index: number; first: number }[] = [];
    values.forEach((value, index) => {
        const key = keyOf(value);
        if (key === undefined) {
            return;
        }
        const first = firstIndex.get(key);
        if (first === undefined) {
            firstIndex.set(key, index);
        } else {
            found.push({ index, first });
        }
    });
    return found;
}

/** Every problem with `allowedCidrs`: each CIDR alone, repeats, the union of them all, and the security group's size. */
export function allowedCidrsProblems(cidrs: readonly string[], rules: CidrRules): NetworkProblem[] {
    const problems: NetworkProblem[] = [];
    const accepted: Block[] = [];
    const canonical: (string | undefined)[] = cidrs.map((text, index) => {
        const problem = cidrProblem(text, rules);
        if (problem !== undefined) {
            problems.push({ path: ["allowedCidrs", index], message: problem, input: text });
            return undefined;
        }
        const block = parseBlock(text) as Block;
        accepted.push(block);
        return `${block.network.toString()}/${block.prefix}`;
    });
    for (const { index, first } of repeats(canonical, (text) => text)) {
        problems.push({ path: ["allowedCidrs", index], message: `is listed twice (also allowedCidrs[${first}]): AWS refuses a duplicate security group rule`, input: cidrs[index] });
    }
    if (coversAllIpv4(accepted)) {
        problems.push({ path: ["allowedCidrs"], message: "together cover all of IPv4, as 0.0.0.0/0 would: PostgreSQL is never reachable from everywhere", input: cidrs });
    }
    if (cidrs.length > rules.securityGroupRuleQuota) {
        problems.push({ path: ["allowedCidrs"], message: `has ${cidrs.length} CIDRs, but the database's security group holds at most ${rules.securityGroupRuleQuota} inbound rules, one per CIDR `
            + "(network.securityGroupRuleQuota: raise it only after AWS raises the account's quota)", input: `(${cidrs.length} CIDRs)` });
    }
    return problems;
}

/** A subnet listed twice: RDS needs distinct subnets in two availability zones. */
export function privateSubnetProblems(subnetIds: readonly string[]): NetworkProblem[] {
    return repeats(subnetIds, (id) => id).map(({ index, first }) => ({
        path: ["privateSubnetIds", index],
        message: `is listed twice (also privateSubnetIds[${first}]): RDS needs distinct subnets in two availability zones`,
        input: subnetIds[index],
    }));
}
