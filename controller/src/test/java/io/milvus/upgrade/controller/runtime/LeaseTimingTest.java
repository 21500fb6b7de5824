package io.milvus.upgrade.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LeaseTimingTest {

    @Test
    void theDefaultLeaseRenewsAtTwoThirdsAndRetriesAtAFifth() {
        assertThat(LeaseTiming.of(Duration.ofSeconds(15)))
                .isEqualTo(new LeaseTiming(Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(3)));
    }

    @Test
    void theShortestLeaseStillSatisfiesTheElectorsRule() {
        LeaseTiming timing = LeaseTiming.of(Duration.ofSeconds(1));

        assertThat(timing.retryPeriod().multipliedBy(6).dividedBy(5)).isLessThan(timing.renewDeadline());
        assertThat(timing.renewDeadline()).isLessThan(timing.leaseDuration());
    }

    @Test
    void aLeaseUnderASecondIsRefusedInTheFlagsTerms() {
        assertThatThrownBy(() -> LeaseTiming.of(Duration.ofMillis(900)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("--lease-duration 900ms is too short: a Lease counts whole seconds");
    }

    @Test
    void aRenewDeadlineThatAJitteredRetryOverrunsIsRefused() {
        assertThatThrownBy(() -> new LeaseTiming(Duration.ofSeconds(15), Duration.ofSeconds(6), Duration.ofSeconds(5)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not hold");
        assertThatThrownBy(() -> new LeaseTiming(Duration.ofSeconds(15), Duration.ofSeconds(15), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("does not hold");
    }
}
