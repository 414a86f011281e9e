/**
 * Two facts about plain JSON values that the renders, diffs and plans all rely on, in one place.
 */

/** A JSON object (not null, not an array). */
export function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
    return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** Code-unit order, not localeCompare: the same on every machine and locale (localeCompare follows the ICU data). */
export function compareStrings(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
