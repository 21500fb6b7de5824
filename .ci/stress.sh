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
log() { echo "stress: $*" >&2; }
# shellcheck source=lib.sh
source .ci/lib.sh

OUT=target/stress
# The Deployment's flags (manifests/base/webhook.yaml); its JVM options are lib.sh's SERVER_JVM_OPTS.
SERVER_FLAGS=(--shutdown-delay=5s --shutdown-grace=20s)
ATTACK_SECONDS=${ATTACK_SECONDS:-15}
RATE=${RATE:-50}                        # valid reviews/s beside each attack
ROLLING_RATE=${ROLLING_RATE:-100}       # valid reviews/s through the load balancer
DRIVER=(java -Xmx1g -cp "$TEST_CP" io.milvus.upgrade.stress.StressMain)

TLS_DIR=
declare -A SERVER_PIDS=()   # port -> pid
cleanup() {
    local port
    for port in "${!SERVER_PIDS[@]}"; do stop_server "$port"; done
    if [[ -n ${HAPROXY_PID:-} ]]; then kill "$HAPROXY_PID" 2>/dev/null || true; fi
    if [[ -n $TLS_DIR ]]; then rm -rf "$TLS_DIR"; fi
}
trap cleanup EXIT

# start_server PORT: the jar as the Deployment runs it, until /readyz says 200 (90 s at most: a loaded machine).
start_server() {
    local port=$1
    JAVA_TOOL_OPTIONS=$SERVER_JVM_OPTS java -jar "$JAR" serve --port "$port" --bind 127.0.0.1 --tls-dir "$TLS_DIR" \
        "${SERVER_FLAGS[@]}" >>"$OUT/server-$port.log" 2>&1 &
    SERVER_PIDS[$port]=$!
    wait_ready "${SERVER_PIDS[$port]}" "$port" 90 || { log "the server on $port did not become ready; see $OUT/server-$port.log"; return 1; }
}

stop_server() {
    local port=$1 pid=${SERVER_PIDS[$1]:-}
    if [[ -n $pid ]]; then
        stop_pid "$pid"
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

ensure_haproxy() {
    command -v haproxy >/dev/null && return
    log "installing haproxy (Debian package)"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq haproxy >/dev/null
}

# haproxy_up NAME: whether haproxy's health check has the replica NAME in rotation.
haproxy_up() {
    curl -sf "http://127.0.0.1:$STATS_PORT/stats;csv" | awk -F, -v name="$1" '$1 == "webhook" && $2 == name {print $18}' | grep -q '^UP'
}

# wait_haproxy NAME up|down: polls the stats page, 60 s at most.
wait_haproxy() {
    local deadline=$((SECONDS + 60))
    until if [[ $2 == up ]]; then haproxy_up "$1"; else ! haproxy_up "$1"; fi; do
        if ((SECONDS > deadline)); then
            log "haproxy did not see $1 $2 within 60 s"
            return 1
        fi
        sleep 0.1
    done
}

haproxy_config() {
    local lb=$1 a=$2 b=$3
    cat <<CONFIG
global
    maxconn 4096
defaults
    mode tcp
    timeout connect 5s
    timeout client 60s
    timeout server 60s
    retries 3
    option redispatch
frontend webhook
    bind 127.0.0.1:$lb
    default_backend webhook
backend webhook
    balance roundrobin
    option httpchk
    http-check send meth GET uri /readyz ver HTTP/1.1 hdr Host 127.0.0.1
    http-check expect status 200
    default-server check check-ssl verify required ca-file $TLS_DIR/ca.crt inter 1s fall 2 rise 1
    server a 127.0.0.1:$a
    server b 127.0.0.1:$b
listen stats
    mode http
    bind 127.0.0.1:$STATS_PORT
    stats enable
    stats uri /stats
CONFIG
}

# Two replicas behind haproxy in TCP mode, as behind a Service's virtual IP (connections are
# balanced, not requests), a replica taken out when /readyz fails twice a second apart: endpoint
# removal lags readiness in a cluster too. Valid reviews at ROLLING_RATE/s go through it while
# each replica in turn gets SIGTERM, drains, exits and is started again.
ROLLING_SECONDS=${ROLLING_SECONDS:-60}
STATS_PORT=
HAPROXY_PID=
rolling() {
    ensure_haproxy
    local a b lb
    a=$(free_port) b=$(free_port) lb=$(free_port) STATS_PORT=$(free_port)
    start_server "$a"
    start_server "$b"
    haproxy_config "$lb" "$a" "$b" >"$OUT/haproxy.cfg"
    haproxy -f "$OUT/haproxy.cfg" -db >"$OUT/haproxy.log" 2>&1 &
    HAPROXY_PID=$!
    wait_haproxy a up
    wait_haproxy b up
    log "rolling restart: $ROLLING_RATE reviews/s for $ROLLING_SECONDS s through haproxy on $lb (replicas on $a and $b)"
    "${DRIVER[@]}" load "$lb" "$TLS_DIR/ca.crt" "$ROLLING_SECONDS" "$ROLLING_RATE" >"$OUT/rolling.tsv" &
    local load=$! started=$SECONDS port name events=()
    sleep 5 # the load's own start, not synchronisation: the restarts begin under load
    for name in a b; do
        port=$([[ $name == a ]] && echo "$a" || echo "$b")
        events+=("$name SIGTERM at $((SECONDS - started)) s")
        kill "${SERVER_PIDS[$port]}"
        wait_haproxy "$name" down
        events+=("out of rotation at $((SECONDS - started)) s")
        wait "${SERVER_PIDS[$port]}" || true
        unset "SERVER_PIDS[$port]"
        events+=("exited at $((SECONDS - started)) s")
        start_server "$port"
        wait_haproxy "$name" up
        events+=("back at $((SECONDS - started)) s")
    done
    if ((SECONDS - started > ROLLING_SECONDS)); then log "the restarts outlasted the load ($ROLLING_SECONDS s): raise ROLLING_SECONDS"; fi
    wait "$load"
    kill "$HAPROXY_PID" 2>/dev/null || true
    wait "$HAPROXY_PID" 2>/dev/null || true
    HAPROXY_PID=
    stop_server "$a"
    stop_server "$b"
    {
        echo
        echo "Rolling restart, $(date -u +%Y-%m-%d), $(nproc) cores, load average: $(cut -d' ' -f1-3 /proc/loadavg)"
        echo "two replicas (java $SERVER_JVM_OPTS ... serve ${SERVER_FLAGS[*]}) behind haproxy (TCP, /readyz checked every 1 s, out after 2 failures)"
        local IFS=';'
        echo "${events[*]}" | sed 's/;/, /g'
        awk -F'\t' '{printf "valid reviews at %s: %d answered, %d failed, p99 %s ms, max %s ms; failures: %s\n", $2, $3, $4, $5, $6, $8}' "$OUT/rolling.tsv"
    } | tee "$OUT/rolling.txt"
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
        rolling) rolling ;;
        all) attacks && rolling ;;
        *) log "usage: stress.sh [all|attacks|rolling]"; return 2 ;;
    esac
}

main "$@"
