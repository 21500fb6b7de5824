package io.milvus.upgrade.server;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The heap that reviews being worked on may hold at once. A review holds a few times its body
 * while it is decoded, checked and answered; reviews that together would hold more than the
 * budget wait for their turn, and past a deadline are turned away, instead of all running out of
 * heap together (measured at -Xmx64m before the budget: of 24 conversions of 6 MB, 8 at a time,
 * 20 failed with OutOfMemoryError).
 */
final class MemoryBudget {

    private static final int KIB = 1024;

    private final int totalKib;
    private final Semaphore freeKib;

    MemoryBudget(long bytes) {
        this.totalKib = (int) Math.clamp(bytes / KIB, 1, Integer.MAX_VALUE);
        // Fair, so that a large review is not overtaken forever by a stream of small ones.
        this.freeKib = new Semaphore(totalKib, true);
    }

    /** Released when the review is answered. */
    interface Reservation extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * @param bytes what the review will hold; more than the whole budget is capped to it, so
     *              that such a review runs alone rather than never
     * @return the reservation, or null if the budget did not free up within {@code wait}
     */
    Reservation reserve(long bytes, Duration wait) throws InterruptedException {
        int kib = (int) Math.clamp(bytes / KIB, 1, totalKib);
        if (!freeKib.tryAcquire(kib, wait.toNanos(), TimeUnit.NANOSECONDS)) {
            return null;
        }
        return () -> freeKib.release(kib);
    }

    long totalBytes() {
        return (long) totalKib * KIB;
    }
}
