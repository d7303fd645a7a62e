#!/usr/bin/env bash
# Ensure a pinned Pulumi CLI is available without the internet installer.
# The CLI is not published on npm, so it is built from the Go module proxy
# (the only place besides package registries we may reach) into a cache
# outside the repo. Prints the directory holding the binaries on stdout.
set -euo pipefail

PULUMI_VERSION="${PULUMI_VERSION:-3.259.0}"
# The Node.js language host became a module of its own (without tags) in v3.69; the
# Go module proxy serves no version of that module. The last release that shipped it
# inside sdk/v3 is v3.68.0, and the engine speaks to it through a stable gRPC
# protocol, so we build the language host from there. Everything that runs the
# program (the Node SDK, the dynamic provider host) comes from @pulumi/pulumi on npm.
PULUMI_LANGHOST_SDK_VERSION="${PULUMI_LANGHOST_SDK_VERSION:-3.68.0}"
CACHE="${PULUMI_GLUSTERFS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/pulumi-glusterfs}"
DEST="$CACHE/pulumi-cli/v$PULUMI_VERSION"
BIN="$DEST/bin"

log() { echo "[pulumi-cli] $*" >&2; }

if [ -x "$BIN/pulumi" ] && [ -x "$BIN/pulumi-language-nodejs" ] && [ -x "$BIN/pulumi-resource-pulumi-nodejs" ]; then
  echo "$BIN"
  exit 0
fi

if ! command -v go >/dev/null 2>&1; then
  for candidate in /usr/local/go/bin /usr/lib/go/bin; do
    [ -x "$candidate/go" ] && PATH="$candidate:$PATH"
  done
fi
if ! command -v go >/dev/null 2>&1; then
  log "no Go toolchain found: install Go 1.21 or newer (it fetches the toolchain Pulumi needs from the Go module proxy)"
  exit 1
fi

export GOFLAGS="-modcacherw -buildvcs=false"
export CGO_ENABLED=0
export GOTOOLCHAIN="${GOTOOLCHAIN_OVERRIDE:-auto}"
WORK="$DEST/src"
rm -rf "$WORK"
mkdir -p "$WORK" "$BIN"

log "downloading pulumi v$PULUMI_VERSION modules from the Go module proxy"
module_dir() { (cd "$WORK" && go mod download -json "$1") | sed -n 's/^\s*"Dir": "\(.*\)",\?$/\1/p'; }
SDK_DIR=$(module_dir "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_VERSION")
PKG_DIR=$(module_dir "github.com/pulumi/pulumi/pkg/v3@v$PULUMI_VERSION")
LANG_DIR=$(module_dir "github.com/pulumi/pulumi/sdk/v3@v$PULUMI_LANGHOST_SDK_VERSION")
[ -n "$SDK_DIR" ] && [ -n "$PKG_DIR" ] && [ -n "$LANG_DIR" ] || { log "could not download the Pulumi modules"; exit 1; }

# Lay the modules out as in the Pulumi repository so their replace directives resolve unchanged.
cp -r "$SDK_DIR" "$WORK/sdk"
cp -r "$PKG_DIR" "$WORK/pkg"
cp -r "$LANG_DIR" "$WORK/langhost-sdk"
chmod -R u+w "$WORK"

LDFLAGS="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$PULUMI_VERSION"
log "building pulumi (takes several minutes on 2 cores; cached afterwards)"
(cd "$WORK/pkg" && go build -mod=mod -trimpath -tags osusergo,grpcnotrace -ldflags "$LDFLAGS" -o "$BIN/pulumi.tmp" ./cmd/pulumi)
log "building pulumi-language-nodejs"
(cd "$WORK/langhost-sdk" && go build -mod=mod -trimpath -o "$BIN/pulumi-language-nodejs.tmp" ./nodejs/cmd/pulumi-language-nodejs)
install -m755 "$WORK/sdk/nodejs/dist/pulumi-resource-pulumi-nodejs" "$BIN/pulumi-resource-pulumi-nodejs"
mv "$BIN/pulumi-language-nodejs.tmp" "$BIN/pulumi-language-nodejs"
mv "$BIN/pulumi.tmp" "$BIN/pulumi"
rm -rf "$WORK"
log "installed $("$BIN/pulumi" version) in $BIN"
echo "$BIN"
