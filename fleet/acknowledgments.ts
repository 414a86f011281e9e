/**
 * Data loss a pull request accepts on purpose: `acknowledged-data-loss.yaml` beside the stack files, one entry per
 * stack and resource (its URN) with why. The file is part of the change, so a reviewer reads the acknowledgment in the
 * pull request's own diff; `npm run fleet:diff -- --fail-on-data-loss` refuses any data-losing step without one, and
 * names the entries that match no step (stale: remove them).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { z } from "zod";
import { RenderError } from "../render/errors";
import type { Step } from "./steps";

export const ACKNOWLEDGMENTS_FILE = "acknowledged-data-loss.yaml";

const entrySchema = z.object({
    stack: z.string().min(1),
    urn: z.string().startsWith("urn:pulumi:"),
    why: z.string().trim().min(1, "say why the loss is accepted"),
}).strict();

export type Acknowledgment = z.infer<typeof entrySchema>;

/** The acknowledgments of `projectDir` (none when the file does not exist); a malformed file is a RenderError. */
export function readAcknowledgments(projectDir: string): Acknowledgment[] {
    const file = path.join(projectDir, ACKNOWLEDGMENTS_FILE);
    if (!fs.existsSync(file)) {
        return [];
    }
    const parsed = z.array(entrySchema).nullable().safeParse(YAML.parse(fs.readFileSync(file, "utf8")));
    if (!parsed.success) {
        const problems = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(top)"}: ${issue.message}`);
        throw new RenderError(`${ACKNOWLEDGMENTS_FILE} is not a list of {stack, urn, why}: ${problems.join("; ")}`);
    }
    return parsed.data ?? [];
}

/** A data-losing step of a stack. */
export interface LostStep {
    readonly stack: string;
    readonly step: Step;
}

const matches = (ack: Acknowledgment, lost: LostStep): boolean => ack.stack === lost.stack && ack.urn === lost.step.urn;

/** The data-losing steps no acknowledgment names. */
export function unacknowledged(lost: readonly LostStep[], acks: readonly Acknowledgment[]): LostStep[] {
    return lost.filter((entry) => !acks.some((ack) => matches(ack, entry)));
}

/** The acknowledgments that name no data-losing step of this diff. */
export function staleAcknowledgments(lost: readonly LostStep[], acks: readonly Acknowledgment[]): Acknowledgment[] {
    return acks.filter((ack) => !lost.some((entry) => matches(ack, entry)));
}
