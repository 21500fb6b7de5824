package io.milvus.upgrade.edge;

import io.milvus.upgrade.policy.ReloadingPolicySource;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The policy file's reloads as Prometheus metrics, on the registry the process serves at
 * {@code /metrics}: both the webhook and the controller read the policy file, and both report.
 */
public final class PolicyReloadMetrics implements ReloadingPolicySource.Listener {

    private final Counter reloads;
    private final Gauge lastReloadOk;

    /** On the default registry, once per process however often a program starts in it (the tests start several). */
    public static PolicyReloadMetrics process() {
        return Process.INSTANCE;
    }

    private static final class Process {
        static final PolicyReloadMetrics INSTANCE = new PolicyReloadMetrics(PrometheusRegistry.defaultRegistry);
    }

    public PolicyReloadMetrics(PrometheusRegistry registry) {
        reloads = Counter.builder()
                .name("milvus_upgrade_policy_reloads_total")
                .help("Policy file reloads by result (success, failure)")
                .labelNames("result")
                .register(registry);
        // Both series from the start, at 0: a rate() and an alert see the first refusal.
        reloads.initLabelValues("success");
        reloads.initLabelValues("failure");
        lastReloadOk = Gauge.builder()
                .name("milvus_upgrade_policy_last_reload_success")
                .help("1 if the last policy file read was accepted, 0 if it was refused")
                .register(registry);
    }

    @Override
    public void loaded() {
        lastReloadOk.set(1);
    }

    @Override
    public void reloaded() {
        reloads.labelValues("success").inc();
        lastReloadOk.set(1);
    }

    @Override
    public void refused() {
        reloads.labelValues("failure").inc();
        lastReloadOk.set(0);
    }
}
