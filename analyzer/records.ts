/**
 * The render contract (`out/<stack>/resources.json`, README "The render contract") as the analyzer reads it. Kept
 * here, not imported from the render, so the analyzer depends on the documented file format only.
 */
import * as fs from "node:fs";
import { z } from "zod";

/** How the render writes a secret value: the value itself is not recorded. */
export const SECRET_MARK = "[secret]";
/** How the render writes a value unknown until apply. */
export const UNKNOWN_MARK = "(known after apply)";

/** One registered resource, exactly the contract's fields. */
export interface ResourceRecord {
    readonly urn: string;
    readonly type: string;
    readonly name: string;
    readonly parent: string | null;
    readonly custom: boolean;
    /** `<provider URN>::<id>` or null. */
    readonly provider: string | null;
    readonly dependencies: readonly string[];
    readonly protect: boolean;
    readonly retainOnDelete: boolean;
    readonly ignoreChanges: readonly string[];
    readonly deleteBeforeReplace: boolean;
    readonly additionalSecretOutputs: readonly string[];
    readonly inputs: Readonly<Record<string, unknown>>;
}

const recordSchema = z.object({
    urn: z.string().min(1),
    type: z.string().min(1),
    name: z.string(),
    parent: z.string().nullable(),
    custom: z.boolean(),
    provider: z.string().nullable(),
    dependencies: z.array(z.string()),
    protect: z.boolean(),
    retainOnDelete: z.boolean(),
    ignoreChanges: z.array(z.string()),
    deleteBeforeReplace: z.boolean(),
    additionalSecretOutputs: z.array(z.string()),
    inputs: z.record(z.string(), z.unknown()),
});

/** A user error (bad file, bad config): reported without a stack trace. */
export class UserError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "UserError";
    }
}

/** Validates parsed JSON as the contract's array of records. */
export function parseRecords(json: unknown, source = "resources file"): ResourceRecord[] {
    const parsed = z.array(recordSchema).safeParse(json);
    if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue ? issue.path.join(".") || "(root)" : "(root)";
        throw new UserError(`${source} is not a render's resources.json: ${where}: ${issue?.message ?? "invalid"}`);
    }
    return parsed.data;
}

/** Reads and validates `out/<stack>/resources.json`. */
export function loadRecords(file: string): ResourceRecord[] {
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
