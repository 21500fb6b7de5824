# Sourced by the launchers in bin/: finds a JDK 25 or later and runs one of the project's jars.
# Order: $JAVA_HOME, then /usr/lib/jvm/*25* (where Temurin's and Debian's packages install),
# then `java` on PATH (LAUNCHER_JVM_ROOT replaces /usr/lib/jvm, for tests). With none, one line says what to install (exit 3, as the jars do).

# The feature release of the java binary $1 (8 for "1.8.0_392", 17 for "17.0.15"), or nothing.
java_feature() {
    local line
    line=$("$1" -XshowSettings:properties -version 2>&1 | grep -m1 'java.specification.version') || return 0
    line=${line##*= }
    line=${line#1.}
    echo "${line%%.*}"
}

# Prints the path of a java binary of release 25 or later, or fails.
find_java_25() {
    local candidates=() feature dir
    [[ -n ${JAVA_HOME:-} ]] && candidates+=("$JAVA_HOME/bin/java")
    for dir in "${LAUNCHER_JVM_ROOT:-/usr/lib/jvm}"/*25*; do
        [[ -d $dir ]] && candidates+=("$dir/bin/java")
    done
    command -v java >/dev/null 2>&1 && candidates+=("$(command -v java)")
    for java in "${candidates[@]}"; do
        [[ -x $java ]] || continue
        feature=$(java_feature "$java")
        if [[ -n $feature && $feature -ge 25 ]]; then
            echo "$java"
            return 0
        fi
    done
    return 1
}

# run_jar NAME JAR ARGS...: execs the jar with a JDK 25, or says why it cannot.
run_jar() {
    local name=$1 jar=$2 java
    shift 2
    if ! java=$(find_java_25); then
        echo "$name: needs a JDK 25 or later, and none was found (JAVA_HOME, /usr/lib/jvm/*25*, PATH): install one, e.g. Temurin 25 from https://adoptium.net (apt package temurin-25-jdk), or set JAVA_HOME to it" >&2
        exit 3
    fi
    if [[ ! -f $jar ]]; then
        echo "$name: $jar is missing: build it first with 'make build'" >&2
        exit 3
    fi
    exec "$java" ${JAVA_OPTS:-} -jar "$jar" "$@"
}
