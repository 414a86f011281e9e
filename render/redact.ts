/**
 * The wire form of property values (as the SDK serializes them for the engine) turned into what a render
 * shows: secrets and unknowns replaced by the contract's marks, keys sorted so files are deterministic.
 */
import { specialResourceSig, specialSecretSig, specialSigKey, unknownValue } from "@pulumi/pulumi/runtime/rpc";
import { SECRET_MARK, UNKNOWN_MARK } from "./contract";

/** A serialized secret: `{ [specialSigKey]: specialSecretSig, value }`. */
export function isSecretEnvelope(value: object): value is { value?: unknown } {
    return (value as Record<string, unknown>)[specialSigKey] === specialSecretSig;
}

/** Turns the wire form of a property value into what the render shows: secrets and unknowns marked. */
export function redact(value: unknown): unknown {
    if (value === unknownValue) {
        return UNKNOWN_MARK;
    }
    if (Array.isArray(value)) {
        return value.map(redact);
    }
    if (value !== null && typeof value === "object") {
        if (isSecretEnvelope(value)) {
            return SECRET_MARK;
        }
        const record = value as Record<string, unknown>;
        if (record[specialSigKey] === specialResourceSig) {
            return { resourceReference: record.urn };
        }
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(record).sort()) {
            out[key] = redact(record[key]);
        }
        return out;
    }
    return value;
}
