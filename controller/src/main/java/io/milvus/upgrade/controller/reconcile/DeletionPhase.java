package io.milvus.upgrade.controller.reconcile;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.milvus.upgrade.api.v1beta1.UpgradeState;
import io.milvus.upgrade.controller.migration.MigrationJobFactory;
import java.util.Optional;

/**
 * A MilvusUpgrade being deleted: Milvus comes back first (a rollback), then what the upgrade
 * created is deleted, and only then the finalizer goes. Nothing it created carries an owner
 * reference, so no garbage collector (foreground deletion included) takes the backup away
 * while the rollback still needs it.
 */
final class DeletionPhase {

    private final RollbackPhase rollback;

    DeletionPhase(RollbackPhase rollback) {
        this.rollback = rollback;
    }

    /** Whether deletion decided this reconcile; if not, the rollback step of {@code state} runs on. */
    boolean decide(Reconciliation r, UpgradeState state) {
        if (!r.hasFinalizer()) return true;
        if (state == UpgradeState.PENDING || !r.hasRecord()) {
            release(r, "Milvus was not changed");
        } else if (state == UpgradeState.SUCCEEDED || state == UpgradeState.ROLLBACKED_SUCCEEDED) {
            release(r, "the upgrade is finished");
        } else if (state == UpgradeState.ROLLBACK_FAILED) {
            releaseKeepingBackup(r, "the rollback had failed; Milvus stays stopped");
        } else if (r.observed.milvus().isEmpty()) {
            releaseKeepingBackup(r, "Milvus " + r.spec().milvusDisplayName() + " no longer exists");
        } else if (!r.isRollingBack()) {
            rollback.start(r, "the MilvusUpgrade is being deleted");
        } else {
            return false;
        }
        return true;
    }

    /** Deletes what the upgrade created, the backup PVC included, then removes the finalizer. */
    static void release(Reconciliation r, String why) {
        deleteJobsAndConfigMaps(r);
        ownBackupPvc(r).ifPresent(pvc -> r.act(new Action.DeleteBackupPvc(pvc.getMetadata().getName())));
        removeFinalizer(r, why);
    }

    /** As {@link #release}, but the backup PVC stays: it may hold the only good copy of the metadata. */
    static void releaseKeepingBackup(Reconciliation r, String why) {
        deleteJobsAndConfigMaps(r);
        ownBackupPvc(r).ifPresent(pvc -> r.event(UpgradeEvent.warning("BackupKept", "the backup PVC " + pvc.getMetadata().getName()
                + " stays after this MilvusUpgrade is deleted; delete it once the metadata is safe")));
        removeFinalizer(r, why);
    }

    private static void deleteJobsAndConfigMaps(Reconciliation r) {
        r.observed.jobs().stream().filter(j -> j.getMetadata().getDeletionTimestamp() == null)
                .forEach(j -> r.act(new Action.DeleteJob(j.getMetadata().getName())));
        r.observed.configMaps().forEach(c -> r.act(new Action.DeleteConfigMap(c.getMetadata().getName())));
    }

    private static Optional<PersistentVolumeClaim> ownBackupPvc(Reconciliation r) {
        return r.observed.pvcNamedAsUpgrade().filter(pvc -> MigrationJobFactory.createdBy(pvc, r.upgrade));
    }

    private static void removeFinalizer(Reconciliation r, String why) {
        r.act(new Action.RemoveFinalizer());
        r.event(UpgradeEvent.normal("Released", "finalizer removed: " + why));
    }
}
