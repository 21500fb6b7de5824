package io.milvus.upgrade.controller.reconcile;

import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.controller.milvus.GroupReplicas;
import io.milvus.upgrade.controller.milvus.MilvusHealth;
import java.util.List;
import io.milvus.upgrade.controller.milvus.MilvusSpecChanges;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/** Waiting for a started Milvus to become healthy: each attempt waits up to the healthy timeout, maxRetry more follow. */
final class HealthWait {

    /** What the start messages say about HPA-managed deployment groups, which restart at a fixed count. */
    static String hpaNote(Reconciliation r) {
        List<String> hpa = GroupReplicas.hpaManaged(r.record().groupReplicas());
        return hpa.isEmpty() ? "" : "; the deployment groups " + hpa + " were scaled by an HPA (replicas -1): they start at "
                + GroupReplicas.HPA_RESTART + " replica, since an HPA does not scale a Deployment at 0; set them back to -1 once Milvus is healthy";
    }

    void await(Reconciliation r, Milvus milvus, Runnable onHealthy, Consumer<String> onTimedOut) {
        ResolvedSpec spec = r.spec();
        if (MilvusHealth.isHealthy(milvus, r.observed.deployments(),
                MilvusSpecChanges.total(r.status.getReplicasBeforeUprade(), r.record().groupReplicas()))) {
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
