package io.milvus.upgrade.controller.reconcile;

import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.UpgradeState;
import io.milvus.upgrade.controller.config.ControllerSettings;
import io.milvus.upgrade.controller.migration.MigrationJobFactory;
import io.milvus.upgrade.policy.PolicySource;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The upgrade state machine of spec section 6 as a function: a MilvusUpgrade (its status and its
 * {@link UpgradeRecord} are the only memory) and the {@link ObservedCluster} in, an {@link Intent}
 * out. Nothing here talks to the cluster, so the controller can be killed at any line and the
 * next reconcile picks up from what was stored. Each reconcile takes at most one step, and
 * records before it acts: the images and replicas are stored in one reconcile and only changed
 * in a later one. The steps live in one type per phase; this class only dispatches.
 */
public final class UpgradeReconciler {

    /** Held while Milvus may be stopped or half-upgraded, so that deleting the upgrade first brings it back. */
    public static final String FINALIZER = "milvus.io/upgrade-protection";

    private static final Set<UpgradeState> ROLLBACK_FROM = EnumSet.of(
            UpgradeState.OLD_VERSION_STOPPING, UpgradeState.BACKUP_META,
            UpgradeState.BACKUP_META_FAILED, UpgradeState.UPDATING_META, UpgradeState.UPDATE_META_FAILED,
            UpgradeState.NEW_VERSION_STARTING, UpgradeState.SUCCEEDED);

    private final ControllerSettings settings;
    private final PolicySource policy;
    private final StoppingPhase stopping = new StoppingPhase();
    private final BackupPhase backup;
    private final MigrationPhase migration;
    private final StartPhase start;
    private final RollbackPhase rollback;
    private final DeletionPhase deletion;

    public UpgradeReconciler(ControllerSettings settings, PolicySource policy) {
        this.settings = settings;
        this.policy = policy;
        MigrationJobFactory factory = new MigrationJobFactory(settings);
        MigrationTask task = new MigrationTask(factory);
        HealthWait health = new HealthWait();
        this.rollback = new RollbackPhase(stopping, task, health);
        this.backup = new BackupPhase(factory, task);
        this.migration = new MigrationPhase(task, rollback);
        this.start = new StartPhase(health, rollback);
        this.deletion = new DeletionPhase(rollback);
    }

    static boolean holdsFinalizer(MilvusUpgrade upgrade) {
        List<String> finalizers = upgrade.getMetadata().getFinalizers();
        return finalizers != null && finalizers.contains(FINALIZER);
    }

    public Intent reconcile(MilvusUpgrade upgrade, ObservedCluster observed) {
        UpgradeRecord record;
        try {
            record = UpgradeRecord.of(upgrade);
        } catch (UpgradeRecord.UnreadableRecordException e) {
            Reconciliation r = new Reconciliation(upgrade, UpgradeRecord.EMPTY, observed, settings);
            r.block("UnreadableRecord", e.getMessage() + "; without it the images to restore are unknown. Restore the annotation, "
                    + "or remove it if Milvus was never changed.");
            return r.intent().keepingStoredRecord();
        }
        if (AnotherControllersUpgrade.applies(upgrade, record)) return AnotherControllersUpgrade.intent(upgrade, observed.now());
        Reconciliation r = new Reconciliation(upgrade, record, observed, settings);
        run(r);
        return r.intent();
    }

    private void run(Reconciliation r) {
        Optional<UpgradeState> known = UpgradeState.of(r.status.getState());
        if (known.isEmpty()) {
            if (r.isDeleting() && r.hasFinalizer()) DeletionPhase.release(r, "status.state '" + r.status.getState() + "' is unknown; nothing to bring back");
            else r.block("UnknownState", "status.state '" + r.status.getState() + "' is not a state this controller knows");
            return;
        }
        UpgradeState state = known.get();
        try {
            r.resolved(ResolvedSpec.of(r.upgrade, policy.current()));
        } catch (ResolvedSpec.InvalidUpgradeException e) {
            if (r.isDeleting() && r.hasFinalizer() && !r.hasRecord()) DeletionPhase.release(r, "the spec is invalid and Milvus was not changed");
            else r.block("InvalidSpec", e.getMessage());
            return;
        }
        if (r.isDeleting()) {
            if (!deletion.decide(r, state)) step(r, state);
            return;
        }
        if (!r.hasFinalizer() && !state.isTerminal()) {
            r.act(new Action.AddFinalizer());
        }
        if (r.spec().rollbackRequested() && !r.isRollingBack()) {
            if (state == UpgradeState.PENDING) {
                r.fail("NothingToRollBack", "spec.operation is rollback, but this upgrade never changed Milvus "
                        + r.spec().milvusDisplayName() + ": there is nothing to roll back. Set spec.operation to upgrade to run it, "
                        + "or delete it.");
                return;
            }
            if (ROLLBACK_FROM.contains(state)) {
                Optional<MilvusUpgrade> other = state.isTerminal() ? OneUpgradeAtATime.holder(r.observed.otherUpgrades()) : Optional.empty();
                if (other.isPresent()) {
                    r.block("WaitingForOtherUpgrade", OneUpgradeAtATime.message(r.upgrade, other.get()));
                    r.requeue(settings.pollInterval());
                    return;
                }
                rollback.start(r, "spec.operation is rollback");
                return;
            }
        }
        step(r, state);
    }

    private void step(Reconciliation r, UpgradeState state) {
        ResolvedSpec spec = r.spec();
        switch (state) {
            case PENDING -> {
                Optional<MilvusUpgrade> other = OneUpgradeAtATime.waitsFor(r.upgrade, r.observed.otherUpgrades());
                if (other.isPresent()) {
                    r.block("WaitingForOtherUpgrade", OneUpgradeAtATime.message(r.upgrade, other.get()));
                    r.requeue(settings.pollInterval());
                } else {
                    stopping.pending(r);
                }
            }
            case OLD_VERSION_STOPPING -> stopping.oldVersionStopping(r);
            case BACKUP_META -> backup.backupMeta(r);
            case BACKUP_META_FAILED, UPDATE_META_FAILED -> migration.failedStep(r, state);
            case UPDATING_META -> migration.updatingMeta(r);
            case NEW_VERSION_STARTING -> start.newVersionStarting(r);
            case SUCCEEDED -> r.progress("Milvus " + spec.milvusDisplayName() + " runs " + spec.targetImage());
            case ROLLBACK_NEW_VERSION_STOPPING -> rollback.newVersionStopping(r);
            case ROLLBACK_RESTORING_OLD_META -> rollback.restoringOldMeta(r);
            case ROLLBACK_OLD_VERSION_STARTING -> rollback.oldVersionStarting(r);
            case ROLLBACKED_SUCCEEDED -> r.progress("Milvus " + spec.milvusDisplayName() + " runs its old version again");
            case ROLLBACK_FAILED -> rollback.failed(r);
        }
    }
}
