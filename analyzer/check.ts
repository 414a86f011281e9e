/**
 * The policy check over a render, driven through the real @pulumi/policy runtime: GetAnalyzerInfo → Configure (the
 * validated, reconciled config) → Analyze per resource → AnalyzeStack, as `pulumi preview --policy-pack` does
 * (pulumi/pulumi `pkg/engine/update.go` loadPolicyPlugins, `pkg/resource/deploy/step_generator.go` generateSteps and
 * AnalyzeResources). Diagnostics are kept exactly as the pack returns them (AnalyzeDiagnostic fields).
 */
import * as path from "node:path";
import type * as analyzerproto from "@pulumi/pulumi/proto/analyzer_pb";
import { levelFromProto, packInfoOf, reconcilePolicyConfig, type EnforcementLevel, type PackInfo, type PolicyConfig, type ReconcileOptions } from "./config";
import { PolicyPackProcess, type PackStartOptions } from "./pack-process";
import type { ResourceRecord } from "./records";
import { analyzeRequest, analyzeStackRequest, indexByUrn, previewOutputs } from "./requests";

/** One AnalyzeDiagnostic, with the URN the engine reports it against. */
export interface Diagnostic {
    readonly policyName: string;
    readonly policyPackName: string;
    readonly policyPackVersion: string;
    readonly description: string;
    /** As returned: for a violation the policy's description, a newline, then what the policy reported. */
    readonly message: string;
    readonly enforcementLevel: EnforcementLevel;
    /**
     * Analyze: always the analyzed resource (step_generator: "we always use the URN we have here"). AnalyzeStack: the
     * URN the policy reported, or "" for a stack-wide violation.
     */
    readonly urn: string;
    readonly severity: number;
    /** Which RPC produced it. */
    readonly source: "analyze" | "analyzeStack";
}

/** A policy that declared itself not applicable (PolicyNotApplicable). */
export interface NotApplicable {
    readonly policyName: string;
    readonly reason: string;
    /** The analyzed resource, or "" for AnalyzeStack. */
    readonly urn: string;
}

export interface CheckResult {
    readonly pack: PackInfo;
    /** Every diagnostic except the "can't run … during preview" advisories. */
    readonly violations: Diagnostic[];
    /** The advisories @pulumi/policy emits when a policy reads an unknown value (server.js, UnknownValueError). */
    readonly notRunInPreview: Diagnostic[];
    readonly notApplicable: NotApplicable[];
    /** Whether a mandatory violation would fail `pulumi preview`. */
    readonly hasMandatory: boolean;
}

/** A started pack with its analyzer info, reused for many checks. */
export interface AnalyzerSession {
    readonly pack: PolicyPackProcess;
    readonly info: PackInfo;
    readonly project: string;
    readonly stack: string;
    close(): Promise<void>;
}

/** Starts the pack (default: the project's `policy/`), sends ConfigureStack and reads GetAnalyzerInfo. */
export function startSession(options: PackStartOptions & { readonly packDir?: string } = {}): Promise<AnalyzerSession> {
    const project = options.project ?? "pipeline-service";
    const stack = options.stack ?? "dev";
    return sessionOf(PolicyPackProcess.start(options.packDir ?? path.join(__dirname, "..", "policy"), { ...options, project, stack }), project, stack);
}

/** A session over a pack being started (spawned early by a caller that loads other things meanwhile). */
export async function sessionOf(starting: Promise<PolicyPackProcess>, project = "pipeline-service", stack = "dev"): Promise<AnalyzerSession> {
    const pack = await starting;
    try {
        await pack.configureStack(project, stack);
        const info = packInfoOf(await pack.getAnalyzerInfo());
        return { pack, info, project, stack, close: () => pack.close() };
    } catch (error) {
        await pack.close();
        throw error;
    }
}

function diagnosticOf(d: analyzerproto.AnalyzeDiagnostic, urn: string, source: Diagnostic["source"]): Diagnostic {
    return {
        policyName: d.getPolicyname(),
        policyPackName: d.getPolicypackname(),
        policyPackVersion: d.getPolicypackversion(),
        description: d.getDescription(),
        message: d.getMessage(),
        enforcementLevel: levelFromProto(d.getEnforcementlevel()),
        urn,
        severity: d.getSeverity(),
        source,
    };
}

/** The advisory @pulumi/policy server.js builds on UnknownValueError: "can't run policy '<name>' from policy pack … during preview: …". */
export function isNotRunInPreview(d: Diagnostic): boolean {
    return d.enforcementLevel === "advisory" && /^can't run policy '[^']+' from policy pack '[^']+' during preview: /.test(d.message);
}

/** Options of {@link checkRecords}. */
export interface CheckOptions extends ReconcileOptions {
    /** Parsed policy config file (see config.ts), as `--policy-pack-config` gives it. */
    readonly config?: ReadonlyMap<string, PolicyConfig>;
}

/** Runs the live pack over `records` as a first-time `pulumi preview` of them would. */
export async function checkRecords(session: AnalyzerSession, records: readonly ResourceRecord[], options: CheckOptions = {}): Promise<CheckResult> {
    // Configure is always sent: ReconcilePolicyPackConfig fills every policy's defaults even without a config file.
    await session.pack.configure(reconcilePolicyConfig(session.info, options.config ?? new Map(), options));
    const byUrn = indexByUrn(records);
    const diagnostics: Diagnostic[] = [];
    const notApplicable: NotApplicable[] = [];
    const collect = (response: analyzerproto.AnalyzeResponse, urn: string | undefined, source: Diagnostic["source"]): void => {
        for (const d of response.getDiagnosticsList()) {
            diagnostics.push(diagnosticOf(d, urn ?? d.getUrn(), source));
        }
        for (const na of response.getNotApplicableList()) {
            notApplicable.push({ policyName: na.getPolicyName(), reason: na.getReason(), urn: urn ?? "" });
        }
    };
    // The engine analyzes resources as they register (concurrently); responses are kept in registration order.
    const responses = await Promise.all(records.map((record) => session.pack.analyze(analyzeRequest(record, byUrn))));
    responses.forEach((response, index) => collect(response, (records[index] as ResourceRecord).urn, "analyze"));
    // Custom resources get the first-preview outputs; components and providers record no unknown outputs.
    collect(await session.pack.analyzeStack(analyzeStackRequest(records, previewOutputs)), undefined, "analyzeStack");
    const notRunInPreview = diagnostics.filter(isNotRunInPreview);
    const violations = diagnostics.filter((d) => !isNotRunInPreview(d));
    return { pack: session.info, violations, notRunInPreview, notApplicable, hasMandatory: violations.some((v) => v.enforcementLevel === "mandatory") };
}
