#!/usr/bin/env bash
# Everything `npm test` and `npm start` need, installed by the project itself, idempotent:
#   unit: npm dependencies and the compiled package.
#   all:  also Debian packages, the Pulumi CLI and the lab image (the lab scripts install their own packages).
set -euo pipefail
scope="${1:-all}"
cd "$(dirname "$0")/../.."

fail() { echo "prepare: $*" >&2; exit 1; }

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
[ "$node_major" -ge 20 ] || fail "Node.js 20 or newer is required (found $(node --version 2>/dev/null || echo none)); install it from your distribution or nodejs.org"

# npm dependencies: reinstall when the lockfile changed since the last install.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "prepare: installing npm dependencies" >&2
  npm ci --no-audit --no-fund >&2
fi
npm run --silent build >&2
# The root Pulumi.yaml runs examples/quickstart, which imports this package by name as a user's
# program would: link the package into its own node_modules.
[ -e node_modules/pulumi-glusterfs ] || ln -s .. node_modules/pulumi-glusterfs

[ "$scope" = unit ] && exit 0

[ "$(id -u)" = 0 ] || fail "the lab and e2e tiers need root (QEMU, network namespaces, FUSE mounts). Run as root, or run 'npm run test:unit' for the tier without VMs."

# The Pulumi CLI is not on npm; build a pinned one from the Go module proxy when none is on PATH.
if ! command -v go >/dev/null 2>&1 && [ ! -x /usr/local/go/bin/go ]; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "prepare: installing Go from Debian to bootstrap the pinned Go toolchain" >&2
    apt-get update -qq >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends golang-go ca-certificates >&2
  else
    fail "Go is needed to build the Pulumi CLI; install Go 1.21 or newer"
  fi
fi
bash test/setup/pulumi-cli.sh >/dev/null

# The lab builds (or reuses from its cache) the VM image and installs its own Debian packages.
bash lab/lab.sh prepare
