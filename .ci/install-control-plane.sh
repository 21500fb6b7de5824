#!/usr/bin/env bash
# Gives the tests and `make run` a real kube-apiserver and etcd without internet: Kubernetes
# v1.20.2 is built from Debian bookworm's own source package, etcd comes from Debian's etcd-server.
# Everything is cached outside the repo; a second run is a no-op. Prints the bin dir last
# (everything else goes to stderr), so callers can do BIN=$(.ci/install-control-plane.sh).
#
# Go 1.19 (bookworm's) vs Kubernetes 1.20's vendored github.com/modern-go/reflect2 v1.0.1: the
# apiserver builds, then segfaults (runtime.mapiterinit) when it decodes a custom resource. The
# vendored reflect2 is replaced with Debian's 1.0.2, which supports Go >= 1.18.
#
# Go >= 1.16 vs the vendored k8s.io/kube-openapi validator: its type check took a value for null
# when reflect.DeepEqual(reflect.Zero(T), reflect.ValueOf(v)) held. That compares two
# reflect.Value headers, which never matched before Go 1.16; since then reflect.Zero and a
# decoded "" both point at the runtime's shared zero value, so every "" in a custom resource, and
# every `default: ""` in a CRD schema, failed with `Invalid value: "null"`. The check is cut down
# to `data == nil`, the upstream fix (kube-openapi #230, Kubernetes 1.21; kubernetes#99804).
set -euo pipefail

K8S_VERSION=v1.20.2
# Bump when the build recipe changes, so cached binaries from an older recipe are rebuilt.
BUILD_ID="$K8S_VERSION+reflect2-1.0.2+openapi-nil-check"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/milvus-upgrade/control-plane/$K8S_VERSION"
BIN="$CACHE/bin"

log() { echo "install-control-plane: $*" >&2; }
fail() { echo "install-control-plane: error: $*" >&2; exit 1; }

apiserver_ok() {
  [ -x "$BIN/kube-apiserver" ] && [ "$(cat "$BIN/.build-id" 2>/dev/null)" = "$BUILD_ID" ]
}
have_all() {
  apiserver_ok && [ -x "$BIN/etcd" ] && command -v kubectl >/dev/null 2>&1
}

if have_all; then
  log "kube-apiserver $K8S_VERSION and etcd: cached in $BIN"
  echo "$BIN"
  exit 0
fi

[ "$(id -u)" = 0 ] || fail "needs root for apt-get to install golang-go etcd-server rsync golang-github-modern-go-reflect2-dev kubernetes-client"
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
if ! flock -n 9; then
  log "another process is installing the control plane (it holds $CACHE/.lock); waiting for it (up to 6 minutes)"
  flock 9
fi
if have_all; then log "cached in $BIN (built by the other process)"; echo "$BIN"; exit 0; fi
log "first run: installing Debian packages and building kube-apiserver $K8S_VERSION from source, offline (4 to 6 minutes on 2 cores; once, cached in $CACHE)" 

export DEBIAN_FRONTEND=noninteractive
SRC_LIST=/etc/apt/sources.list.d/milvus-upgrade-deb-src.sources
if [ ! -f "$SRC_LIST" ]; then
  log "adding a deb-src entry for bookworm main ($SRC_LIST)"
  cat > "$SRC_LIST" <<'SOURCES'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
fi
log "apt-get update"
apt-get update -qq >&2 || fail "apt-get update failed"

PACKAGES=(golang-go etcd-server rsync golang-github-modern-go-reflect2-dev)
command -v make >/dev/null 2>&1 || PACKAGES+=(make)
# kubectl: keep whatever is on PATH; otherwise Debian's kubernetes-client (kubectl v1.20.2, matching).
command -v kubectl >/dev/null 2>&1 || PACKAGES+=(kubernetes-client)

WORK=""
OWN_POLICY=""
cleanup() {
  if [ -n "$OWN_POLICY" ]; then rm -f /usr/sbin/policy-rc.d; fi
  if [ -n "$WORK" ]; then rm -rf "$WORK"; fi
  rm -f "$BIN/.kube-apiserver.tmp"
}
trap cleanup EXIT

log "installing ${PACKAGES[*]}"
# etcd-server's postinst may try to start a service; there is no init system here, so forbid it.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
  OWN_POLICY=1
fi
apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" </dev/null >&2 \
  || fail "apt-get install ${PACKAGES[*]} failed"
command -v kubectl >/dev/null 2>&1 || fail "kubectl is not installed and Debian's kubernetes-client did not provide it"

if ! apiserver_ok; then
  WORK=$(mktemp -d /tmp/kube-build.XXXXXX)
  log "downloading Debian's kubernetes source package"
  (cd "$WORK" && apt-get source --download-only kubernetes >&2) || fail "apt-get source kubernetes failed"
  TARBALL=$(compgen -G "$WORK/kubernetes_*.orig.tar.gz" | head -n1 || true)
  [ -n "$TARBALL" ] && [ -f "$TARBALL" ] || fail "no kubernetes orig tarball downloaded"
  mkdir -p "$WORK/.go/src/k8s.io"
  tar -xzf "$TARBALL" -C "$WORK" || fail "unpacking $TARBALL failed"
  TREE=$(find "$WORK" -maxdepth 1 -type d -name 'kubernetes*' | head -n1)
  [ -d "$TREE/vendor" ] || fail "unpacked tree has no vendor/ directory"
  REFLECT2=/usr/share/gocode/src/github.com/modern-go/reflect2
  [ -f "$REFLECT2/go_above_118.go" ] || fail "$REFLECT2 is not reflect2 >= 1.0.2"
  rm -rf "$TREE/vendor/github.com/modern-go/reflect2"
  cp -rL "$REFLECT2" "$TREE/vendor/github.com/modern-go/reflect2" || fail "replacing vendored reflect2 failed"
  TYPE_GO="$TREE/vendor/k8s.io/kube-openapi/pkg/validation/validate/type.go"
  ZERO_CHECK='if data == nil || reflect.DeepEqual(reflect.Zero(reflect.TypeOf(data)), reflect.ValueOf(data)) {'
  [ "$(grep -cF "$ZERO_CHECK" "$TYPE_GO")" = 1 ] || fail "$TYPE_GO: the zero-value check to patch is not there once"
  sed -i 's/^\(\s*\)if data == nil || reflect\.DeepEqual(reflect\.Zero(reflect\.TypeOf(data)), reflect\.ValueOf(data)) {$/\1if data == nil {/' "$TYPE_GO"
  ! grep -qF "$ZERO_CHECK" "$TYPE_GO" || fail "patching the zero-value check in $TYPE_GO failed"
  ln -s "$TREE" "$WORK/.go/src/k8s.io/kubernetes"
  log "building kube-apiserver $K8S_VERSION (the slow part: 4 to 5 minutes on 2 cores)"
  BUILD_START=$SECONDS
  # A line every 30 s, so that a long quiet build does not look hung.
  (while sleep 30; do log "still building kube-apiserver ($((SECONDS - BUILD_START)) s so far)"; done) &
  HEARTBEAT=$!
  (cd "$WORK/.go/src/k8s.io/kubernetes" && \
    GOPATH="$WORK/.go" GOCACHE="$WORK/.gocache" CGO_ENABLED=0 GO111MODULE=off GOFLAGS= \
    KUBE_GIT_VERSION="$K8S_VERSION" KUBE_GIT_TREE_STATE=clean \
    make WHAT=cmd/kube-apiserver >&2) || { kill "$HEARTBEAT"; fail "building kube-apiserver failed"; }
  kill "$HEARTBEAT" 2>/dev/null || true
  log "kube-apiserver built in $((SECONDS - BUILD_START)) s"
  OUT=$(find "$TREE/_output" -type f -name kube-apiserver -perm -u+x | head -n1)
  [ -x "$OUT" ] || fail "kube-apiserver binary not found after the build"
  mkdir -p "$BIN"
  rm -f "$BIN/.build-id"
  cp "$OUT" "$BIN/.kube-apiserver.tmp" && mv -f "$BIN/.kube-apiserver.tmp" "$BIN/kube-apiserver" \
    || fail "installing kube-apiserver into $BIN failed"
  echo "$BUILD_ID" > "$BIN/.build-id.tmp" && mv -f "$BIN/.build-id.tmp" "$BIN/.build-id"
fi
mkdir -p "$BIN"
ETCD=$(command -v etcd || true)
[ -n "$ETCD" ] || ETCD=/usr/bin/etcd
[ -x "$ETCD" ] || fail "etcd not found after installing etcd-server"
ln -sf "$ETCD" "$BIN/etcd"
have_all || fail "control plane incomplete in $BIN"
log "ready in $BIN after $SECONDS s"
echo "$BIN"
