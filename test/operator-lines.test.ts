import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
    csvPattern, keySetFile, lineChangeProblem, lineOfChannel, lineOfCsv, linesOfferedOn, minorOfCsv, SUPPORTED_OPERATOR_LINES,
} from "../lib/operator-lines";

describe("supported operator lines", () => {
    it("maps a CSV name to its line, and nothing else", () => {
        assert.equal(lineOfCsv("openshift-pipelines-operator-rh.v1.20.1")?.operator, "v0.77.1");
        assert.equal(lineOfCsv("openshift-pipelines-operator-rh.v1.21.3")?.operator, "v0.78.2");
        assert.equal(lineOfCsv("openshift-pipelines-operator-rh.v1.22.0")?.operator, "v0.79.2");
        for (const csv of ["openshift-pipelines-operator-rh.v1.14.3", "openshift-pipelines-operator-rh.v1.20", "other-operator.v1.20.1", "openshift-pipelines-operator-rh.v1.20.1-rc"]) {
            assert.equal(lineOfCsv(csv), undefined, csv);
        }
        assert.equal(minorOfCsv("openshift-pipelines-operator-rh.v1.14.3"), "1.14");
        assert.equal(minorOfCsv("openshift-pipelines-operator-rh.v1.20"), undefined);
    });

    it("each has its pipelines-1.N channel, its CSV pattern and a key set extracted at its tag", () => {
        for (const line of SUPPORTED_OPERATOR_LINES) {
            assert.equal(line.channel, `pipelines-${line.pipelines}`);
            assert.equal(lineOfChannel(line.channel), line);
            assert.equal(lineOfCsv(csvPattern(line).replace("<patch>", "7")), line);
            assert.ok(fs.existsSync(path.join(__dirname, "data", keySetFile(line))), keySetFile(line));
        }
        assert.equal(lineOfChannel("latest"), undefined);
    });

    it("are offered where the rendered catalogs carry their channel", () => {
        const offered = (release: string) => linesOfferedOn(release).map((line) => line.pipelines);
        assert.deepEqual(offered("4.21"), ["1.20", "1.21", "1.22"]);
        assert.deepEqual(offered("4.22"), ["1.21", "1.22"]);
        assert.deepEqual(offered("4.23"), ["1.22"]);
        assert.deepEqual(offered("5.0"), ["1.22"]);
        assert.deepEqual(offered("4.17"), []);
    });

    const moves: ReadonlyArray<{ readonly from: string; readonly to: string; readonly refused?: RegExp }> = [
        { from: "1.20", to: "1.20" },
        { from: "1.20", to: "1.21" },
        { from: "1.21", to: "1.22" },
        { from: "1.19", to: "1.20" },
        { from: "1.20", to: "1.22", refused: /^the cluster runs OpenShift Pipelines 1\.20 and operator\.line asks for 1\.22, skipping 1\.21: set operator\.line to 1\.21 first and run up, then 1\.22 \(upgrades go one line at a time: 1\.20 → 1\.21 → 1\.22\)$/ },
        { from: "1.21", to: "1.20", refused: /^the cluster runs OpenShift Pipelines 1\.21 and operator\.line asks for 1\.20: OLM cannot downgrade an operator \(upgrades go one line at a time: 1\.20 → 1\.21 → 1\.22\)$/ },
        { from: "1.22", to: "1.21", refused: /OLM cannot downgrade/ },
        { from: "1.23", to: "1.22", refused: /OLM cannot downgrade/ },
        { from: "1.18", to: "1.20", refused: /^the cluster runs OpenShift Pipelines 1\.18, which is not supported: move it to 1\.20 first/ },
        { from: "1.19", to: "1.21", refused: /not supported: move it to 1\.20 first, one line at a time/ },
    ];
    for (const move of moves) {
        it(`${move.refused ? "refuses" : "allows"} ${move.from} → ${move.to}`, () => {
            const problem = lineChangeProblem(move.from, move.to);
            if (move.refused === undefined) {
                assert.equal(problem, undefined);
            } else {
                assert.match(problem ?? "(allowed)", move.refused);
            }
        });
    }

    it("are the table of docs/operator-lines.md", () => {
        const doc = fs.readFileSync(path.join(__dirname, "..", "docs", "operator-lines.md"), "utf8");
        const section = doc.slice(doc.indexOf("# Supported OpenShift Pipelines lines"));
        const rows = section.split("\n").filter((text) => /^\| [0-9]+\.[0-9]+ \|/.test(text));
        const expected = SUPPORTED_OPERATOR_LINES.map((line) =>
            `| ${line.pipelines} | ${line.operator} | ${line.results} | \`${line.channel}\` | \`${csvPattern(line)}\` | ${line.openshiftReleases.join(", ")} |`);
        assert.deepEqual(rows.slice(0, expected.length), expected);
    });
});
