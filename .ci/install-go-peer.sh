#!/usr/bin/env bash
# The Go peer `make bench` measures ours against: Kubernetes' own e2e sample webhook,
# `agnhost webhook` (its /mutating-custom-resource), built from the same Debian bookworm source
# package as the control plane's kube-apiserver (Kubernetes v1.20.2, bookworm's Go 1.19), offline.
# Cached outside the repo; a second run prints only the binary's path. Prints the binary's path
# last (everything else goes to stderr), so callers can do AGNHOST=$(.ci/install-go-peer.sh).
#
# Two changes to the source, neither on the request path:
# - the vendored github.com/modern-go/reflect2 v1.0.1 is replaced with Debian's 1.0.2, as for
#   the kube-apiserver (install-control-plane.sh says why: v1.0.1 crashes under Go >= 1.18, and
#   the webhook decodes every review through json-iterator, which uses it);
# - the server listens on 127.0.0.1 rather than every interface, as the bench's own server does.
set -euo pipefail

K8S_VERSION=v1.20.2
# Bump when the build recipe changes, so a cached binary from an older recipe is rebuilt.
BUILD_ID="$K8S_VERSION+agnhost+reflect2-1.0.2+loopback"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/milvus-upgrade/go-peer/$K8S_VERSION"
AGNHOST="$CACHE/agnhost"

log() { echo "install-go-peer: $*" >&2; }
fail() { echo "install-go-peer: error: $*" >&2; exit 1; }

cached() {
  [ -x "$AGNHOST" ] && [ "$(cat "$CACHE/BUILD_ID" 2>/dev/null)" = "$BUILD_ID" ]
}

if cached; then echo "$AGNHOST"; exit 0; fi

mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
if ! flock -n 9; then
  log "another process is building the Go peer (it holds $CACHE/.lock); waiting for it"
  flock 9
fi
if cached; then echo "$AGNHOST"; exit 0; fi

[ "$(id -u)" = 0 ] || fail "needs root for apt-get (golang-go, golang-github-modern-go-reflect2-dev, the kubernetes source package)"
log "first run: building agnhost from Debian's kubernetes $K8S_VERSION source package (2 to 4 minutes on 2 cores; once, cached in $CACHE)"
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
PACKAGES=(golang-go golang-github-modern-go-reflect2-dev)
if ! dpkg -s "${PACKAGES[@]}" >/dev/null 2>&1 || ! apt-cache showsrc kubernetes >/dev/null 2>&1; then
  log "apt-get update; installing ${PACKAGES[*]}"
  apt-get update -qq >&2 || fail "apt-get update failed"
  apt-get install -y -qq --no-install-recommends "${PACKAGES[@]}" </dev/null >&2 || fail "apt-get install ${PACKAGES[*]} failed"
fi

WORK=$(mktemp -d /tmp/go-peer-build.XXXXXX)
trap 'rm -rf "$WORK"; rm -f "$AGNHOST.tmp"' EXIT
log "downloading Debian's kubernetes source package"
(cd "$WORK" && apt-get source --download-only kubernetes >&2) || fail "apt-get source kubernetes failed"
TARBALL=$(compgen -G "$WORK/kubernetes_*.orig.tar.gz" | head -n1 || true)
[ -n "$TARBALL" ] || fail "no kubernetes orig tarball downloaded"
tar -xzf "$TARBALL" -C "$WORK" || fail "unpacking $TARBALL failed"
TREE=$(find "$WORK" -maxdepth 1 -type d -name 'kubernetes*' | head -n1)
[ -d "$TREE/vendor" ] && [ -d "$TREE/test/images/agnhost" ] || fail "the unpacked tree has no vendor/ or test/images/agnhost"

REFLECT2=/usr/share/gocode/src/github.com/modern-go/reflect2
[ -f "$REFLECT2/go_above_118.go" ] || fail "$REFLECT2 is not reflect2 >= 1.0.2"
rm -rf "$TREE/vendor/github.com/modern-go/reflect2"
cp -rL "$REFLECT2" "$TREE/vendor/github.com/modern-go/reflect2" || fail "replacing the vendored reflect2 failed"

MAIN_GO="$TREE/test/images/agnhost/webhook/main.go"
ADDR='Addr:      fmt.Sprintf(":%d", port),'
[ "$(grep -cF "$ADDR" "$MAIN_GO")" = 1 ] || fail "$MAIN_GO: the listen address to patch is not there once"
sed -i 's/Addr:      fmt\.Sprintf(":%d", port),/Addr:      fmt.Sprintf("127.0.0.1:%d", port),/' "$MAIN_GO"
grep -qF '"127.0.0.1:%d"' "$MAIN_GO" || fail "patching the listen address in $MAIN_GO failed"

# As Kubernetes 1.20's own build does it: GOPATH mode, the vendored packages (its go.mod is
# not tidy for Go 1.19's module mode).
mkdir -p "$WORK/.go/src/k8s.io"
ln -s "$TREE" "$WORK/.go/src/k8s.io/kubernetes"
log "building agnhost"
BUILD_START=$SECONDS
(cd "$WORK/.go/src/k8s.io/kubernetes" && GOPATH="$WORK/.go" GOCACHE="$WORK/.gocache" GO111MODULE=off GOFLAGS= CGO_ENABLED=0 \
  go build -o "$AGNHOST.tmp" ./test/images/agnhost >&2) || fail "building agnhost failed"
log "agnhost built in $((SECONDS - BUILD_START)) s"
"$AGNHOST.tmp" webhook --help >/dev/null 2>&1 || fail "the built agnhost does not run"
rm -f "$CACHE/BUILD_ID"
mv -f "$AGNHOST.tmp" "$AGNHOST"
echo "$BUILD_ID" > "$CACHE/BUILD_ID.tmp" && mv -f "$CACHE/BUILD_ID.tmp" "$CACHE/BUILD_ID"
echo "$AGNHOST"
