/**
 * What the workflow tests share: the shape of a job as they read it, a fleet as `npm run -s fleet -- --json`
 * describes it, and a runner for a step's script with `npm` stubbed.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECT_DIR } from "../render";
import { fleetPlan } from "./fleet-plans";

export interface Step {
    readonly id?: string;
    readonly name?: string;
    readonly if?: string;
    readonly uses?: string;
    readonly run?: string;
    readonly with?: Readonly<Record<string, string | number | boolean>>;
    readonly env?: Readonly<Record<string, string>>;
}

export interface Job {
    readonly name?: string;
    readonly needs?: string | readonly string[];
    readonly if?: string;
    readonly outputs?: Readonly<Record<string, string>>;
    readonly strategy?: { readonly matrix?: unknown; readonly "fail-fast"?: boolean };
    readonly permissions?: Readonly<Record<string, string>>;
    readonly env?: Readonly<Record<string, string>>;
    readonly steps: readonly Step[];
}

/** `npm run -s fleet -- --json` for these stacks (ring 0 in dev, 1 in prod) and fleet-wide problems. */
export function fleetJson(
    stacks: readonly { stack: string; environment: "dev" | "prod"; awsRegion?: string; policyConfig?: string }[],
    problems: readonly string[] = [],
): string {
    return JSON.stringify({ ...fleetPlan(stacks.map((entry) => ({ ...entry, ring: entry.environment === "prod" ? 1 : 0 }))), problems });
}

/**
 * Runs a workflow step's script with bash, as the runner does, with `npm` replaced by a stub that prints `fleet`
 * for `npm run -s fleet -- --json`; returns its exit code, its GITHUB_OUTPUT lines and its stdout.
 */
export function runWithFleetStub(
    script: string,
    fleet: string,
    options: { readonly env?: Readonly<Record<string, string>>; readonly fleetExit?: number } = {},
): { code: number; outputs: string; stdout: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "workflow-step-"));
    try {
        // The stub and its data live apart from RUNNER_TEMP, where the script writes files of its own.
        const bin = path.join(dir, "bin");
        const temp = path.join(dir, "runner-temp");
        fs.mkdirSync(bin);
        fs.mkdirSync(temp);
        fs.writeFileSync(path.join(bin, "fleet.json"), fleet);
        fs.writeFileSync(
            path.join(bin, "npm"),
            `#!/usr/bin/env bash\nif [ "$*" = "run -s fleet -- --json" ]; then cat "${path.join(bin, "fleet.json")}"; exit ${String(options.fleetExit ?? 0)}; fi\necho "unexpected npm $*" >&2; exit 99\n`,
            { mode: 0o755 },
        );
        const output = path.join(dir, "github-output");
        fs.writeFileSync(output, "");
        const run = spawnSync("bash", ["-euo", "pipefail", "-c", script], {
            cwd: PROJECT_DIR,
            env: { PATH: `${bin}:${process.env["PATH"] ?? ""}`, RUNNER_TEMP: temp, GITHUB_OUTPUT: output, ...options.env },
            encoding: "utf8",
        });
        return { code: run.status ?? -1, outputs: fs.readFileSync(output, "utf8"), stdout: run.stdout };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/**
 * What a pinned `uses:` must look like: `owner/repo[/path]@<40-hex commit> # v<semver>`, the tag the commit was
 * taken from as the line's comment (the parsed YAML value has no comment, so this reads the line).
 */
export const PINNED_USES = /^uses:\s+([A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_./-]+)?)@([0-9a-f]{40})\s+#\s+(v\d+\.\d+\.\d+)\s*$/;

/** Every `uses:` line of a workflow's text (list items included), trimmed of indentation and `- `. */
export const usesLines = (text: string): string[] =>
    text.split("\n").flatMap((line) => {
        const match = /^\s*(?:-\s+)?(uses:.*)$/.exec(line);
        return match === null ? [] : [match[1]?.trim() ?? ""];
    });

/** The release tag in the comment of a pinned `uses:` value (e.g. `pulumi/actions@<sha>` -> `v7.0.0`), from the text. */
export function pinnedTag(text: string, uses: string): string | undefined {
    for (const line of usesLines(text)) {
        const match = PINNED_USES.exec(line);
        if (match !== null && `${match[1] ?? ""}@${match[2] ?? ""}` === uses) return match[3];
    }
    return undefined;
}
