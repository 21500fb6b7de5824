package io.milvus.upgrade.controller.reconcile;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.MilvusUpgradeStatus;
import io.milvus.upgrade.api.v1beta1.UpgradeState;
import io.milvus.upgrade.controller.config.ControllerSettings;
import io.milvus.upgrade.controller.migration.ChildNames;
import io.milvus.upgrade.controller.migration.MigrationConfig;
import io.milvus.upgrade.controller.migration.MigrationJobFactory;
import io.milvus.upgrade.controller.migration.TaskKind;
import io.milvus.upgrade.controller.milvus.MilvusHealth;
import io.milvus.upgrade.controller.milvus.MilvusScaling;
import io.milvus.upgrade.controller.reconcile.Conditions.Problem;
import io.milvus.upgrade.policy.PolicySource;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The upgrade state machine of spec section 6 as a function: a MilvusUpgrade (its status is the
 * only memory) and the observed {@link World} in, an {@link Intent} out. Nothing here talks to the
 * cluster, so the controller can be killed at any line and the next reconcile picks up from the
 * status. Each pass takes at most one step, and records before it acts: the replicas and image
 * are written to the status in one pass and only changed in a later one.
 */
public final class UpgradeReconciler {

    /** Held while Milvus may be stopped or half-upgraded, so that deleting the upgrade first brings it back. */
    public static final String FINALIZER = "milvus.io/upgrade-protection";

    private static final Set<UpgradeState> ROLLBACK_FROM = EnumSet.of(
            UpgradeState.PENDING, UpgradeState.OLD_VERSION_STOPPING, UpgradeState.BACKUP_META,
            UpgradeState.BACKUP_META_FAILED, UpgradeState.UPDATING_META, UpgradeState.UPDATE_META_FAILED,
            UpgradeState.NEW_VERSION_STARTING, UpgradeState.SUCCEEDED);

    private final ControllerSettings settings;
    private final PolicySource policy;
    private final MigrationJobFactory factory;

    public UpgradeReconciler(ControllerSettings settings, PolicySource policy) {
        this.settings = settings;
        this.policy = policy;
        this.factory = new MigrationJobFactory(settings);
    }

    public Intent reconcile(MilvusUpgrade upgrade, World world) {
        Pass pass = new Pass(upgrade, world);
        pass.run();
        return pass.intent();
    }

    /** One reconcile's working copy of the status and what it asks for. */
    private final class Pass {
        private final MilvusUpgrade upgrade;
        private final World world;
        private final Instant now;
        private final MilvusUpgradeStatus status;
        private final List<Action> actions = new ArrayList<>();
        private final List<Notice> notices = new ArrayList<>();
        private Duration requeue;
        private Problem blocked;
        private Problem failure;
        private String progress;
        private UpgradePlan plan;

        Pass(MilvusUpgrade upgrade, World world) {
            this.upgrade = upgrade;
            this.world = world;
            this.now = world.now().truncatedTo(ChronoUnit.SECONDS);
            this.status = upgrade.getStatus() == null ? new MilvusUpgradeStatus()
                    : ApiSerialization.kubernetes().clone(upgrade.getStatus());
        }

        void run() {
            Optional<UpgradeState> known = UpgradeState.of(status.getState());
            if (known.isEmpty()) {
                if (isDeleting() && hasFinalizer()) release("status.state '" + status.getState() + "' is unknown; nothing to bring back");
                else block("UnknownState", "status.state '" + status.getState() + "' is not a state this controller knows");
                return;
            }
            UpgradeState state = known.get();
            try {
                plan = UpgradePlan.of(upgrade, policy.current());
            } catch (UpgradePlan.InvalidUpgradeException e) {
                if (isDeleting() && hasFinalizer() && !hasRecord()) release("the spec is invalid and Milvus was not changed");
                else block("InvalidSpec", e.getMessage());
                return;
            }
            if (isDeleting()) {
                onDeletion(state);
                return;
            }
            if (!hasFinalizer() && !state.isTerminal()) {
                actions.add(new Action.AddFinalizer());
            }
            if (plan.rollbackRequested() && !isRollingBack() && ROLLBACK_FROM.contains(state)) {
                startRollback("spec.operation is rollback");
                return;
            }
            step(state);
        }

        private void step(UpgradeState state) {
            switch (state) {
                case PENDING -> moveTo(UpgradeState.OLD_VERSION_STOPPING, "upgrading Milvus " + plan.milvusDisplayName()
                        + " from " + plan.sourceVersion() + " to " + plan.targetVersion());
                case OLD_VERSION_STOPPING -> oldVersionStopping();
                case BACKUP_META -> backupMeta();
                case BACKUP_META_FAILED, UPDATE_META_FAILED -> failedStep(state);
                case UPDATING_META -> updatingMeta();
                case NEW_VERSION_STARTING -> newVersionStarting();
                case SUCCEEDED -> progress = "Milvus " + plan.milvusDisplayName() + " runs " + plan.targetImage();
                case ROLLBACK_NEW_VERSION_STOPPING -> rollbackNewVersionStopping();
                case ROLLBACK_RESTORING_OLD_META -> rollbackRestoringOldMeta();
                case ROLLBACK_OLD_VERSION_STARTING -> rollbackOldVersionStarting();
                case ROLLBACKED_SUCCEEDED -> progress = "Milvus " + plan.milvusDisplayName() + " runs its old version again";
                case ROLLBACK_FAILED -> failure = new Problem("RollbackFailed", rollbackFailedMessage());
            }
        }

        // --- upgrade steps -------------------------------------------------------------------

        private void oldVersionStopping() {
            Milvus milvus = requireMilvus();
            if (milvus == null) return;
            if (!hasRecord()) {
                // Recorded in a pass of its own: nothing changes on Milvus before the record is stored.
                MilvusScaling.Recorded recorded = MilvusScaling.record(milvus);
                status.setSourceImage(recorded.sourceImage());
                status.setReplicasBeforeUprade(recorded.replicas());
                progress = "recorded the image and replicas of Milvus " + plan.milvusDisplayName();
                requeue(Duration.ZERO);
                return;
            }
            stopThen(milvus, UpgradeState.BACKUP_META);
        }

        private void backupMeta() {
            Milvus milvus = requireMilvus();
            if (milvus == null) return;
            status.setBackupPVC(plan.backupPvc());
            if (plan.createsBackupPvc() && world.backupPvc().isEmpty()) {
                actions.add(new Action.CreateBackupPvc(factory.backupPvc(upgrade, plan.backupPvc())));
            }
            runTask(milvus, TaskKind.BACKUP, () -> {
                status.setMetaBackuped(true);
                moveTo(UpgradeState.UPDATING_META, "metadata backed up to PVC " + plan.backupPvc());
            }, detail -> moveTo(UpgradeState.BACKUP_META_FAILED, detail));
        }

        private void updatingMeta() {
            Milvus milvus = requireMilvus();
            if (milvus == null) return;
            if (!Boolean.TRUE.equals(status.getMetaStorageChanged())) {
                // Stored before the migration starts: from here on, a rollback restores the backup.
                status.setMetaStorageChanged(true);
                progress = "starting the metadata migration";
                requeue(Duration.ZERO);
                return;
            }
            runTask(milvus, TaskKind.UPDATE,
                    () -> moveTo(UpgradeState.NEW_VERSION_STARTING, "metadata migrated to " + plan.targetVersion()),
                    detail -> moveTo(UpgradeState.UPDATE_META_FAILED, detail));
        }

        private void failedStep(UpgradeState state) {
            if (plan.rollbackIfFailed()) {
                startRollback(state.wireName() + " and rollbackIfFailed is true");
                return;
            }
            boolean changed = Boolean.TRUE.equals(status.getMetaStorageChanged());
            failure = new Problem(state.wireName(), "Milvus " + plan.milvusDisplayName()
                    + " is stopped (every component at 0 replicas) and stays stopped: the "
                    + (state == UpgradeState.BACKUP_META_FAILED ? "metadata backup" : "metadata migration")
                    + " failed " + (plan.maxRetry() + 1) + " time(s) and rollbackIfFailed is false. "
                    + (changed ? "Its metadata may be partly migrated; the backup is on PVC " + status.getBackupPVC() + ". "
                               : "Its metadata was not changed. ")
                    + "The tool's logs are in the Jobs labelled " + MigrationJobFactory.LABEL_UPGRADE + "=" + ChildNames.label(plan.name())
                    + ". To bring Milvus back on its old version, set spec.operation to rollback or delete this MilvusUpgrade.");
        }

        private void newVersionStarting() {
            Milvus milvus = requireMilvus();
            if (milvus == null || !requireRecord()) return;
            Milvus wanted = MilvusScaling.upgraded(milvus, plan.targetImage(), plan.sourceVersion(), status.getSourceImage(),
                    status.getReplicasBeforeUprade());
            if (MilvusScaling.differs(milvus, wanted)) {
                actions.add(new Action.UpdateMilvus(wanted));
                progress = "starting Milvus " + plan.milvusDisplayName() + " on " + plan.targetImage() + " with the recorded replicas";
                requeue(settings.pollInterval());
                return;
            }
            awaitHealthy(milvus, () -> moveTo(UpgradeState.SUCCEEDED, "Milvus " + plan.milvusDisplayName() + " is healthy on " + plan.targetImage()),
                    detail -> {
                        if (plan.rollbackIfFailed()) {
                            startRollback(detail);
                        } else {
                            failure = new Problem("NotHealthy", detail + ". Milvus runs " + plan.targetImage()
                                    + " on migrated metadata; check its pods, or set spec.operation to rollback to return to "
                                    + plan.sourceVersion() + ".");
                        }
                    });
        }

        // --- rollback steps ------------------------------------------------------------------

        private void startRollback(String why) {
            status.setIsRollbacking(true);
            if (!hasRecord()) {
                moveTo(UpgradeState.ROLLBACKED_SUCCEEDED, "nothing to roll back, Milvus was not changed (" + why + ")");
            } else {
                moveTo(UpgradeState.ROLLBACK_NEW_VERSION_STOPPING, "rolling back: " + why);
            }
        }

        private void rollbackNewVersionStopping() {
            List<Job> running = new ArrayList<>(world.unfinishedJobs(TaskKind.BACKUP));
            running.addAll(world.unfinishedJobs(TaskKind.UPDATE));
            if (!running.isEmpty()) {
                running.stream().filter(j -> j.getMetadata().getDeletionTimestamp() == null)
                        .forEach(j -> actions.add(new Action.DeleteJob(j.getMetadata().getName())));
                progress = "stopping the running migration Jobs";
                requeue(settings.pollInterval());
                return;
            }
            if (!Boolean.TRUE.equals(status.getMetaStorageChanged())) {
                moveTo(UpgradeState.ROLLBACK_RESTORING_OLD_META, "the metadata was not changed, so the new version never ran");
                return;
            }
            Milvus milvus = requireMilvus();
            if (milvus == null) return;
            stopThen(milvus, UpgradeState.ROLLBACK_RESTORING_OLD_META);
        }

        private void rollbackRestoringOldMeta() {
            boolean changed = Boolean.TRUE.equals(status.getMetaStorageChanged());
            if (!changed) {
                moveTo(UpgradeState.ROLLBACK_OLD_VERSION_STARTING, "the metadata was not changed, nothing to restore");
                return;
            }
            if (!Boolean.TRUE.equals(status.getMetaBackuped())) {
                moveTo(UpgradeState.ROLLBACK_FAILED, "the metadata was changed but no backup was recorded");
                return;
            }
            Milvus milvus = requireMilvus();
            if (milvus == null) return;
            runTask(milvus, TaskKind.ROLLBACK,
                    () -> moveTo(UpgradeState.ROLLBACK_OLD_VERSION_STARTING, "metadata restored from the backup"),
                    detail -> moveTo(UpgradeState.ROLLBACK_FAILED, detail));
        }

        private void rollbackOldVersionStarting() {
            Milvus milvus = requireMilvus();
            if (milvus == null || !requireRecord()) return;
            Milvus wanted = MilvusScaling.rolledBack(milvus, status.getSourceImage(), plan.targetImage(), status.getReplicasBeforeUprade());
            if (MilvusScaling.differs(milvus, wanted)) {
                actions.add(new Action.UpdateMilvus(wanted));
                progress = "starting Milvus " + plan.milvusDisplayName() + " on its old image with the recorded replicas";
                requeue(settings.pollInterval());
                return;
            }
            awaitHealthy(milvus, () -> moveTo(UpgradeState.ROLLBACKED_SUCCEEDED, "Milvus " + plan.milvusDisplayName() + " is healthy on its old version"),
                    detail -> {
                        if (isDeleting()) {
                            release(detail + "; its old image and replicas are restored");
                        } else {
                            failure = new Problem("NotHealthy", detail + ". Milvus runs its old image on its old metadata again; check its pods.");
                        }
                    });
        }

        private String rollbackFailedMessage() {
            return "Rolling back failed: Milvus " + plan.milvusDisplayName() + " is stopped and its metadata may be partly migrated. "
                    + "The backup (" + MigrationConfig.BACKUP_FILE + " on PVC " + status.getBackupPVC() + ") is kept. Restore it with the "
                    + "meta-migration tool (cmd.type: rollback), then set the image back to " + describe(status.getSourceImage())
                    + " and the replicas to " + status.getReplicasBeforeUprade() + ".";
        }

        // --- deletion --------------------------------------------------------------------------

        private void onDeletion(UpgradeState state) {
            if (!hasFinalizer()) return;
            if (state == UpgradeState.PENDING || !hasRecord()) {
                release("Milvus was not changed");
            } else if (state == UpgradeState.SUCCEEDED || state == UpgradeState.ROLLBACKED_SUCCEEDED) {
                release("the upgrade is finished");
            } else if (state == UpgradeState.ROLLBACK_FAILED) {
                keepBackup();
                release("the rollback had failed; Milvus stays stopped");
            } else if (world.milvus().isEmpty()) {
                keepBackup();
                release("Milvus " + plan.milvusDisplayName() + " no longer exists");
            } else if (!isRollingBack()) {
                startRollback("the MilvusUpgrade is being deleted");
            } else {
                step(state);
            }
        }

        private void release(String why) {
            actions.add(new Action.RemoveFinalizer());
            notices.add(Notice.normal("Released", "finalizer removed: " + why));
        }

        private void keepBackup() {
            world.backupPvc().ifPresent(pvc -> {
                actions.add(new Action.KeepBackupPvc(pvc.getMetadata().getName()));
                notices.add(Notice.warning("BackupKept", "the backup PVC " + pvc.getMetadata().getName()
                        + " is no longer owned by this MilvusUpgrade and stays after it is deleted"));
            });
        }

        // --- shared step parts ---------------------------------------------------------------

        /** Scales every component to 0, waits until the Deployments report it, then the settle period. */
        private void stopThen(Milvus milvus, UpgradeState next) {
            if (!MilvusScaling.isStopped(milvus)) {
                actions.add(new Action.UpdateMilvus(MilvusScaling.stopped(milvus)));
                progress = "scaling every component of Milvus " + plan.milvusDisplayName() + " to 0 replicas";
                requeue(settings.pollInterval());
                return;
            }
            if (!MilvusHealth.allStopped(world.deployments())) {
                progress = "waiting for the Deployments of Milvus " + plan.milvusDisplayName() + " to report 0 replicas";
                requeue(settings.pollInterval());
                return;
            }
            Duration settle = settings.settlePeriod();
            String settling = "Milvus " + plan.milvusDisplayName() + " is stopped; waiting " + settle.toSeconds()
                    + "s for its sessions to expire";
            Instant stoppedAt = parse(status.getMilvusStoppedAt());
            if (!settle.isZero() && stoppedAt == null) {
                status.setMilvusStoppedAt(now.toString());
                progress = settling;
                requeue(settle);
                return;
            }
            Duration left = stoppedAt == null ? Duration.ZERO : settle.minus(Duration.between(stoppedAt, now));
            if (left.isPositive()) {
                progress = settling;
                requeue(left);
                return;
            }
            moveTo(next, "Milvus " + plan.milvusDisplayName() + " is stopped");
        }

        /** Runs the current attempt's Job of {@code kind}; retries failed attempts up to maxRetry. */
        private void runTask(Milvus milvus, TaskKind kind, Runnable onSuccess, Consumer<String> onFailedForGood) {
            int attempt = retried();
            String attempts = "attempt " + (attempt + 1) + " of " + (plan.maxRetry() + 1);
            Optional<Job> job = world.job(kind, attempt);
            if (job.isEmpty()) {
                MigrationConfig config;
                try {
                    config = MigrationConfig.of(kind, plan.sourceVersion(), plan.targetVersion(), milvus);
                } catch (MigrationConfig.MissingEtcdException e) {
                    block("EtcdUnknown", e.getMessage());
                    return;
                }
                String pvc = status.getBackupPVC() == null ? plan.backupPvc() : status.getBackupPVC();
                actions.add(new Action.RunTask(factory.configMap(upgrade, kind, config),
                        factory.job(upgrade, kind, attempt, plan.toolImage(), pvc)));
                progress = "running " + kind.label() + " (" + attempts + ")";
                return;
            }
            String name = job.get().getMetadata().getName();
            switch (JobOutcome.of(job.get())) {
                case RUNNING -> progress = "Job " + name + " runs " + kind.label() + " (" + attempts + ")";
                case SUCCEEDED -> onSuccess.run();
                case FAILED -> {
                    String detail = JobOutcome.failureDetail(job.get());
                    String failed = "Job " + name + " failed" + (detail.isEmpty() ? "" : " (" + detail + ")");
                    if (attempt < plan.maxRetry()) {
                        retry(failed + "; retrying " + kind.label());
                    } else {
                        onFailedForGood.accept(failed + ", " + kind.label() + " failed " + (attempt + 1) + " time(s)");
                    }
                }
            }
        }

        /** Waits for a healthy Milvus; each attempt waits up to the healthy timeout, maxRetry more follow. */
        private void awaitHealthy(Milvus milvus, Runnable onHealthy, Consumer<String> onTimedOut) {
            if (MilvusHealth.isHealthy(milvus, world.deployments(), MilvusScaling.total(status.getReplicasBeforeUprade()))) {
                onHealthy.run();
                return;
            }
            Instant started = parse(status.getStepStartedAt());
            if (started == null) {
                status.setStepStartedAt(now.toString());
                started = now;
            }
            Duration timeout = settings.healthyTimeout();
            Duration left = timeout.minus(Duration.between(started, now));
            int attempt = retried();
            if (left.isPositive()) {
                progress = "waiting for Milvus " + plan.milvusDisplayName() + " to become healthy (attempt " + (attempt + 1)
                        + " of " + (plan.maxRetry() + 1) + ", up to " + timeout.toSeconds() + "s each)";
                requeue(left.compareTo(settings.pollInterval()) < 0 ? left : settings.pollInterval());
            } else if (attempt < plan.maxRetry()) {
                retry("Milvus " + plan.milvusDisplayName() + " is not healthy after " + timeout.toSeconds() + "s; waiting again");
            } else {
                onTimedOut.accept("Milvus " + plan.milvusDisplayName() + " did not become healthy within " + timeout.toSeconds()
                        + "s, " + (attempt + 1) + " time(s)");
            }
        }

        private void moveTo(UpgradeState next, String why) {
            String from = Conditions.reason(UpgradeState.of(status.getState()).orElse(UpgradeState.PENDING));
            status.setState(next.wireName());
            status.setRetriedTimes(0);
            status.setStepStartedAt(now.toString());
            status.setMilvusStoppedAt(null);
            boolean bad = next.isFailure() || next == UpgradeState.ROLLBACK_FAILED;
            String message = from + " -> " + Conditions.reason(next) + ": " + why;
            notices.add(bad ? Notice.warning(next.wireName(), message) : Notice.normal(next.wireName(), message));
            progress = null;
            requeue(Duration.ZERO);
        }

        private void retry(String why) {
            int next = retried() + 1;
            status.setRetriedTimes(next);
            status.setStepStartedAt(now.toString());
            notices.add(Notice.warning("Retrying", why + " (attempt " + (next + 1) + " of " + (plan.maxRetry() + 1) + ")"));
            requeue(Duration.ZERO);
        }

        private Milvus requireMilvus() {
            Optional<Milvus> milvus = world.milvus();
            if (milvus.isEmpty()) {
                block("MilvusNotFound", "Milvus " + plan.milvusDisplayName() + " does not exist");
                requeue(settings.pollInterval());
                return null;
            }
            return milvus.get();
        }

        private boolean requireRecord() {
            if (hasRecord()) return true;
            block("NoRecord", "status.replicasBeforeUprade is missing, so the replicas to restore are unknown");
            return false;
        }

        private void block(String reason, String message) {
            blocked = new Problem(reason, message);
        }

        private void requeue(Duration after) {
            if (requeue == null || after.compareTo(requeue) < 0) requeue = after;
        }

        private int retried() {
            return status.getRetriedTimes() == null ? 0 : status.getRetriedTimes();
        }

        private boolean hasRecord() {
            return status.getReplicasBeforeUprade() != null;
        }

        private boolean isRollingBack() {
            return Boolean.TRUE.equals(status.getIsRollbacking());
        }

        private boolean isDeleting() {
            return upgrade.getMetadata().getDeletionTimestamp() != null;
        }

        private boolean hasFinalizer() {
            List<String> finalizers = upgrade.getMetadata().getFinalizers();
            return finalizers != null && finalizers.contains(FINALIZER);
        }

        private Instant parse(String time) {
            if (time == null) return null;
            try {
                return Instant.parse(time);
            } catch (DateTimeParseException e) {
                return null; // a hand-edited timestamp: the wait starts over rather than failing the upgrade
            }
        }

        Intent intent() {
            UpgradeState state = UpgradeState.of(status.getState()).orElse(UpgradeState.PENDING);
            long generation = upgrade.getMetadata().getGeneration() == null ? 0 : upgrade.getMetadata().getGeneration();
            status.setObservedGeneration(generation);
            status.setConditions(Conditions.next(status.getConditions(),
                    new Conditions.Standing(state, isRollingBack(), blocked, failure, progress), generation, now));
            return new Intent(status, actions, notices, Optional.ofNullable(requeue));
        }
    }

    private static String describe(String image) {
        return image == null ? "the operator's default image (no spec.components.image)" : image;
    }
}
