#!/usr/bin/env bash
# `make bench`: the real server over HTTPS on loopback (127.0.0.1 only), measured as the
# apiserver uses it: start-up to /readyz, latency at a fixed 1,000 reviews/s and the maximum
# throughput per endpoint over HTTP/2 and HTTP/1.1 with keep-alive, a 1,000-object conversion,
# peak RSS; then the JMH micro-benchmarks of the hot path. Every run is bounded in time.
# Beside ours, in the same run and interleaved with it, the Go peer: Kubernetes' own e2e sample
# webhook (agnhost webhook, built and cached by install-go-peer.sh), for the ratios of issue 18;
# and the alternative an admin actually has, Milvus Operator's own webhook (its
# /mutate-milvus-io-v1beta1-milvusupgrade, which also defaults MilvusUpgrades; installed by
# install-operator.sh), for issue 24.
#
#   bash .ci/bench.sh        everything; results in target/bench/ (summary.txt, results.tsv, jmh.*)
#   bash .ci/bench.sh aot    only the training run that writes the AOT cache next to the jar
#
# Expects `make build` to have run (the jar and the test class path). BENCH_JVM_OPTS replaces the
# server's JVM options.
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf 'bench [%3d s]: %s\n' "$SECONDS" "$*" >&2; }
# shellcheck source=lib.sh
source .ci/lib.sh

AOT_CACHE=webhook/target/milvus-webhook.aot
OUT=target/bench
BODIES=$OUT/bodies
# The Deployment's JVM options plus the AOT cache for start-up and warm-up.
read -r -a JVM_OPTS <<< "${BENCH_JVM_OPTS:--XX:AOTCache=$AOT_CACHE $SERVER_JVM_OPTS}"
RATE=1000               # reviews/s in the fixed-rate runs
RATE_CLIENTS=10         # connections sharing that rate, as an apiserver spreads its reviews
WARMUP=3s               # h2load's warm-up before each measured run
JIT_SECONDS=10          # per endpoint, after start and before any measured run: the JIT's warm-up
COLD_SECONDS=2          # the server just started, before that warm-up: its rate in these seconds
RATE_SECONDS=10s
MAX_SECONDS=6s
CONVERT_SECONDS=6s
COMPARE_SECONDS=4s      # each run of the side-by-side comparison with the Go peer
COMPARE_WARMUP=2s       # its h2load warm-up: both servers are warm by then, only connections are new
COMPARE_ROUNDS=3        # its runs are repeated this many times, the best reported
STARTS=3                # start-up measured this many times, the median reported

ADMISSION_PATHS=(mutate-milvus-io-v1beta1-milvusupgrade validate-milvus-io-v1beta1-milvusupgrade validate-milvus-io-v1beta1-milvus)
# The Go peer's endpoint: it answers any AdmissionReview of a custom resource with allowed, and
# gets the same ~1 KB MilvusUpgrade review as our mutating endpoint.
PEER_PATH=mutating-custom-resource
COMPARE_BODY=mutate-milvus-io-v1beta1-milvusupgrade
# Milvus Operator's: the same review on the same path as ours. Its webhook port is fixed in its
# code (pkg/manager: 9443), and it binds every interface; only 127.0.0.1 is sent anything.
OPERATOR_PATH=mutate-milvus-io-v1beta1-milvusupgrade
OPERATOR_PORT=9443
PEERS=(ours peer operator)

ensure_h2load() {
    command -v h2load >/dev/null && return
    log "installing h2load (Debian package nghttp2-client)"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nghttp2-client >/dev/null
}

# h2load, ended after 90 s: once in a while a timed run (-D) never stops on a loaded machine
# (seen with 1.52 against a cold server), and a run must fail rather than hang the bench.
h2load_bounded() { timeout -k 5 90 h2load "$@"; }

AGNHOST=
OPERATOR=          # install-operator.sh's cache dir
OPERATOR_DIR=      # the operator's working dir: values.yaml stub, TMPDIR with the certificates, kubeconfig
TLS_DIR=
declare -A PIDS=() PORTS=()   # ours|peer|operator -> pid, port
stop() {
    if [[ -n ${PIDS[$1]:-} ]]; then
        stop_pid "${PIDS[$1]}"
        unset "PIDS[$1]"
    fi
}
cleanup() {
    stop ours
    stop peer
    stop operator
    if [[ -n $TLS_DIR ]]; then rm -rf "$TLS_DIR"; fi
    if [[ -n $OPERATOR_DIR ]]; then rm -rf "$OPERATOR_DIR"; fi
}
trap cleanup EXIT

# start WHO [JVM-OPTION...]: WHO is ours (the jar, with the JVM options given), peer (agnhost
# webhook with the certificate our server wrote into TLS_DIR: same CA, same key type) or operator
# (Milvus Operator, webhooks only, with that certificate too), on a free port (the operator: its
# fixed one), until it is ready: /readyz answers 200 (the operator's webhook port has no
# /readyz: any HTTPS answer there). Sets READY_MS, the milliseconds from exec to then, and
# READY_CPU_MS, the process's CPU time by then.
READY_MS=
READY_CPU_MS=
start() {
    local who=$1 port start_ns
    shift
    port=$(free_port)
    start_ns=$(date +%s%N)
    case $who in
        ours) java "$@" -jar "$JAR" serve --port "$port" --bind 127.0.0.1 --tls-dir "$TLS_DIR" >>"$OUT/server.log" 2>&1 & ;;
        peer) "$AGNHOST" webhook --port "$port" --tls-cert-file "$TLS_DIR/tls.crt" --tls-private-key-file "$TLS_DIR/tls.key" \
                  >>"$OUT/peer.log" 2>&1 & ;;
        operator) port=$OPERATOR_PORT
            # No reconciler, so no apiserver is needed; it only loads the kubeconfig (pkg/util/rest),
            # which points at a loopback port nothing listens on.
            (cd "$OPERATOR_DIR" && exec env KUBECONFIG="$OPERATOR_DIR/kubeconfig" TMPDIR="$OPERATOR_DIR/tmp" \
                "$OPERATOR/bin/milvus-operator" --webhook --stop-reconcilers=all --work-dir="$(cat "$OPERATOR/module-dir")/" \
                --metrics-bind-address=0 --health-probe-bind-address=0) >>"$OUT/operator.log" 2>&1 & ;;
    esac
    PIDS[$who]=$! PORTS[$who]=$port
    if [[ $who == operator ]]; then
        wait_serving "${PIDS[$who]}" "$port" 60 || { log "the operator's webhook did not serve; see $OUT/operator.log"; return 1; }
    elif ! wait_ready "${PIDS[$who]}" "$port" 30; then
        log "$who did not become ready; see $OUT/$([[ $who == ours ]] && echo server || echo peer).log"
        return 1
    fi
    READY_MS=$((($(date +%s%N) - start_ns) / 1000000))
    READY_CPU_MS=$(awk -v hz="$(getconf CLK_TCK)" '{print ($14 + $15) * 1000 / hz}' "/proc/${PIDS[$who]}/stat")
}

# peak_rss_mib WHO: VmHWM, the largest RSS over the process's life.
peak_rss_mib() {
    awk '/^VmHWM:/ {printf "%d", $2 / 1024}' "/proc/${PIDS[$1]}/status"
}

# sample_rss NAME WHO: samples WHO's RSS every half second until it exits or stop_sampling NAME,
# keeping the largest in $OUT/rss-max-NAME (KiB): the resident size under load, which VmHWM
# overstates with the JIT's transient peaks.
declare -A SAMPLERS=()
sample_rss() {
    local file=$OUT/rss-max-$1 pid=${PIDS[$2]}
    echo 0 >"$file"
    (
        max=0
        while rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null) && [[ -n $rss ]]; do
            if ((rss > max)); then max=$rss && echo "$max" >"$file"; fi
            sleep 0.5
        done
    ) &
    SAMPLERS[$1]=$!
}
# stop_sampling NAME: sets SAMPLED_MIB, the largest sample.
SAMPLED_MIB=
stop_sampling() {
    stop_pid "${SAMPLERS[$1]}"
    SAMPLED_MIB=$(($(cat "$OUT/rss-max-$1") / 1024))
}

# load TSV NAME PROTOCOL(h2|h1) WHO PATH BODY H2LOAD-OPTIONS...: one measured h2load run against
# WHO's PATH with $BODIES/BODY.json; appends a row to $OUT/TSV: name, protocol, req/s, p50, p90,
# p99, max (ms), requests, failures, mean (µs).
load() {
    local tsv=$OUT/$1 name=$2 protocol=$3 who=$4 path=$5 body=$6
    shift 6
    local flags=()
    if [[ $protocol == h1 ]]; then flags+=(--h1); fi
    local requests_log=$OUT/requests.log
    rm -f "$requests_log"
    local report
    report=$(h2load_bounded "${flags[@]}" "$@" --warm-up-time="$WARMUP" -d "$BODIES/$body.json" -H 'content-type: application/json' \
        --log-file="$requests_log" "https://127.0.0.1:${PORTS[$who]}/$path" 2>&1) || { log "h2load failed: $report"; return 1; }
    echo "$report" >"$OUT/h2load-${name//[^A-Za-z0-9.-]/_}-$protocol.txt"
    local seconds failed non2xx
    seconds=$(sed -n 's/^finished in \([0-9.]*\)\(m\?s\),.*/\1 \2/p' <<<"$report" | awk '{print $2 == "ms" ? $1 / 1000 : $1}')
    failed=$(sed -n 's/^requests: .* \([0-9]*\) failed, \([0-9]*\) errored, \([0-9]*\) timeout.*/\1 \2 \3/p' <<<"$report" | awk '{print $1 + $2 + $3}')
    non2xx=$(sed -n 's/^status codes: [0-9]* 2xx, \([0-9]*\) 3xx, \([0-9]*\) 4xx, \([0-9]*\) 5xx.*/\1 \2 \3/p' <<<"$report" | awk '{print $1 + $2 + $3}')
    # h2load's own req/s counts the warm-up's requests; the log holds the measured ones only.
    sort -n -k3 "$requests_log" | awk -v name="$name" -v protocol="$protocol" -v failed="$((failed + non2xx))" '
        { latency[NR] = $3; sum += $3; if (NR == 1 || $1 < first) first = $1; if ($1 > last) last = $1 }
        function pct(p) { i = int(NR * p + 0.5); if (i < 1) i = 1; return sprintf("%.2f", latency[i] / 1000) }
        END {
            span = (last - first) / 1e6
            printf "%s\t%s\t%.0f\t%s\t%s\t%s\t%s\t%d\t%d\t%.0f\n", name, protocol, (span > 0 ? NR / span : 0),
                pct(0.50), pct(0.90), pct(0.99), pct(1.0), NR, failed, (NR > 0 ? sum / NR : 0)
        }' >>"$tsv"
    log "$(tail -1 "$tsv" | tr '\t' ' ')  (h2load: ${seconds}s)"
}

# rate PATH SECONDS: the req/s of an unmeasured h2load run on PATH, as the "max" runs load it
# (HTTP/2, 4 connections x 8 streams; conversions one at a time), warm-up included.
rate() {
    local path=$1 report concurrency=(-c 4 -m 8)
    if [[ $path == convert ]]; then concurrency=(-c 1); fi
    report=$(h2load_bounded "${concurrency[@]}" -D "$2" -d "$BODIES/$path.json" -H 'content-type: application/json' \
        "https://127.0.0.1:${PORTS[ours]}/$path" 2>&1) || { log "h2load failed: $report"; return 1; }
    sed -n 's/^finished in [0-9.]*m\?s, \([0-9]*\)\.[0-9]* req\/s.*/\1/p' <<<"$report"
}

# warm_up: load on every path right after start, unmeasured, so that the measured runs see the
# steady state a long-running server is in, not the JIT still compiling (on 2 cores it takes
# ~20 s of load). What the cold server managed meanwhile is kept as WARMUP_REPORT, and its first
# COLD_SECONDS on the mutating path as COLD_RPS, to set against that path's steady "max" rate.
WARMUP_REPORT=
COLD_RPS=
warm_up() {
    COLD_RPS=$(rate "${ADMISSION_PATHS[0]}" "$COLD_SECONDS")
    log "cold, first $COLD_SECONDS s after /readyz, ${ADMISSION_PATHS[0]}: ${COLD_RPS} req/s"
    local path rps
    for path in "${ADMISSION_PATHS[@]}" convert; do
        rps=$(rate "$path" "$JIT_SECONDS")
        WARMUP_REPORT+="${WARMUP_REPORT:+, }$path ${rps}/s"
        log "warm-up $path: ${rps} req/s"
    done
}

train_aot() {
    log "training run for the AOT cache ($AOT_CACHE)"
    rm -f "$AOT_CACHE"
    # shellcheck disable=SC2086 # SERVER_JVM_OPTS is a list of options
    start ours -XX:AOTCacheOutput="$AOT_CACHE" $SERVER_JVM_OPTS
    local path protocol
    for path in "${ADMISSION_PATHS[@]}" convert; do
        for protocol in "" --h1; do
            h2load_bounded $protocol -c 2 -n "$([[ $path == convert ]] && echo 20 || echo 2000)" -d "$BODIES/$path.json" \
                -H 'content-type: application/json' "https://127.0.0.1:${PORTS[ours]}/$path" >/dev/null
        done
    done
    stop ours # the cache is written as the JVM exits
    [[ -s $AOT_CACHE ]] || { log "no AOT cache was written; see $OUT/server.log"; return 1; }
}

# compare: ours, warm, against the Go peer and Milvus Operator's webhook under the same load:
# HTTP/2 with 16 connections x 10 streams, HTTP/1.1 with 16 connections, one connection one request
# at a time. Each run of one is followed by the same run of the others, and who goes first
# rotates by round, so that all see the same machine; COMPARE_ROUNDS rounds, the best of each kept.
# Rows in compare.tsv, named "WHO RUN"; the RSS of each sampled throughout.
compare() {
    local answer
    answer=$(curl -sf --cacert "$TLS_DIR/ca.crt" -H 'content-type: application/json' --data-binary "@$BODIES/$COMPARE_BODY.json" \
        "https://127.0.0.1:${PORTS[peer]}/$PEER_PATH") || { log "the Go peer did not answer 200 on /$PEER_PATH"; return 1; }
    [[ $answer == *'"allowed":true'* ]] || { log "the Go peer did not allow the review: $answer"; return 1; }
    answer=$(curl -sf --cacert "$TLS_DIR/ca.crt" -H 'content-type: application/json' --data-binary "@$BODIES/$COMPARE_BODY.json" \
        "https://127.0.0.1:${PORTS[operator]}/$OPERATOR_PATH") || { log "the operator did not answer 200 on /$OPERATOR_PATH"; return 1; }
    [[ $answer == *'"allowed":true'* ]] || { log "the operator did not allow the review: $answer"; return 1; }
    sample_rss ours-compare ours
    sample_rss peer peer
    sample_rss operator operator
    local round who run path order
    local WARMUP=$COMPARE_WARMUP # load's, for these runs (bash's locals are dynamically scoped)
    for round in $(seq "$COMPARE_ROUNDS"); do
        order=("${PEERS[@]:$(((round - 1) % 3))}" "${PEERS[@]:0:$(((round - 1) % 3))}")
        for run in h2 h1 seq; do
            for who in "${order[@]}"; do
                case $who in ours) path=$COMPARE_BODY ;; peer) path=$PEER_PATH ;; operator) path=$OPERATOR_PATH ;; esac
                case $run in
                    h2) load compare.tsv "$who $run" h2 "$who" "$path" "$COMPARE_BODY" -c 16 -m 10 -D "$COMPARE_SECONDS" ;;
                    h1) load compare.tsv "$who $run" h1 "$who" "$path" "$COMPARE_BODY" -c 16 -D "$COMPARE_SECONDS" ;;
                    seq) load compare.tsv "$who $run" h2 "$who" "$path" "$COMPARE_BODY" -c 1 -m 1 -D "$COMPARE_SECONDS" ;;
                esac
            done
        done
    done
    stop_sampling ours-compare
    COMPARE_RSS_OURS=$SAMPLED_MIB
    stop_sampling peer
    COMPARE_RSS_PEER=$SAMPLED_MIB
    stop_sampling operator
    COMPARE_RSS_OPERATOR=$SAMPLED_MIB
    COMPARE_HWM_OURS=$(peak_rss_mib ours)
    COMPARE_HWM_PEER=$(peak_rss_mib peer)
    COMPARE_HWM_OPERATOR=$(peak_rss_mib operator)
}

# prepare_operator: Milvus Operator's working dir. It reads config/assets/charts/values.yaml from
# there and panics without it (the charts are not in its module; no dependency chart is used
# here), its serving key pair from $TMPDIR/k8s-webhook-server/serving-certs (ours: the same
# certificate), and a kubeconfig at start-up, before its flags.
prepare_operator() {
    OPERATOR=$(bash .ci/install-operator.sh)
    OPERATOR_DIR=$(mktemp -d)
    mkdir -p "$OPERATOR_DIR/config/assets/charts" "$OPERATOR_DIR/tmp/k8s-webhook-server/serving-certs"
    printf 'etcd: {}\nminio: {}\npulsar: {}\npulsarv3: {}\nkafka: {}\n' >"$OPERATOR_DIR/config/assets/charts/values.yaml"
    cp "$TLS_DIR/tls.crt" "$TLS_DIR/tls.key" "$OPERATOR_DIR/tmp/k8s-webhook-server/serving-certs/"
    cat >"$OPERATOR_DIR/kubeconfig" <<KUBECONFIG
apiVersion: v1
kind: Config
clusters: [{name: none, cluster: {server: "https://127.0.0.1:$(free_port)", insecure-skip-tls-verify: true}}]
users: [{name: none, user: {token: none}}]
contexts: [{name: none, context: {cluster: none, user: none}}]
current-context: none
KUBECONFIG
}

median() { printf '%s\n' "$@" | sort -n | sed -n "$((($# + 1) / 2))p"; }

main() {
    log "about 8 minutes: the AOT cache's training run (when the jar changed, ~1 min), $STARTS measured starts of ours and" \
        "of the Go peer, the JIT's warm-up (${JIT_SECONDS} s per endpoint), 14 h2load runs of ours (~2.5 min), 18 side by side" \
        "with the peer (~2.5 min), JMH (~1.5 min); results in $OUT/"
    ensure_h2load
    mkdir -p "$OUT"
    rm -f "$OUT"/results.tsv "$OUT"/compare.tsv "$OUT"/server.log "$OUT"/peer.log "$OUT"/operator.log "$OUT"/h2load-*.txt "$OUT"/rss-max*
    TLS_DIR=$(mktemp -d)
    java -cp "$TEST_CP" io.milvus.upgrade.bench.BenchBodies "$BODIES"
    # The first start generates the certificates (the peer serves them too); only later starts are measured.
    start ours "${JVM_OPTS[@]}"
    stop ours

    if [[ ${1:-} == aot || ! -s $AOT_CACHE || $AOT_CACHE -ot $JAR ]]; then
        train_aot
        [[ ${1:-} == aot ]] && return
    fi
    AGNHOST=$(bash .ci/install-go-peer.sh)
    prepare_operator

    local starts=() cpu=() peer_starts=() peer_cpu=() operator_starts=() operator_cpu=()
    for _ in $(seq "$STARTS"); do
        start ours "${JVM_OPTS[@]}"
        starts+=("$READY_MS") cpu+=("$READY_CPU_MS")
        stop ours
        start peer
        peer_starts+=("$READY_MS") peer_cpu+=("$READY_CPU_MS")
        stop peer
        start operator
        operator_starts+=("$READY_MS") operator_cpu+=("$READY_CPU_MS")
        stop operator
    done
    STARTUP_MS=$(median "${starts[@]}")
    STARTUP_CPU_MS=$(median "${cpu[@]}")
    PEER_STARTUP_MS=$(median "${peer_starts[@]}")
    PEER_STARTUP_CPU_MS=$(median "${peer_cpu[@]}")
    OPERATOR_STARTUP_MS=$(median "${operator_starts[@]}")
    OPERATOR_STARTUP_CPU_MS=$(median "${operator_cpu[@]}")
    log "start-up to ready: ours ${starts[*]} ms (CPU ${cpu[*]} ms), Go peer ${peer_starts[*]} ms (CPU ${peer_cpu[*]} ms)," \
        "Milvus Operator ${operator_starts[*]} ms (CPU ${operator_cpu[*]} ms)"

    start ours "${JVM_OPTS[@]}"
    log "warming up the JIT: ${JIT_SECONDS} s of load per endpoint, unmeasured"
    warm_up
    sample_rss ours ours
    local path protocol
    for path in "${ADMISSION_PATHS[@]}"; do
        for protocol in h2 h1; do
            if [[ $protocol == h2 ]]; then
                load results.tsv "$path max" h2 ours "$path" "$path" -c 4 -m 8 -D "$MAX_SECONDS"
            else
                load results.tsv "$path max" h1 ours "$path" "$path" -c 16 -D "$MAX_SECONDS"
            fi
            load results.tsv "$path @$RATE/s" "$protocol" ours "$path" "$path" -c "$RATE_CLIENTS" --rps "$((RATE / RATE_CLIENTS))" -D "$RATE_SECONDS"
        done
    done
    for protocol in h2 h1; do
        load results.tsv "convert 1000 Milvus" "$protocol" ours convert convert -c 1 -D "$CONVERT_SECONDS"
    done
    # Last, so that ours is as warm as a long-running server: on a loaded 2-core machine the
    # JIT's warm-up alone does not get it there (its rate still tripled from one round to the next).
    start peer
    start operator
    log "side by side with the Go peer and Milvus Operator's webhook: $COMPARE_ROUNDS rounds of 3 runs each, interleaved"
    compare
    stop peer
    stop operator
    PEAK_RSS=$(peak_rss_mib ours)
    stop_sampling ours
    LOADED_RSS=$SAMPLED_MIB
    stop ours

    log "JMH micro-benchmarks of the hot path (~1.5 min)"
    java -cp "$TEST_CP" org.openjdk.jmh.Main -f 1 -wi 4 -w 2s -i 5 -r 1s -rf json -rff "$OUT/jmh.json" HotPathBenchmark \
        >"$OUT/jmh.txt" 2>&1 || { tail -20 "$OUT/jmh.txt"; return 1; }

    summary | tee "$OUT/summary.txt"
    log "done in $SECONDS s"
}

# best WHO RUN COLUMN max|min: the best value of compare.tsv's COLUMN over WHO's RUN rows.
best() {
    awk -F'\t' -v name="$1 $2" -v col="$3" -v how="$4" '
        $1 == name { if (n++ == 0 || (how == "max" ? $col > v : $col < v)) v = $col }
        END { print v + 0 }' "$OUT/compare.tsv"
}

# errors WHO: failed and non-2xx answers over WHO's comparison runs.
errors() {
    awk -F'\t' -v who="$1" 'index($1, who " ") == 1 { n += $9 } END { print n + 0 }' "$OUT/compare.tsv"
}

# row LABEL OURS PEER OPERATOR UNIT: a table row, with the ratios ours / peer and ours / operator.
row() {
    awk -v label="$1" -v ours="$2" -v peer="$3" -v operator="$4" -v unit="$5" 'BEGIN {
        printf "| %s | %s %s | %s %s | %s %s | %s | %s |\n", label, ours, unit, peer, unit, operator, unit,
            (peer > 0 ? sprintf("%.2f", ours / peer) : "-"), (operator > 0 ? sprintf("%.2f", ours / operator) : "-")
    }'
}

# cell WHO RUN: "best p50 / p99" of WHO's RUN rows, the run with the best p99.
latency() {
    awk -F'\t' -v name="$1 $2" '$1 == name { if (n++ == 0 || $6 < p99) { p50 = $4; p99 = $6 } } END { printf "%s / %s", p50, p99 }' \
        "$OUT/compare.tsv"
}

comparison_table() {
    echo "Side by side with the Go peer (agnhost webhook $PEER_PATH, Kubernetes v1.20.2, $(go version "$AGNHOST" 2>/dev/null | awk '{print $2}'))"
    echo "and Milvus Operator's webhook ($(basename "$OPERATOR") $OPERATOR_PATH, $(go version "$OPERATOR/bin/milvus-operator" 2>/dev/null | awk '{print $2}')),"
    echo "same ~1 KB MilvusUpgrade review, same certificate, interleaved, best of $COMPARE_ROUNDS runs of $COMPARE_SECONDS (load average before: $LOAD_BEFORE)."
    echo "ratio = ours / other: above 1 is better for req/s, worse for µs, MiB and ms."
    echo
    echo "| | ours | Go peer | Milvus Operator | ours / Go peer | ours / operator |"
    echo "|---|---|---|---|---|---|"
    row "HTTP/2, 16 connections x 10 streams, best of $COMPARE_ROUNDS" "$(best ours h2 3 max)" "$(best peer h2 3 max)" "$(best operator h2 3 max)" req/s
    row "HTTP/1.1, 16 connections, best of $COMPARE_ROUNDS" "$(best ours h1 3 max)" "$(best peer h1 3 max)" "$(best operator h1 3 max)" req/s
    echo "| HTTP/2 16 x 10, p50 / p99 (run with the best p99) | $(latency ours h2) ms | $(latency peer h2) ms | $(latency operator h2) ms | | |"
    echo "| HTTP/1.1 16, p50 / p99 (run with the best p99) | $(latency ours h1) ms | $(latency peer h1) ms | $(latency operator h1) ms | | |"
    row "one connection, sequential, mean (best of $COMPARE_ROUNDS)" "$(best ours seq 10 min)" "$(best peer seq 10 min)" "$(best operator seq 10 min)" µs
    row "RSS under that load, largest 0.5 s sample" "$COMPARE_RSS_OURS" "$COMPARE_RSS_PEER" "$COMPARE_RSS_OPERATOR" MiB
    row "peak RSS (VmHWM, ours with the JIT's warm-up)" "$COMPARE_HWM_OURS" "$COMPARE_HWM_PEER" "$COMPARE_HWM_OPERATOR" MiB
    row "start-up to ready, median of $STARTS" "$STARTUP_MS" "$PEER_STARTUP_MS" "$OPERATOR_STARTUP_MS" ms
    row "CPU time by then" "$STARTUP_CPU_MS" "$PEER_STARTUP_CPU_MS" "$OPERATOR_STARTUP_CPU_MS" ms
    echo
    echo "failed or non-2xx answers over these runs: ours $(errors ours), Go peer $(errors peer), Milvus Operator $(errors operator)"
}

summary() {
    echo
    echo "Milvus webhook benchmark, $(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1)"
    echo "server JVM options: ${JVM_OPTS[*]}"
    echo
    comparison_table
    echo
    printf '%-52s %-5s %8s %8s %8s %8s %8s %9s %6s\n' run proto "req/s" "p50 ms" "p90 ms" "p99 ms" "max ms" requests errors
    awk -F'\t' '{printf "%-52s %-5s %8s %8s %8s %8s %8s %9s %6s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9}' "$OUT/results.tsv"
    echo
    echo "start-up, process start to /readyz 200: ${STARTUP_MS} ms (median of $STARTS; ${STARTUP_CPU_MS} ms CPU)"
    echo "RSS under load, the largest of samples every 0.5 s over the measured runs: ${LOADED_RSS} MiB"
    echo "peak RSS over the process's life (VmHWM, with the JIT's warm-up): ${PEAK_RSS} MiB"
    local steady
    steady=$(awk -F'\t' -v name="${ADMISSION_PATHS[0]} max" '$1 == name && $2 == "h2" {print $3}' "$OUT/results.tsv")
    echo "cold server, first $COLD_SECONDS s after /readyz: $COLD_RPS req/s on ${ADMISSION_PATHS[0]} (h2, 4 x 8)," \
        "$(awk -v c="$COLD_RPS" -v s="$steady" 'BEGIN {printf "%.0f", (s > 0 ? 100 * c / s : 0)}') % of its steady $steady req/s"
    echo "then the first ${JIT_SECONDS} s of load per endpoint (h2, unmeasured warm-up): $WARMUP_REPORT"
    echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "JMH, hot path without HTTP (decode, rules, patch, encode):"
    sed -n '/^Benchmark /,$p' "$OUT/jmh.txt" | grep -v '^$' | grep -v '^Benchmark result'
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
main "$@"
