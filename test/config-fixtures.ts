/**
 * The example stacks' settings and helpers to parse them with overrides, shared by the config tests.
 */
import * as assert from "node:assert/strict";
import { parseStackConfig, StackConfigError } from "../stacks/config";
import { loadStackSettings, withConfig } from "../render";

export const dev = loadStackSettings("dev");
export const prod = loadStackSettings("prod");

/** Parses dev's config with `overrides` applied (`undefined` deletes a key). */
export function parseDev(overrides: Record<string, unknown>) {
    const settings = withConfig(dev, overrides);
    return parseStackConfig(settings.config, settings.project, settings.stack);
}

/** Merges a structured key of dev's config with `patch`. */
export function devObject(key: string, patch: Record<string, unknown>): Record<string, unknown> {
    return { ...JSON.parse(dev.config[`pipeline-service:${key}`] ?? "{}"), ...patch };
}

export function problemsOf(fn: () => unknown): StackConfigError {
    try {
        fn();
    } catch (error) {
        assert.ok(error instanceof StackConfigError, `expected StackConfigError, got ${String(error)}`);
        return error;
    }
    assert.fail("expected the config to be rejected");
}
