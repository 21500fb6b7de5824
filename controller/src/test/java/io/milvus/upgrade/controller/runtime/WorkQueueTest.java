package io.milvus.upgrade.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class WorkQueueTest {

    static final WorkQueue.Backoff BACKOFF = new WorkQueue.Backoff(Duration.ofMillis(20), Duration.ofSeconds(1));

    /** Polls {@code condition} until {@code timeout}. */
    static void await(Duration timeout, String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting for " + what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    static WorkQueue<String> queue(Function<String, Optional<Duration>> handler) {
        return new WorkQueue<>("test", 2, BACKOFF, handler);
    }

    /**
     * The probe from the review: 10 events for one key, each reconcile asking to run again in
     * 500 ms. One pending entry per key: about 4 timer reconciles in 2 s, plus the coalesced
     * events. Before, every reconcile's timer started a chain of its own: 50 in 2.2 s.
     */
    @Test
    void delayedRequeuesOfOneKeyDoNotMultiply() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        try (WorkQueue<String> queue = queue(key -> {
            runs.incrementAndGet();
            return Optional.of(Duration.ofMillis(500));
        })) {
            queue.start();
            for (int i = 0; i < 10; i++) {
                queue.add("k");
                Thread.sleep(20); // events spaced as an informer delivers them, not a synchronisation
            }
            long end = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (System.nanoTime() < end) {
                assertThat(queue.delayedCount()).isLessThanOrEqualTo(1);
                Thread.sleep(50); // sampling the pending entries over the window
            }
        }
        System.out.println("WorkQueue: reconciles in 2.2 s for 10 events with a 500 ms requeue: " + runs.get());
        assertThat(runs.get()).isBetween(4, 15);
    }

    @Test
    void theLatestReconcilesRequestReplacesTheEarlierOne() throws Exception {
        List<Duration> answers = new CopyOnWriteArrayList<>(List.of(Duration.ofMinutes(10), Duration.ofMillis(50)));
        AtomicInteger runs = new AtomicInteger();
        try (WorkQueue<String> queue = queue(key -> {
            int run = runs.getAndIncrement();
            return run < answers.size() ? Optional.of(answers.get(run)) : Optional.empty();
        })) {
            queue.start();
            queue.add("k");
            await(Duration.ofSeconds(5), "the first run", () -> runs.get() == 1 && queue.delayedCount() == 1);
            queue.add("k"); // an event: this reconcile asks for 50 ms, replacing the 10 minutes
            await(Duration.ofSeconds(5), "the requeue after 50 ms", () -> runs.get() == 3);
            await(Duration.ofSeconds(5), "no entry left once the handler asks for none", () -> queue.delayedCount() == 0);
        }
    }

    @Test
    void addAfterKeepsTheEarlierOfTwoEntries() throws Exception {
        CountDownLatch ran = new CountDownLatch(1);
        try (WorkQueue<String> queue = queue(key -> {
            ran.countDown();
            return Optional.empty();
        })) {
            queue.start();
            queue.addAfter("k", Duration.ofMillis(100));
            queue.addAfter("k", Duration.ofMinutes(10));
            assertThat(queue.delayedCount()).isEqualTo(1);
            assertThat(ran.await(5, TimeUnit.SECONDS)).as("the 100 ms entry stayed").isTrue();
        }
    }

    @Test
    void eventsForABusyKeyAreCoalescedIntoOneMoreRunAndKeysNeverRunConcurrently() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        try (WorkQueue<String> queue = queue(key -> {
            int now = concurrent.incrementAndGet();
            maxConcurrent.accumulateAndGet(now, Math::max);
            try {
                if (runs.incrementAndGet() == 1) release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            concurrent.decrementAndGet();
            return Optional.empty();
        })) {
            queue.start();
            queue.add("k");
            await(Duration.ofSeconds(5), "the first run", () -> runs.get() == 1);
            for (int i = 0; i < 5; i++) queue.add("k");
            release.countDown();
            await(Duration.ofSeconds(5), "one more run", () -> runs.get() == 2);
            assertThat(queue.depth()).isZero();
        }
        assertThat(runs.get()).isEqualTo(2);
        assertThat(maxConcurrent.get()).isEqualTo(1);
    }

    @Test
    void aFailingKeyIsRetriedWithGrowingBackoffAndOthersGoOn() throws Exception {
        Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
        try (WorkQueue<String> queue = queue(key -> {
            int run = runs.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
            if (key.equals("bad") && run < 4) throw new IllegalStateException("boom");
            return Optional.empty();
        })) {
            queue.start();
            queue.add("bad");
            queue.add("good");
            await(Duration.ofSeconds(5), "the bad key succeeds on its 4th run", () -> runs.containsKey("bad") && runs.get("bad").get() == 4);
            assertThat(runs.get("good").get()).isEqualTo(1);
        }
        assertThat(BACKOFF.after(1)).isEqualTo(Duration.ofMillis(20));
        assertThat(BACKOFF.after(3)).isEqualTo(Duration.ofMillis(80));
        assertThat(BACKOFF.after(40)).isEqualTo(Duration.ofSeconds(1));
    }
}
