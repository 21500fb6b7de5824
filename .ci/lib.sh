# Shell functions bench.sh and stress.sh share; sourced, after the script's own log().
# Selects JDK 25 for the java the scripts run, and sets JAR, TEST_CP and SERVER_JVM_OPTS.

JDK_DIR=$(compgen -G '/usr/lib/jvm/temurin-25-jdk*' | head -1 || true)
if [[ -n $JDK_DIR ]]; then export JAVA_HOME=$JDK_DIR PATH=$JDK_DIR/bin:$PATH; fi
JAR=webhook/target/milvus-webhook.jar
TEST_CP="$(cat webhook/target/test-classpath.txt):webhook/target/test-classes:webhook/target/classes"
# The JVM options the README and the Deployment use (manifests/base/webhook.yaml): a small heap,
# which the streamed conversion and the review memory budget make enough; freed native memory
# (the JIT's compiler arenas) given back to the OS.
SERVER_JVM_OPTS="-Xms16m -Xmx64m -XX:+UseSerialGC -XX:TrimNativeHeapInterval=5000"

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

# wait_ready PID PORT SECONDS: polls https://127.0.0.1:PORT/readyz (trusting $TLS_DIR/ca.crt)
# every 5 ms until it answers 200; fails when PID has exited or SECONDS have passed.
wait_ready() {
    local pid=$1 port=$2 deadline=$((SECONDS + $3))
    until curl -sf -o /dev/null --max-time 2 --cacert "$TLS_DIR/ca.crt" "https://127.0.0.1:$port/readyz" 2>/dev/null; do
        if ((SECONDS > deadline)) || ! kill -0 "$pid" 2>/dev/null; then
            return 1
        fi
        sleep 0.005
    done
}

# stop_pid PID: SIGTERM, as the kubelet sends it, and wait for the process to end.
stop_pid() {
    kill "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
}

# wait_serving PID PORT SECONDS: as wait_ready, for a server with no /readyz on its HTTPS port
# (Milvus Operator's webhook): any HTTP answer there will do.
wait_serving() {
    local pid=$1 port=$2 deadline=$((SECONDS + $3))
    until [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 --cacert "$TLS_DIR/ca.crt" "https://127.0.0.1:$port/" 2>/dev/null) != 000 ]]; do
        if ((SECONDS > deadline)) || ! kill -0 "$pid" 2>/dev/null; then
            return 1
        fi
        sleep 0.005
    done
}
