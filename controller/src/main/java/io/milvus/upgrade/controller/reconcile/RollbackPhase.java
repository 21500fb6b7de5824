package io.milvus.upgrade.controller.reconcile;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.UpgradeState;
import io.milvus.upgrade.controller.migration.MigrationConfig;
import io.milvus.upgrade.controller.migration.TaskKind;
import io.milvus.upgrade.controller.milvus.MilvusSpecChanges;
import java.util.ArrayList;
import java.util.List;

/**
 * The way back: stop the running Jobs and the new version, restore the metadata from the backup
 * when it was changed, then the recorded images and replicas, and wait for a healthy Milvus.
 */
final class RollbackPhase {

    private final StoppingPhase stopping;
    private final MigrationTask task;
    private final HealthWait health;

    RollbackPhase(StoppingPhase stopping, MigrationTask task, HealthWait health) {
        this.stopping = stopping;
        this.task = task;
        this.health = health;
    }

    void start(Reconciliation r, String why) {
        r.status.setIsRollbacking(true);
        if (!r.hasRecord()) {
            r.moveTo(UpgradeState.ROLLBACKED_SUCCEEDED, "nothing to roll back, Milvus was not changed (" + why + ")");
        } else {
            r.moveTo(UpgradeState.ROLLBACK_NEW_VERSION_STOPPING, "rolling back: " + why);
        }
    }

    void newVersionStopping(Reconciliation r) {
        List<Job> running = new ArrayList<>(r.observed.unfinishedJobs(TaskKind.BACKUP));
        running.addAll(r.observed.unfinishedJobs(TaskKind.UPDATE));
        if (!running.isEmpty()) {
            running.stream().filter(j -> j.getMetadata().getDeletionTimestamp() == null)
                    .forEach(j -> r.act(new Action.DeleteJob(j.getMetadata().getName())));
            r.progress("stopping the running migration Jobs");
            r.requeue(r.settings.pollInterval());
            return;
        }
        if (!r.metaChanged()) {
            r.moveTo(UpgradeState.ROLLBACK_RESTORING_OLD_META, "the metadata was not changed, so the new version never ran");
            return;
        }
        Milvus milvus = r.requireMilvus();
        if (milvus == null) return;
        stopping.stopThen(r, milvus, UpgradeState.ROLLBACK_RESTORING_OLD_META);
    }

    void restoringOldMeta(Reconciliation r) {
        if (!r.metaChanged()) {
            r.moveTo(UpgradeState.ROLLBACK_OLD_VERSION_STARTING, "the metadata was not changed, nothing to restore");
            return;
        }
        if (!Boolean.TRUE.equals(r.status.getMetaBackuped())) {
            r.moveTo(UpgradeState.ROLLBACK_FAILED, "the metadata was changed but no backup was recorded");
            return;
        }
        Milvus milvus = r.requireMilvus();
        if (milvus == null) return;
        task.run(r, milvus, TaskKind.ROLLBACK,
                () -> r.moveTo(UpgradeState.ROLLBACK_OLD_VERSION_STARTING, "metadata restored from the backup"),
                detail -> r.moveTo(UpgradeState.ROLLBACK_FAILED, detail));
    }

    void oldVersionStarting(Reconciliation r) {
        Milvus milvus = r.requireMilvus();
        if (milvus == null || !r.requireRecord()) return;
        String name = r.spec().milvusDisplayName();
        Milvus wanted = MilvusSpecChanges.rolledBack(milvus, r.record().images(), r.status.getReplicasBeforeUprade(), r.record().groupReplicas());
        if (MilvusSpecChanges.differs(milvus, wanted)) {
            r.act(new Action.UpdateMilvus(wanted));
            r.progress("starting Milvus " + name + " on its recorded images (" + r.record().images().describe() + ") with the recorded replicas"
                    + HealthWait.hpaNote(r));
            r.requeue(r.settings.pollInterval());
            return;
        }
        health.await(r, milvus, () -> r.moveTo(UpgradeState.ROLLBACKED_SUCCEEDED, "Milvus " + name + " is healthy on its old version"),
                detail -> {
                    if (r.isDeleting()) {
                        DeletionPhase.release(r, detail + "; its old images and replicas are restored");
                    } else {
                        r.fail("NotHealthy", detail + ". Milvus runs its old images on its old metadata again; check its pods.");
                    }
                });
    }

    void failed(Reconciliation r) {
        String images = r.record().images() == null ? "the images it ran before" : r.record().images().describe();
        r.fail("RollbackFailed", "Rolling back failed: Milvus " + r.spec().milvusDisplayName() + " is stopped and its metadata may be partly "
                + "migrated. The backup (" + MigrationConfig.BACKUP_FILE + " on PVC " + r.status.getBackupPVC() + ") is kept. Restore it with the "
                + "meta-migration tool (cmd.type: rollback), then set the images back to " + images
                + " and the replicas to " + r.status.getReplicasBeforeUprade() + ".");
    }
}
