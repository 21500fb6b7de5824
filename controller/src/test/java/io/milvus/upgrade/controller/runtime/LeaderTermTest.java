package io.milvus.upgrade.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.controller.runtime.LeaderTerm.End;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class LeaderTermTest {

    @Test
    void aStandbyIsReadyAndHasNotEnded() {
        LeaderTerm term = new LeaderTerm();

        assertThat(term.isLeading()).isFalse();
        assertThat(term.ready(() -> false)).isTrue();
        assertThat(term.end()).isEmpty();
    }

    @Test
    void aLeaderStartsItsControllerAndIsReadyOnceSynced() {
        LeaderTerm term = new LeaderTerm();
        AtomicBoolean started = new AtomicBoolean();

        term.leading(() -> started.set(true));

        assertThat(started).isTrue();
        assertThat(term.isLeading()).isTrue();
        assertThat(term.ready(() -> false)).isFalse();
        assertThat(term.ready(() -> true)).isTrue();
        assertThat(term.end()).isEmpty();
    }

    @Test
    void losingTheLeaseEndsTheTerm() throws InterruptedException {
        LeaderTerm term = new LeaderTerm();
        term.leading(() -> { });

        term.lost();

        assertThat(term.await()).isEqualTo(End.LEADERSHIP_LOST);
        assertThat(term.isLeading()).isFalse();
    }

    @Test
    void aControllerThatCannotStartEndsTheTermAndALaterLossDoesNotRenameIt() throws InterruptedException {
        LeaderTerm term = new LeaderTerm();
        IllegalStateException failure = new IllegalStateException("the informer caches did not sync");

        term.leading(() -> {
            throw failure;
        });
        term.lost();

        assertThat(term.await()).isEqualTo(End.START_FAILED);
        assertThat(term.startFailure()).containsSame(failure);
    }

    /** Stopping releases the Lease, which the elector reports as a loss: still a clean stop. */
    @Test
    void theLeaseReleasedOnStopIsAStopNotALoss() throws InterruptedException {
        LeaderTerm term = new LeaderTerm();
        term.leading(() -> { });

        term.stop();
        term.lost();

        assertThat(term.await()).isEqualTo(End.STOPPED);
        assertThat(term.startFailure()).isEmpty();
    }
}
