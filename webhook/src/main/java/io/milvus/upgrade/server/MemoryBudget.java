package io.milvus.upgrade.server;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The heap that reviews being worked on may hold at once. A review is charged as it goes: each
 * piece of its body as it arrives (so a client slow to send holds only what it has sent), then
 * what decoding and answering it will hold, estimated from the shape of its JSON (so that cost
 * follows what the review really allocates, not its length). Reviews that together would hold
 * more wait for their turn until their deadline, instead of all running out of heap together
 * (measured at -Xmx64m before any budget: of 24 conversions of 6 MB, 8 at a time, 20 failed with
 * OutOfMemoryError).
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

    long totalBytes() {
        return (long) totalKib * KIB;
    }

    /** What the reviews in flight hold now. */
    long heldBytes() {
        return (long) (totalKib - freeKib.availablePermits()) * KIB;
    }

    /** An empty reservation, grown as the review needs more; closing it gives back all of it. */
    Reservation open() {
        return new Reservation();
    }

    final class Reservation implements AutoCloseable {
        private int heldKib;
        private boolean closed;

        /**
         * Grows what this review holds to {@code bytes}, waiting for others until {@code deadlineNanos}.
         *
         * @return false if the budget did not free up in time, or the review needs more than all of it
         */
        synchronized boolean growTo(long bytes, long deadlineNanos) throws InterruptedException {
            if (closed) return false;
            long wantedKib = Math.ceilDiv(Math.max(bytes, 0), KIB);
            if (wantedKib > totalKib) return false;
            int more = (int) wantedKib - heldKib;
            if (more <= 0) return true;
            if (!freeKib.tryAcquire(more, Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return false;
            }
            heldKib += more;
            return true;
        }

        synchronized long heldBytes() {
            return (long) heldKib * KIB;
        }

        @Override
        public synchronized void close() {
            if (closed) return;
            closed = true;
            freeKib.release(heldKib);
            heldKib = 0;
        }
    }
}
