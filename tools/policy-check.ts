/**
 * `npm run -s policy:check -- <out/<stack>/resources.json> [--config <file>] [--pack <dir>]`
 *
 * Runs the real policy pack over a render through the Analyzer protocol and prints what `pulumi preview
 * --policy-pack policy --show-urns` would print in its "Policies:" section, then each policy that could not run in
 * preview. Exit codes: 0 no mandatory violation, 1 a mandatory violation, 2 bad input or a pack that does not start.
 */
import * as path from "node:path";
import { checkRecords, startSession, type AnalyzerSession } from "../analyzer/check";
import { loadPolicyConfig } from "../analyzer/config";
import { checkRenderInvariants } from "../policy/render-invariants";
import { formatPolicies, formatRenderInvariants, formatSummary } from "../analyzer/format";
import { PackStartError } from "../analyzer/pack-process";
import { loadRecords, UserError } from "../analyzer/records";
import { EXIT_USAGE, parseCommandLine, runCli, UsageError } from "./cli";

export const USAGE = `usage: npm run -s policy:check -- <out/<stack>/resources.json> [--config <policy-config.json>] [--pack <dir>] [--hide-urns]

Runs the CrossGuard pack (default: policy/) with the real @pulumi/policy runtime over a render, as a first
\`pulumi preview --policy-pack policy\` would, and prints its "Policies:" section; then the render invariants no
policy can see in preview (policy/render-invariants.ts).

  --config <file>  policy config, as --policy-pack-config (validated like the CLI: "all", levels, schemas)
  --pack <dir>     policy pack directory (default: policy/)
  --hide-urns      name resources instead of printing their URNs
  -h, --help       this help

Exit codes: 0 no mandatory violation, 1 a mandatory violation or a broken render invariant, 2 bad input or a pack
that does not start.`;

/** What a test may share: a policy pack session already started on policy/ (used unless --pack names another pack). */
export interface CheckCliOptions {
    readonly session?: () => Promise<AnalyzerSession>;
}

/** Runs the CLI; returns the exit code. A user's mistake is a message on `err`; anything thrown is a bug (tools/cli.ts). */
export async function main(argv: readonly string[], out: (text: string) => void = (t) => process.stdout.write(`${t}\n`), err: (text: string) => void = (t) => process.stderr.write(`${t}\n`),
    cliOptions: CheckCliOptions = {}): Promise<number> {
    let values: { config?: string; pack?: string; "hide-urns"?: boolean; help?: boolean };
    let positionals: string[];
    try {
        ({ values, positionals } = parseCommandLine({
            args: [...argv],
            options: { config: { type: "string" }, pack: { type: "string" }, "hide-urns": { type: "boolean" }, help: { type: "boolean", short: "h" } },
            allowPositionals: true,
        }));
    } catch (error) {
        if (error instanceof UsageError) {
            err(`policy-check: ${error.message}\n${USAGE}`);
            return EXIT_USAGE;
        }
        throw error;
    }
    if (values.help) {
        out(USAGE);
        return 0;
    }
    if (positionals.length !== 1) {
        err(`policy-check: ${positionals.length === 0 ? "missing the resources file" : `expected one resources file, got ${positionals.length}`}\n${USAGE}`);
        return EXIT_USAGE;
    }
    const packDir = values.pack ?? path.join(__dirname, "..", "policy");
    const packPath = path.relative(process.cwd(), packDir) || ".";
    let session: Awaited<ReturnType<typeof startSession>> | undefined;
    try {
        const file = positionals[0] as string;
        const records = loadRecords(file);
        const config = values.config === undefined ? undefined : loadPolicyConfig(values.config);
        const stackUrn = records.find((r) => r.type === "pulumi:pulumi:Stack")?.urn.split("::");
        const shared = values.pack === undefined ? cliOptions.session : undefined;
        if (shared === undefined) {
            session = await startSession({ packDir, project: stackUrn?.[1], stack: stackUrn?.[0]?.replace(/^urn:pulumi:/, "") });
        }
        const result = await checkRecords(session ?? await (shared as () => Promise<AnalyzerSession>)(), records, { config, packPath });
        out(formatPolicies(result, { showUrns: !values["hide-urns"], packPath }));
        out(formatSummary(result, records.length));
        // What no policy can see in preview (the engine never passes it), checked over the render itself.
        const broken = checkRenderInvariants(records);
        out(formatRenderInvariants(broken));
        return result.hasMandatory || broken.length > 0 ? 1 : 0;
    } catch (error) {
        if (error instanceof UserError || error instanceof PackStartError) {
            err(`policy-check: ${error.message}`);
            return 2; // bad input, or a pack that does not start
        }
        throw error;
    } finally {
        await session?.close();
    }
}

if (require.main === module) {
    void runCli("policy:check", () => main(process.argv.slice(2)));
}
