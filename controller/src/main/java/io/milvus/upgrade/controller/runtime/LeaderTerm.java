package io.milvus.upgrade.controller.runtime;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * One process's time with the Lease, from campaigning to its end, and what that end means for
 * the process. The first end wins: a Lease released because we stop, or lost after the controller
 * failed to start, must not turn into another exit reason.
 */
public final class LeaderTerm {

    /** Why the term ended. */
    public enum End {
        /** We were asked to stop (SIGTERM): a clean exit. */
        STOPPED,
        /** The Lease went to another: exit at once, nothing in flight may go on beside the next leader. */
        LEADERSHIP_LOST,
        /** Leading, but the controller could not start (RBAC, CRDs): exit so that a restart or another replica tries. */
        START_FAILED
    }

    private final AtomicBoolean leading = new AtomicBoolean();
    private final AtomicReference<End> end = new AtomicReference<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final AtomicReference<RuntimeException> startFailure = new AtomicReference<>();

    /**
     * The Lease is ours: runs {@code startController}; if that throws, the term ends
     * {@link End#START_FAILED} with it as {@link #startFailure()} (thrown on, it would only reach
     * fabric8's elector thread).
     */
    public void leading(Runnable startController) {
        leading.set(true);
        try {
            startController.run();
        } catch (RuntimeException e) {
            startFailure.set(e);
            end(End.START_FAILED);
        }
    }

    public Optional<RuntimeException> startFailure() {
        return Optional.ofNullable(startFailure.get());
    }

    /** The Lease is no longer ours (lost, or released on stop). */
    public void lost() {
        leading.set(false);
        end(End.LEADERSHIP_LOST);
    }

    public void stop() {
        end(End.STOPPED);
    }

    public boolean isLeading() {
        return leading.get();
    }

    /** A standby is ready (it only waits for the Lease); a leader once its caches have synced. */
    public boolean ready(BooleanSupplier controllerSynced) {
        return !leading.get() || controllerSynced.getAsBoolean();
    }

    public Optional<End> end() {
        return Optional.ofNullable(end.get());
    }

    public End await() throws InterruptedException {
        ended.await();
        return end.get();
    }

    private void end(End reason) {
        if (end.compareAndSet(null, reason)) ended.countDown();
    }
}
