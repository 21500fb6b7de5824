package io.milvus.upgrade.controller.runtime;

import io.milvus.upgrade.log.LogEvent;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys to reconcile, as client-go's work queue: a key is queued at most once however many events
 * name it, is handled by at most one worker at a time, and is queued again after its handler
 * returns when an event arrived meanwhile. A failed key comes back after an exponential backoff
 * of its own; a succeeded one after the delay its handler asks for, if any.
 *
 * <p>A key has at most one delayed entry: the latest reconcile's request replaces the one before
 * it (it saw the newest state), and {@link #addAfter} keeps the earlier of two. Without that,
 * every event's reconcile started a timer chain of its own, and chains multiplied.
 */
public final class WorkQueue<K> implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkQueue.class);

    private final Function<K, Optional<Duration>> handler;
    private final Backoff backoff;
    private final ExecutorService workers;
    private final ScheduledExecutorService timer;
    private final int workerCount;

    private final Object lock = new Object();
    private final LinkedHashSet<K> queued = new LinkedHashSet<>();
    private final Set<K> processing = new HashSet<>();
    private final Set<K> dirty = new HashSet<>();
    private final Map<K, Integer> failures = new HashMap<>();
    private final Map<K, Delayed> delayed = new HashMap<>();
    private volatile boolean closed;

    /** The one pending timer of a key, and when it fires ({@link System#nanoTime()}). */
    private record Delayed(ScheduledFuture<?> timer, long dueNanos) {
    }

    /** Exponential: {@code base * 2^(failures-1)}, at most {@code max}. */
    public record Backoff(Duration base, Duration max) {
        Duration after(int failures) {
            long millis = base.toMillis() << Math.min(failures - 1, 30);
            return millis <= 0 || millis > max.toMillis() ? max : Duration.ofMillis(millis);
        }
    }

    /** @param handler reconciles one key; returns when to look again, throws to be retried with backoff */
    public WorkQueue(String name, int workerCount, Backoff backoff, Function<K, Optional<Duration>> handler) {
        this.handler = handler;
        this.backoff = backoff;
        this.workerCount = workerCount;
        this.workers = Executors.newFixedThreadPool(workerCount, Thread.ofPlatform().name(name + "-worker-", 0).daemon().factory());
        this.timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name(name + "-timer").daemon().factory());
    }

    public void start() {
        for (int i = 0; i < workerCount; i++) workers.execute(this::work);
    }

    public void add(K key) {
        synchronized (lock) {
            addLocked(key);
        }
    }

    private void addLocked(K key) {
        if (closed) return;
        if (processing.contains(key)) {
            dirty.add(key);
        } else if (queued.add(key)) {
            lock.notifyAll();
        }
    }

    /** Queues {@code key} after {@code delay}, unless an earlier delayed entry for it is pending already. */
    public void addAfter(K key, Duration delay) {
        schedule(key, delay, false);
    }

    /** Delayed entries pending, at most one per key. */
    public int delayedCount() {
        synchronized (lock) {
            return delayed.size();
        }
    }

    private void schedule(K key, Duration delay, boolean replace) {
        synchronized (lock) {
            if (closed) return;
            Delayed pending = delayed.get(key);
            long due = System.nanoTime() + Math.max(0, delay.toNanos());
            if (pending != null) {
                if (!replace && pending.dueNanos() <= due) return;
                pending.timer().cancel(false);
                delayed.remove(key);
            }
            if (delay.isZero() || delay.isNegative()) {
                addLocked(key);
                return;
            }
            Delayed[] self = new Delayed[1];
            try {
                self[0] = new Delayed(timer.schedule(() -> fire(key, self), delay.toNanos(), TimeUnit.NANOSECONDS), due);
            } catch (RejectedExecutionException e) {
                return; // closing
            }
            delayed.put(key, self[0]);
        }
    }

    /** {@code entry[0]} is read under the lock, which {@link #schedule} holds until it is set. */
    private void fire(K key, Delayed[] entry) {
        synchronized (lock) {
            // A replaced timer that fired before its cancel landed is not the key's entry any more.
            if (!delayed.remove(key, entry[0])) return;
            addLocked(key);
        }
    }

    public int depth() {
        synchronized (lock) {
            return queued.size();
        }
    }

    private void work() {
        while (!closed) {
            K key;
            try {
                key = take();
            } catch (InterruptedException e) {
                return;
            }
            Optional<Duration> again = Optional.empty();
            boolean failed = false;
            try {
                again = handler.apply(key);
            } catch (RuntimeException e) {
                failed = true;
                LogEvent.warn(LOG, "reconcile_failed").addKeyValue("key", key).addKeyValue("error", e.toString()).log();
            }
            finish(key, failed, again);
        }
    }

    private K take() throws InterruptedException {
        synchronized (lock) {
            while (queued.isEmpty()) {
                if (closed) throw new InterruptedException();
                lock.wait();
            }
            K key = queued.iterator().next();
            queued.remove(key);
            processing.add(key);
            return key;
        }
    }

    private void finish(K key, boolean failed, Optional<Duration> again) {
        synchronized (lock) {
            processing.remove(key);
            Duration next;
            if (failed) {
                next = backoff.after(failures.merge(key, 1, Integer::sum));
            } else {
                failures.remove(key);
                next = again.orElse(null);
            }
            if (next != null) {
                schedule(key, next, true);
            } else {
                Delayed pending = delayed.remove(key);
                if (pending != null) pending.timer().cancel(false);
            }
            if (dirty.remove(key) && queued.add(key)) {
                lock.notifyAll();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        synchronized (lock) {
            lock.notifyAll();
        }
        timer.shutdownNow();
        workers.shutdownNow();
        try {
            workers.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
