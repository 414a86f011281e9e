/**
 * Go `time.ParseDuration` strings ("90s", "5m", "1h30m"), as OLM's registry poll interval and External
 * Secrets' `refreshInterval` (`metav1.Duration`) read them. Config validates them; builders pass them on.
 */

/** The syntax `time.ParseDuration` accepts (a bare `0` included). */
export const GO_DURATION = /^(0|([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+)$/;

const UNIT_SECONDS: Readonly<Record<string, number>> = { ns: 1e-9, us: 1e-6, "µs": 1e-6, ms: 1e-3, s: 1, m: 60, h: 3600 };

/** Length of a Go duration in seconds (`"1m30s"` → 90); the value must match {@link GO_DURATION}. */
export function goDurationSeconds(value: string): number {
    if (value === "0") {
        return 0;
    }
    let total = 0;
    for (const match of value.matchAll(/([0-9]+(?:\.[0-9]+)?)(ns|us|µs|ms|s|m|h)/g)) {
        total += Number(match[1]) * UNIT_SECONDS[match[2]];
    }
    return total;
}
