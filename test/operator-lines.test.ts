import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { lineOfCsv, SUPPORTED_OPERATOR_LINES } from "../lib/operator-lines";

describe("supported operator lines", () => {
    it("maps a CSV name to its line, and nothing else", () => {
        assert.deepEqual(lineOfCsv("openshift-pipelines-operator-rh.v1.20.1"), { pipelines: "1.20", operator: "v0.77.1" });
        for (const csv of ["openshift-pipelines-operator-rh.v1.14.3", "openshift-pipelines-operator-rh.v1.20", "other-operator.v1.20.1", "openshift-pipelines-operator-rh.v1.20.1-rc"]) {
            assert.equal(lineOfCsv(csv), undefined, csv);
        }
    });

    it("are the README's table", () => {
        const readme = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");
        const rows = [...readme.matchAll(/^\| ([0-9]+\.[0-9]+) \| (v[0-9.]+) \| `openshift-pipelines-operator-rh\.v\1\.<patch>` \|$/gm)].map((m) => ({ pipelines: m[1], operator: m[2] }));
        assert.deepEqual(rows, SUPPORTED_OPERATOR_LINES);
    });
});
