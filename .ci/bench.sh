#!/usr/bin/env bash
# `make bench`: the real server over HTTPS on loopback (127.0.0.1 only), measured as the
# apiserver uses it: start-up to /readyz, latency at a fixed 1,000 reviews/s and the maximum
# throughput per endpoint over HTTP/2 and HTTP/1.1 with keep-alive, a 1,000-object conversion,
# peak RSS; then the JMH micro-benchmarks of the hot path. Every run is bounded in time.
#
#   bash .ci/bench.sh        everything; results in target/bench/ (summary.txt, results.tsv, jmh.*)
#   bash .ci/bench.sh aot    only the training run that writes the AOT cache next to the jar
#
# Expects `make build` to have run (the jar and the test class path). BENCH_JVM_OPTS replaces the
# server's JVM options.
set -euo pipefail
cd "$(dirname "$0")/.."
JDK_DIR=$(compgen -G '/usr/lib/jvm/temurin-25-jdk*' | head -1 || true)
if [[ -n $JDK_DIR ]]; then export JAVA_HOME=$JDK_DIR PATH=$JDK_DIR/bin:$PATH; fi

JAR=webhook/target/milvus-webhook.jar
AOT_CACHE=webhook/target/milvus-webhook.aot
OUT=target/bench
BODIES=$OUT/bodies
TEST_CP="$(cat webhook/target/test-classpath.txt):webhook/target/test-classes:webhook/target/classes"
# The options the README and the Deployment use (manifests/base/webhook.yaml): a small heap, which
# the streamed conversion and the review memory budget make enough; freed native memory (the JIT's
# compiler arenas) given back to the OS; plus the AOT cache for start-up and warm-up.
SERVER_OPTS="-Xms16m -Xmx64m -XX:+UseSerialGC -XX:TrimNativeHeapInterval=5000"
read -r -a JVM_OPTS <<< "${BENCH_JVM_OPTS:--XX:AOTCache=$AOT_CACHE $SERVER_OPTS}"
RATE=1000               # reviews/s in the fixed-rate runs
RATE_CLIENTS=10         # connections sharing that rate, as an apiserver spreads its reviews
WARMUP=3s               # h2load's warm-up before each measured run
JIT_SECONDS=10          # per endpoint, after start and before any measured run: the JIT's warm-up
RATE_SECONDS=10s
MAX_SECONDS=6s
CONVERT_SECONDS=6s
STARTS=3                # start-up measured this many times, the median reported

ADMISSION_PATHS=(mutate-milvus-io-v1beta1-milvusupgrade validate-milvus-io-v1beta1-milvusupgrade validate-milvus-io-v1beta1-milvus)

log() { printf 'bench [%3d s]: %s\n' "$SECONDS" "$*" >&2; }

ensure_h2load() {
    command -v h2load >/dev/null && return
    log "installing h2load (Debian package nghttp2-client)"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nghttp2-client >/dev/null
}

# A loopback port nothing listens on, below Linux's ephemeral range (32768-60999) so that no
# outgoing connection holds it either.
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

SERVER_PID=
PORT=
TLS_DIR=
stop_server() {
    if [[ -n $SERVER_PID ]]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=
    fi
}
cleanup() {
    stop_server
    if [[ -n $TLS_DIR ]]; then rm -rf "$TLS_DIR"; fi
}
trap cleanup EXIT

# Starts the server with JVM options "$@"; sets READY_MS, the milliseconds from exec to the first
# 200 from /readyz, and READY_CPU_MS, the process's CPU time by then.
READY_MS=
READY_CPU_MS=
start_server() {
    PORT=$(free_port)
    local start now deadline
    start=$(date +%s%N)
    deadline=$((start + 30000000000))
    java "$@" -jar "$JAR" serve --port "$PORT" --bind 127.0.0.1 --tls-dir "$TLS_DIR" >>"$OUT/server.log" 2>&1 &
    SERVER_PID=$!
    until curl -sf -o /dev/null --cacert "$TLS_DIR/ca.crt" "https://127.0.0.1:$PORT/readyz" 2>/dev/null; do
        now=$(date +%s%N)
        if ((now > deadline)) || ! kill -0 "$SERVER_PID" 2>/dev/null; then
            log "the server did not become ready; see $OUT/server.log"
            return 1
        fi
        sleep 0.005
    done
    now=$(date +%s%N)
    READY_MS=$(((now - start) / 1000000))
    READY_CPU_MS=$(awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) * 1000 / hz}' "/proc/$SERVER_PID/stat")
}

peak_rss_mib() {
    awk '/^VmHWM:/ {printf "%d", $2 / 1024}' "/proc/$SERVER_PID/status"
}

# Samples the server's RSS every half second until it exits, keeping the largest in $OUT/rss-max
# (KiB): the resident size under load, which VmHWM overstates with the JIT's transient peaks.
RSS_SAMPLER=
sample_rss() {
    echo 0 >"$OUT/rss-max"
    (
        max=0
        while rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$SERVER_PID/status" 2>/dev/null) && [[ -n $rss ]]; do
            if ((rss > max)); then max=$rss && echo "$max" >"$OUT/rss-max"; fi
            sleep 0.5
        done
    ) &
    RSS_SAMPLER=$!
}

# load NAME PROTOCOL(h2|h1) PATH H2LOAD-OPTIONS...: one measured h2load run; appends a row to
# results.tsv: name, protocol, req/s, p50, p90, p99, max (ms), requests, failures.
load() {
    local name=$1 protocol=$2 path=$3
    shift 3
    local flags=()
    if [[ $protocol == h1 ]]; then flags+=(--h1); fi
    local requests_log=$OUT/requests.log
    rm -f "$requests_log"
    local report
    report=$(h2load "${flags[@]}" "$@" --warm-up-time="$WARMUP" -d "$BODIES/$path.json" -H 'content-type: application/json' \
        --log-file="$requests_log" "https://127.0.0.1:$PORT/$path" 2>&1) || { log "h2load failed: $report"; return 1; }
    echo "$report" >"$OUT/h2load-${name//[^A-Za-z0-9.-]/_}-$protocol.txt"
    local seconds rps failed non2xx
    seconds=$(sed -n 's/^finished in \([0-9.]*\)\(m\?s\),.*/\1 \2/p' <<<"$report" | awk '{print $2 == "ms" ? $1 / 1000 : $1}')
    failed=$(sed -n 's/^requests: .* \([0-9]*\) failed, \([0-9]*\) errored, \([0-9]*\) timeout.*/\1 \2 \3/p' <<<"$report" | awk '{print $1 + $2 + $3}')
    non2xx=$(sed -n 's/^status codes: [0-9]* 2xx, \([0-9]*\) 3xx, \([0-9]*\) 4xx, \([0-9]*\) 5xx.*/\1 \2 \3/p' <<<"$report" | awk '{print $1 + $2 + $3}')
    # h2load's own req/s counts the warm-up's requests; the log holds the measured ones only.
    sort -n -k3 "$requests_log" | awk -v name="$name" -v protocol="$protocol" -v failed="$((failed + non2xx))" '
        { latency[NR] = $3; if (NR == 1 || $1 < first) first = $1; if ($1 > last) last = $1 }
        function pct(p) { i = int(NR * p + 0.5); if (i < 1) i = 1; return sprintf("%.2f", latency[i] / 1000) }
        END {
            span = (last - first) / 1e6
            printf "%s\t%s\t%.0f\t%s\t%s\t%s\t%s\t%d\t%d\n", name, protocol, (span > 0 ? NR / span : 0),
                pct(0.50), pct(0.90), pct(0.99), pct(1.0), NR, failed
        }' >>"$OUT/results.tsv"
    log "$(tail -1 "$OUT/results.tsv" | tr '\t' ' ')  (h2load: ${seconds}s)"
}

# warm_up: load on every path right after start, unmeasured, so that the measured runs see the
# steady state a long-running server is in, not the JIT still compiling (on 2 cores it takes
# ~20 s of load). What the cold server managed meanwhile is kept as WARMUP_REPORT.
WARMUP_REPORT=
warm_up() {
    local path report rps concurrency
    for path in "${ADMISSION_PATHS[@]}" convert; do
        concurrency=(-c 4 -m 8)
        if [[ $path == convert ]]; then concurrency=(-c 1); fi
        report=$(h2load "${concurrency[@]}" -D "$JIT_SECONDS" -d "$BODIES/$path.json" -H 'content-type: application/json' \
            "https://127.0.0.1:$PORT/$path" 2>&1) || { log "h2load failed: $report"; return 1; }
        rps=$(sed -n 's/^finished in [0-9.]*m\?s, \([0-9]*\)\.[0-9]* req\/s.*/\1/p' <<<"$report")
        WARMUP_REPORT+="${WARMUP_REPORT:+, }$path ${rps}/s"
        log "warm-up $path: ${rps} req/s"
    done
}

train_aot() {
    log "training run for the AOT cache ($AOT_CACHE)"
    rm -f "$AOT_CACHE"
    # shellcheck disable=SC2086 # SERVER_OPTS is a list of options
    start_server -XX:AOTCacheOutput="$AOT_CACHE" $SERVER_OPTS
    local path protocol
    for path in "${ADMISSION_PATHS[@]}" convert; do
        for protocol in "" --h1; do
            h2load $protocol -c 2 -n "$([[ $path == convert ]] && echo 20 || echo 2000)" -d "$BODIES/$path.json" \
                -H 'content-type: application/json' "https://127.0.0.1:$PORT/$path" >/dev/null
        done
    done
    stop_server # the cache is written as the JVM exits
    [[ -s $AOT_CACHE ]] || { log "no AOT cache was written; see $OUT/server.log"; return 1; }
}

main() {
    log "about 5 minutes: the AOT cache's training run (when the jar changed, ~1 min), $STARTS measured starts," \
        "the JIT's warm-up (${JIT_SECONDS} s per endpoint), 14 h2load runs (~2.5 min), JMH (~1.5 min); results in $OUT/"
    ensure_h2load
    mkdir -p "$OUT"
    rm -f "$OUT/results.tsv" "$OUT/server.log" "$OUT"/h2load-*.txt
    TLS_DIR=$(mktemp -d)
    java -cp "$TEST_CP" io.milvus.upgrade.bench.BenchBodies "$BODIES"
    # The first start generates the certificates; only later starts are measured.
    start_server "${JVM_OPTS[@]}"
    stop_server

    if [[ ${1:-} == aot || ! -s $AOT_CACHE || $AOT_CACHE -ot $JAR ]]; then
        train_aot
        [[ ${1:-} == aot ]] && return
    fi

    local starts=() cpu=()
    for _ in $(seq "$STARTS"); do
        start_server "${JVM_OPTS[@]}"
        starts+=("$READY_MS")
        cpu+=("$READY_CPU_MS")
        stop_server
    done
    local startup_ms startup_cpu_ms
    startup_ms=$(printf '%s\n' "${starts[@]}" | sort -n | sed -n "$(((STARTS + 1) / 2))p")
    startup_cpu_ms=$(printf '%s\n' "${cpu[@]}" | sort -n | sed -n "$(((STARTS + 1) / 2))p")
    log "start-up to /readyz: ${starts[*]} ms (CPU ${cpu[*]} ms)"

    start_server "${JVM_OPTS[@]}"
    log "warming up the JIT: ${JIT_SECONDS} s of load per endpoint, unmeasured"
    warm_up
    sample_rss
    local path protocol
    for path in "${ADMISSION_PATHS[@]}"; do
        for protocol in h2 h1; do
            if [[ $protocol == h2 ]]; then
                load "$path max" h2 "$path" -c 4 -m 8 -D "$MAX_SECONDS"
            else
                load "$path max" h1 "$path" -c 16 -D "$MAX_SECONDS"
            fi
            load "$path @$RATE/s" "$protocol" "$path" -c "$RATE_CLIENTS" --rps "$((RATE / RATE_CLIENTS))" -D "$RATE_SECONDS"
        done
    done
    for protocol in h2 h1; do
        load "convert 1000 Milvus" "$protocol" convert -c 1 -D "$CONVERT_SECONDS"
    done
    local rss loaded_rss
    rss=$(peak_rss_mib)
    kill "$RSS_SAMPLER" 2>/dev/null || true
    wait "$RSS_SAMPLER" 2>/dev/null || true
    loaded_rss=$(($(cat "$OUT/rss-max") / 1024))
    stop_server

    log "JMH micro-benchmarks of the hot path (~1.5 min)"
    java -cp "$TEST_CP" org.openjdk.jmh.Main -f 1 -wi 4 -w 2s -i 5 -r 1s -rf json -rff "$OUT/jmh.json" HotPathBenchmark \
        >"$OUT/jmh.txt" 2>&1 || { tail -20 "$OUT/jmh.txt"; return 1; }

    summary "$startup_ms" "$startup_cpu_ms" "$rss" "$loaded_rss" | tee "$OUT/summary.txt"
    log "done in $SECONDS s"
}

summary() {
    local startup_ms=$1 startup_cpu_ms=$2 rss=$3 loaded_rss=$4
    echo
    echo "Milvus webhook benchmark, $(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1)"
    echo "server JVM options: ${JVM_OPTS[*]}"
    echo
    printf '%-52s %-5s %8s %8s %8s %8s %8s %9s %6s\n' run proto "req/s" "p50 ms" "p90 ms" "p99 ms" "max ms" requests errors
    awk -F'\t' '{printf "%-52s %-5s %8s %8s %8s %8s %8s %9s %6s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9}' "$OUT/results.tsv"
    echo
    echo "start-up, process start to /readyz 200: ${startup_ms} ms (median of $STARTS; ${startup_cpu_ms} ms CPU)"
    echo "RSS under load, the largest of samples every 0.5 s over the measured runs: ${loaded_rss} MiB"
    echo "peak RSS over the process's life (VmHWM, with the JIT's warm-up): ${rss} MiB"
    echo "cold server, first ${JIT_SECONDS} s of load per endpoint (h2, unmeasured warm-up): $WARMUP_REPORT"
    echo
    echo "JMH, hot path without HTTP (decode, rules, patch, encode):"
    sed -n '/^Benchmark /,$p' "$OUT/jmh.txt" | grep -v '^$' | grep -v '^Benchmark result'
}

main "$@"
