/** `npm run -s docs:config`: rewrites the README's configuration reference from the schema. */
import * as fs from "node:fs";
import * as path from "node:path";
import { withConfigReference } from "../stacks/config-docs";

const readmePath = path.resolve(__dirname, "..", "README.md");
fs.writeFileSync(readmePath, withConfigReference(fs.readFileSync(readmePath, "utf8")));
process.stdout.write(`updated the configuration reference in ${path.relative(process.cwd(), readmePath)}\n`);
