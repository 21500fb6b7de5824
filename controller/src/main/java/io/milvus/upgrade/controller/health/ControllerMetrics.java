package io.milvus.upgrade.controller.health;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * Reconciles and their errors, how long they take, whether this instance leads, and the current
 * state of every upgrade ({@code milvus_upgrade_state{state="BackupMeta"} 1}). The process serves
 * one registry, the default one, where the policy's reload metrics register too; tests that run
 * several in one JVM give each its own.
 */
public final class ControllerMetrics {

    private final PrometheusRegistry registry;
    private final PrometheusTextFormatWriter writer = new PrometheusTextFormatWriter(false);
    private final Counter reconciles;
    private final Counter errors;
    private final Histogram duration;
    private final Gauge leader;
    private final Gauge state;
    private final Map<String, String> states = new ConcurrentHashMap<>();

    /** On a registry of its own. */
    public ControllerMetrics() {
        this(new PrometheusRegistry());
    }

    /** On {@code registry}, with whatever else registered there (the process uses the default one). */
    public ControllerMetrics(PrometheusRegistry registry) {
        this.registry = registry;
        reconciles = Counter.builder()
                .name("milvus_upgrade_controller_reconciles_total")
                .help("Reconciles of MilvusUpgrades, by result (success, error)")
                .labelNames("result")
                .register(registry);
        errors = Counter.builder()
                .name("milvus_upgrade_controller_errors_total")
                .help("Failed reconciles, by the kind of failure")
                .labelNames("kind")
                .register(registry);
        duration = Histogram.builder()
                .name("milvus_upgrade_controller_reconcile_duration_seconds")
                .help("Time one reconcile takes, API calls included")
                .classicOnly()
                .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .register(registry);
        leader = Gauge.builder()
                .name("milvus_upgrade_controller_leader")
                .help("1 while this instance holds the Lease")
                .register(registry);
        // Every known series from the start, at 0: a rate() and an alert see the first error.
        List.of("success", "error").forEach(reconciles::initLabelValues);
        List.of("conflict", "api", "internal").forEach(errors::initLabelValues);
        state = Gauge.builder()
                .name("milvus_upgrade_state")
                .help("1 for the current state of each MilvusUpgrade")
                .labelNames("namespace", "name", "state")
                .register(registry);
    }

    public void reconciled(long nanos) {
        reconciles.labelValues("success").inc();
        duration.observe(nanos / 1e9);
    }

    public void failed(String kind, long nanos) {
        reconciles.labelValues("error").inc();
        errors.labelValues(kind).inc();
        duration.observe(nanos / 1e9);
    }

    /**
     * The work queue's keys waiting for a worker, read at each scrape: a queue that keeps growing
     * says the workers do not keep up with the events (make bench-scale samples its peak).
     */
    public void workQueue(IntSupplier depth) {
        GaugeWithCallback.builder()
                .name("milvus_upgrade_controller_work_queue_depth")
                .help("MilvusUpgrade keys queued for a reconcile and not yet taken by a worker")
                .callback(callback -> callback.call(depth.getAsInt()))
                .register(registry);
    }

    public void leading(boolean leading) {
        leader.set(leading ? 1 : 0);
    }

    /** The upgrade's current state; null once the upgrade is gone. */
    public void state(String namespace, String name, String current) {
        String key = namespace + "/" + name;
        String previous = current == null ? states.remove(key) : states.put(key, current);
        if (previous != null && !previous.equals(current)) state.remove(namespace, name, label(previous));
        if (current != null) state.labelValues(namespace, name, label(current)).set(1);
    }

    private static String label(String state) {
        return state.isEmpty() ? "Pending" : state;
    }

    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writer.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    public String contentType() {
        return writer.getContentType();
    }
}
