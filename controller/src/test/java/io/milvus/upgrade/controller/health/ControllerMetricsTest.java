package io.milvus.upgrade.controller.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.edge.PolicyReloadMetrics;
import io.milvus.upgrade.policy.ReloadingPolicySource;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControllerMetricsTest {

    /** As ControllerMain wires it: the policy's reload metrics are served with the controller's own. */
    @Test
    void theProcessRegistryServesThePolicyReloadMetricsBesideTheControllers(@TempDir Path dir) throws Exception {
        Path policy = Files.writeString(dir.resolve("policy.yaml"), "rules:\n  upgradePath: warn\n");
        try (ReloadingPolicySource source = ReloadingPolicySource.start(policy, Duration.ofHours(1), PolicyReloadMetrics.process())) {
            Files.writeString(policy, "rules: [not a policy\n");
            source.reloadIfChanged();
            ControllerMetrics metrics = new ControllerMetrics(PrometheusRegistry.defaultRegistry);
            metrics.reconciled(1_000_000);
            assertThat(metrics.scrape()).contains("milvus_upgrade_policy_last_reload_success 0.0",
                    "milvus_upgrade_policy_reloads_total{result=\"failure\"}", "milvus_upgrade_controller_reconciles_total{result=\"success\"} 1.0");
        }
    }

    @Test
    void aRegistryOfItsOwnKeepsTwoControllersInOneJvmApart() {
        ControllerMetrics first = new ControllerMetrics();
        ControllerMetrics second = new ControllerMetrics();
        first.leading(true);
        assertThat(first.scrape()).contains("milvus_upgrade_controller_leader 1.0");
        assertThat(second.scrape()).contains("milvus_upgrade_controller_leader 0.0");
    }
}
