/**
 * The variables Pipelines-as-Code v0.37.8 substitutes in its custom console URL templates
 * (`custom-console-url-pr-details`, `-pr-tasklog`, `-namespace`), and the check of a template against them.
 */

/**
 * The standard parameters: pkg/customparams/standard.go `makeStandardParamsFromEvent`. `CustomParams.GetParams`
 * returns them and pipelineascode.go / reconciler.go hand them to the console with `ConsoleUI().SetParams`, so
 * every template gets them. (A Repository's own `spec.params` are added too, but they differ per repository: a
 * cluster-wide template that used one would fall back to the console URL for every other repository.)
 */
export const PAC_STANDARD_PARAMS = [
    "revision", "repo_url", "repo_owner", "repo_name", "target_branch", "source_branch", "git_tag", "source_url",
    "sender", "target_namespace", "event_type", "trigger_comment", "pull_request_labels",
] as const;

/**
 * The variables each template gets besides the standard ones: pkg/consoleui/custom.go sets `namespace` and `pr` in
 * `DetailURL`, only `namespace` in `NamespaceURL`, and `namespace`, `pr`, `task`, `pod`, `firstFailedStep` in
 * `TaskLogURL` before `generateURL` fills the template. The other keys of `generateURL`'s map hold whatever an
 * earlier call left there, so a template must not use them.
 */
export const PAC_CONSOLE_TEMPLATE_VARIABLES = {
    consoleUrlPrDetails: ["namespace", "pr"],
    consoleUrlPrTaskLog: ["namespace", "pr", "task", "pod", "firstFailedStep"],
    consoleUrlNamespace: ["namespace"],
} as const;

/**
 * A placeholder as PaC finds it: pkg/apis/pipelinesascode/keys/keys.go `ParamsRe`; pkg/templates/templating.go
 * `ReplacePlaceHoldersVariables` trims spaces from the key, so `{{namespace}}` and `{{ namespace }}` are alike.
 */
const PLACEHOLDER = /\{\{([^}]{2,})\}\}/g;

/**
 * The problem with a console URL template that gets `variables` (and the standard parameters), or undefined.
 * PaC's `generateURL` falls back to the console's root URL when a filled template is no URL or still holds a
 * `{{ }}`: a link that silently goes nowhere useful, so both are refused here.
 */
export function consoleTemplateProblem(template: string, variables: readonly string[]): string | undefined {
    const allowed = new Set<string>([...variables, ...PAC_STANDARD_PARAMS]);
    let unknown: string | undefined;
    const filled = template.replace(PLACEHOLDER, (_placeholder, key: string) => {
        const name = key.trim();
        unknown ??= allowed.has(name) ? undefined : name;
        return "x";
    });
    if (unknown !== undefined) {
        return `uses {{ ${unknown} }}, which Pipelines-as-Code does not fill in this template: it fills ${variables.join(", ")} `
            + `and the standard parameters ${PAC_STANDARD_PARAMS.join(", ")}`;
    }
    if (filled.includes("{{") || filled.includes("}}")) {
        return "has an unmatched {{ or }}: a placeholder is written {{ name }}";
    }
    return isHttpsUrl(filled.trim()) ? undefined : "must be an https:// URL (once its placeholders are filled in)";
}

/** Whether `text` is an absolute https URL with a host and no spaces (Go's url.ParseRequestURI refuses a space in a host). */
function isHttpsUrl(text: string): boolean {
    if (/\s/.test(text) || !URL.canParse(text)) {
        return false;
    }
    const url = new URL(text);
    return url.protocol === "https:" && url.hostname !== "";
}
