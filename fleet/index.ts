/**
 * The fleet: every stack file of a directory rendered and checked with its environment's policy config, the
 * fleet-wide refusals and the ring plan (plan.ts, pure), and the diff of the whole fleet against a git ref
 * (git-base.ts makes the base, diff.ts compares). Built on the render library (render/) and the policy runtime
 * (analyzer/); reads stack files and renders, never components.
 */
export * from "./acknowledgments";
export * from "./base-render";
export * from "./diff";
export * from "./git-base";
export * from "./plan";
export * from "./preview-gate";
export * from "./render";
export * from "./stack-files";
export * from "./stateful";
export * from "./steps";
