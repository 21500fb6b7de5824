#!/usr/bin/env bash
# `make stress`: the attacks of issue 15 against the real server jar, run as the Deployment runs
# it (manifests/base/webhook.yaml: its JVM options in JAVA_TOOL_OPTIONS, its serve flags), on
# 127.0.0.1 only. Each attack runs for ATTACK_SECONDS with valid reviews at RATE/s beside it;
# the driver (webhook test sources, io.milvus.upgrade.stress.StressMain) prints valid reviews
# answered / failed / p99 while it runs, and the time until the server is healthy after it ends.
#
#   bash .ci/stress.sh            the attacks, then the rolling restart; results in target/stress/
#   bash .ci/stress.sh attacks    the attacks only
#   bash .ci/stress.sh rolling    the rolling restart only
#
# Expects `make build` to have run (the jar and the test class path). Every loop is bounded.
set -euo pipefail
cd "$(dirname "$0")/.."
JDK_DIR=$(compgen -G '/usr/lib/jvm/temurin-25-jdk*' | head -1 || true)
if [[ -n $JDK_DIR ]]; then export JAVA_HOME=$JDK_DIR PATH=$JDK_DIR/bin:$PATH; fi

JAR=webhook/target/milvus-webhook.jar
OUT=target/stress
TEST_CP="$(cat webhook/target/test-classpath.txt):webhook/target/test-classes:webhook/target/classes"
# The Deployment's JVM options and flags (manifests/base/webhook.yaml).
SERVER_JVM_OPTS="-Xms16m -Xmx64m -XX:+UseSerialGC -XX:TrimNativeHeapInterval=5000"
SERVER_FLAGS=(--shutdown-delay=5s --shutdown-grace=20s)
ATTACK_SECONDS=${ATTACK_SECONDS:-15}
RATE=${RATE:-50}                        # valid reviews/s beside each attack
ROLLING_RATE=100                        # valid reviews/s through the load balancer
DRIVER=(java -Xmx1g -cp "$TEST_CP" io.milvus.upgrade.stress.StressMain)

log() { echo "stress: $*" >&2; }

# A loopback port nothing listens on, below Linux's ephemeral range (32768-60999).
free_port() {
    local port
    for _ in $(seq 50); do
        port=$((20000 + RANDOM % 12000))
        if ! (exec 3<>/dev/tcp/127.0.0.1/$port) 2>/dev/null; then
            echo "$port"
            return
        fi
    done
    log "no free port found"
    return 1
}

TLS_DIR=
declare -A SERVER_PIDS=()   # port -> pid
cleanup() {
    local port
    for port in "${!SERVER_PIDS[@]}"; do stop_server "$port"; done
    if [[ -n ${HAPROXY_PID:-} ]]; then kill "$HAPROXY_PID" 2>/dev/null || true; fi
    if [[ -n $TLS_DIR ]]; then rm -rf "$TLS_DIR"; fi
}
trap cleanup EXIT

# start_server PORT: the jar as the Deployment runs it, until /readyz says 200 (30 s at most).
start_server() {
    local port=$1 deadline=$((SECONDS + 30))
    JAVA_TOOL_OPTIONS=$SERVER_JVM_OPTS java -jar "$JAR" serve --port "$port" --bind 127.0.0.1 --tls-dir "$TLS_DIR" \
        "${SERVER_FLAGS[@]}" >>"$OUT/server-$port.log" 2>&1 &
    SERVER_PIDS[$port]=$!
    until curl -sf -o /dev/null --max-time 2 --cacert "$TLS_DIR/ca.crt" "https://127.0.0.1:$port/readyz" 2>/dev/null; do
        if ((SECONDS > deadline)) || ! kill -0 "${SERVER_PIDS[$port]}" 2>/dev/null; then
            log "the server on $port did not become ready; see $OUT/server-$port.log"
            return 1
        fi
        sleep 0.05
    done
}

# stop_server PORT: SIGTERM, as the kubelet sends it, and wait for the process to end.
stop_server() {
    local port=$1 pid=${SERVER_PIDS[$1]:-}
    if [[ -n $pid ]]; then
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
        unset "SERVER_PIDS[$port]"
    fi
}

server_alive() {
    kill -0 "${SERVER_PIDS[$1]}" 2>/dev/null
}

# The driver's row, tab-separated: name, volume, answered, failed, p99, max, healthy-after, failures, notes.
attacks() {
    local port
    port=$(free_port)
    start_server "$port"
    local server_log=$OUT/server-$port.log
    log "warming the server up (JIT) for 20 s at $RATE reviews/s"
    "${DRIVER[@]}" load "$port" "$TLS_DIR/ca.crt" 20 "$RATE" >/dev/null
    "${DRIVER[@]}" load "$port" "$TLS_DIR/ca.crt" "$ATTACK_SECONDS" "$RATE" | sed 's/^valid reviews only/baseline (no attack)/' >"$OUT/attacks.tsv"
    log "$(tail -1 "$OUT/attacks.tsv")"
    local attack row
    for attack in $("${DRIVER[@]}" attacks); do
        row=$("${DRIVER[@]}" attack "$attack" "$port" "$TLS_DIR/ca.crt" "$ATTACK_SECONDS" "$RATE" "$server_log") || row="$attack	driver failed"
        if ! server_alive "$port"; then
            row+=" SERVER DIED"
            log "$attack: the server died; restarting it"
            unset "SERVER_PIDS[$port]"
            start_server "$port"
        fi
        echo "$row" >>"$OUT/attacks.tsv"
        log "$row"
    done
    local oom errors
    oom=$(grep -c OutOfMemoryError "$server_log" || true)
    errors=$(grep -c 'event=unexpected_error' "$server_log" || true)
    stop_server "$port"
    attack_table "$oom" "$errors" | tee "$OUT/attacks.txt"
}

attack_table() {
    echo
    echo "Attacks, $(date -u +%Y-%m-%d), $(nproc) cores, load average before: $LOAD_BEFORE, after: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "server: java $SERVER_JVM_OPTS -jar milvus-webhook.jar serve ${SERVER_FLAGS[*]}; valid reviews at $RATE/s from 3 HTTP/2 connections (3 apiservers), $ATTACK_SECONDS s per attack"
    echo
    printf '%-24s %9s %7s %8s %8s %12s  %s\n' attack answered failed "p99 ms" "max ms" "healthy ms" "attack volume; failures; notes"
    awk -F'\t' '{printf "%-24s %9s %7s %8s %8s %12s  %s; %s%s\n", $1, $3, $4, $5, $6, $7, $2, $8, ($9 == "" ? "" : "; " $9)}' "$OUT/attacks.tsv"
    echo
    echo "server log: $1 OutOfMemoryError, $2 unexpected errors"
}

main() {
    mkdir -p "$OUT"
    rm -f "$OUT"/server-*.log "$OUT"/attacks.* "$OUT"/rolling.*
    # Thousands of connections on both ends.
    ulimit -n "$(ulimit -Hn)"
    LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
    TLS_DIR=$(mktemp -d)
    chmod 700 "$TLS_DIR"
    case ${1:-all} in
        attacks) attacks ;;
        all) attacks ;;
        *) log "usage: stress.sh [all|attacks|rolling]"; return 2 ;;
    esac
}

main "$@"
