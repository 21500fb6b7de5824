package io.milvus.upgrade.policy;

import io.milvus.upgrade.version.Version;
import java.util.List;
import java.util.Optional;

/**
 * A change of {@code spec.dependencies.msgStreamType} on a running Milvus, outside a version step
 * (a step freezes the queue), and from which version Milvus supports it online.
 *
 * @param from  the queues switched from ({@code pulsar}, {@code kafka})
 * @param to    the queues switched to ({@code woodpecker})
 * @param since the lowest version that runs the switch; empty: never supported
 */
public record QueueSwitch(List<String> from, List<String> to, Optional<Version> since) {

    public QueueSwitch {
        from = List.copyOf(from);
        to = List.copyOf(to);
        if (from.isEmpty() || to.isEmpty()) throw new IllegalArgumentException("a queue switch names the queues it is from and to");
    }

    public boolean covers(String before, String after) {
        return from.contains(before) && to.contains(after);
    }

    /** Whether a Milvus running {@code version} may switch. */
    public boolean allowsAt(Version version) {
        return since.filter(version::isAtLeast).isPresent();
    }

    /** The first switch of {@code switches} that covers a change from {@code before} to {@code after}. */
    public static Optional<QueueSwitch> find(List<QueueSwitch> switches, String before, String after) {
        return switches.stream().filter(s -> s.covers(before, after)).findFirst();
    }
}
