/**
 * What the polling loop of the operator wait (readiness-wait.ts) needs besides the API: which errors end it at once,
 * how an error is shown, and a deadline no hanging request can stretch. Serialized with the provider
 * (readiness-provider.ts), so only module-level functions and plain values.
 */

/** The property that marks an error for a condition that will not fix itself (a CSV Failed): polling stops at once. */
const PERMANENT = "readinessPermanent";

/**
 * An error for a condition that will not fix itself. A plain Error with a marker, not a subclass: Pulumi's closure
 * serializer rewrites `class … extends Error {}` into a function that only calls Error, so in the engine's process its
 * instances had no message (`up` printed "undefined") and were no Error.
 */
export function permanentError(message: string): Error {
    return Object.assign(new Error(message), { [PERMANENT]: true });
}

export function isPermanent(err: unknown): boolean {
    return err instanceof Error && (err as Error & { readonly [PERMANENT]?: unknown })[PERMANENT] === true;
}

export function statusCodeOf(err: unknown): number | undefined {
    const code = (err as { code?: unknown } | null)?.code;
    return typeof code === "number" ? code : undefined;
}

export function describeError(err: unknown): string {
    const code = statusCodeOf(err);
    const message = err instanceof Error ? err.message.split("\n")[0] : String(err);
    return code !== undefined ? `HTTP ${code}` : message;
}

/** Sentinel for a poll cut short by the deadline (a plain object: Pulumi's closure serializer keeps its identity). */
const TIMED_OUT: { readonly timedOut: true } = { timedOut: true };

export function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Rejects when `deadline` passes first, so a hanging request cannot stretch the overall timeout. */
export async function withDeadline<T>(promise: Promise<T>, deadline: number): Promise<T | typeof TIMED_OUT> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
        timer = setTimeout(() => resolve(TIMED_OUT), Math.max(0, deadline - Date.now()));
    });
    try {
        return await Promise.race([promise, timeout]);
    } finally {
        clearTimeout(timer);
    }
}
