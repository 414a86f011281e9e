/**
 * The hostile-input cases: bad stack config, odd stack names, bad CLI arguments and bad policy inputs, as a new
 * user would type them. Each names the key or argument its message must name.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { PROJECT_DIR } from "../../render";

/** The CLIs under test. */
export type Tool = "render" | "policy-check" | "cosign-keygen" | "fleet" | "fleet-diff";

export interface HostileCase {
    readonly what: string;
    readonly tool: Tool;
    /** Arguments; `{dir}` is the case's scratch directory, `{stack}` the stack file the case wrote there. */
    readonly args: readonly string[];
    /** Files to create in the scratch directory first (relative path → content). */
    readonly files?: Readonly<Record<string, string>>;
    /** The key or argument the message must name, verbatim. */
    readonly names: string;
    /** More the message must say, when the name alone could match by accident. */
    readonly says?: RegExp;
    /** Environment variables set (or, with `undefined`, removed) for the case. */
    readonly env?: Readonly<Record<string, string | undefined>>;
}

const devText = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8");
type Config = Record<string, unknown>;

/** Pulumi.dev.yaml with `edit` applied to its `config:` mapping. */
function devWith(edit: (config: Config) => void): string {
    const file = YAML.parse(devText) as { config: Config };
    edit(file.config);
    return YAML.stringify(file);
}

/** Sets `value` at the dotted `key` under a `pipeline-service:` object key. */
function setIn(config: Config, key: string, value: unknown): void {
    const [top, ...rest] = key.split(".");
    const name = `pipeline-service:${top}`;
    if (rest.length === 0) {
        config[name] = value;
        return;
    }
    let target = (config[name] ??= {}) as Config;
    for (const part of rest.slice(0, -1)) {
        target = (target[part] ??= {}) as Config;
    }
    target[rest[rest.length - 1] as string] = value;
}

/** A render of a stack file with `key` set to `value` (`undefined` deletes a top-level key). */
function configCase(what: string, key: string, value: unknown, says?: RegExp, names = `pipeline-service:${key}`): HostileCase {
    const text = devWith((config) => {
        if (value === undefined && !key.includes(".")) {
            delete config[`pipeline-service:${key}`];
        } else {
            setIn(config, key, value);
        }
    });
    return stackFileCase(what, text, names, says);
}

/** A render of a stack file with provider key `key` set to `value` (`undefined` deletes it). */
function providerCase(what: string, key: string, value: string | undefined, says?: RegExp, names = key): HostileCase {
    return stackFileCase(what, devWith((config) => {
        if (value === undefined) {
            delete config[key];
        } else {
            config[key] = value;
        }
    }), names, says);
}

function stackFileCase(what: string, text: string, names: string, says?: RegExp, env?: HostileCase["env"]): HostileCase {
    return {
        what, tool: "render", files: { "Pulumi.dev.yaml": text },
        args: ["--stack", "dev", "--config-file", "{dir}/Pulumi.dev.yaml", "--out", "{dir}/out", "--quiet", "--no-graph"],
        names, ...(says === undefined ? {} : { says }), ...(env === undefined ? {} : { env }),
    };
}

const network = (patch: Config): Config => ({ ...(YAML.parse(devText) as { config: Config }).config["pipeline-service:network"] as Config, ...patch });
const tooManyCidrs = Array.from({ length: 61 }, (_, index) => `10.${index}.0.0/16`);

const configCases: readonly HostileCase[] = [
    configCase("an unknown environment", "environment", "staging", /one of "dev", "prod"/),
    configCase("a cluster name with capitals", "clusterName", "Stone_PRD", /lowercase/),
    configCase("no cluster name", "clusterName", undefined, /is required/),
    configCase("an apps domain with a space", "appsDomain", "apps example.com", /DNS domain/),
    configCase("network: null", "network", null, /got null/),
    configCase("a network that is a string", "network", "vpc-0a1b2c3d4e5f60718", /must be an object/),
    configCase("a VPC id that is not one", "network.vpcId", "vpc-xyz", /VPC id/),
    configCase("one subnet", "network.privateSubnetIds", ["subnet-0123456789abcdef0"], /two subnets/),
    configCase("the same subnet twice", "network", network({ privateSubnetIds: ["subnet-0123456789abcdef0", "subnet-0123456789abcdef0"] }), /twice|more than once|listed/, "pipeline-service:network.privateSubnetIds[1]"),
    configCase("a CIDR open to the world", "network", network({ allowedCidrs: ["0.0.0.0/0"] }), undefined, "pipeline-service:network.allowedCidrs[0]"),
    configCase("two CIDRs that cover all of IPv4", "network", network({ allowedCidrs: ["0.0.0.0/1", "128.0.0.0/1"], allowPublicCidrs: true, minCidrPrefix: 1 }), /all of IPv4/, "pipeline-service:network.allowedCidrs"),
    configCase("a CIDR with host bits set", "network", network({ allowedCidrs: ["10.0.0.1/16"] }), /10\.0\.0\.0\/16/, "pipeline-service:network.allowedCidrs[0]"),
    configCase("the same CIDR twice", "network", network({ allowedCidrs: ["10.0.0.0/16", "10.0.0.0/16"] }), undefined, "pipeline-service:network.allowedCidrs[1]"),
    configCase("a public CIDR for a database", "network", network({ allowedCidrs: ["8.8.8.0/24"] }), /allowPublicCidrs/, "pipeline-service:network.allowedCidrs[0]"),
    configCase("a CIDR wider than /8", "network", network({ allowedCidrs: ["10.0.0.0/7"] }), undefined, "pipeline-service:network.allowedCidrs[0]"),
    configCase("more CIDRs than a security group holds", "network", network({ allowedCidrs: tooManyCidrs }), /60/, "pipeline-service:network.allowedCidrs"),
    configCase("a CIDR with an octet over 255", "network", network({ allowedCidrs: ["10.0.0.300/8"] }), undefined, "pipeline-service:network.allowedCidrs[0]"),
    configCase("a catalog image by tag", "operator.catalogImage", "quay.io/openshift-pipeline/pipelines-index-4.17:latest", /digest/),
    configCase("a registry poll interval of 0s", "operator.registryPollInterval", "0s", /between 1m and 24h/),
    configCase("an operator line we do not support", "operator.startingCsv", "openshift-pipelines-operator-rh.v9.9.9"),
    configCase("an http Vault server", "vault.server", "http://vault.example.com", /https/),
    configCase("a refresh interval of 1ns", "vault.refreshInterval", "1ns", /between 1s and 5m/),
    configCase("a refresh interval in words", "vault.refreshInterval", "5 minutes", /Go duration/),
    configCase("a Vault path that climbs out", "vault.githubAppSecretPath", "stonesoup/../../other-team/github-app", /\.\./),
    configCase("a CA bundle that is not a certificate", "vault.caBundle", "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n"),
    configCase("a CA bundle of 100 KiB", "vault.caBundle", `-----BEGIN CERTIFICATE-----\n${"A".repeat(100 * 1024)}\n-----END CERTIFICATE-----\n`),
    configCase("a console template with a variable PaC never fills", "pipelinesAsCode.consoleUrlPrDetails", "https://console.example.com/ns/{{ namespace }}/{{ evil }}", /evil/),
    configCase("an http console template", "pipelinesAsCode.consoleUrlNamespace", "http://console.example.com/ns/{{ namespace }}", /https/),
    configCase("an http console URL", "pipelinesAsCode.consoleUrl", "http://console.example.com", /https/),
    configCase("backup days beyond RDS's 35", "results.backupRetentionDays", 99, /35/),
    configCase("a PostgreSQL version we do not offer", "results.engineVersion", "16", /"17", "18"/),
    configCase("10 GiB of storage", "results.allocatedStorage", 10, /20/),
    configCase("an unknown results key", "results.colour", "blue"),
    configCase("an unknown top-level key", "colour", "blue", undefined, "pipeline-service:colour"),
    configCase("adopting a key without its public key", "chains.adoptExistingKey", true, /required/, "pipeline-service:chains.existingPublicKey"),
    configCase("keyless signing without transparency", "chains", { signing: "keyless", transparencyEnabled: false }, /keyless/, "pipeline-service:chains.transparencyEnabled"),
    configCase("a completed-run grace period of 0s", "resultsRetention.completedRunGracePeriod", "0s", /between 1s and 24h/),
    configCase("zero controller replicas", "workloads.pipelinesControllerReplicas", 0, /invalid stack configuration \(1 problem\)/),
    configCase("more buckets than controller replicas", "pipelines.buckets", 5, /pipelinesControllerReplicas/),
    configCase("an alarm topic that is an SQS queue", "observability.alarmTopicArn", "arn:aws:sqs:us-east-1:123456789012:q", /SNS/),
    configCase("a prod stack whose alarms notify nobody", "environment", "prod", /required in prod/, "pipeline-service:observability.alarmTopicArn"),
    providerCase("no AWS region", "aws:region", undefined, /is required/),
    providerCase("a region on Mars", "aws:region", "mars-north-1", /AWS region/),
    providerCase("no cluster context", "kubernetes:context", undefined, /kubeconfig/),
    providerCase("an empty cluster context", "kubernetes:context", "", /empty/),
    providerCase("a misspelt provider key", "kubernetes:contxt", "stone-stg-rh01", /not a key the program reads/),
    providerCase("an AWS key the provider ignores", "aws:profile", "admin", /not a key the program reads/),
    stackFileCase("a YAML syntax error", `${devText}  pipeline-service:results: {backupRetentionDays: 3\n`, "Pulumi.dev.yaml", /:\d+:\d+/),
    stackFileCase("a list as a key", `${devText}  ? [aws:region]\n  : us-east-1\n`, "Pulumi.dev.yaml", /:\d+:\d+/),
    stackFileCase("config that is a list", "config:\n  - aws:region\n", "Pulumi.dev.yaml"),
    stackFileCase("a secure value without a passphrase", `encryptionsalt: v1:AAAAAAAAAAA=:v1:AAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n${devText}  pipeline-service:colour:\n    secure: v1:AAAAAAAAAAAAAAAA:AAAA\n`,
        "PULUMI_CONFIG_PASSPHRASE", undefined, { PULUMI_CONFIG_PASSPHRASE: undefined, PULUMI_CONFIG_PASSPHRASE_FILE: undefined }),
    stackFileCase("a secure value under a KMS secrets provider", `secretsprovider: awskms://alias/pulumi\nencryptedkey: AAAA\n${devText}  pipeline-service:colour:\n    secure: AAAA\n`, "awskms", /can't decrypt|cannot decrypt/),
];

const renderArgs = (...args: string[]): readonly string[] => [...args, "--quiet", "--no-graph"];
const stackNameCases: readonly HostileCase[] = [
    { what: "a stack name that climbs out", tool: "render", args: renderArgs("--stack", "../Pulumi", "--out", "{dir}/out"), names: "../Pulumi", says: /letters, digits/ },
    { what: "an empty stack name", tool: "render", args: renderArgs("--stack", "", "--out", "{dir}/out"), names: "stack name" },
    { what: "a stack name with a space", tool: "render", args: renderArgs("--stack", "dev prod", "--out", "{dir}/out"), names: "dev prod" },
    { what: "a stack with no file", tool: "render", args: renderArgs("--stack", "nope", "--out", "{dir}/out"), names: "nope" },
    { what: "a stack name with a path in it", tool: "render", args: renderArgs("--stack", "dev/../dev", "--out", "{dir}/out"), names: "dev/../dev" },
    { what: "a stack name that looks like a flag", tool: "render", args: renderArgs("--stack", "-x", "--out", "{dir}/out"), names: "--stack" },
    { what: "the project file as a stack", tool: "render", args: renderArgs("--stack", "Pulumi", "--out", "{dir}/out"), names: "Pulumi" },
    { what: "a 300-character stack name", tool: "render", args: renderArgs("--stack", "s".repeat(300), "--out", "{dir}/out"), names: "sss" },
    { what: "a stack name with a shell substitution", tool: "render", args: renderArgs("--stack", "$(id)", "--out", "{dir}/out"), names: "$(id)" },
];

const cliCases: readonly HostileCase[] = [
    { what: "render with an unknown flag", tool: "render", args: ["--colour", "red"], names: "--colour" },
    { what: "render --out without a value", tool: "render", args: ["--out"], names: "--out" },
    { what: "render with a stray argument", tool: "render", args: ["dev"], names: "dev" },
    { what: "render into a directory it did not write", tool: "render", args: renderArgs("--out", "{dir}/notes"), files: { "notes/todo.txt": "mine\n" }, names: "notes" },
    { what: "render with a config file that does not exist", tool: "render", args: renderArgs("--config-file", "{dir}/missing.yaml", "--out", "{dir}/out"), names: "missing.yaml" },
    { what: "render into /proc", tool: "render", args: renderArgs("--out", "/proc/1/nope"), names: "/proc/1" },
    { what: "render into a path under a file", tool: "render", args: renderArgs("--out", "{dir}/file.txt/out"), files: { "file.txt": "x\n" }, names: "file.txt" },
    { what: "cosign-keygen with an unknown flag", tool: "cosign-keygen", args: ["--bogus"], names: "--bogus" },
    { what: "cosign-keygen without --out", tool: "cosign-keygen", args: [], names: "--out" },
    { what: "cosign-keygen into /proc", tool: "cosign-keygen", args: ["--out", "/proc/1/nope"], names: "/proc/1" },
    { what: "cosign-keygen under a file", tool: "cosign-keygen", args: ["--out", "{dir}/file.txt/keys"], files: { "file.txt": "x\n" }, names: "file.txt" },
    { what: "cosign-keygen over an existing key", tool: "cosign-keygen", args: ["--out", "{dir}/keys"], files: { "keys/cosign.key": "old\n" }, names: "cosign.key" },
];

const resources = (records: unknown): string => `${JSON.stringify(records)}\n`;
const policyCases: readonly HostileCase[] = [
    { what: "policy:check without a file", tool: "policy-check", args: [], names: "resources file" },
    { what: "policy:check with two files", tool: "policy-check", args: ["a.json", "b.json"], names: "one resources file" },
    { what: "policy:check --config without a value", tool: "policy-check", args: ["{dir}/r.json", "--config"], names: "--config" },
    { what: "policy:check with an unknown flag", tool: "policy-check", args: ["{dir}/r.json", "--enforce"], names: "--enforce" },
    { what: "policy:check of a file that does not exist", tool: "policy-check", args: ["{dir}/missing.json"], names: "missing.json" },
    { what: "policy:check of a file that is not JSON", tool: "policy-check", args: ["{dir}/r.json"], files: { "r.json": "resources: []\n" }, names: "r.json" },
    { what: "policy:check of JSON that is not a render", tool: "policy-check", args: ["{dir}/r.json"], files: { "r.json": resources({ a: 1 }) }, names: "r.json" },
    { what: "policy:check of a record without a type", tool: "policy-check", args: ["{dir}/r.json"], files: { "r.json": resources([{ urn: "urn:pulumi:dev::p::x::y" }]) }, names: "type" },
    { what: "a policy config that is not JSON", tool: "policy-check", args: ["out/dev/resources.json", "--config", "{dir}/c.json"], files: { "c.json": "{all: advisory\n" }, names: "c.json" },
    { what: "a policy config with an enforcement level that does not exist", tool: "policy-check", args: ["out/dev/resources.json", "--config", "{dir}/c.json"], files: { "c.json": resources({ "controllers-highly-available": "loud" }) }, names: "loud" },
    { what: "a policy config naming a policy that does not exist", tool: "policy-check", args: ["out/dev/resources.json", "--config", "{dir}/c.json"], files: { "c.json": resources({ "controllers-highly-availble": "advisory" }) }, names: "controllers-highly-availble" },
    { what: "a policy pack that is not one", tool: "policy-check", args: ["out/dev/resources.json", "--pack", "{dir}/nopack"], files: { "nopack/readme.txt": "x\n" }, names: "nopack" },
];

const fleetCases: readonly HostileCase[] = [
    { what: "fleet with an unknown flag", tool: "fleet", args: ["--stack", "dev"], names: "--stack" },
    { what: "fleet with a stacks directory that does not exist", tool: "fleet", args: ["--stacks-dir", "{dir}/nope", "--out", "{dir}/out"], names: "nope" },
    { what: "fleet with a stacks directory holding no stack file", tool: "fleet", args: ["--stacks-dir", "{dir}/stacks", "--out", "{dir}/out"], files: { "stacks/Pulumi.yaml": "name: x\n" }, names: "Pulumi.<stack>.yaml" },
    {
        what: "fleet into a directory it did not write", tool: "fleet", args: ["--stacks-dir", "{dir}/stacks", "--out", "{dir}/notes"],
        files: { "stacks/Pulumi.dev.yaml": devText, "notes/todo.txt": "mine\n" }, names: "notes", says: /no fleet render/,
    },
    { what: "fleet:diff without --base", tool: "fleet-diff", args: [], names: "--base" },
    { what: "fleet:diff with a ref that names no commit", tool: "fleet-diff", args: ["--base", "no-such-ref-anywhere"], names: "no-such-ref-anywhere" },
    { what: "fleet:diff with a ref that looks like a flag", tool: "fleet-diff", args: ["--base=--output=x"], names: "--output=x" },
    { what: "fleet:diff with stacks outside the project", tool: "fleet-diff", args: ["--base", "HEAD", "--stacks-dir", "{dir}"], names: "--stacks-dir" },
];

export const HOSTILE_CASES: readonly HostileCase[] = [...configCases, ...stackNameCases, ...cliCases, ...policyCases, ...fleetCases];
