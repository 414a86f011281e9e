#!/usr/bin/env bash
# Server-side policy enforcement on a Pulumi Cloud backend: publishes the pack in policy/ to the organization and
# enables it, with each environment's policy config, for the policy group named after that environment. Pulumi Cloud
# then runs the pack on every `pulumi preview` and `pulumi up` of every stack in the group, whoever runs it and
# whatever flags they pass (docs/operations.md, "Policy enforcement", says how stacks join the groups).
#
#   tools/policy-publish.sh <org> [--dry-run]      (DRY_RUN=1 does the same as --dry-run)
#
# --dry-run prints the commands instead of running them, and needs no Pulumi CLI nor login.
#
# The flags are the CLI's own (pulumi/pulumi pkg/cmd/pulumi/policy/policy_publish.go: `publish [org-name]`, run in
# the pack's directory; policy_enable.go: `enable <org-name>/<policy-pack-name> <latest|version>` with
# `--policy-group` and `--config`, the file path of the pack's configuration).
set -euo pipefail

usage() {
    echo "usage: tools/policy-publish.sh <org> [--dry-run]" >&2
    exit 2
}

org=""
dry_run=${DRY_RUN:-0}
for arg in "$@"; do
    case "$arg" in
        --dry-run) dry_run=1 ;;
        -h | --help) usage ;;
        -*) echo "unknown option: $arg" >&2; usage ;;
        *)
            if [ -n "$org" ]; then usage; fi
            org=$arg
            ;;
    esac
done
if [ -z "$org" ]; then usage; fi
# `pulumi policy publish` refuses an organization name with a slash; refuse anything a shell could misread too.
if ! [[ "$org" =~ ^[A-Za-z0-9][A-Za-z0-9_.-]*$ ]]; then
    echo "unexpected organization name: $org" >&2
    exit 2
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

# The pack's name is POLICY_PACK_NAME (policy/policies.ts) and its version the pack's package.json version, which
# Pulumi Cloud takes as the published version (https://www.pulumi.com/tutorials/custom-policy-pack/publish-and-enforce-policy-pack/):
# enabling that exact version, not `latest`, keeps a later publish from changing enforcement by itself.
pack=$(sed -nE 's/^export const POLICY_PACK_NAME = "([^"]+)";$/\1/p' policy/policies.ts)
version=$(sed -nE 's/^  "version": "([^"]+)",?$/\1/p' policy/package.json)
if [ -z "$pack" ] || [ -z "$version" ]; then
    echo "cannot read the pack's name (policy/policies.ts) or version (policy/package.json)" >&2
    exit 1
fi

shopt -s nullglob
configs=(policy/config/*.json)
if [ "${#configs[@]}" -eq 0 ]; then
    echo "no policy/config/<environment>.json" >&2
    exit 1
fi

# Runs a command in a directory of the repository, or prints it (as a line a shell can run) under --dry-run.
run_in() {
    local dir=$1
    shift
    if [ "$dry_run" = 1 ]; then
        local line
        line=$(printf '%q ' "$@")
        if [ "$dir" = . ]; then echo "${line% }"; else echo "(cd $dir && ${line% })"; fi
    else
        (cd "$dir" && "$@")
    fi
}

# publish reads the pack from the working directory. Publishing a version that already exists fails: bump
# policy/package.json's version with every change to the pack.
run_in policy pulumi policy publish "$org"
for config in "${configs[@]}"; do
    environment=$(basename "$config" .json)
    run_in . pulumi policy enable "$org/$pack" "$version" --policy-group "$environment" --config "$config"
done
