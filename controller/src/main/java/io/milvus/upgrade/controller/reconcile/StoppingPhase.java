package io.milvus.upgrade.controller.reconcile;

import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.UpgradeState;
import io.milvus.upgrade.controller.milvus.ComponentImages;
import io.milvus.upgrade.controller.milvus.GroupReplicas;
import io.milvus.upgrade.controller.milvus.MilvusHealth;
import io.milvus.upgrade.controller.milvus.MilvusSpecChanges;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code Pending} and {@code OldVersionStopping}: check that the upgrade can move every component,
 * record the images and replicas (in a reconcile of its own: nothing changes on Milvus before the
 * record is stored), then stop Milvus and wait for its sessions to expire. The rollback stops the
 * new version the same way.
 */
final class StoppingPhase {

    void pending(Reconciliation r) {
        Milvus milvus = r.requireMilvus();
        if (milvus == null || !movable(r, milvus)) return;
        r.moveTo(UpgradeState.OLD_VERSION_STOPPING, "upgrading Milvus " + r.spec().milvusDisplayName()
                + " from " + r.spec().sourceVersion() + " to " + r.spec().targetVersion());
    }

    void oldVersionStopping(Reconciliation r) {
        Milvus milvus = r.requireMilvus();
        if (milvus == null) return;
        if (!r.hasRecord()) {
            if (!movable(r, milvus)) return;
            r.recordImagesAndReplicas(ComponentImages.record(milvus), MilvusSpecChanges.replicas(milvus), GroupReplicas.record(milvus));
            r.progress("recorded the images and replicas of Milvus " + r.spec().milvusDisplayName());
            r.requeue(Duration.ZERO);
            return;
        }
        stopThen(r, milvus, UpgradeState.BACKUP_META);
    }

    /** Whether the upgrade can move every running component; blocks it, saying which it cannot, otherwise. */
    static boolean movable(Reconciliation r, Milvus milvus) {
        List<String> unmovable = ComponentImages.unmovable(milvus, r.spec().targetImage(), r.spec().sourceVersion());
        if (unmovable.isEmpty()) return true;
        r.block("ComponentsCannotBeMoved", "the upgrade to " + r.spec().targetImage() + " would leave components of Milvus "
                + r.spec().milvusDisplayName() + " on their old image, on migrated metadata, so it does not start: "
                + String.join("; ", unmovable));
        r.requeue(r.settings.pollInterval());
        return false;
    }

    /** Scales every component to 0, waits until the Deployments report it, then the settle period. */
    void stopThen(Reconciliation r, Milvus milvus, UpgradeState next) {
        String name = r.spec().milvusDisplayName();
        if (!MilvusSpecChanges.isStopped(milvus)) {
            r.act(new Action.UpdateMilvus(MilvusSpecChanges.stopped(milvus)));
            r.progress("scaling every component" + (GroupReplicas.record(milvus).isEmpty() ? "" : " and deployment group")
                    + " of Milvus " + name + " to 0 replicas");
            r.requeue(r.settings.pollInterval());
            return;
        }
        if (!MilvusHealth.allStopped(r.observed.deployments())) {
            r.progress(r.observed.deployments().isEmpty()
                    ? "no Deployment carries " + MilvusHealth.INSTANCE_LABEL + "=" + r.spec().milvusName() + " in namespace "
                            + r.spec().milvusNamespace() + ": waiting for evidence that Milvus " + name + " is stopped"
                    : "waiting for the Deployments of Milvus " + name + " to report 0 replicas");
            r.requeue(r.settings.pollInterval());
            return;
        }
        Duration settle = r.settings.settlePeriod();
        String settling = "Milvus " + name + " is stopped; waiting " + settle.toSeconds() + "s for its sessions to expire";
        Instant stoppedAt = r.milvusStoppedAt();
        if (!settle.isZero() && stoppedAt == null) {
            r.milvusStoppedNow();
            r.progress(settling);
            r.requeue(settle);
            return;
        }
        Duration left = stoppedAt == null ? Duration.ZERO : settle.minus(Duration.between(stoppedAt, r.now));
        if (left.isPositive()) {
            r.progress(settling);
            r.requeue(left);
            return;
        }
        r.moveTo(next, "Milvus " + name + " is stopped");
    }
}
