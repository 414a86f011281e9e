/**
 * The pack loads the way `pulumi preview --policy-pack policy` loads it: the CLI's policy-pack runner
 * (@pulumi/pulumi cmd/run-policy-pack/run.js) registers ts-node with type-checking, from policy/ as the
 * working directory and its tsconfig.json. A type error or an import the pack cannot resolve fails here.
 */
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** The runner's registration, as in run.js, then the policies module (index.ts would start the gRPC server). */
const LOAD_LIKE_THE_CLI = `
const fs = require("fs");
const tsutils = require("@pulumi/pulumi/tsutils");
const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
require(tsnodeRequire).register({
    typeCheck: true,
    skipProject: !fs.existsSync("tsconfig.json"),
    compiler: typescriptRequire,
    compilerOptions: { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true", ...tsutils.loadTypeScriptCompilerOptions("tsconfig.json") },
});
const { policies } = require(process.cwd() + "/policies.ts");
process.stdout.write(JSON.stringify(policies.map((policy) => policy.name)));
`;

describe("policy pack under the CLI's loader", () => {
    it("type-checks and loads every policy from policy/", async () => {
        const { stdout } = await run(process.execPath, ["-e", LOAD_LIKE_THE_CLI], { cwd: path.join(__dirname, "..", "policy") });
        const names = JSON.parse(stdout) as string[];
        assert.ok(names.includes("tekton-triggers-disabled"));
        assert.ok(names.includes("tekton-pruner-disabled"));
        assert.equal(new Set(names).size, names.length);
    });
});
