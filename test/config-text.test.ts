/**
 * Free text that reaches the cluster: the Pipelines-as-Code console URL templates, the Vault CA bundle and the
 * Vault paths. Each refusal names its key and says exactly one thing.
 */
import * as assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { buildRdsCaBundle } from "../components/results/rds-ca-bundle";
import { CA_BUNDLE_MAX_BYTES } from "../lib/pem-certificates";
import { PAC_STANDARD_PARAMS } from "../lib/pac-console";
import { devObject, parseDev, problemsOf } from "./config-fixtures";

const CONSOLE = "https://console.example.com/application-pipeline/workspaces";
const STANDARD = `the standard parameters ${PAC_STANDARD_PARAMS.join(", ")}`;

function pac(patch: Record<string, unknown>): Record<string, unknown> {
    return { "pipeline-service:pipelinesAsCode": devObject("pipelinesAsCode", patch) };
}
function vault(patch: Record<string, unknown>): Record<string, unknown> {
    return { "pipeline-service:vault": devObject("vault", patch) };
}

/** Real CA certificates (the RDS roots of one region), as PEM. */
const CERTIFICATES = buildRdsCaBundle(new Date("2025-06-01T00:00:00Z"), { region: "us-east-1" }).pem;
const FIRST_CERTIFICATE = `${CERTIFICATES.split("-----END CERTIFICATE-----")[0]}-----END CERTIFICATE-----\n`;
/** A certificate with its body cut short: still PEM, no longer X.509. */
const TRUNCATED = FIRST_CERTIFICATE.split("\n").filter((_line, index, lines) => index < 4 || index > lines.length - 4).join("\n");
/** A private key made for the test, never committed. */
const PRIVATE_KEY = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();

describe("stack config: text that reaches the cluster", () => {
    const refused: ReadonlyArray<{ what: string; overrides: Record<string, unknown>; key: string; message: string }> = [
        {
            what: "a PipelineRun template using {{ task }} (only the task log template gets it)",
            overrides: pac({ consoleUrlPrDetails: `${CONSOLE}/{{ namespace }}/pipelineruns/{{ pr }}/{{ task }}` }),
            key: "pipelinesAsCode.consoleUrlPrDetails",
            message: `uses {{ task }}, which Pipelines-as-Code does not fill in this template: it fills namespace, pr and ${STANDARD}`,
        },
        {
            what: "a PipelineRun template using {{firstFailedStep}}",
            overrides: pac({ consoleUrlPrDetails: `${CONSOLE}/{{ namespace }}/pipelineruns/{{ pr }}#{{firstFailedStep}}` }),
            key: "pipelinesAsCode.consoleUrlPrDetails",
            message: `uses {{ firstFailedStep }}, which Pipelines-as-Code does not fill in this template: it fills namespace, pr and ${STANDARD}`,
        },
        {
            what: "a namespace template using {{ pr }}",
            overrides: pac({ consoleUrlNamespace: `${CONSOLE}/{{ namespace }}/{{ pr }}` }),
            key: "pipelinesAsCode.consoleUrlNamespace",
            message: `uses {{ pr }}, which Pipelines-as-Code does not fill in this template: it fills namespace and ${STANDARD}`,
        },
        {
            what: "a task log template using a Repository's own parameter",
            overrides: pac({ consoleUrlPrTaskLog: `${CONSOLE}/{{ namespace }}/{{ pr }}/logs/{{ task }}?user={{ custom }}` }),
            key: "pipelinesAsCode.consoleUrlPrTaskLog",
            message: `uses {{ custom }}, which Pipelines-as-Code does not fill in this template: it fills namespace, pr, task, pod, firstFailedStep and ${STANDARD}`,
        },
        {
            what: "a template using a webhook body expression (the console gets no event body)",
            overrides: pac({ consoleUrlNamespace: `${CONSOLE}/{{ body.repository.name }}` }),
            key: "pipelinesAsCode.consoleUrlNamespace",
            message: `uses {{ body.repository.name }}, which Pipelines-as-Code does not fill in this template: it fills namespace and ${STANDARD}`,
        },
        {
            what: "a misspelt variable",
            overrides: pac({ consoleUrlNamespace: `${CONSOLE}/{{ namspace }}` }),
            key: "pipelinesAsCode.consoleUrlNamespace",
            message: `uses {{ namspace }}, which Pipelines-as-Code does not fill in this template: it fills namespace and ${STANDARD}`,
        },
        {
            what: "an unclosed placeholder",
            overrides: pac({ consoleUrlNamespace: `${CONSOLE}/{{ namespace }/applications` }),
            key: "pipelinesAsCode.consoleUrlNamespace",
            message: "has an unmatched {{ or }}: a placeholder is written {{ name }}",
        },
        { what: "an http template", overrides: pac({ consoleUrlNamespace: "http://console.example.com/ns/{{ namespace }}" }), key: "pipelinesAsCode.consoleUrlNamespace",
            message: "must be an https:// URL (once its placeholders are filled in)" },
        { what: "a template that is only a path", overrides: pac({ consoleUrlPrDetails: "/ns/{{ namespace }}/pr/{{ pr }}" }), key: "pipelinesAsCode.consoleUrlPrDetails",
            message: "must be an https:// URL (once its placeholders are filled in)" },
        { what: "a template with a space", overrides: pac({ consoleUrlPrTaskLog: `${CONSOLE}/{{ namespace }}/my logs/{{ pr }}` }), key: "pipelinesAsCode.consoleUrlPrTaskLog",
            message: "must be an https:// URL (once its placeholders are filled in)" },
        { what: "a javascript: template", overrides: pac({ consoleUrlNamespace: "javascript:alert('{{ namespace }}')" }), key: "pipelinesAsCode.consoleUrlNamespace",
            message: "must be an https:// URL (once its placeholders are filled in)" },
        { what: "a CA bundle that is not PEM", overrides: vault({ caBundle: "hello" }), key: "vault.caBundle",
            message: "must be PEM certificates (-----BEGIN CERTIFICATE----- ... -----END CERTIFICATE-----)" },
        { what: "a CA bundle holding a certificate that is not X.509", overrides: vault({ caBundle: `${FIRST_CERTIFICATE}${TRUNCATED}` }), key: "vault.caBundle",
            message: "certificate 2 is not a valid X.509 certificate" },
        { what: "a CA bundle with a private key in it", overrides: vault({ caBundle: `${FIRST_CERTIFICATE}${PRIVATE_KEY}` }), key: "vault.caBundle",
            message: "block 2 is a PRIVATE KEY, not a CERTIFICATE: only CA certificates belong here" },
        { what: "a CA bundle with text between its certificates", overrides: vault({ caBundle: `${FIRST_CERTIFICATE}subject=CN=x\n${FIRST_CERTIFICATE}` }), key: "vault.caBundle",
            message: "must hold only PEM certificates: there is text outside the -----BEGIN/-----END blocks" },
        {
            what: "a CA bundle over 64 KiB",
            overrides: vault({ caBundle: FIRST_CERTIFICATE.repeat(Math.ceil((CA_BUNDLE_MAX_BYTES + 1) / FIRST_CERTIFICATE.length)) }),
            key: "vault.caBundle",
            message: `is ${FIRST_CERTIFICATE.length * Math.ceil((CA_BUNDLE_MAX_BYTES + 1) / FIRST_CERTIFICATE.length)} bytes: at most 65536 (64 KiB) of PEM certificates`,
        },
        { what: "a secret path with a .. segment", overrides: vault({ githubAppSecretPath: "stonesoup/../production/github-app" }), key: "vault.githubAppSecretPath",
            message: "must not contain a . or .. segment: the path would name another place in Vault than it reads" },
        { what: "a secret path that is ..", overrides: vault({ githubAppSecretPath: ".." }), key: "vault.githubAppSecretPath",
            message: "must not contain a . or .. segment: the path would name another place in Vault than it reads" },
        { what: "an auth mount with a . segment", overrides: vault({ authMountPath: "./kubernetes" }), key: "vault.authMountPath",
            message: "must not contain a . or .. segment: the path would name another place in Vault than it reads" },
        { what: "a leading slash and a .. segment (one problem)", overrides: vault({ githubAppSecretPath: "/../github-app" }), key: "vault.githubAppSecretPath",
            message: "must be a relative Vault path such as pipeline-service/github-app" },
        { what: "a KV mount of ..", overrides: vault({ kvMount: ".." }), key: "vault.kvMount", message: "must not be . or ..: it would name another place in Vault" },
        { what: "a KV mount of two segments", overrides: vault({ kvMount: "secret/sub" }), key: "vault.kvMount", message: "must be one Vault path segment such as secret" },
    ];

    for (const example of refused) {
        it(`refuses ${example.what}`, () => {
            const error = problemsOf(() => parseDev(example.overrides));
            assert.deepEqual(error.problems.map((problem) => [problem.key, problem.message]), [[`pipeline-service:${example.key}`, example.message]], error.message);
        });
    }

    it("never echoes a CA bundle's text, only its size", () => {
        const error = problemsOf(() => parseDev(vault({ caBundle: PRIVATE_KEY })));
        assert.doesNotMatch(error.message, /MIIE/);
        assert.match(error.message, new RegExp(`\\(got "\\(${PRIVATE_KEY.length} bytes\\)"\\)`));
    });

    const accepted: ReadonlyArray<{ what: string; overrides: Record<string, unknown> }> = [
        { what: "placeholders without spaces", overrides: pac({ consoleUrlPrDetails: `${CONSOLE}/{{namespace}}/pipelineruns/{{pr}}` }) },
        { what: "placeholders with extra spaces", overrides: pac({ consoleUrlPrDetails: `${CONSOLE}/{{   namespace }}/pipelineruns/{{pr   }}` }) },
        { what: "every task log variable", overrides: pac({ consoleUrlPrTaskLog: `${CONSOLE}/{{ namespace }}/{{ pr }}/logs/{{ task }}#{{ pod }}-{{ firstFailedStep }}` }) },
        { what: "standard parameters", overrides: pac({ consoleUrlNamespace: `${CONSOLE}/{{ namespace }}?repo={{ repo_owner }}/{{ repo_name }}&sha={{ revision }}` }) },
        { what: "a template with no placeholder", overrides: pac({ consoleUrlNamespace: CONSOLE }) },
        { what: "a CA bundle of real certificates", overrides: vault({ caBundle: CERTIFICATES }) },
        { what: "a CA bundle just under 64 KiB", overrides: vault({ caBundle: FIRST_CERTIFICATE.repeat(Math.floor(CA_BUNDLE_MAX_BYTES / FIRST_CERTIFICATE.length)) }) },
        { what: "a CA bundle with CRLF line ends", overrides: vault({ caBundle: FIRST_CERTIFICATE.replace(/\n/g, "\r\n") }) },
        { what: "dots inside path segments", overrides: vault({ githubAppSecretPath: "team.a/..github-app../v1.2", authMountPath: "kubernetes.stone-stg", kvMount: "kv.v2" }) },
    ];
    for (const example of accepted) {
        it(`accepts ${example.what}`, () => {
            parseDev(example.overrides);
        });
    }

    it("accepts the templates of both example stacks", () => {
        const config = parseDev({});
        assert.match(config.pipelinesAsCode.consoleUrlPrTaskLog, /\{\{ task \}\}/);
    });
});
