package io.milvus.upgrade.controller.reconcile;

import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.controller.milvus.MilvusHealth;
import io.milvus.upgrade.controller.milvus.MilvusSpecChanges;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/** Waiting for a started Milvus to become healthy: each attempt waits up to the healthy timeout, maxRetry more follow. */
final class HealthWait {

    void await(Reconciliation r, Milvus milvus, Runnable onHealthy, Consumer<String> onTimedOut) {
        ResolvedSpec spec = r.spec();
        if (MilvusHealth.isHealthy(milvus, r.observed.deployments(), MilvusSpecChanges.total(r.status.getReplicasBeforeUprade()))) {
            onHealthy.run();
            return;
        }
        Instant started = r.stepStartedAt();
        Duration timeout = r.settings.healthyTimeout();
        Duration left = timeout.minus(Duration.between(started, r.now));
        int attempt = r.retried();
        if (left.isPositive()) {
            r.progress("waiting for Milvus " + spec.milvusDisplayName() + " to become healthy (attempt " + (attempt + 1)
                    + " of " + (spec.maxRetry() + 1) + ", up to " + timeout.toSeconds() + "s each)");
            r.requeue(left.compareTo(r.settings.pollInterval()) < 0 ? left : r.settings.pollInterval());
        } else if (attempt < spec.maxRetry()) {
            r.retry("Milvus " + spec.milvusDisplayName() + " is not healthy after " + timeout.toSeconds() + "s; waiting again");
        } else {
            onTimedOut.accept("Milvus " + spec.milvusDisplayName() + " did not become healthy within " + timeout.toSeconds()
                    + "s, " + (attempt + 1) + " time(s)");
        }
    }
}
