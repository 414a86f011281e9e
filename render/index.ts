/**
 * The render library: runs the Pulumi program offline under the SDK's mock runtime and writes what
 * `pulumi preview` would send to the engine (the contract in docs/render-contract.md). The CLIs in
 * tools/ are thin wrappers over this; the fleet (fleet/) and adoption (adopt/) build on it. Graphviz (svg.ts) loads only when a graph is laid out.
 */
export * from "./contract";
export * from "./directories";
export * from "./dot";
export * from "./errors";
export * from "./graph";
export * from "./order";
export * from "./record-diff";
export * from "./recorder";
export * from "./redact";
export * from "./settings";
export * from "./summary";
export * from "./svg";
export * from "./table";
export * from "./write";
