#!/usr/bin/env bash
# Gives the tests and `make run` a real kube-apiserver, etcd and kubectl, built from Go modules
# at the versions .ci/versions.env pins: the Go module proxy is the only source. Everything is
# cached outside the repo, the module and build caches too, so a second run is a no-op and a
# rebuild downloads nothing. Prints the bin dir last (everything else goes to stderr), so callers
# can do BIN=$(.ci/install-control-plane.sh).
#
# k8s.io/kubernetes is not meant to be imported: its go.mod points each staging module
# (k8s.io/api, k8s.io/apiserver, ...) at ./staging, which its module zip leaves out. The build
# module made here replaces each of them with the published v0.MINOR.PATCH of the same release,
# the list read from that go.mod itself. Module hashes are checked against the checksum database
# (through the proxy), so a cold build is the same build on every machine.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=versions.env
source .ci/versions.env

STAGING_VERSION="v0.${KUBERNETES_VERSION#v1.}"
# Bump the recipe's tail when the way of building changes, so older cached binaries are rebuilt.
BUILD_ID="kubernetes-$KUBERNETES_VERSION+etcd-$ETCD_VERSION+$GO_TOOLCHAIN+trimpath-s-w"
ROOT="${XDG_CACHE_HOME:-$HOME/.cache}/milvus-upgrade"
CACHE="$ROOT/control-plane/$KUBERNETES_VERSION"
BIN="$CACHE/bin"
BINARIES=(kube-apiserver etcd kubectl)

log() { echo "install-control-plane: $*" >&2; }
fail() { echo "install-control-plane: error: $*" >&2; exit 1; }

have_all() {
  [ "$(cat "$BIN/.build-id" 2>/dev/null)" = "$BUILD_ID" ] || return 1
  local b
  for b in "${BINARIES[@]}"; do [ -x "$BIN/$b" ] || return 1; done
}

if have_all; then
  log "kube-apiserver and kubectl $KUBERNETES_VERSION, etcd $ETCD_VERSION: cached in $BIN"
  echo "$BIN"
  exit 0
fi

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
if ! flock -n 9; then
  log "another process is building the control plane (it holds $CACHE/.lock); waiting for it"
  flock 9
fi
if have_all; then log "cached in $BIN (built by the other process)"; echo "$BIN"; exit 0; fi

command -v go >/dev/null 2>&1 || fail "no go command on PATH: install Go 1.21 or later (it fetches $GO_TOOLCHAIN itself)"

# The module and build caches live beside the binaries, not in ~/go, so that this cache alone
# decides whether anything is downloaded. GOFLAGS from the caller would change the build.
export GOMODCACHE="$ROOT/go/mod" GOCACHE="$ROOT/go/build" GOTOOLCHAIN="$GO_TOOLCHAIN" GOFLAGS="" CGO_ENABLED=0
log "first run: building kube-apiserver and kubectl $KUBERNETES_VERSION and etcd $ETCD_VERSION from Go modules with $GO_TOOLCHAIN (once, cached in $CACHE; Go's caches in $ROOT/go)"

WORK=$(mktemp -d /tmp/control-plane-build.XXXXXX)
HEARTBEAT=""
cleanup() {
  [ -z "$HEARTBEAT" ] || kill "$HEARTBEAT" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# Runs one step with its output in a log, shown only when it fails, and a line every 30 s, so
# that a long quiet step does not look hung.
step() {
  local name=$1; shift
  local start=$SECONDS output="$WORK/step.log"
  log "$name"
  # Not on stdout, which a caller's $(...) reads to its end: a sleep left over would hold it open.
  (while sleep 30; do log "  still $name ($((SECONDS - start)) s so far)"; done) >/dev/null &
  HEARTBEAT=$!
  "$@" >"$output" 2>&1 || { kill "$HEARTBEAT"; HEARTBEAT=""; tail -n 40 "$output" >&2; fail "$name failed"; }
  kill "$HEARTBEAT" 2>/dev/null || true
  HEARTBEAT=""
  log "  done in $((SECONDS - start)) s"
}

cd "$WORK"
go version >&2 || fail "go cannot run $GO_TOOLCHAIN (it fetches it from the module proxy when the installed Go is another version)"
cat > go.mod <<EOF
module milvus-upgrade.local/control-plane

go 1.26.0
EOF
step "resolving k8s.io/kubernetes@$KUBERNETES_VERSION" \
  go mod download k8s.io/kubernetes@"$KUBERNETES_VERSION"
K8S_GOMOD=$(go mod download -json k8s.io/kubernetes@"$KUBERNETES_VERSION" | sed -n 's/^\s*"GoMod": "\(.*\)",$/\1/p')
[ -f "$K8S_GOMOD" ] || fail "no go.mod for k8s.io/kubernetes@$KUBERNETES_VERSION"
STAGING=$(sed -n 's#^\s*\(k8s.io/[a-z0-9-]*\) => \./staging/src/.*#\1#p' "$K8S_GOMOD")
[ "$(wc -w <<<"$STAGING")" -ge 20 ] || fail "found only $(wc -w <<<"$STAGING") staging modules in $K8S_GOMOD"
for module in $STAGING; do
  go mod edit -replace="$module=$module@$STAGING_VERSION"
done

PACKAGES=(k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kubectl go.etcd.io/etcd/server/v3)
step "fetching the modules kube-apiserver, kubectl and etcd need (from the module cache when warm: no network)" \
  go get k8s.io/kubernetes/cmd/kube-apiserver@"$KUBERNETES_VERSION" k8s.io/kubernetes/cmd/kubectl@"$KUBERNETES_VERSION" \
    go.etcd.io/etcd/server/v3@"$ETCD_VERSION"
RESOLVED_ETCD=$(go list -m -f '{{.Version}}' go.etcd.io/etcd/server/v3)
[ "$RESOLVED_ETCD" = "$ETCD_VERSION" ] || fail "etcd resolved to $RESOLVED_ETCD, not $ETCD_VERSION: Kubernetes $KUBERNETES_VERSION needs another etcd; update .ci/versions.env"

# What Kubernetes' own build stamps (hack/lib/version.sh), so that /version and kubectl version
# report the release rather than v0.0.0-master.
MINOR=${KUBERNETES_VERSION#v1.}; MINOR=${MINOR%%.*}
LDFLAGS="-s -w"
for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
  LDFLAGS+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$MINOR -X $pkg.gitTreeState=clean"
done
mkdir -p "$WORK/out"
# No race detector, no debug info, no VCS stamping: the quickest build on 2 cores.
step "compiling kube-apiserver, kubectl and etcd (the slow part)" \
  go build -trimpath -ldflags="$LDFLAGS" -o "$WORK/out/" "${PACKAGES[@]}"
# Go names a binary built from go.etcd.io/etcd/server/v3 after "server".
mv "$WORK/out/server" "$WORK/out/etcd"

mkdir -p "$BIN"
rm -f "$BIN/.build-id"
for b in "${BINARIES[@]}"; do
  cp "$WORK/out/$b" "$BIN/.$b.tmp" && mv -f "$BIN/.$b.tmp" "$BIN/$b" || fail "installing $b into $BIN failed"
done
echo "$BUILD_ID" > "$BIN/.build-id.tmp" && mv -f "$BIN/.build-id.tmp" "$BIN/.build-id"
have_all || fail "control plane incomplete in $BIN"
log "ready in $BIN after $SECONDS s: $("$BIN/kube-apiserver" --version), etcd $("$BIN/etcd" --version | sed -n 's/^etcd Version: //p'), kubectl $("$BIN/kubectl" version --client -o json | sed -n 's/.*"gitVersion": "\(.*\)",/\1/p')"
echo "$BIN"
