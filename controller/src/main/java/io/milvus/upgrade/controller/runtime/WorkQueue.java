package io.milvus.upgrade.controller.runtime;

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
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keys to reconcile, as client-go's work queue: a key is queued at most once however many events
 * name it, is handled by at most one worker at a time, and is queued again after its handler
 * returns when an event arrived meanwhile. A failed key comes back after an exponential backoff
 * of its own; a succeeded one after the delay its handler asks for, if any.
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
    private volatile boolean closed;

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
            if (closed) return;
            if (processing.contains(key)) {
                dirty.add(key);
            } else if (queued.add(key)) {
                lock.notifyAll();
            }
        }
    }

    public void addAfter(K key, Duration delay) {
        if (closed) return;
        if (delay.isZero() || delay.isNegative()) {
            add(key);
        } else {
            timer.schedule(() -> add(key), delay.toMillis(), TimeUnit.MILLISECONDS);
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
                LOG.warn("event=reconcile_failed key={} error=\"{}\"", key, e.toString());
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
        Duration retry = null;
        synchronized (lock) {
            processing.remove(key);
            if (failed) {
                int count = failures.merge(key, 1, Integer::sum);
                retry = backoff.after(count);
            } else {
                failures.remove(key);
            }
            if (dirty.remove(key) && queued.add(key)) {
                lock.notifyAll();
            }
        }
        if (retry != null) addAfter(key, retry);
        else again.ifPresent(delay -> addAfter(key, delay));
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
