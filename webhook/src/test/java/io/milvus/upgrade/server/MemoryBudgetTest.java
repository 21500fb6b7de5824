package io.milvus.upgrade.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MemoryBudgetTest {

    private static final Duration NO_WAIT = Duration.ZERO;
    private final MemoryBudget budget = new MemoryBudget(10 * 1024 * 1024);

    @Test
    void reviewsShareTheBudgetAndWhatIsLeftOverWaits() throws Exception {
        MemoryBudget.Reservation first = budget.reserve(6 * 1024 * 1024, NO_WAIT);
        MemoryBudget.Reservation second = budget.reserve(4 * 1024 * 1024, NO_WAIT);
        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(budget.reserve(1024 * 1024, Duration.ofMillis(20))).as("nothing left").isNull();
        first.close();
        assertThat(budget.reserve(6 * 1024 * 1024, NO_WAIT)).as("freed by the first").isNotNull();
    }

    @Test
    void aWaitingReviewGoesOnAsSoonAsTheBudgetFreesUp() throws Exception {
        MemoryBudget.Reservation all = budget.reserve(budget.totalBytes(), NO_WAIT);
        CompletableFuture<MemoryBudget.Reservation> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return budget.reserve(1024 * 1024, Duration.ofSeconds(30));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(waiting).isNotDone();
        all.close();
        assertThat(waiting.get(30, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void aReviewLargerThanTheWholeBudgetRunsAlone() throws Exception {
        MemoryBudget.Reservation huge = budget.reserve(100L * 1024 * 1024, NO_WAIT);
        assertThat(huge).isNotNull();
        assertThat(budget.reserve(1, NO_WAIT)).isNull();
        huge.close();
        assertThat(budget.reserve(1, NO_WAIT)).isNotNull();
    }
}
