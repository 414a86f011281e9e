/**
 * The program and the policy pack load the way the Pulumi CLI loads them (no CLI here, but its loaders are
 * in @pulumi/pulumi): the program through cmd/run/run.js's ts-node registration with the project's
 * tsconfig.json, the pack through cmd/run-policy-pack/run.js's, type-checking, from policy/. A module
 * format the CLI's ts-node cannot run, a type error in the pack or an unresolvable import fails here.
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

/** cmd/run/run.js's registration for a CommonJS TypeScript program, then the program module (not run). */
const LOAD_PROGRAM_LIKE_THE_CLI = `
const tsutils = require("@pulumi/pulumi/tsutils");
const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
require(tsnodeRequire).register({
    compiler: typescriptRequire,
    transpileOnly: undefined,
    project: "tsconfig.json",
    skipProject: false,
    compilerOptions: { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true", ...tsutils.loadTypeScriptCompilerOptions("tsconfig.json") },
});
process.stdout.write(typeof require(process.cwd() + "/index.ts"));
`;

describe("the Pulumi CLI's loaders", () => {
    it("load the program: index.ts exports the function the runtime calls", async () => {
        const { stdout } = await run(process.execPath, ["-e", LOAD_PROGRAM_LIKE_THE_CLI], { cwd: path.join(__dirname, "..") });
        assert.equal(stdout, "function");
    });

    it("type-checks and loads every policy from policy/", async () => {
        const { stdout } = await run(process.execPath, ["-e", LOAD_LIKE_THE_CLI], { cwd: path.join(__dirname, "..", "policy") });
        const names = JSON.parse(stdout) as string[];
        assert.ok(names.includes("tekton-triggers-disabled"));
        assert.ok(names.includes("tekton-pruner-disabled"));
        assert.equal(new Set(names).size, names.length);
    });
});
