/**
 * The fleet render: every `Pulumi.<stack>.yaml` of a directory rendered and policy-checked in one process (one SDK
 * load, one policy pack), summarised per stack and checked as a whole (fleet/plan.ts). `npm run fleet` prints it,
 * `npm run fleet:diff` renders two of them, and the deploy workflow takes its ring plan from the JSON.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { checkRecords, startSession, type AnalyzerSession } from "../analyzer/check";
import { loadPolicyConfig } from "../analyzer/config";
import { transpiledPack } from "../analyzer/pack-build";
import { UserError } from "../analyzer/records";
import { awsNameClaims, fleetProblems, MAX_PARALLEL_PER_RING, ringPlan, type Claim, type FleetMember, type Ring } from "./plan";
import { checkRenderInvariants } from "../policy/render-invariants";
import { parseStackConfig, StackConfigError, type StackConfig } from "../stacks/config";
import { RenderError } from "../render/errors";
import { renderProgram, type RenderResult } from "../render/recorder";
import { loadStackSettings, PROJECT_DIR, shown, type StackSettings } from "../render/settings";
import { listStackFiles, type StackFile } from "./stack-files";

/** One stack's line of the fleet report (the `npm run fleet -- --json` contract). */
export interface FleetStackReport {
    readonly stack: string;
    /** The stack file, relative to the working directory. */
    readonly file: string;
    /** null when the stack's config does not parse (then `error` says why). */
    readonly environment: "dev" | "prod" | null;
    readonly ring: number | null;
    readonly soakHours: number | null;
    readonly awsRegion: string | null;
    readonly clusterName: string | null;
    /** The pinned OpenShift Pipelines line and CSV, or the channel followed. */
    readonly operator: string | null;
    /** `policy/config/<environment>.json` relative to the project, when it exists. */
    readonly policyConfig: string | null;
    /** Resources the render registered; null when it did not render. */
    readonly resources: number | null;
    /** Policy violations by level, broken render invariants counted as mandatory; null when it did not render. */
    readonly violations: { readonly mandatory: number; readonly advisory: number } | null;
    /** One paragraph when the stack does not render, else null. */
    readonly error: string | null;
}

/** The whole fleet: the `npm run fleet -- --json` contract. */
export interface FleetReport {
    readonly stacksDir: string;
    readonly maxParallelPerRing: number;
    /** By ring, then name. */
    readonly stacks: readonly FleetStackReport[];
    readonly rings: readonly Ring[];
    /** Fleet-wide refusals, one paragraph each. */
    readonly problems: readonly string[];
}

/** A fleet report with the renders behind it, by stack (only stacks that rendered). */
export interface FleetRender {
    readonly report: FleetReport;
    readonly renders: ReadonlyMap<string, RenderResult>;
}

/** A stack file of the fleet. */
/** A stack the report can say nothing of yet but its name and file: every other field null. */
export function undescribedStack(stack: string, file: string): FleetStackReport {
    return {
        stack, file, environment: null, ring: null, soakHours: null, awsRegion: null, clusterName: null, operator: null,
        policyConfig: null, resources: null, violations: null, error: null,
    };
}

/** What the fleet shows for the operator: the pinned line (and starting CSV, else its channel), else the channel followed. */
function operatorOf(config: StackConfig): string {
    const { line, channel, startingCsv } = config.operator;
    return line === undefined ? `channel ${channel}` : `${line} (${startingCsv ?? channel})`;
}

/** The names a stack claims from its config: each names one cluster, so two stacks may never share one. */
function configClaims(config: StackConfig): Claim[] {
    const keys: Array<[string, string | undefined]> = [
        ["pipeline-service:clusterName", config.clusterName],
        ["pipeline-service:appsDomain", config.appsDomain],
        ["kubernetes:context", config.providers.kubernetesContext],
        ["pipeline-service:resultsApi.host", config.resultsApi.host],
    ];
    return keys.flatMap(([what, value]) => (value === undefined ? [] : [{ what, value, scope: "fleet" as const }]));
}

/** Options of {@link renderFleet}. */
export interface FleetOptions {
    /** Where the `Pulumi.<stack>.yaml` files are (default: the project directory). */
    readonly stacksDir?: string;
    /** `Pulumi.yaml`, the program (`index`) and `policy/` (default: this project). */
    readonly projectDir?: string;
    /** Called after each stack, e.g. for progress on stderr. */
    readonly onStack?: (report: FleetStackReport) => void;
    /**
     * Parse each stack's config with this checkout's schema (default true). The base of a diff is rendered without:
     * its own program checks its config, and this schema may require keys the base predates.
     */
    readonly parseConfig?: boolean;
    /** A policy pack session to use (and leave open) instead of starting `<projectDir>/policy` for this fleet. */
    readonly session?: () => Promise<AnalyzerSession>;
    /**
     * Policy-check each stack (default true). The base of a diff is not checked: only its resources are compared, so
     * no pack is started for it (violations are null in its report).
     */
    readonly policyCheck?: boolean;
}

interface CheckedStack {
    readonly report: FleetStackReport;
    readonly member?: FleetMember;
    readonly render?: RenderResult;
}

/** What the fleet report says of a stack whose config parsed. */
function describe(config: StackConfig, projectDir: string): Omit<FleetStackReport, "stack" | "file" | "resources" | "violations" | "error"> {
    return {
        environment: config.environment,
        ring: config.rollout.ring,
        soakHours: config.rollout.soakHours,
        awsRegion: config.providers.awsRegion,
        clusterName: config.clusterName,
        operator: operatorOf(config),
        policyConfig: policyConfigOf(projectDir, config.environment),
    };
}

/** `policy/config/<environment>.json` relative to the project, when the environment has one. */
function policyConfigOf(projectDir: string, environment: string | null): string | null {
    const file = path.join("policy", "config", `${environment ?? "-"}.json`);
    return environment !== null && fs.existsSync(path.join(projectDir, file)) ? file : null;
}

/**
 * What the report can say of a stack without this checkout's schema (the base of a diff may predate a key): its
 * environment and ring as written, if they are what they should be, and its environment's policy config.
 */
function describeRaw(config: Readonly<Record<string, string>>, projectDir: string): Omit<FleetStackReport, "stack" | "file" | "resources" | "violations" | "error"> {
    const environment = config["pipeline-service:environment"] === "prod" ? "prod" : config["pipeline-service:environment"] === "dev" ? "dev" : null;
    let ring: unknown;
    try {
        ring = (JSON.parse(config["pipeline-service:rollout"] ?? "{}") as { ring?: unknown }).ring;
    } catch {
        ring = undefined;
    }
    return {
        environment,
        ring: Number.isInteger(ring) ? ring as number : environment === "dev" ? 0 : null,
        soakHours: null, awsRegion: config["aws:region"] ?? null, clusterName: config["pipeline-service:clusterName"] ?? null, operator: null,
        policyConfig: policyConfigOf(projectDir, environment),
    };
}

/** A stack rendered and waiting for its policy check. */
interface RenderedStack {
    readonly described: Omit<FleetStackReport, "resources" | "violations" | "error">;
    readonly settings: StackSettings;
    readonly config: StackConfig | undefined;
    readonly render: RenderResult;
    readonly policyFile: string | undefined;
}

/** Renders one stack; a stack that does not parse or render is its finished report, with its error. */
async function renderMember(entry: StackFile, projectDir: string, program: () => unknown, parseConfig: boolean): Promise<RenderedStack | CheckedStack> {
    const base = { stack: entry.stack, file: shown(entry.file) };
    let config: StackConfig | undefined;
    let settings: StackSettings;
    try {
        settings = loadStackSettings(entry.stack, projectDir, entry.file);
        config = parseConfig ? parseStackConfig(settings.config, settings.project, settings.stack, new Set(settings.secretKeys)) : undefined;
    } catch (error) {
        if (error instanceof RenderError || error instanceof StackConfigError) {
            return { report: { ...undescribedStack(base.stack, base.file), error: `${base.file}: ${error.message}` } };
        }
        throw error;
    }
    const described = { ...base, ...(config === undefined ? describeRaw(settings.config, projectDir) : describe(config, projectDir)) };
    try {
        const render = await renderProgram(settings, program);
        return { described, settings, config, render, policyFile: described.policyConfig === null ? undefined : path.join(projectDir, described.policyConfig) };
    } catch (error) {
        if (error instanceof RenderError) {
            return { report: { ...described, resources: null, violations: null, error: `${base.file}: ${error.message}` } };
        }
        throw error;
    }
}

/** Policy-checks a rendered stack with its environment's policy config, and says what it claims in the fleet. */
async function checkMember(rendered: RenderedStack, session: Promise<AnalyzerSession>): Promise<CheckedStack> {
    const { described, settings, config, render, policyFile } = rendered;
    let policyConfig: ReturnType<typeof loadPolicyConfig> | undefined;
    try {
        policyConfig = policyFile === undefined ? undefined : loadPolicyConfig(policyFile);
    } catch (error) {
        if (error instanceof UserError) {
            return { report: { ...described, resources: render.resources.length, violations: null, error: `${described.file}: ${error.message}` } };
        }
        throw error;
    }
    const checker = await session;
    // The engine configures the pack with the stack it previews (pulumi/pulumi pkg/engine/plugins.go, ConfigureStack).
    await checker.pack.configureStack(settings.project, settings.stack);
    const check = await checkRecords(checker, render.resources, { config: policyConfig });
    const mandatory = check.violations.filter((violation) => violation.enforcementLevel === "mandatory").length + checkRenderInvariants(render.resources).length;
    const advisory = check.violations.filter((violation) => violation.enforcementLevel === "advisory").length;
    return withMember({ ...described, resources: render.resources.length, violations: { mandatory, advisory }, error: null }, config, render);
}

/** A rendered stack's report without a policy check (violations null), as the base of a diff needs it. */
function uncheckedMember(rendered: RenderedStack): CheckedStack {
    const { described, config, render } = rendered;
    return withMember({ ...described, resources: render.resources.length, violations: null, error: null }, config, render);
}

/** The report with what the stack claims in the fleet, when its config parsed. */
function withMember(report: FleetStackReport, config: StackConfig | undefined, render: RenderResult): CheckedStack {
    if (config === undefined) {
        return { report, render };
    }
    const member: FleetMember = {
        stack: report.stack,
        file: report.file,
        environment: config.environment,
        ring: config.rollout.ring,
        soakHours: config.rollout.soakHours,
        ...(config.operator.line === undefined ? {} : { line: config.operator.line }),
        claims: [...configClaims(config), ...awsNameClaims(render.resources, config.providers.awsRegion, config.network.vpcId)],
    };
    return { report, member, render };
}

/**
 * Renders and policy-checks every stack of the fleet in one process, then checks the fleet as a whole. Renders run
 * one after another (the Pulumi runtime's state is global); the policy pack, a process of its own, starts at once and
 * checks each stack while the next ones render, one check at a time (each configures the pack for its stack first).
 */
export async function renderFleet(options: FleetOptions = {}): Promise<FleetRender> {
    const projectDir = options.projectDir ?? PROJECT_DIR;
    const stacksDir = options.stacksDir ?? projectDir;
    const files = listStackFiles(stacksDir);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const program = require(path.join(projectDir, "index")) as () => unknown;
    const policyCheck = options.policyCheck ?? true;
    const ownSession = options.session === undefined && policyCheck;
    const session = !policyCheck ? Promise.reject(new Error("no policy check was asked for")) : options.session?.() ?? startSession({ packDir: transpiledPack(path.join(projectDir, "policy")) });
    // A pack that fails to start must not surface later as an unhandled rejection.
    session.catch(() => undefined);
    let checked: CheckedStack[];
    try {
        let checks: Promise<unknown> = Promise.resolve();
        const pending: Promise<CheckedStack>[] = [];
        for (const entry of files) {
            const rendered = await renderMember(entry, projectDir, program, options.parseConfig ?? true);
            const done = "report" in rendered ? Promise.resolve(rendered)
                : policyCheck ? checks.then(() => checkMember(rendered, session)) : Promise.resolve(uncheckedMember(rendered));
            checks = done.catch(() => undefined);
            pending.push(done.then((result) => {
                options.onStack?.(result.report);
                return result;
            }));
        }
        checked = await Promise.all(pending);
    } finally {
        if (ownSession) {
            await (await session.catch(() => undefined))?.close();
        }
    }
    const members = checked.flatMap((entry) => (entry.member === undefined ? [] : [entry.member]));
    const stacks = checked.map((entry) => entry.report)
        .sort((a, b) => (a.ring ?? -1) - (b.ring ?? -1) || a.stack.localeCompare(b.stack));
    return {
        report: { stacksDir: path.resolve(stacksDir) === process.cwd() ? "." : shown(stacksDir), maxParallelPerRing: MAX_PARALLEL_PER_RING, stacks, rings: ringPlan(members), problems: fleetProblems(members) },
        renders: new Map(checked.flatMap((entry) => (entry.render === undefined ? [] : [[entry.report.stack, entry.render] as const]))),
    };
}

/** Whether the fleet can be rolled out: every stack rendered without a mandatory violation and nothing fleet-wide refused. */
export function fleetOk(report: FleetReport): boolean {
    return report.problems.length === 0 && report.stacks.every((stack) => stack.error === null && stack.violations?.mandatory === 0);
}
