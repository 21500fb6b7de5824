#!/usr/bin/env bash
# The README's commands, verbatim, in a clean clone of the committed tree, on a machine where the
# `java` first on PATH is 17 (PATH=/usr/bin:$PATH, no JAVA_HOME): every ```sh block runs as it
# is written, except those that need a cluster or run for long (listed, with why, below). The
# server block runs in the background while the curl blocks after it talk to it. A block passes
# when it exits 0 and prints no Java stack trace. Also: the jar and the launcher on Java 17 alone.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/readme-test.XXXXXX)
SERVER_PID=
log() { printf 'readme-test [%3d s]: %s\n' "$SECONDS" "$*" >&2; }
# shellcheck source=process-groups.sh
source "$ROOT/.ci/process-groups.sh"
# Every block runs as a process group of its own, stopped as a whole when it ends and, on any
# exit (passed, failed, interrupted), all of them again: a block's shell ends before what it
# started (the README's `milvus-webhook serve`, its java) otherwise.
cleanup() {
    local rc=$?
    stop_all_groups || rc=1
    rm -rf "$WORK"
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
FAILED=0
fail() { log "FAIL: $*"; FAILED=1; }

git clone -q "$ROOT" "$WORK/clone" || { log "cannot clone $ROOT"; exit 1; }
cd "$WORK/clone"
export PATH=/usr/bin:$PATH
unset JAVA_HOME
log "clean clone of $(git rev-parse --short HEAD); java on PATH: $(java -version 2>&1 | head -1)"

# Blocks not run here, by a pattern of their first line, and why.
skip_reason() {
    case $1 in
        "make run"*) echo "make run stays up until Ctrl-C (MakeRunE2E runs it end to end); make test is what CI runs around this" ;;
        "make deploy"*|"kubectl "*) echo "needs a cluster: ManifestsE2E and ControllerE2E apply these to a real apiserver" ;;
        "helm "*) echo "needs a cluster: HelmE2E installs, upgrades, rolls back and uninstalls the chart on a real apiserver" ;;
        *) return 1 ;;
    esac
}

# Every ```sh block of the README, one per file, in order.
awk -v dir="$WORK/blocks" 'BEGIN { system("mkdir -p " dir) }
    /^```sh$/ { n++; file = sprintf("%s/%02d.sh", dir, n); inblock = 1; next }
    /^```/ { inblock = 0; next }
    inblock { print > file }' README.md
BLOCKS=("$WORK"/blocks/*.sh)
log "${#BLOCKS[@]} sh blocks in README.md"

run_block() {
    local block=$1 out=$WORK/$(basename "$1").out
    log "running block $(basename "$block"): $(head -1 "$block")"
    local rc=0
    run_group "$out" bash "$block" || rc=$?
    sed 's/^/    | /' "$out" | head -40 >&2
    if [[ $rc -ne 0 ]]; then fail "block $(basename "$block") exited $rc"; fi
    if grep -qE 'Exception in thread|^\s+at [a-z]+\.|UnsupportedClassVersionError' "$out"; then fail "block $(basename "$block") printed a Java stack trace"; fi
    # `echo "exit $?"   # exit N`: the README says what the command exits with; hold it to that.
    local expected actual
    expected=$(grep -oE '# exit [0-9]+' "$block" | awk '{print $3}' | tr '\n' ' ')
    actual=$(grep -oE '^exit [0-9]+$' "$out" | awk '{print $2}' | tr '\n' ' ')
    if [[ $expected != "$actual" ]]; then fail "block $(basename "$block"): the README says exits '$expected', they were '$actual'"; fi
}

for block in "${BLOCKS[@]}"; do
    first=$(grep -v '^\s*#' "$block" | head -1)
    if reason=$(skip_reason "$first"); then
        log "skipping block $(basename "$block") ($first): $reason"
        continue
    fi
    if grep -q ' serve ' "$block"; then
        log "starting block $(basename "$block") in the background: $first"
        start_group "$WORK/server.out" bash "$block"
        SERVER_PID=$GROUP
        port=$(grep -oE -- '--port [0-9]+' "$block" | awk '{print $2}')
        ca=$(grep -oE -- '--tls-dir [^ ]+' "$block" | awk '{print $2}')/ca.crt
        deadline=$((SECONDS + 600))   # the block builds first
        until [[ -f $ca ]] && curl -fsS --cacert "$ca" "https://127.0.0.1:$port/readyz" >/dev/null 2>&1; do
            if ! kill -0 "$SERVER_PID" 2>/dev/null; then fail "the server block exited: $(tail -5 "$WORK/server.out")"; break; fi
            if (( SECONDS > deadline )); then fail "the server was not ready on port $port in time"; break; fi
            sleep 0.5   # polling the server's readiness, with a deadline
        done
        log "server ready on 127.0.0.1:$port"
        continue
    fi
    run_block "$block"
done

log "the jar itself on Java 17: one line naming what to install, no stack trace"
out=$(java -jar webhook/target/milvus-webhook.jar review manifests/samples 2>&1); rc=$?
[[ $rc -eq 3 && $(wc -l <<<"$out") -eq 1 && $out == *"needs Java 25 or later, but this is Java 17"* ]] || fail "java -jar on 17: exit $rc: $out"
log "the launcher with no JDK 25 anywhere: one line"
out=$(LAUNCHER_JVM_ROOT=$WORK/no-jvms PATH=/usr/bin:/bin bin/milvus-upgrade-controller --help 2>&1); rc=$?
[[ $rc -eq 3 && $(wc -l <<<"$out") -eq 1 && $out == *"install one"* ]] || fail "launcher without a JDK 25: exit $rc: $out"

if [[ $FAILED -ne 0 ]]; then log "FAILED"; exit 1; fi
log "passed: every README command that runs without a cluster works verbatim with java 17 first on PATH"
