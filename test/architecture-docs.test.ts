import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { ARCHITECTURE_SVG, architectureSvg } from "../render/architecture";

describe("docs/architecture.svg", () => {
    it("is docs/architecture.dot as laid out today (run `npm run -s docs:architecture` after changing it)", async () => {
        assert.equal(await architectureSvg(), fs.readFileSync(ARCHITECTURE_SVG, "utf8"));
    });
});
