package io.milvus.upgrade.conversion;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.log.LogEvent;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema defaults of the CRD this webhook converts, read from the apiserver in the background
 * (at start, then every {@code interval}) so that a review never waits on a read. Until the first
 * read succeeds, and while the CRD cannot be read, the last known defaults (at first none) apply.
 */
public final class ServedCrdDefaults implements Supplier<SchemaDefaults>, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ServedCrdDefaults.class);

    private final KubernetesClient client;
    private final String crdName;
    private final ScheduledExecutorService refresher;
    private volatile SchemaDefaults current = SchemaDefaults.none();
    private volatile String lastProblem = "";

    public ServedCrdDefaults(KubernetesClient client, String crdName, Duration interval) {
        this.client = client;
        this.crdName = crdName;
        this.refresher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("crd-schema-defaults").daemon().factory());
        refresher.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public SchemaDefaults get() {
        return current;
    }

    private void refresh() {
        try {
            CustomResourceDefinition crd = client.apiextensions().v1().customResourceDefinitions().withName(crdName).get();
            if (crd == null) {
                report("CRD " + crdName + " not found");
                return;
            }
            current = SchemaDefaults.of(ApiSerialization.json().valueToTree(crd));
            report("");
        } catch (RuntimeException e) {
            report("reading CRD " + crdName + " failed: " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    /** One log line per change of state, not one per refresh. */
    private void report(String problem) {
        if (!problem.equals(lastProblem)) {
            lastProblem = problem;
            if (problem.isEmpty()) {
                LogEvent.info(LOG, "crd_schema_defaults").addKeyValue("crd", crdName).addKeyValue("state", "read").log();
            } else {
                LogEvent.warn(LOG, "crd_schema_defaults")
                        .addKeyValue("crd", crdName)
                        .addKeyValue("state", "unavailable").addKeyValue("reason", problem)
                        .addKeyValue("action", "conversion keeps the last defaults it read").log();
            }
        }
    }

    @Override
    public void close() {
        refresher.shutdownNow();
    }
}
