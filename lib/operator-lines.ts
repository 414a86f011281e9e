/**
 * The OpenShift Pipelines lines this product supports, as data: what each line is built from, where OLM offers
 * it, and the few facts about it that change what the program emits. Everything line-specific reads this list;
 * the table in docs/operator-lines.md is checked against it. Sources: docs/operator-facts-v0.77.1.md, -v0.78.2.md,
 * -v0.79.2.md.
 */

/** One supported line. */
export interface OperatorLine {
    /** OpenShift Pipelines minor line, e.g. `1.20`. */
    readonly pipelines: string;
    /** The tektoncd/operator tag the facts were read at (its release branch builds the line's CSVs). */
    readonly operator: string;
    /** The tektoncd/results release the line ships. */
    readonly results: string;
    /**
     * The OLM channel holding only this line (every bundle is in `latest` and `pipelines-1.N`,
     * openshift-pipelines/operator `.konflux/olm-catalog/bundle/metadata/annotations.yaml:7-8` on each release branch).
     */
    readonly channel: string;
    /**
     * OpenShift releases whose rendered catalogs carry the line's channel (openshift-pipelines/operator
     * release-v1.22.x `.konflux/olm-catalog/index/v<release>/catalog/openshift-pipelines-operator-rh/catalog.json`; the
     * v4.14 and v4.16 catalogs are not rendered there, so they are not claimed).
     */
    readonly openshiftReleases: readonly string[];
    /**
     * The operator creates a Route for the Results API unless `spec.result.route_enabled` is false: the webhook
     * defaults it to true on OpenShift (tektoncd/operator v0.78.2 `tektonresult_defaults.go:31-42`).
     */
    readonly resultsRoute: boolean;
    /** `spec.scheduler` exists (tektoncd/operator v0.79.2 `tektonconfig_types.go:96`). */
    readonly scheduler: boolean;
    /**
     * The line's Results lets `maxRetention` override `defaultRetention` (v0.17+; v0.16 reads `defaultRetention`
     * first): `pkg/apis/config/retention.go:138-172` at each tag. The program sets `defaultRetention` alone.
     */
    readonly maxRetentionOverrides: boolean;
    /**
     * PaC settings the webhook writes on this line that the oldest line does not have (it replaces the whole
     * map with every field of PaC's Settings struct: v0.78.2 `openshiftpipelinesascode_defaults.go:45-61`),
     * with the value it writes. Emitted as they are, so the live map equals the rendered one.
     */
    readonly pacSettingsAdded: Readonly<Record<string, string>>;
    /**
     * Key paths (under `spec`) that the line still accepts but its webhook removes, so emitting one would be a
     * diff on every preview. v0.79.2 nulls `pipeline.disable-affinity-assistant` (`tektonpipeline_defaults.go:82-84`).
     */
    readonly droppedKeys: readonly (readonly string[])[];
}

/** The tektoncd/operator key list of a line, in `test/data/` (tools/extract-tektonconfig-keys.mjs at the tag). */
export function keySetFile(line: OperatorLine): string {
    return `tektonconfig-keys-${line.operator}.json`;
}

/** Oldest first; each line upgrades only to the next one (OLM's skipRange covers the previous minor alone). */
export const SUPPORTED_OPERATOR_LINES: readonly OperatorLine[] = [
    {
        pipelines: "1.20",
        operator: "v0.77.1",
        results: "v0.16.0",
        channel: "pipelines-1.20",
        openshiftReleases: ["4.18", "4.19", "4.20", "4.21"],
        resultsRoute: false,
        scheduler: false,
        maxRetentionOverrides: false,
        pacSettingsAdded: {},
        droppedKeys: [],
    },
    {
        pipelines: "1.21",
        operator: "v0.78.2",
        results: "v0.17.2",
        channel: "pipelines-1.21",
        openshiftReleases: ["4.18", "4.19", "4.20", "4.21", "4.22"],
        resultsRoute: true,
        scheduler: false,
        maxRetentionOverrides: true,
        // PaC v0.39 `pkg/params/settings/config.go:69,86`: `default:"3"`, and no default tag (zero value "false").
        pacSettingsAdded: { "error-log-snippet-number-of-lines": "3", "require-ok-to-test-sha": "false" },
        droppedKeys: [],
    },
    {
        pipelines: "1.22",
        operator: "v0.79.2",
        results: "v0.18.0",
        channel: "pipelines-1.22",
        openshiftReleases: ["4.18", "4.19", "4.20", "4.21", "4.22", "4.23", "5.0"],
        resultsRoute: true,
        scheduler: true,
        maxRetentionOverrides: true,
        // PaC v0.42 has the same Settings fields as v0.39 (docs/operator-facts-v0.79.2.md §4).
        pacSettingsAdded: { "error-log-snippet-number-of-lines": "3", "require-ok-to-test-sha": "false" },
        droppedKeys: [["pipeline", "disable-affinity-assistant"]],
    },
];

/** The OLM package of the operator; its CSVs are named `<package>.v<major>.<minor>.<patch>`. */
export const OPERATOR_PACKAGE = "openshift-pipelines-operator-rh";

const CSV_NAME = new RegExp(`^${OPERATOR_PACKAGE.replace(/[.-]/g, "\\$&")}\\.v([0-9]+\\.[0-9]+)\\.[0-9]+$`);

/** The `major.minor` of a CSV name of the package (supported or not), or undefined when it is none. */
export function minorOfCsv(csv: string): string | undefined {
    return CSV_NAME.exec(csv)?.[1];
}

/** The supported line of a CSV name, or undefined when it names none (or is no CSV name of the package). */
export function lineOfCsv(csv: string): OperatorLine | undefined {
    const minor = minorOfCsv(csv);
    return minor === undefined ? undefined : lineNamed(minor);
}

/** The supported line called `pipelines` (`1.21`), or undefined. */
export function lineNamed(pipelines: string): OperatorLine | undefined {
    return SUPPORTED_OPERATOR_LINES.find((line) => line.pipelines === pipelines);
}

/** The supported line whose channel this is, or undefined (`latest` follows every line). */
export function lineOfChannel(channel: string): OperatorLine | undefined {
    return SUPPORTED_OPERATOR_LINES.find((line) => line.channel === channel);
}

/** The pattern of the CSV names of a line, as the docs and refusals show it. */
export function csvPattern(line: OperatorLine): string {
    return `${OPERATOR_PACKAGE}.v${line.pipelines}.<patch>`;
}

/** The supported lines the catalogs of an OpenShift release (`4.22`) offer, oldest first. */
export function linesOfferedOn(openshiftRelease: string): readonly OperatorLine[] {
    return SUPPORTED_OPERATOR_LINES.filter((line) => line.openshiftReleases.includes(openshiftRelease));
}

/** Every OpenShift release some supported line is offered on, in the order of the lines' lists. */
export function openshiftReleasesOffered(): readonly string[] {
    return [...new Set(SUPPORTED_OPERATOR_LINES.flatMap((line) => line.openshiftReleases))];
}

/** `1.20` → [1, 20], for ordering lines (and minors of unsupported CSVs) numerically. */
function minorNumbers(minor: string): readonly [number, number] {
    const [major, rest] = minor.split(".").map(Number);
    return [major, rest];
}

/**
 * Why a stack on line `deployed` may not move to line `requested`, or undefined when it may: the same line, or
 * the next supported one. OLM cannot downgrade a CSV, and a CSV's `olm.skipRange` reaches back one minor line
 * only (openshift-pipelines/operator `project.yaml` `previous_range`; docs/operator-facts-v0.79.2.md §6), so a
 * Subscription moved two lines ahead finds no upgrade edge.
 */
export function lineChangeProblem(deployed: string, requested: string): string | undefined {
    if (deployed === requested) {
        return undefined;
    }
    const names = SUPPORTED_OPERATOR_LINES.map((line) => line.pipelines);
    const [fromMajor, fromMinor] = minorNumbers(deployed);
    const [toMajor, toMinor] = minorNumbers(requested);
    const path = `upgrades go one line at a time: ${names.join(" → ")}`;
    if (toMajor < fromMajor || (toMajor === fromMajor && toMinor < fromMinor)) {
        return `the cluster runs OpenShift Pipelines ${deployed} and operator.line asks for ${requested}: OLM cannot downgrade an operator (${path})`;
    }
    if (!names.includes(deployed)) {
        // An older, unsupported line: only the next minor (the oldest supported line) is one step away.
        return toMajor === fromMajor && toMinor === fromMinor + 1
            ? undefined
            : `the cluster runs OpenShift Pipelines ${deployed}, which is not supported: move it to ${names[0]} first, one line at a time (${path})`;
    }
    const next = names[names.indexOf(deployed) + 1];
    if (next === requested) {
        return undefined;
    }
    return `the cluster runs OpenShift Pipelines ${deployed} and operator.line asks for ${requested}, skipping ${names.slice(names.indexOf(deployed) + 1, names.indexOf(requested)).join(", ")}: ` +
        `set operator.line to ${next} first and run up, then ${requested} (${path})`;
}
