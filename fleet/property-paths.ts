/**
 * Property paths as the fleet diff compares them: the changed paths of render/record-diff.ts (Pulumi's syntax:
 * `a.b`, `a["key.with.dots"]`, `a[0]`) against the replacement facts' paths (`a.b`, `a[*].b`: `*` is any index).
 */

/** One step of a path: a key, an index, or `*` (any index) in a fact. */
export type Segment = string | number | "*";

/** Parses a path in Pulumi's syntax (and `[*]` for any index); throws on text that is not one. */
export function parsePath(path: string): Segment[] {
    const segments: Segment[] = [];
    let rest = path;
    while (rest !== "") {
        const index = /^\[(\d+|\*)\]/.exec(rest);
        const quoted = /^\["((?:[^"\\]|\\")*)"\]/.exec(rest);
        const key = /^\.?([A-Za-z0-9_]+)/.exec(rest);
        if (index !== null) {
            segments.push(index[1] === "*" ? "*" : Number(index[1]));
            rest = rest.slice(index[0].length);
        } else if (quoted !== null) {
            segments.push((quoted[1] ?? "").replace(/\\"/g, '"'));
            rest = rest.slice(quoted[0].length);
        } else if (key !== null && (segments.length > 0 || !rest.startsWith("."))) {
            segments.push(key[1] as string);
            rest = rest.slice(key[0].length);
        } else {
            throw new Error(`not a property path: ${JSON.stringify(path)}`);
        }
    }
    return segments;
}

function sameSegment(fact: Segment, changed: Segment): boolean {
    return fact === changed || (fact === "*" && typeof changed === "number") || (changed === "*" && typeof fact === "number");
}

/**
 * Whether a change at `changed` touches the property at `fact`: the change is inside it (`spec.image` under `spec`),
 * or it is the property itself, or the change replaced a whole value that holds it (`rules` changed length, which
 * holds `rules[*].filter`: conservative, as the elements no longer line up).
 */
export function touches(fact: string, changed: string): boolean {
    const a = parsePath(fact);
    const b = parsePath(changed);
    const shared = Math.min(a.length, b.length);
    for (let i = 0; i < shared; i++) {
        if (!sameSegment(a[i] as Segment, b[i] as Segment)) {
            return false;
        }
    }
    return true;
}
