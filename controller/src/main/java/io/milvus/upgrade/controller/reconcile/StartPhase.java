package io.milvus.upgrade.controller.reconcile;

import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.UpgradeState;
import io.milvus.upgrade.controller.milvus.MilvusSpecChanges;

/** {@code NewVersionStarting}: the target image on every component, the recorded replicas, then a healthy Milvus. */
final class StartPhase {

    private final HealthWait health;
    private final RollbackPhase rollback;

    StartPhase(HealthWait health, RollbackPhase rollback) {
        this.health = health;
        this.rollback = rollback;
    }

    void newVersionStarting(Reconciliation r) {
        Milvus milvus = r.requireMilvus();
        if (milvus == null || !r.requireRecord()) return;
        ResolvedSpec spec = r.spec();
        // Someone may have pinned a component while Milvus was stopped: it would stay behind on migrated metadata.
        if (!StoppingPhase.movable(r, milvus)) return;
        Milvus wanted = MilvusSpecChanges.upgraded(milvus, spec.targetImage(), spec.sourceVersion(), r.status.getReplicasBeforeUprade(),
                r.record().groupReplicas());
        if (MilvusSpecChanges.differs(milvus, wanted)) {
            r.act(new Action.UpdateMilvus(wanted));
            r.progress("starting Milvus " + spec.milvusDisplayName() + " on " + spec.targetImage() + " with the recorded replicas"
                    + HealthWait.hpaNote(r));
            r.requeue(r.settings.pollInterval());
            return;
        }
        health.await(r, milvus, () -> r.moveTo(UpgradeState.SUCCEEDED, "Milvus " + spec.milvusDisplayName() + " is healthy on " + spec.targetImage()),
                detail -> {
                    if (spec.rollbackIfFailed()) {
                        rollback.start(r, detail);
                    } else {
                        r.fail("NotHealthy", detail + ". Milvus runs " + spec.targetImage()
                                + " on migrated metadata; check its pods, or set spec.operation to rollback to return to "
                                + spec.sourceVersion() + ".");
                    }
                });
    }
}
