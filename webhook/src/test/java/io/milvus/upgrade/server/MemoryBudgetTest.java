package io.milvus.upgrade.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

    private static final long MIB = 1024 * 1024;
    private final MemoryBudget budget = new MemoryBudget(10 * MIB);

    private static long now() {
        return System.nanoTime();
    }

    private static long in(Duration wait) {
        return System.nanoTime() + wait.toNanos();
    }

    @Test
    void reviewsShareTheBudgetAndWhatIsLeftOverWaits() throws Exception {
        MemoryBudget.Reservation first = budget.open();
        MemoryBudget.Reservation second = budget.open();
        assertThat(first.growTo(6 * MIB, now())).isTrue();
        assertThat(second.growTo(4 * MIB, now())).isTrue();
        try (MemoryBudget.Reservation third = budget.open()) {
            assertThat(third.growTo(MIB, in(Duration.ofMillis(20)))).as("nothing left").isFalse();
            first.close();
            assertThat(third.growTo(6 * MIB, now())).as("freed by the first").isTrue();
        }
        second.close();
    }

    @Test
    void aReservationGrowsByWhatItLacksAndGivesBackAllOfItOnce() throws Exception {
        MemoryBudget.Reservation growing = budget.open();
        assertThat(growing.growTo(2 * MIB, now())).isTrue();
        assertThat(growing.growTo(5 * MIB, now())).isTrue();
        assertThat(growing.growTo(3 * MIB, now())).as("never shrinks").isTrue();
        assertThat(growing.heldBytes()).isEqualTo(5 * MIB);
        growing.close();
        growing.close();
        try (MemoryBudget.Reservation all = budget.open()) {
            assertThat(all.growTo(budget.totalBytes(), now())).as("closing twice gave back no more than it held").isTrue();
            try (MemoryBudget.Reservation more = budget.open()) {
                assertThat(more.growTo(1, now())).isFalse();
            }
        }
    }

    @Test
    void aWaitingReviewGoesOnAsSoonAsTheBudgetFreesUp() throws Exception {
        MemoryBudget.Reservation all = budget.open();
        assertThat(all.growTo(budget.totalBytes(), now())).isTrue();
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return budget.open().growTo(MIB, in(Duration.ofSeconds(30)));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(waiting).isNotDone();
        all.close();
        assertThat(waiting.get(30, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aReviewLargerThanTheWholeBudgetIsRefusedAtOnce() throws Exception {
        try (MemoryBudget.Reservation huge = budget.open()) {
            assertThat(huge.growTo(100 * MIB, in(Duration.ofSeconds(30)))).isFalse();
            assertThat(huge.heldBytes()).isZero();
        }
    }
}
