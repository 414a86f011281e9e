/**
 * Checks a PEM CA bundle before it reaches the cluster: every block a certificate that Node's X.509 parser
 * (OpenSSL) reads, nothing else in the text, and a bounded size.
 */
import { X509Certificate } from "node:crypto";

/**
 * The largest CA bundle accepted, in bytes. A bundle for one Vault server holds a root and an intermediate or
 * two (a few KiB); 64 KiB still takes dozens, and keeps the SecretStore it is copied into (base64, a third
 * larger) small.
 */
export const CA_BUNDLE_MAX_BYTES = 64 * 1024;

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----\r?\n([\s\S]*?)-----END \1-----/g;

/** What is wrong with `text` as a PEM bundle of X.509 certificates, or undefined. Never quotes the text. */
export function caBundleProblem(text: string): string | undefined {
    const bytes = Buffer.byteLength(text, "utf8");
    if (bytes > CA_BUNDLE_MAX_BYTES) {
        return `is ${bytes} bytes: at most ${CA_BUNDLE_MAX_BYTES} (64 KiB) of PEM certificates`;
    }
    const blocks = [...text.matchAll(PEM_BLOCK)];
    if (blocks.length === 0) {
        return "must be PEM certificates (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)";
    }
    if (text.replace(PEM_BLOCK, "").trim() !== "") {
        return "must hold only PEM certificates: there is text outside the -----BEGIN/-----END blocks";
    }
    for (const [index, block] of blocks.entries()) {
        // The label only: a private key pasted here by mistake must not be echoed.
        if (block[1] !== "CERTIFICATE") {
            return `block ${index + 1} is a ${block[1]}, not a CERTIFICATE: only CA certificates belong here`;
        }
        try {
            new X509Certificate(block[0]);
        } catch {
            return `certificate ${index + 1} is not a valid X.509 certificate`;
        }
    }
    return undefined;
}
