/**
 * The stack config keys whose value differs from what the cluster runs: for each, the key, the stack's value (with
 * its environment's defaults), the live value, where it was read, and the `pulumi config set` that takes the live
 * value into the stack, checked against the config schema first. Adopting means the program takes over what runs,
 * so the config is what should move, unless the change is the point.
 */
import { withConfig, type StackSettings } from "../render/settings";
import { parseStackConfig, StackConfigError, type StackConfig } from "../stacks/config";
import { goDurationSeconds, GO_DURATION } from "../lib/go-duration";
import { lineOfChannel, lineOfCsv } from "../lib/operator-lines";
import { shellWord } from "./aws";
import { stringAt, valueAt, type AwsDump, type LiveObject } from "./inputs";

/** One key whose live value differs. */
export interface ConfigMismatch {
    /** The key under `pipeline-service:` (`operator.catalogImage`). */
    readonly key: string;
    /** The stack's value, defaults applied; null when unset. */
    readonly config: unknown;
    /** What runs; null when the cluster or account has none. */
    readonly live: unknown;
    /** Where the live value was read. */
    readonly source: string;
    /** The command taking the live value into the stack, or why there is none. */
    readonly fix: string;
}

/** A live object with how the report names it (`Subscription openshift-operators/x`). */
export interface Located {
    readonly object: LiveObject;
    readonly label: string;
}

type DbInstance = AwsDump["describeDbInstances"]["DBInstances"][number];

/** What the config is compared with: the live objects the program would take over, and the AWS answers. */
export interface LiveFacts {
    readonly subscription?: Located;
    readonly catalogSource?: Located;
    readonly ingress?: Located;
    readonly secretStore?: Located;
    readonly externalSecret?: Located;
    readonly dbInstance?: { readonly instance: DbInstance; readonly label: string };
    /** The PostgreSQL log group, when the AWS dump has it. */
    readonly postgresLogGroup?: { readonly retentionInDays?: number; readonly label: string };
}

const PROJECT_PREFIX = "pipeline-service:";

/** Sets `leaf` (a path inside the top-level structured key) in a copy of `value`; undefined removes it. */
function withLeaf(value: unknown, leaf: readonly string[], to: unknown): Record<string, unknown> {
    const copy = (value !== null && typeof value === "object" && !Array.isArray(value) ? { ...(value as Record<string, unknown>) } : {});
    const [head, ...rest] = leaf;
    if (rest.length === 0) {
        if (to === undefined) {
            delete copy[head];
        } else {
            copy[head] = to;
        }
        return copy;
    }
    copy[head] = withLeaf(copy[head], rest, to);
    return copy;
}

/** Whether `pulumi config set --path` would read the text as something other than a string. */
function readsAsNonString(text: string): boolean {
    return /^(true|false)$/i.test(text) || (text.trim() !== "" && Number.isFinite(Number(text)));
}

/** The command that sets `key` to `value` in the stack, if the config then still parses; else why not. */
export function fixFor(settings: StackSettings, key: string, value: unknown): string {
    // eslint-disable-next-line no-control-regex
    if (typeof value === "string" && /[\u0000-\u001f\u007f]/.test(value)) {
        return "none: the live value holds control characters; set the key by hand";
    }
    const [top, ...leaf] = key.split(".");
    const fullKey = `${PROJECT_PREFIX}${top}`;
    const current = settings.config[fullKey];
    const parsed: unknown = current === undefined ? {} : JSON.parse(current);
    const override = leaf.length === 0 ? value : withLeaf(parsed, leaf, value);
    try {
        const changed = withConfig(settings, { [fullKey]: override });
        parseStackConfig(changed.config, changed.project, changed.stack, new Set(changed.secretKeys));
    } catch (error) {
        if (error instanceof StackConfigError) {
            const own = error.problems.filter((problem) => problem.key === `${PROJECT_PREFIX}${key}`);
            return `none: the config refuses it (${(own.length > 0 ? own : error.problems).map((problem) => `${problem.key.slice(PROJECT_PREFIX.length)} ${problem.message}`).join("; ")})`;
        }
        throw error;
    }
    if (value === undefined) {
        return `pulumi config rm --stack ${settings.stack} --path ${key}`;
    }
    const text = String(value);
    const type = typeof value === "string" && readsAsNonString(text) ? "--type string " : "";
    return `pulumi config set --stack ${settings.stack} --path ${type}${key} ${shellWord(text)}`;
}

interface Row {
    readonly key: string;
    readonly config: unknown;
    readonly live: unknown;
    readonly source: string;
    /** The value the config would take; undefined: remove the key; absent: no fix. */
    readonly fixValue?: { readonly value: unknown };
}

function sameDuration(a: string, b: string): boolean {
    return GO_DURATION.test(a) && GO_DURATION.test(b) ? goDurationSeconds(a) === goDurationSeconds(b) : a === b;
}

function operatorRows(config: StackConfig, facts: LiveFacts): Row[] {
    const rows: Row[] = [];
    const operator = config.operator;
    const subscription = facts.subscription;
    if (subscription !== undefined) {
        const spec = (field: string): string | undefined => stringAt(subscription.object, "spec", field);
        const channel = spec("channel");
        const installed = stringAt(subscription.object, "status", "installedCSV");
        const installedLine = installed === undefined ? undefined : lineOfCsv(installed);
        const channelLine = channel === undefined ? undefined : lineOfChannel(channel);
        const liveLine = installedLine ?? channelLine;
        if (operator.line !== undefined && liveLine !== undefined && liveLine.pipelines !== operator.line) {
            const how = installedLine !== undefined ? `status.installedCSV ${installed ?? ""}` : `spec.channel ${channel ?? ""}`;
            rows.push({ key: "operator.line", config: operator.line, live: liveLine.pipelines, source: `${subscription.label} ${how}`, fixValue: { value: liveLine.pipelines } });
        } else if (operator.line === undefined && channel !== undefined && channel !== operator.channel) {
            rows.push({ key: "operator.channel", config: operator.channel, live: channel, source: `${subscription.label} spec.channel`, fixValue: { value: channel } });
        }
        // OLM's default when the field is unset.
        const approval = spec("installPlanApproval") ?? "Automatic";
        if (approval !== operator.installPlanApproval) {
            rows.push({ key: "operator.installPlanApproval", config: operator.installPlanApproval, live: approval, source: `${subscription.label} spec.installPlanApproval`, fixValue: { value: approval } });
        }
        const startingCsv = spec("startingCSV");
        if (startingCsv !== operator.startingCsv) {
            rows.push({ key: "operator.startingCsv", config: operator.startingCsv ?? null, live: startingCsv ?? null, source: `${subscription.label} spec.startingCSV`, fixValue: { value: startingCsv } });
        }
    }
    const image = facts.catalogSource === undefined ? undefined : stringAt(facts.catalogSource.object, "spec", "image");
    if (facts.catalogSource !== undefined && image !== undefined && image !== operator.catalogImage) {
        rows.push({ key: "operator.catalogImage", config: operator.catalogImage, live: image, source: `${facts.catalogSource.label} spec.image`, fixValue: { value: image } });
    }
    return rows;
}

function ingressRows(config: StackConfig, facts: LiveFacts): Row[] {
    const host = facts.ingress === undefined ? undefined : stringAt(facts.ingress.object, "spec", "rules", 0, "host");
    return facts.ingress === undefined || host === undefined || host === config.resultsApi.host ? []
        : [{ key: "resultsApi.host", config: config.resultsApi.host, live: host, source: `${facts.ingress.label} spec.rules[0].host`, fixValue: { value: host } }];
}

function secretStoreRows(config: StackConfig, store: Located | undefined): Row[] {
    if (store === undefined) {
        return [];
    }
    const vault = (...path: string[]): string | undefined => stringAt(store.object, "spec", "provider", "vault", ...path);
    const pairs: readonly (readonly [string, string, string | undefined])[] = [
        ["vault.server", config.vault.server, vault("server")],
        ["vault.role", config.vault.role, vault("auth", "kubernetes", "role")],
        ["vault.authMountPath", config.vault.authMountPath, vault("auth", "kubernetes", "mountPath")],
        ["vault.serviceAccountName", config.vault.serviceAccountName, vault("auth", "kubernetes", "serviceAccountRef", "name")],
        ["vault.kvMount", config.vault.kvMount, vault("path")],
        ["vault.kvVersion", config.vault.kvVersion, vault("version")],
    ];
    return pairs.filter(([, configured, live]) => live !== undefined && live !== configured)
        .map(([key, configured, live]) => ({ key, config: configured, live, source: `${store.label} spec.provider.vault`, fixValue: { value: live } }));
}

function externalSecretRows(config: StackConfig, external: Located | undefined): Row[] {
    if (external === undefined) {
        return [];
    }
    const rows: Row[] = [];
    const data = valueAt(external.object, "spec", "data");
    const dataFrom = valueAt(external.object, "spec", "dataFrom");
    const keys = [
        ...(Array.isArray(data) ? data.map((entry: unknown) => stringAt(entry, "remoteRef", "key")) : []),
        ...(Array.isArray(dataFrom) ? dataFrom.map((entry: unknown) => stringAt(entry, "extract", "key")) : []),
    ].filter((key): key is string => key !== undefined);
    const paths = [...new Set(keys)].sort();
    if (paths.length > 0 && (paths.length !== 1 || paths[0] !== config.vault.githubAppSecretPath)) {
        rows.push({ key: "vault.githubAppSecretPath", config: config.vault.githubAppSecretPath, live: paths.join(", "), source: `${external.label} spec.data[].remoteRef.key`,
            ...(paths.length === 1 ? { fixValue: { value: paths[0] } } : {}) });
    }
    const refresh = stringAt(external.object, "spec", "refreshInterval");
    if (refresh !== undefined && !sameDuration(refresh, config.vault.refreshInterval)) {
        rows.push({ key: "vault.refreshInterval", config: config.vault.refreshInterval, live: refresh, source: `${external.label} spec.refreshInterval`, fixValue: { value: refresh } });
    }
    return rows;
}

function resultsRows(config: StackConfig, facts: LiveFacts): Row[] {
    const rows: Row[] = [];
    const db = facts.dbInstance;
    if (db !== undefined) {
        const results = config.results;
        const major = db.instance.EngineVersion?.split(".")[0];
        const pairs: readonly (readonly [string, unknown, unknown, string, unknown])[] = [
            ["results.instanceClass", results.instanceClass, db.instance.DBInstanceClass, "DBInstanceClass", db.instance.DBInstanceClass],
            ["results.allocatedStorage", results.allocatedStorage, db.instance.AllocatedStorage, "AllocatedStorage", db.instance.AllocatedStorage],
            ["results.maxAllocatedStorage", results.maxAllocatedStorage, db.instance.MaxAllocatedStorage, "MaxAllocatedStorage", db.instance.MaxAllocatedStorage],
            ["results.engineVersion", results.engineVersion, db.instance.EngineVersion, "EngineVersion", major],
            ["results.multiAz", results.multiAz, db.instance.MultiAZ, "MultiAZ", db.instance.MultiAZ],
            ["results.backupRetentionDays", results.backupRetentionDays, db.instance.BackupRetentionPeriod, "BackupRetentionPeriod", db.instance.BackupRetentionPeriod],
            ["results.deletionProtection", results.deletionProtection, db.instance.DeletionProtection, "DeletionProtection", db.instance.DeletionProtection],
        ];
        for (const [key, configured, live, field, comparable] of pairs) {
            if (live !== undefined && comparable !== configured) {
                rows.push({ key, config: configured, live, source: `${db.label} ${field}`, fixValue: { value: comparable } });
            }
        }
    }
    const logGroup = facts.postgresLogGroup;
    if (logGroup !== undefined && logGroup.retentionInDays !== config.results.logRetentionDays) {
        rows.push({ key: "results.logRetentionDays", config: config.results.logRetentionDays, live: logGroup.retentionInDays ?? null, source: `${logGroup.label} retentionInDays`,
            ...(logGroup.retentionInDays === undefined ? {} : { fixValue: { value: logGroup.retentionInDays } }) });
    }
    return rows;
}

/** Every key whose live value differs, sorted by key. */
export function configMismatches(settings: StackSettings, config: StackConfig, facts: LiveFacts): ConfigMismatch[] {
    const rows = [...operatorRows(config, facts), ...ingressRows(config, facts), ...secretStoreRows(config, facts.secretStore), ...externalSecretRows(config, facts.externalSecret),
        ...resultsRows(config, facts)];
    return rows
        .map((row) => ({
            key: row.key,
            config: row.config ?? null,
            live: row.live ?? null,
            source: row.source,
            fix: row.fixValue === undefined ? "none: set it by hand to what should run" : fixFor(settings, row.key, row.fixValue.value),
        }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}
