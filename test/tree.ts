/** Reading a directory tree, for tests and the root hooks: light on purpose (node:fs and node:path only). */
import * as fs from "node:fs";
import * as path from "node:path";

/**
 * Every file below `dir`, by path relative to it, with its text; with `directories`, every directory too (as
 * `"<dir>"`), so that an empty directory someone created shows. A `dir` that does not exist reads as empty.
 */
export function readTree(dir: string, options: { readonly directories?: boolean } = {}): Map<string, string> {
    const files = new Map<string, string>();
    if (!fs.existsSync(dir)) {
        return files;
    }
    for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
        const file = path.join(entry.parentPath, entry.name);
        if (entry.isFile()) {
            files.set(path.relative(dir, file), fs.readFileSync(file, "utf8"));
        } else if (options.directories && entry.isDirectory()) {
            files.set(path.relative(dir, file), "<dir>");
        }
    }
    return files;
}
