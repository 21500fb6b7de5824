package io.milvus.upgrade.controller.reconcile;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.UpgradeState;
import io.milvus.upgrade.controller.migration.MigrationJobFactory;
import io.milvus.upgrade.controller.migration.TaskKind;
import java.util.Optional;

/**
 * {@code BackupMeta}: the backup PVC, then the backup Job. The controller writes only into a PVC
 * that this very upgrade created, or that the spec names: a PVC of the same name left by an
 * earlier upgrade may hold the only good backup of a failed rollback.
 */
final class BackupPhase {

    private final MigrationJobFactory factory;
    private final MigrationTask task;

    BackupPhase(MigrationJobFactory factory, MigrationTask task) {
        this.factory = factory;
        this.task = task;
    }

    void backupMeta(Reconciliation r) {
        Milvus milvus = r.requireMilvus();
        if (milvus == null) return;
        ResolvedSpec spec = r.spec();
        r.status.setBackupPVC(spec.backupPvc());
        if (spec.createsBackupPvc() && !backupPvcReady(r)) return;
        task.run(r, milvus, TaskKind.BACKUP, () -> {
            r.status.setMetaBackuped(true);
            r.moveTo(UpgradeState.UPDATING_META, "metadata backed up to PVC " + spec.backupPvc());
        }, detail -> r.moveTo(UpgradeState.BACKUP_META_FAILED, detail));
    }

    /** Creates the PVC and waits to see it; blocks when the name is taken by a PVC this upgrade did not create. */
    private boolean backupPvcReady(Reconciliation r) {
        String name = r.spec().backupPvc();
        Optional<PersistentVolumeClaim> pvc = r.observed.pvcNamedAsUpgrade();
        if (pvc.isEmpty()) {
            r.act(new Action.CreateBackupPvc(factory.backupPvc(r.upgrade, name)));
            r.progress("creating the backup PVC " + name);
            r.requeue(r.settings.pollInterval());
            return false;
        }
        if (!MigrationJobFactory.createdBy(pvc.get(), r.upgrade)) {
            r.block("BackupPvcTaken", "PVC " + name + " exists and this MilvusUpgrade did not create it (a backup kept from an earlier "
                    + "upgrade of the same name?): the controller writes into no PVC it did not create. To back up into that PVC, "
                    + "name it in spec.backupPVC; otherwise delete it, or re-create this upgrade under another name.");
            r.requeue(r.settings.pollInterval());
            return false;
        }
        return true;
    }
}
