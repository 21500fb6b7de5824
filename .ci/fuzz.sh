#!/usr/bin/env bash
# `make fuzz`: the malformed-review run of issue 27 against the real server jar as the Deployment
# runs it (its JVM options, lib.sh's SERVER_JVM_OPTS: a 64 MiB heap), 127.0.0.1 only. The driver
# (webhook test sources, io.milvus.upgrade.stress.FuzzMain) sends PER_ENDPOINT generated cases
# to each review path, CONCURRENCY at a time, and prints a row per path: statuses, HTTP 500s,
# OutOfMemoryErrors in the server's log, contract violations, peak heap in use. Results in
# target/fuzz/. Expects `make build`; JAR and TEST_CP may be given to measure another build.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { echo "fuzz: $*" >&2; }
# shellcheck source=lib.sh
source .ci/lib.sh
JAR=${FUZZ_JAR:-$JAR}
TEST_CP=${FUZZ_TEST_CP:-$TEST_CP}

PER_ENDPOINT=${PER_ENDPOINT:-1600}
CONCURRENCY=${CONCURRENCY:-4}
HUGE_BYTES=${HUGE_BYTES:-7000000}   # the largest huge string or object; the body limit is 7 MiB
SEED=${SEED:-27}
OUT=target/fuzz
mkdir -p "$OUT"

TLS_DIR=$(mktemp -d)
SERVER_PID=
cleanup() {
    if [[ -n $SERVER_PID ]]; then stop_pid "$SERVER_PID"; fi
    rm -rf "$TLS_DIR"
}
trap cleanup EXIT

port=$(free_port)
: >"$OUT/server.log"
JAVA_TOOL_OPTIONS=$SERVER_JVM_OPTS java -jar "$JAR" serve --port "$port" --bind 127.0.0.1 --tls-dir "$TLS_DIR" >>"$OUT/server.log" 2>&1 &
SERVER_PID=$!
wait_ready "$SERVER_PID" "$port" 90 || { log "the server did not become ready; see $OUT/server.log"; exit 1; }
log "$PER_ENDPOINT cases per path, $CONCURRENCY at a time, huge values up to $HUGE_BYTES bytes, seed $SEED"
java -Xmx2g -cp "$TEST_CP" io.milvus.upgrade.stress.FuzzMain "$port" "$TLS_DIR/ca.crt" "$SERVER_PID" "$OUT/server.log" \
    "$PER_ENDPOINT" "$CONCURRENCY" "$HUGE_BYTES" "$SEED" | tee "$OUT/fuzz.tsv"
if kill -0 "$SERVER_PID" 2>/dev/null; then log "the server is still running"; else log "THE SERVER DIED"; SERVER_PID=; fi
