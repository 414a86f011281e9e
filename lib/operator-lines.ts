/**
 * The OpenShift Pipelines lines this product supports, each with the tektoncd/operator release it ships. The
 * TektonConfig builders emit only fields the oldest line's Go types have (test/data/tektonconfig-keys-*.json),
 * and config refuses a starting CSV outside these lines. The README's table is checked against this list.
 */

/** One supported line. */
export interface OperatorLine {
    /** OpenShift Pipelines minor line, e.g. `1.20`. */
    readonly pipelines: string;
    /** The tektoncd/operator tag that line is built from. */
    readonly operator: string;
}

/** Oldest first. */
export const SUPPORTED_OPERATOR_LINES: readonly OperatorLine[] = [
    { pipelines: "1.20", operator: "v0.77.1" },
];

/** The OLM package of the operator; its CSVs are named `<package>.v<major>.<minor>.<patch>`. */
export const OPERATOR_PACKAGE = "openshift-pipelines-operator-rh";

/** The supported line of a CSV name, or undefined when it names none (or is no CSV name of the package). */
export function lineOfCsv(csv: string): OperatorLine | undefined {
    const match = new RegExp(`^${OPERATOR_PACKAGE.replace(/[.-]/g, "\\$&")}\\.v([0-9]+\\.[0-9]+)\\.[0-9]+$`).exec(csv);
    return match === null ? undefined : SUPPORTED_OPERATOR_LINES.find((line) => line.pipelines === match[1]);
}
