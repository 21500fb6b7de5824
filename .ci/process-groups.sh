# Process groups for scripts that start what they do not control (a README block, a build, a
# server and the JVM it starts): each runs as the leader of a group of its own (setsid), so that
# stopping the group stops everything it started, grandchildren included, where killing the
# block's shell would leave its children running (a `milvus-webhook serve` left holding port 9443).
# Sourced; needs a log() function.

STARTED_GROUPS=()

# start_group OUT CMD...: runs CMD in the background as a new group's leader, output to OUT; the
# group's id (the leader's pid) in GROUP.
start_group() {
    local out=$1
    shift
    setsid "$@" >"$out" 2>&1 </dev/null &
    GROUP=$!
    STARTED_GROUPS+=("$GROUP")
}

# run_group OUT CMD...: start_group, wait for CMD to end, then stop whatever it left running;
# CMD's exit code.
run_group() {
    local rc=0
    start_group "$@"
    wait "$GROUP" || rc=$?
    stop_group "$GROUP"
    return "$rc"
}

# group_alive PGID: whether any process of the group is still running.
group_alive() {
    pgrep -g "$1" >/dev/null 2>&1
}

# stop_group PGID: SIGTERM to the whole group, SIGKILL to what is left after 10 s.
stop_group() {
    local group=$1 deadline=$((SECONDS + 10))
    kill -TERM -- "-$group" 2>/dev/null || return 0
    while group_alive "$group"; do
        if ((SECONDS > deadline)); then
            log "group $group did not stop on SIGTERM within 10 s; SIGKILL"
            kill -KILL -- "-$group" 2>/dev/null
            break
        fi
        sleep 0.1   # polling the group's end, with a deadline
    done
    wait "$group" 2>/dev/null || true
}

# stop_all_groups: stops every group start_group started; fails, naming them, if any process of
# them is still running afterwards.
stop_all_groups() {
    local group left=()
    for group in "${STARTED_GROUPS[@]}"; do stop_group "$group"; done
    for group in "${STARTED_GROUPS[@]}"; do
        if group_alive "$group"; then left+=("$(pgrep -a -g "$group" | tr '\n' ';')"); fi
    done
    if ((${#left[@]} > 0)); then
        log "processes still running after stopping them: ${left[*]}"
        return 1
    fi
}
