package io.milvus.upgrade.controller.reconcile;

import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.UpgradeState;
import io.milvus.upgrade.controller.migration.ChildNames;
import io.milvus.upgrade.controller.migration.MigrationJobFactory;
import io.milvus.upgrade.controller.migration.TaskKind;
import java.time.Duration;

/**
 * {@code UpdatingMeta}, and what follows a failed backup or migration: roll back, or stop and say
 * what to do when {@code rollbackIfFailed} is false.
 */
final class MigrationPhase {

    private final MigrationTask task;
    private final RollbackPhase rollback;

    MigrationPhase(MigrationTask task, RollbackPhase rollback) {
        this.task = task;
        this.rollback = rollback;
    }

    void updatingMeta(Reconciliation r) {
        Milvus milvus = r.requireMilvus();
        if (milvus == null) return;
        if (!r.metaChanged()) {
            // Stored before the migration starts: from here on, a rollback restores the backup.
            r.status.setMetaStorageChanged(true);
            r.progress("starting the metadata migration");
            r.requeue(Duration.ZERO);
            return;
        }
        task.run(r, milvus, TaskKind.UPDATE,
                () -> r.moveTo(UpgradeState.NEW_VERSION_STARTING, "metadata migrated to " + r.spec().targetVersion()),
                detail -> r.moveTo(UpgradeState.UPDATE_META_FAILED, detail));
    }

    void failedStep(Reconciliation r, UpgradeState state) {
        ResolvedSpec spec = r.spec();
        if (spec.rollbackIfFailed()) {
            rollback.start(r, state.wireName() + " and rollbackIfFailed is true");
            return;
        }
        r.fail(state.wireName(), "Milvus " + spec.milvusDisplayName()
                + " is stopped (every component at 0 replicas) and stays stopped: the "
                + (state == UpgradeState.BACKUP_META_FAILED ? "metadata backup" : "metadata migration")
                + " failed " + (spec.maxRetry() + 1) + " time(s) and rollbackIfFailed is false. "
                + (r.metaChanged() ? "Its metadata may be partly migrated; the backup is on PVC " + r.status.getBackupPVC() + ". "
                                   : "Its metadata was not changed. ")
                + "The tool's logs are in the Jobs labelled " + MigrationJobFactory.LABEL_UPGRADE + "=" + ChildNames.label(spec.name())
                + ". To bring Milvus back on its old version, set spec.operation to rollback or delete this MilvusUpgrade.");
    }
}
