#!/usr/bin/env bash
# Installs the real Milvus Operator and a real S3-compatible store for the end-to-end tests, `make
# run` and `make bench`, both built from Go modules at the versions in .ci/versions.env. Cached
# outside the repo; a second run is a no-op. Prints the cache dir last (everything else goes to
# stderr), so callers can do DIR=$(.ci/install-operator.sh). In it:
#   bin/milvus-operator   the operator (github.com/zilliztech/milvus-operator, main package)
#   bin/versitygw         Versity S3 Gateway (posix backend: buckets are directories)
#   module-dir            the path of the operator's module in the Go module cache: its CRDs,
#                         webhook manifests and config templates are read from there, never copied
#
# `go install github.com/zilliztech/milvus-operator@VERSION` is refused here: it reads the
# module's version list for deprecations, and the proxy answers that list with 403. So a small
# build module requires the operator at its version and `go build`s its main package; the
# operator's own go.mod and go.sum pin every dependency (it has no replace directives).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=versions.env
source .ci/versions.env

BUILD_ID="$MILVUS_OPERATOR_VERSION+versitygw-$VERSITYGW_VERSION"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/milvus-upgrade/operator/$MILVUS_OPERATOR_VERSION"
BIN="$CACHE/bin"

log() { echo "install-operator: $*" >&2; }
fail() { echo "install-operator: error: $*" >&2; exit 1; }

cached() {
  [ -x "$BIN/milvus-operator" ] && [ -x "$BIN/versitygw" ] && [ -d "$(cat "$CACHE/module-dir" 2>/dev/null)" ] \
    && [ "$(cat "$CACHE/BUILD_ID" 2>/dev/null)" = "$BUILD_ID" ]
}

if cached; then
  log "Milvus Operator $MILVUS_OPERATOR_VERSION and versitygw $VERSITYGW_VERSION: cached in $CACHE"
  echo "$CACHE"
  exit 0
fi

mkdir -p "$BIN"
exec 9>"$CACHE/.lock"
if ! flock -n 9; then
  log "another process is installing the operator (it holds $CACHE/.lock); waiting for it"
  flock 9
fi
if cached; then echo "$CACHE"; exit 0; fi

command -v go >/dev/null 2>&1 || PATH="/usr/local/go/bin:$PATH"
command -v go >/dev/null 2>&1 || fail "no Go toolchain: install Go >= 1.25 (the operator's go.mod asks for it)"
log "first run: building Milvus Operator $MILVUS_OPERATOR_VERSION and versitygw $VERSITYGW_VERSION from the Go module proxy (5 to 15 minutes on 2 cores; once, cached in $CACHE)"
START=$SECONDS
(while sleep 30; do log "still building ($((SECONDS - START)) s so far)"; done) &
HEARTBEAT=$!
trap 'kill $HEARTBEAT 2>/dev/null || true' EXIT

# The Go module and build caches the control plane uses too, under ~/.cache/milvus-upgrade: the
# operator's module (its CRDs and templates, read from there) lives in the project's cache.
GO_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/milvus-upgrade/go"
export GOMODCACHE="$GO_CACHE/mod" GOCACHE="$GO_CACHE/build"
BUILD="$CACHE/build"
mkdir -p "$BUILD"
cat > "$BUILD/go.mod" <<MOD
module milvus-upgrade.local/operator-build

go 1.25

require github.com/zilliztech/milvus-operator $MILVUS_OPERATOR_VERSION
MOD
rm -f "$BUILD/go.sum"
log "building github.com/zilliztech/milvus-operator@$MILVUS_OPERATOR_VERSION"
(cd "$BUILD" && GOFLAGS=-buildvcs=false go build -mod=mod -o "$BIN/milvus-operator.tmp" github.com/zilliztech/milvus-operator >&2) \
  || fail "building the operator failed"
mv -f "$BIN/milvus-operator.tmp" "$BIN/milvus-operator"
MODULE_DIR=$(cd "$BUILD" && go list -mod=mod -m -f '{{.Dir}}' github.com/zilliztech/milvus-operator)
[ -f "$MODULE_DIR/config/crd/bases/milvus.io_milvuses.yaml" ] || fail "no CRDs in the operator's module at $MODULE_DIR"
echo "$MODULE_DIR" > "$CACHE/module-dir"
log "operator built at $((SECONDS - START)) s; its module: $MODULE_DIR"

log "building github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION"
GOBIN="$BIN" GOFLAGS=-buildvcs=false go install "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION" >&2 \
  || fail "building versitygw failed"
"$BIN/versitygw" --version >/dev/null 2>&1 || fail "the built versitygw does not run"
echo "$BUILD_ID" > "$CACHE/BUILD_ID.tmp" && mv -f "$CACHE/BUILD_ID.tmp" "$CACHE/BUILD_ID"
log "ready in $CACHE after $((SECONDS - START)) s"
echo "$CACHE"
