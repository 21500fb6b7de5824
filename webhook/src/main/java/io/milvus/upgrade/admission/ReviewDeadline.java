package io.milvus.upgrade.admission;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * The instant by which the review being answered must be done, set by the server for the
 * thread that answers it. Whatever the review waits for (cluster lookups above all) shares this
 * one deadline: two lookups of 2 s each, one after the other, would otherwise outlast the
 * apiserver's timeout together.
 */
public final class ReviewDeadline {

    private static final ScopedValue<Long> DEADLINE_NANOS = ScopedValue.newInstance();

    private ReviewDeadline() {
    }

    /** Runs {@code work} with a deadline of {@code deadlineNanos} ({@link System#nanoTime()}). */
    public static <T> T within(long deadlineNanos, Supplier<T> work) {
        return ScopedValue.where(DEADLINE_NANOS, deadlineNanos).call(work::get);
    }

    /** The time left, at most {@code cap}; {@code cap} when no deadline is set. */
    public static Duration remaining(Duration cap) {
        if (!DEADLINE_NANOS.isBound()) return cap;
        long left = DEADLINE_NANOS.get() - System.nanoTime();
        return left <= 0 ? Duration.ZERO : left < cap.toNanos() ? Duration.ofNanos(left) : cap;
    }
}
