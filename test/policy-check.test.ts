import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import Module, { createRequire } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import type { PolicyPackArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import * as policyModule from "../policy/policies";
import {
    checkResources,
    formatViolations,
    isTypeOf,
    main,
    parseResourceRecords,
    UnknownDuringPreviewError,
    unknownCheckingProxy,
    type ResourceRecord,
} from "../tools/policy-check";
import { goodResources, mutate, T, urnOf } from "./fixtures/policy-resources";

const repoRoot = path.resolve(__dirname, "..");
/** Loads a module through Node's CommonJS cache, which these tests inspect and stub. */
const load = createRequire(__filename);
const policyDir = path.join(repoRoot, "policy");

describe("policy-check uses the pack's own policy objects", () => {
    const sdkPath = load.resolve("@pulumi/policy", { paths: [policyDir] });
    const indexPath = load.resolve(path.join(policyDir, "index.ts"));
    let constructed: Array<{ readonly name: string; readonly args: PolicyPackArgs }>;
    let savedSdk: NodeModule | undefined;

    beforeEach(() => {
        // Stand in for @pulumi/policy while policy/index.ts loads: a real PolicyPack would start a gRPC server.
        constructed = [];
        savedSdk = load.cache[sdkPath];
        class RecordingPolicyPack {
            constructor(name: string, args: PolicyPackArgs) {
                constructed.push({ name, args });
            }
        }
        const fake = new Module(sdkPath);
        fake.filename = sdkPath;
        fake.loaded = true;
        fake.exports = { PolicyPack: RecordingPolicyPack };
        load.cache[sdkPath] = fake;
        delete load.cache[indexPath];
    });

    afterEach(() => {
        delete load.cache[indexPath];
        if (savedSdk) {
            load.cache[sdkPath] = savedSdk;
        } else {
            delete load.cache[sdkPath];
        }
    });

    it("policy/index.ts builds exactly one pack from the very array policy-check evaluates", () => {
        load(indexPath);
        assert.equal(constructed.length, 1);
        const pack = constructed[0];
        assert.ok(pack);
        assert.equal(pack.name, "pipeline-service");
        assert.equal(pack.args.policies, policyModule.policies, "the pack must serve the exported array itself, not a copy");
    });

    it("checkResources invokes the policy objects the pack serves", async () => {
        load(indexPath);
        const served = constructed[0]?.args.policies ?? [];
        const target = served.find((p) => p.name === "operator-catalog-pinned") as ResourceValidationPolicy | undefined;
        assert.ok(target);
        const original = target.validateResource;
        const seen: string[] = [];
        target.validateResource = (args) => {
            seen.push(args.urn);
        };
        try {
            await checkResources(goodResources());
        } finally {
            target.validateResource = original;
        }
        assert.equal(seen.length, goodResources().length, "the served object ran once per resource");
        assert.ok(seen.includes(urnOf(T.catalogSource, "pipelines-catalog")));
    });

    it("declares the version PolicyPack reads from policy/package.json", () => {
        const manifest = JSON.parse(fs.readFileSync(path.join(policyDir, "package.json"), "utf8")) as { version?: string };
        assert.equal(policyModule.POLICY_PACK_VERSION, manifest.version);
    });

    it("policy-check.ts imports the same policies module instance", () => {
        const checkerPath = load.resolve("../tools/policy-check");
        const policiesPath = load.resolve("../policy/policies");
        const checker = load.cache[checkerPath];
        assert.ok(checker, "policy-check is loaded");
        assert.ok(checker.children.some((child) => child.filename === policiesPath), "policy-check requires policy/policies.ts");
        assert.equal((load.cache[policiesPath]?.exports as typeof policyModule).policies, policyModule.policies);
    });
});

describe("engine-like arguments", () => {
    it("throws UnknownDuringPreviewError only when an unknown value is read", () => {
        const props = unknownCheckingProxy({ spec: { image: "(known after apply)", name: "x", list: ["a", "(known after apply)"] } });
        assert.equal(props.spec.name, "x");
        assert.equal(props.spec.list[0], "a");
        assert.ok("image" in props.spec, "the has-check does not read the value");
        assert.throws(() => props.spec.image, (e: unknown) => e instanceof UnknownDuringPreviewError && e.path === "spec.image");
        assert.throws(() => props.spec.list[1], UnknownDuringPreviewError);
    });

    it("implements isType/asType by __pulumiType, falling back to isInstance", async () => {
        class Bucket {
            static readonly __pulumiType = "aws:s3/bucket:Bucket";
        }
        class Custom {
            static isInstance(o: unknown): boolean {
                return (o as { __pulumiType?: string }).__pulumiType === "kubernetes:example.com/v1:Thing";
            }
        }
        assert.equal(isTypeOf("aws:s3/bucket:Bucket", Bucket), true);
        assert.equal(isTypeOf("aws:s3/bucketPolicy:BucketPolicy", Bucket), false);
        assert.equal(isTypeOf("kubernetes:example.com/v1:Thing", Custom), true);

        const probe: ResourceValidationPolicy = {
            name: "probe",
            description: "Checks whether asType works.",
            enforcementLevel: "mandatory",
            validateResource: (args, report) => {
                const bucket = args.asType(Bucket as never) as { bucket?: string } | undefined;
                if (args.isType(Bucket as never) && bucket) {
                    report(`bucket ${bucket.bucket}`);
                }
            },
        };
        const result = await checkResources(goodResources(), { policies: [probe] });
        assert.deepEqual(result.violations.map((v) => v.message), ["bucket prod-1-tekton-results-logs"]);
    });

    it("gives resource policies engine options plus the recorded retainOnDelete, and stack policies resolved links", async () => {
        const seen: Record<string, unknown> = {};
        const resourceProbe: ResourceValidationPolicy = {
            name: "resource-probe",
            description: "Checks whether options arrive.",
            validateResource: (args) => {
                if (args.name === "signing-secrets") {
                    seen.opts = args.opts;
                    seen.provider = args.provider?.type;
                }
            },
        };
        const stackProbe: StackValidationPolicy = {
            name: "stack-probe",
            description: "Checks whether links arrive.",
            validateStack: (args) => {
                const secret = args.resources.find((r) => r.name === "signing-secrets");
                seen.dependencies = secret?.dependencies.map((d) => d.name);
                seen.tags = args.getConfig();
            },
        };
        await checkResources(goodResources(), { policies: [resourceProbe, stackProbe] });
        assert.deepEqual(seen.opts, {
            protect: true,
            ignoreChanges: ["data", "stringData"],
            aliases: [],
            customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
            additionalSecretOutputs: [],
            retainOnDelete: true,
        });
        assert.equal(seen.provider, "pulumi:providers:kubernetes");
        assert.deepEqual(seen.dependencies, ["chains-signing-key"]);
        assert.deepEqual(seen.tags, {});
    });

    it("applies enforcement-level overrides and disabled policies from config", async () => {
        const records = mutate(goodResources(), T.catalogSource, "pipelines-catalog", (r) => (r.inputs.spec.image = "quay.io/x/index:latest"));
        const advisory = await checkResources(records, { config: { "operator-catalog-pinned": "advisory" } });
        assert.deepEqual(advisory.violations.map((v) => [v.policy, v.level]), [["operator-catalog-pinned", "advisory"]]);
        const disabled = await checkResources(records, { config: { "operator-catalog-pinned": { enforcementLevel: "disabled" } } });
        assert.deepEqual(disabled.violations, []);
    });

    it("names the policy when one crashes instead of reporting a pass", async () => {
        const broken: ResourceValidationPolicy = {
            name: "broken",
            description: "Checks whether crashes surface.",
            validateResource: () => {
                throw new Error("boom");
            },
        };
        await assert.rejects(checkResources(goodResources(), { policies: [broken] }), /policy broken failed on urn:.*: boom/);
    });

    it("rejects records that do not follow the contract", () => {
        assert.throws(() => parseResourceRecords({ not: "an array" }), /not a resources file/);
        assert.throws(() => parseResourceRecords([{ urn: "u", type: "t", name: "n" }]), /0\.inputs/);
        const [first] = parseResourceRecords([{ urn: "u", type: "t", name: "n", inputs: {} }]);
        assert.equal(first?.protect, false);
    });
});

describe("policy-check CLI", () => {
    let dir: string;
    const write = (name: string, content: unknown): string => {
        const file = path.join(dir, name);
        fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content));
        return file;
    };
    const run = async (argv: readonly string[]): Promise<{ code: number; out: string; err: string }> => {
        const out: string[] = [];
        const err: string[] = [];
        const code = await main(argv, (l) => out.push(l), (l) => err.push(l));
        return { code, out: out.join("\n"), err: err.join("\n") };
    };

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-check-"));
    });
    after(() => {
        fs.rmSync(dir, { recursive: true, force: true });
    });

    it("exits 0 on the good set", async () => {
        const result = await run([write("good.json", goodResources())]);
        assert.equal(result.code, 0, result.err);
        assert.match(result.out, /0 violations \(0 mandatory\)/);
    });

    it("exits 1 on a mandatory violation and prints level, resource and message as a table", async () => {
        const records = mutate(goodResources(), T.tektonConfig, "config", (r) => (r.inputs.spec.trigger.disabled = false));
        const result = await run([write("triggers.json", records)]);
        assert.equal(result.code, 1);
        const lines = result.out.split("\n");
        assert.match(lines[0] ?? "", /^LEVEL\s+POLICY\s+RESOURCE\s+MESSAGE$/);
        assert.match(result.out, /mandatory\s+tekton-triggers-disabled\s+TektonConfig::config\s+Tekton Triggers would be installed/);
    });

    it("exits 0 when only advisory policies fail", async () => {
        const records = mutate(goodResources(), T.rdsInstance, "results-db", (r) => (r.inputs.multiAz = false));
        const result = await run([write("advisory.json", records)]);
        assert.equal(result.code, 0);
        assert.match(result.out, /advisory\s+results-db-prod-multi-az/);
    });

    it("reads policy config from --config", async () => {
        const records = mutate(goodResources(), T.externalSecret, "pipelines-as-code-secret", (r) => (r.inputs.spec.refreshInterval = "1h"));
        const file = write("refresh.json", records);
        assert.equal((await run([file])).code, 1);
        const config = write("config.json", { "external-secret-refresh": { maxRefreshInterval: "2h" } });
        assert.equal((await run([file, "--config", config])).code, 0);
        assert.equal((await run([file, "--config", write("bad-config.json", { "external-secret-refresh": 3 })])).code, 2);
    });

    it("exits 2 with a clear message for a missing or invalid file", async () => {
        const missing = await run([path.join(dir, "nope.json")]);
        assert.equal(missing.code, 2);
        assert.match(missing.err, /cannot read .*nope\.json: ENOENT/);
        const notJson = await run([write("broken.json", "{")]);
        assert.equal(notJson.code, 2);
        assert.match(notJson.err, /is not JSON/);
        const wrongShape = await run([write("shape.json", [{ urn: 1 }])]);
        assert.equal(wrongShape.code, 2);
        assert.match(wrongShape.err, /not a resources file: 0\.urn/);
        assert.equal((await run([])).code, 2);
    });

    it("formats stack-wide violations as (stack)", () => {
        const records: ResourceRecord[] = goodResources();
        assert.match(formatViolations([{ policy: "p", level: "mandatory", message: "m" }], records), /mandatory\s+p\s+\(stack\)\s+m/);
    });

    it("sets the process exit code when run as a script", async function () {
        this.timeout(60_000);
        const records = mutate(goodResources(), T.tektonConfig, "config", (r) => (r.inputs.spec.pruner.disabled = false));
        const file = write("pruner.json", records);
        const code = await new Promise<number>((resolve) => {
            execFile(process.execPath, ["-r", require.resolve("../tools/register.js"), path.join(repoRoot, "tools/policy-check.ts"), file], { cwd: repoRoot }, (error) =>
                resolve(error ? Number(error.code) : 0),
            );
        });
        assert.equal(code, 1);
    });
});
