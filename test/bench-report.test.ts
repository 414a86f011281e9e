/**
 * bench/report.ts: the targets `npm run bench` judges (the render ratio is `npm run render` over the
 * bare SDK import of the same run; npm test on a clean clone within 60 s, green), the table carries every figure, and the
 * report lists the slowest tests of the clean clone's run (bench/npm-test.ts).
 */
import * as assert from "node:assert/strict";
import { timingStats, type TimingStats } from "../bench/lib";
import { COLD_FIGURES, type ColdFigure } from "../bench/cold";
import type { PoolFigure } from "../bench/pool";
import { slowestTests } from "../bench/npm-test";
import { type BenchFigures, formatMs, formatReport, formatSlowest, ratioTo, resultsDocument, rows, targets } from "../bench/report";

const ms = (value: number): TimingStats => timingStats([value]);

function pool(stacks: number, steadyMs: number, drift: number | null): PoolFigure {
    return {
        mode: "precompiled", stacks, workers: Math.min(2, stacks), wall: ms(stacks * steadyMs), wallPerStack: ms(steadyMs), steadyPerStack: ms(steadyMs),
        firstStack: ms(400), workerStartup: ms(900), drift, resourcesPerStack: 48, advisoryViolationsPerStack: 0,
    };
}

function figures(npmRenderMs: number, npmTest?: { wallMs: number; exitCode: number | null }): BenchFigures {
    const cold = Object.fromEntries(COLD_FIGURES.map((name) => [name, ms(1000)])) as Record<ColdFigure, TimingStats>;
    return {
        cores: 2,
        loadBefore: [0.5, 0.5, 0.5],
        runs: 1,
        buildMs: 9000,
        cold: { stack: "prod", filesWritten: 20, stats: { ...cold, baseline: ms(600), npmRender: ms(npmRenderMs), renderRegister: ms(npmRenderMs - 200) } },
        pools: [pool(1, 1700, null), pool(10, 300, null), pool(100, 230, 0.9)],
        sourcePool: { ...pool(10, 320, null), mode: "source" },
        policy: { resources: 48, perCheck: ms(11), perResource: ms(0.23) },
        ...(npmTest ? { npmTest: { ...npmTest, runs: 1 as const, commit: "0123456789abcdef", tests: 1318, slowest: [{ file: "test/a.test.ts", title: "a slow one", ms: 4200 }] } } : {}),
    };
}

describe("bench report", () => {
    it("judges npm run render against 1.5× the bare SDK import of the same run", () => {
        const met = targets(figures(900))[0];
        assert.equal(met.met, true);
        assert.match(met.target, /^npm run render -- --stack prod \(cold\) ≤ 1\.5× baseline$/);
        assert.equal(met.measured, "1.50× (node without npm: 1.17×)");
        assert.equal(targets(figures(910))[0].met, false);
        assert.equal(ratioTo(ms(600), ms(1290)), 2.15);
    });

    it("judges npm test on a clean clone against 60 s and a green exit", () => {
        const npmTest = (wallMs: number, exitCode: number | null) => targets(figures(900, { wallMs, exitCode })).find((target) => target.target.startsWith("npm test"));
        assert.equal(npmTest(59_000, 0)?.met, true);
        assert.equal(npmTest(61_000, 0)?.met, false);
        assert.equal(npmTest(30_000, 1)?.met, false);
        assert.equal(npmTest(30_000, 0)?.measured, "30.0 s (exit 0)");
        assert.equal(targets(figures(900)).some((target) => target.target.startsWith("npm test")), false);
    });

    it("lists every cold figure, each pool and the checks in the table and the results document", () => {
        const all = figures(1200, { wallMs: 40_000, exitCode: 0 });
        const table = rows(all);
        assert.equal(table[0].ratio, 1);
        assert.equal(table.find((row) => row.figure.startsWith("npm run render"))?.ratio, 2);
        assert.ok(table.some((row) => row.figure.startsWith("N=100: wall")));
        assert.ok(table.some((row) => row.figure.startsWith("npm test")));
        const document = resultsDocument(all, 1234);
        assert.equal(document.schemaVersion, 2);
        assert.equal((document.table as unknown[]).length, table.length);
        const report = formatReport(all, "out/bench/results.json", 1234);
        assert.match(report, /MISSED +npm run render -- --stack prod \(cold\) ≤ 1\.5× baseline: 2\.00×/);
        assert.match(report, /met +npm test on a clean clone ≤ 60 s: 40\.0 s \(exit 0\)/);
        assert.match(report, /the 1 slowest of 1318 tests \(one mocha run on the clean clone, commit 0123456789ab\):\n +4200 ms {2}test\/a\.test\.ts {2}a slow one\n/);
        assert.doesNotMatch(report, /WARNING/);
    });

    it("picks the slowest tests of a mocha JSON report, slowest first, files relative to the clone", () => {
        const report = { stats: { tests: 4 }, tests: [
            { file: "/c/test/a.test.ts", fullTitle: "a fast", duration: 3 },
            { file: "/c/test/b.test.ts", fullTitle: "b slow", duration: 900 },
            { file: "/c/test/a.test.ts", fullTitle: "a pending" },
            { file: "/c/test/c.test.ts", fullTitle: "c slower", duration: 1200 },
        ] };
        assert.deepEqual(slowestTests(report, "/c", 2), [{ file: "test/c.test.ts", title: "c slower", ms: 1200 }, { file: "test/b.test.ts", title: "b slow", ms: 900 }]);
        assert.deepEqual(formatSlowest(undefined), []);
    });

    it("judges npm run fleet against 3× one render and fleet:diff against 2× the fleet, showing every run", () => {
        const fleet = (renderMs: number, fleetMs: number, diffMs: number): BenchFigures => ({
            ...figures(900), fleet: { stacks: 12, render: timingStats([renderMs]), fleet: timingStats([fleetMs, fleetMs]), diff: timingStats([diffMs]) },
        });
        const judged = (figure: BenchFigures) => targets(figure).filter((target) => /fleet/.test(target.target)).map((target) => [target.met, target.measured]);
        assert.deepEqual(judged(fleet(2000, 6000, 12_000)), [
            [true, "3.00× (fleet s: 6.00, 6.00; render s: 2.00)"],
            [true, "2.00× (fleet:diff s: 12.00)"],
        ]);
        assert.deepEqual(judged(fleet(2000, 6100, 12_300)).map(([met]) => met), [false, false]);
        assert.ok(rows(fleet(2000, 6000, 12_000)).some((row) => row.figure.startsWith("npm run fleet:diff") && row.target === "≤ 2× the fleet"));
        assert.equal(targets(figures(900)).some((target) => /fleet/.test(target.target)), false);
    });

    it("formats durations for reading", () => {
        assert.equal(formatMs(0.2345), "0.234 ms");
        assert.equal(formatMs(12.34), "12.3 ms");
        assert.equal(formatMs(1234.5), "1235 ms");
        assert.equal(formatMs(12_345), "12.3 s");
    });
});
