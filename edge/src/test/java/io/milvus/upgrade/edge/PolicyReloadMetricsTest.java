package io.milvus.upgrade.edge;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.policy.ReloadingPolicySource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyReloadMetricsTest {

    @Test
    void aRefusedFileCountsAFailureAndClearsTheGauge(@TempDir Path dir) throws Exception {
        PrometheusRegistry registry = new PrometheusRegistry();
        Path file = Files.writeString(dir.resolve("policy.yaml"), "defaultMaxRetry: 1\n");
        try (ReloadingPolicySource source = ReloadingPolicySource.start(file, Duration.ofHours(1), new PolicyReloadMetrics(registry))) {
            assertThat(lastReloadOk(registry)).isEqualTo(1);
            Files.writeString(file, "defaultMaxRetry: [broken\n");
            source.reloadIfChanged();
            assertThat(lastReloadOk(registry)).isEqualTo(0);
            Files.writeString(file, "defaultMaxRetry: 2\n");
            source.reloadIfChanged();
            assertThat(lastReloadOk(registry)).isEqualTo(1);
            assertThat(reloads(registry, "failure")).isEqualTo(1);
            assertThat(reloads(registry, "success")).isEqualTo(1);
        }
    }

    private static double lastReloadOk(PrometheusRegistry registry) {
        MetricSnapshots all = registry.scrape();
        return all.stream().filter(m -> m.getMetadata().getName().equals("milvus_upgrade_policy_last_reload_success"))
                .map(m -> ((GaugeSnapshot) m).getDataPoints().getFirst().getValue()).findFirst().orElseThrow();
    }

    private static double reloads(PrometheusRegistry registry, String result) {
        return registry.scrape().stream().filter(m -> m.getMetadata().getName().equals("milvus_upgrade_policy_reloads"))
                .flatMap(m -> ((CounterSnapshot) m).getDataPoints().stream())
                .filter(p -> result.equals(p.getLabels().get("result"))).mapToDouble(CounterSnapshot.CounterDataPointSnapshot::getValue)
                .findFirst().orElse(0);
    }
}
