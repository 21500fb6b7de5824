package io.milvus.upgrade.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.localstack.ScaleBench;
import io.milvus.upgrade.localstack.ScaleResult;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code make bench-scale}'s smoke test: the benchmark itself at N = 10, bounded in time (its
 * wait for all Succeeded gives up after 3 minutes), with issue 28's per-upgrade targets.
 */
@Tag("e2e")
class ScaleBenchE2E {

    @Test
    void tenUpgradesSucceedWithinTheirReviewAndReconcileBudget(@TempDir Path dir) {
        ScaleResult result = new ScaleBench(dir, Duration.ofMinutes(3), System.out).run(10);
        System.out.println(result.table());

        assertThat(result.reviewP99Ms()).isPositive();
        assertThat(result.reconcilesPerUpgrade()).as("reconciles per upgrade").isBetween(5.0, 25.0);
        assertThat(result.apiserverRequestsPerUpgrade()).isPositive();
        assertThat(result.webhookRssKib()).isPositive();
        assertThat(result.controllerRssKib()).isPositive();
        assertThat(result.controllerLiveHeapKib()).as("jcmd attached to the controller").isPositive();
        if (result.matchConditions()) {
            // Left: the MilvusUpgrade's create (mutate, validate) and the controller's two Milvus spec changes (stop, start).
            assertThat(result.reviewsPerUpgrade()).as("reviews per upgrade with matchConditions").isBetween(4.0, 6.0);
        } else {
            // Without them the controller's metadata writes are reviewed too, each on both MilvusUpgrade webhooks.
            assertThat(result.reviewsPerUpgrade()).as("reviews per upgrade without matchConditions").isGreaterThan(6.0);
        }
    }
}
