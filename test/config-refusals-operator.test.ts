/**
 * The stack config's refusals of the operator's settings, one table row each (the key it names and the one problem it
 * reports): its line, channel and starting CSV, the lines the cluster's OpenShift release offers, the catalog image
 * (pinned by digest) and its poll interval.
 */
import * as assert from "node:assert/strict";
import { itRejectsEach, type Refusal } from "./config-refusal-cases";
import { devObject, parseDev, problemsOf } from "./config-fixtures";

describe("stack config refusals: the operator, its line and its catalog", () => {
    const rejected: ReadonlyArray<Refusal> = [
        {
            what: "a catalog image by tag",
            overrides: { "pipeline-service:operator": devObject("operator", { catalogImage: "quay.io/openshift-pipeline/pipelines-index-4.17:latest" }) },
            key: "pipeline-service:operator.catalogImage", says: /pinned by digest/,
        },
        {
            what: "a starting CSV of an unsupported OpenShift Pipelines line",
            overrides: { "pipeline-service:operator": devObject("operator", { startingCsv: "openshift-pipelines-operator-rh.v1.14.3" }) },
            key: "pipeline-service:operator.startingCsv", says: /must be a CSV of a supported line: openshift-pipelines-operator-rh\.v1\.20\.<patch>/,
        },
        {
            what: "a registry poll interval of 0s",
            overrides: { "pipeline-service:operator": devObject("operator", { registryPollInterval: "0s" }) },
            key: "pipeline-service:operator.registryPollInterval", says: /between 1m and 24h/,
        },
        {
            what: "a prod stack on no operator line",
            overrides: {
                "pipeline-service:environment": "prod", "pipeline-service:rollout": { ring: 1 },
                "pipeline-service:observability": { alarmTopicArn: "arn:aws:sns:us-east-1:123456789012:alerts" },
            },
            key: "pipeline-service:operator.line", says: /^is required in prod: the OpenShift Pipelines line this cluster runs \(1\.20, 1\.21, 1\.22\)/,
        },
        {
            what: "an operator line that is not supported",
            overrides: { "pipeline-service:operator": devObject("operator", { line: "1.19" }) },
            key: "pipeline-service:operator.line", says: /^must be one of "1\.20", "1\.21", "1\.22"$/,
        },
        {
            what: "an operator line written as a YAML number (1.20 is 1.2)",
            overrides: { "pipeline-service:operator": devObject("operator", { line: 1.2 }) },
            key: "pipeline-service:operator.line", says: /\(a string: quote it, e\.g\. "1\.20"\)$/,
        },
        {
            what: "a pinned line on the latest channel",
            overrides: { "pipeline-service:operator": devObject("operator", { line: "1.21", channel: "latest" }) },
            key: "pipeline-service:operator.channel", says: /^must be pipelines-1\.21 \(or unset\) for operator\.line 1\.21: latest would let a catalog update move/,
        },
        {
            what: "a pinned line on another line's channel",
            overrides: { "pipeline-service:operator": devObject("operator", { line: "1.21", channel: "pipelines-1.22" }) },
            key: "pipeline-service:operator.channel", says: /^must be pipelines-1\.21 \(or unset\) for operator\.line 1\.21: a channel of another line installs that line$/,
        },
        {
            what: "the channel of an unsupported line",
            overrides: { "pipeline-service:operator": devObject("operator", { channel: "pipelines-1.19" }) },
            key: "pipeline-service:operator.channel", says: /^is no supported line's channel \(pipelines-1\.20, pipelines-1\.21, pipelines-1\.22\)$/,
        },
        {
            what: "a starting CSV of another line",
            overrides: { "pipeline-service:operator": devObject("operator", { line: "1.21", startingCsv: "openshift-pipelines-operator-rh.v1.20.1" }) },
            key: "pipeline-service:operator.startingCsv", says: /^must be a CSV of line 1\.21 \(openshift-pipelines-operator-rh\.v1\.21\.<patch>\)/,
        },
        {
            what: "a starting CSV of another line than the channel's",
            overrides: { "pipeline-service:operator": devObject("operator", { channel: "pipelines-1.22", startingCsv: "openshift-pipelines-operator-rh.v1.21.3" }) },
            key: "pipeline-service:operator.startingCsv", says: /^must be a CSV of line 1\.22/,
        },
        {
            what: "a line the cluster's OpenShift catalogs do not offer",
            overrides: { "pipeline-service:operator": devObject("operator", { line: "1.20" }), "pipeline-service:cluster": { openshiftVersion: "4.22" } },
            key: "pipeline-service:operator.line", says: /^is not offered by the catalogs of OpenShift 4\.22 \(cluster\.openshiftVersion\): they offer 1\.21, 1\.22$/,
        },
        {
            what: "a channel whose line the cluster's catalogs do not offer",
            overrides: { "pipeline-service:operator": devObject("operator", { channel: "pipelines-1.21" }), "pipeline-service:cluster": { openshiftVersion: "5.0" } },
            key: "pipeline-service:operator.channel", says: /^follows line 1\.21, which is not offered by the catalogs of OpenShift 5\.0 \(cluster\.openshiftVersion\): they offer 1\.22$/,
        },
        {
            what: "an OpenShift release no supported line is offered on",
            overrides: { "pipeline-service:cluster": { openshiftVersion: "4.12" } },
            key: "pipeline-service:cluster.openshiftVersion", says: /^is a release whose catalogs offer no supported line: supported lines are offered on OpenShift 4\.18, 4\.19, 4\.20, 4\.21, 4\.22, 4\.23, 5\.0$/,
        },
        {
            what: "an OpenShift version that is no minor release",
            overrides: { "pipeline-service:cluster": { openshiftVersion: "4.22.3" } },
            key: "pipeline-service:cluster.openshiftVersion", says: /such as 4\.22/,
        },
    ];

    itRejectsEach(rejected);

    const digest = `sha256:${"0123456789abcdef".repeat(4)}`;
    for (const image of [
        "quay.io/openshift-pipeline/pipelines-index-4.17:latest",
        "quay.io/openshift-pipeline/pipelines-index-4.17:v4.17",
        "quay.io/openshift-pipeline/pipelines-index-4.17",
        `quay.io/openshift-pipeline/pipelines-index-4.17@sha256:${"0".repeat(63)}`,
        `quay.io/openshift-pipeline/pipelines-index-4.17@sha256:${"A".repeat(64)}`,
        `quay.io/openshift-pipeline/pipelines-index-4.17@${digest}:latest`,
    ]) {
        it(`rejects a catalog image not pinned by digest: ${image.slice(-24)}`, () => {
            const error = problemsOf(() => parseDev({ "pipeline-service:operator": devObject("operator", { catalogImage: image }) }));
            assert.deepEqual(error.problems.map((problem) => [problem.key, problem.message]),
                [["pipeline-service:operator.catalogImage", "must be an index image pinned by digest (registry/repo@sha256:<64 hex>), not a tag"]]);
        });
    }
});
