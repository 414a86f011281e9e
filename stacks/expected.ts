/**
 * What a key expects, in words, for a value of the wrong type: zod says "Invalid input: expected object, received
 * string", which names neither the keys an object needs nor what a config user would write.
 */
import { z } from "zod";

/** The schema itself, without the optional/default/prefault wrappers and transforms around it. */
function unwrap(schema: z.ZodType): z.ZodType {
    let node = schema;
    for (;;) {
        if (node instanceof z.ZodOptional || node instanceof z.ZodNullable || node instanceof z.ZodDefault || node instanceof z.ZodPrefault) {
            node = node.unwrap() as z.ZodType;
        } else if (node instanceof z.ZodPipe) {
            node = node.in as z.ZodType;
        } else {
            return node;
        }
    }
}

/** The schema of the value at `path`, or undefined when the path leaves the schema. */
export function schemaAt(schema: z.ZodType, path: readonly PropertyKey[]): z.ZodType | undefined {
    let node: z.ZodType | undefined = unwrap(schema);
    for (const segment of path) {
        if (node instanceof z.ZodObject && typeof segment === "string") {
            const child: z.ZodType | undefined = (node.shape as Record<string, z.ZodType | undefined>)[segment];
            node = child === undefined ? undefined : unwrap(child);
        } else if (node instanceof z.ZodArray && typeof segment === "number") {
            node = unwrap(node.element as z.ZodType);
        } else {
            return undefined;
        }
    }
    return node;
}

function listed(names: readonly string[]): string {
    return names.length < 2 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
    string: "a string", number: "a number", int: "a whole number", boolean: "true or false", array: "a list", object: "an object",
};

/** `expected` (a zod type name) in words, with the keys an object requires when `schema` is known. */
export function expectedInWords(expected: string, schema: z.ZodType | undefined): string {
    if (expected === "object" && schema instanceof z.ZodObject) {
        const shape = schema.shape as Record<string, z.ZodType>;
        const required = Object.keys(shape).filter((key) => !shape[key].safeParse(undefined).success);
        return required.length === 0
            ? "an object (its keys are in docs/configuration.md)"
            : `an object with ${listed(required)} (every key is in docs/configuration.md)`;
    }
    if (expected === "array" && schema instanceof z.ZodArray) {
        const element = unwrap(schema.element as z.ZodType);
        return element instanceof z.ZodString ? "a list of strings" : "a list";
    }
    if (expected === "number" && schema instanceof z.ZodNumber && schema.isInt) {
        return TYPE_WORDS.int;
    }
    return TYPE_WORDS[expected] ?? expected;
}
