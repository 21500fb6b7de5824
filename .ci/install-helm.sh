#!/usr/bin/env bash
# helm, for the chart's tests and the README: built with the ordinary Go client from its module
# (`go install helm.sh/helm/v3/cmd/helm@$HELM_VERSION`, version pinned in .ci/versions.env), cached
# outside the repository. A second run is a no-op. Prints the binary's path last (everything else
# goes to stderr), so callers can do HELM=$(.ci/install-helm.sh).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.env
source "$HERE/versions.env"

CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/milvus-upgrade/helm/$HELM_VERSION"
BIN="$CACHE/bin/helm"
log() { echo "install-helm: $*" >&2; }

if [ -x "$BIN" ]; then log "helm $HELM_VERSION: cached at $BIN"; echo "$BIN"; exit 0; fi
command -v go >/dev/null || { log "error: no go on PATH (Go 1.24 or later builds helm $HELM_VERSION)"; exit 1; }
mkdir -p "$CACHE"
exec 9>"$CACHE/.lock"
flock -n 9 || { log "another process is building helm (it holds $CACHE/.lock); waiting for it"; flock 9; }
if [ -x "$BIN" ]; then log "helm $HELM_VERSION: built by the other process"; echo "$BIN"; exit 0; fi
log "first run: go install helm.sh/helm/v3/cmd/helm@$HELM_VERSION (2 to 5 minutes on 2 cores; once, cached in $CACHE)"
# The Go module and build caches the control plane uses too, under ~/.cache/milvus-upgrade.
GO_CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/milvus-upgrade/go"
GOMODCACHE="$GO_CACHE/mod" GOCACHE="$GO_CACHE/build" GOBIN="$CACHE/bin.tmp" CGO_ENABLED=0 go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >&2
mv "$CACHE/bin.tmp" "$CACHE/bin"
log "helm $HELM_VERSION: $("$BIN" version --short)"
echo "$BIN"
