/**
 * The adopt fixtures (test/fixtures/adopt/<fixture>/live.json and aws.json) and the stack variants they are planned
 * against, shared by the adopt tests. Renders are memoized per variant (do not mutate them).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { loadStackSettings, PROJECT_DIR, renderStack, type RenderResult } from "../render";
import { parseStackConfig, type StackConfig } from "../stacks/config";
import { parseAwsDump, parseLiveDump, type AwsDump, type LiveObject } from "../adopt/inputs";
import { planAdoption, type AdoptPlan } from "../adopt/plan";

export const ADOPT_FIXTURES = path.join(PROJECT_DIR, "test", "fixtures", "adopt");

/** The cluster fixtures. */
export type Fixture = "infra-deployments" | "half-adopted" | "fresh";

/** The fake cosign.pub the infra-deployments cluster's signing-secrets holds (test data, no key). */
export const FIXTURE_PUBLIC_KEY = "-----BEGIN PUBLIC KEY-----\nRkFLRS1QVUJMSUMtS0VZLUZPUi1BRE9QVC1URVNUUy1PTkxZ\n-----END PUBLIC KEY-----\n";

/** The stack variants: prod as it is (key mode, generating the key), and prod adopting the cluster's key. */
export const VARIANTS = {
    prod: {},
    "adopt-key": { "pipeline-service:chains": { adoptExistingKey: true, existingPublicKey: FIXTURE_PUBLIC_KEY } },
} as const satisfies Record<string, Record<string, unknown>>;

export type Variant = keyof typeof VARIANTS;

/** The values planted in the fixtures' Secrets (data and a last-applied annotation): none may appear in any output. */
export const PLANTED_SECRETS: readonly string[] = [
    "PLANTED-COSIGN-PRIVATE-KEY-4b1d-NOT-A-REAL-KEY",
    "PLANTED-COSIGN-PASSWORD-9c2e",
    "PLANTED-DB-PASSWORD-77aa",
    "PLANTED-S3-SECRET-KEY-31f0",
    "PLANTED-GITHUB-APP-KEY-5e6d",
    "PLANTED-WEBHOOK-SECRET-0b9c",
];

/**
 * What must never appear in an output: the planted values in clear, and every Secret data value of the dumps as the
 * dump holds it (base64; values shorter than 12 characters are too common to search for).
 */
export function secretForms(objects: readonly LiveObject[]): string[] {
    const encoded = objects.filter((object) => object.kind === "Secret").flatMap((object) => Object.values((object.data ?? {}) as Record<string, unknown>))
        .filter((value): value is string => typeof value === "string" && value.length >= 12);
    return [...PLANTED_SECRETS, ...new Set(encoded)];
}

/**
 * The catalog image the fixtures plan against, whatever Pulumi.prod.yaml pins today: Renovate bumps that digest in
 * every stack file (renovate.json), and the expected plans under test/fixtures/adopt must not change with it.
 */
export const FIXTURE_CATALOG_IMAGE = "quay.io/openshift-pipeline/pipelines-index-4.17@sha256:0d4c1b9a8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b";

const renders = new Map<string, Promise<RenderResult>>();

/** The prod render with a variant's overrides, on the fixtures' catalog image (memoized). */
export function variantRender(variant: Variant, extra: Readonly<Record<string, unknown>> = {}): Promise<RenderResult> {
    const key = `${variant}:${JSON.stringify(extra)}`;
    let render = renders.get(key);
    if (render === undefined) {
        const operator = JSON.parse(loadStackSettings("prod").config["pipeline-service:operator"] ?? "{}") as Record<string, unknown>;
        const pinned = { "pipeline-service:operator": { ...operator, catalogImage: FIXTURE_CATALOG_IMAGE } };
        render = renderStack("prod", { overrides: { ...pinned, ...VARIANTS[variant], ...extra } });
        renders.set(key, render);
    }
    return render;
}

/** The parsed config of a render. */
export function configOf(render: RenderResult): StackConfig {
    const settings = render.settings;
    return parseStackConfig(settings.config, settings.project, settings.stack, new Set(settings.secretKeys));
}

/** A fixture's file path. */
export function fixtureFile(fixture: Fixture, file: "live.json" | "aws.json"): string {
    return path.join(ADOPT_FIXTURES, fixture, file);
}

/** A fixture's live objects (a fresh copy: tests may edit it). */
export function liveOf(fixture: Fixture): LiveObject[] {
    const file = fixtureFile(fixture, "live.json");
    return [...parseLiveDump(fs.readFileSync(file, "utf8"), file)].map((object) => structuredClone(object));
}

/** A fixture's AWS dump (a fresh copy). */
export function awsOf(fixture: Fixture): AwsDump {
    const file = fixtureFile(fixture, "aws.json");
    return structuredClone(parseAwsDump(fs.readFileSync(file, "utf8"), file));
}

/** What the plan edits: the live objects and AWS dump, each changeable before planning. */
export interface PlanEdits {
    readonly live?: (objects: LiveObject[]) => LiveObject[];
    readonly aws?: ((dump: AwsDump) => AwsDump) | null;
    /** Config overrides on top of the variant's. */
    readonly config?: Readonly<Record<string, unknown>>;
}

/** The plan of a fixture under a variant, with edits (`aws: null` plans without an AWS dump). */
export async function planFixture(fixture: Fixture, variant: Variant, edits: PlanEdits = {}): Promise<AdoptPlan> {
    const render = await variantRender(variant, edits.config);
    const live = (edits.live ?? ((objects) => objects))(liveOf(fixture));
    const aws = edits.aws === null ? undefined : (edits.aws ?? ((dump) => dump))(awsOf(fixture));
    return planAdoption({ render, config: configOf(render), live, ...(aws === undefined ? {} : { aws }) }, fixtureFile(fixture, "live.json"));
}
