#!/usr/bin/env bash
# `npm run pulumi -- ARGS`: the pinned Pulumi CLI, run inside the lab's network namespace (where
# the nodes are), with the demo's local file backend and passphrase. No service login, offline.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CACHE="${PULUMI_GLUSTERFS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-glusterfs}"
BIN="$(bash "$ROOT/test/setup/pulumi-cli.sh")"
mkdir -p "$CACHE/demo-state" "$CACHE/demo-home"
export PATH="$BIN:$PATH"
export PULUMI_HOME="${PULUMI_HOME:-$CACHE/demo-home}"
export PULUMI_BACKEND_URL="${PULUMI_BACKEND_URL:-file://$CACHE/demo-state}"
export PULUMI_CONFIG_PASSPHRASE="${PULUMI_CONFIG_PASSPHRASE:-pulumi-glusterfs-demo}"
export PULUMI_SKIP_UPDATE_CHECK=true PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
cd "$ROOT"
NS="$(bash lab/lab.sh status --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).namespace))')"
exec ip netns exec "$NS" pulumi "$@"
