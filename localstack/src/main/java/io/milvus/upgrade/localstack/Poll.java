package io.milvus.upgrade.localstack;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waiting for something that happens elsewhere: poll with a deadline, never a bare sleep. */
public final class Poll {

    private static final Duration INTERVAL = Duration.ofMillis(100);

    private Poll() {
    }

    public static void until(Duration timeout, String what, BooleanSupplier condition) {
        until(timeout, INTERVAL, what, condition);
    }

    /** With a longer interval where each poll costs something (a LIST of thousands of objects). */
    public static void until(Duration timeout, Duration interval, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) return;
                last = null;
            } catch (RuntimeException e) {
                last = e;
            }
            pause(interval);
        }
        throw new AssertionError("timed out after " + timeout.toSeconds() + "s waiting for " + what
                + (last == null ? "" : " (last error: " + last + ")"), last);
    }

    /** The interval between two polls. */
    static void pause() {
        pause(INTERVAL);
    }

    private static void pause(Duration interval) {
        try {
            Thread.sleep(interval);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
