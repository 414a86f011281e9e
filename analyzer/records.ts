/**
 * Reading `out/<stack>/resources.json` for the analyzer: the file is validated against the render contract's one
 * schema (render/contract.ts), and user errors carry no stack trace.
 */
import * as fs from "node:fs";
import { resourcesFileSchema, type ResourceRecord } from "../render/contract";

export { SECRET_MARK, UNKNOWN_MARK, type ResourceRecord } from "../render/contract";

/** A user error (bad file, bad config): reported without a stack trace. */
export class UserError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UserError";
    }
}

/** Validates parsed JSON as the contract's array of records. */
export function parseRecords(json: unknown, source = "resources file"): readonly ResourceRecord[] {
    const parsed = resourcesFileSchema.safeParse(json);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue ? issue.path.join(".") || "(root)" : "(root)";
        throw new UserError(`${source} is not a render's resources.json: ${where}: ${issue?.message ?? "invalid"}`);
    }
    return parsed.data;
}

/** Reads and validates `out/<stack>/resources.json`. */
export function loadRecords(file: string): readonly ResourceRecord[] {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (error) {
        throw new UserError(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
    }
    let json: unknown;
    try {
        json = JSON.parse(text);
    } catch (error) {
        throw new UserError(`${file} is not JSON: ${(error as Error).message}`);
    }
    return parseRecords(json, file);
}

/** The provider URN of a provider reference `<provider URN>::<id>` (the id may be unknown in preview). */
export function providerUrnOf(reference: string | null): string | undefined {
    if (!reference) {
        return undefined;
    }
    const separator = reference.lastIndexOf("::");
    return separator > 0 ? reference.slice(0, separator) : reference;
}

/** The name part of a URN (`…::<name>`), as the engine's `URN.Name()` returns it. */
export function urnName(urn: string): string {
    const separator = urn.lastIndexOf("::");
    return separator >= 0 ? urn.slice(separator + 2) : urn;
}
