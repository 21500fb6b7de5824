package io.milvus.upgrade.controller.reconcile;

import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.MilvusUpgradeStatus;
import io.milvus.upgrade.api.v1beta1.UpgradeState;
import io.milvus.upgrade.controller.config.ControllerSettings;
import io.milvus.upgrade.controller.reconcile.Conditions.Problem;
import io.milvus.upgrade.controller.reconcile.UpgradeRecord.StepTiming;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One reconcile's working copy of the status and the record, and what it has asked for so far.
 * The phases write into it; {@link #intent()} is the result. Nothing here talks to the cluster.
 */
final class Reconciliation {

    final MilvusUpgrade upgrade;
    final ObservedCluster observed;
    final ControllerSettings settings;
    final Instant now;
    final MilvusUpgradeStatus status;
    private UpgradeRecord record;
    private ResolvedSpec spec;
    private final List<Action> actions = new ArrayList<>();
    private final List<UpgradeEvent> events = new ArrayList<>();
    private Duration requeue;
    private Problem blocked;
    private Problem failure;
    private String progress;

    Reconciliation(MilvusUpgrade upgrade, UpgradeRecord record, ObservedCluster observed, ControllerSettings settings) {
        this.upgrade = upgrade;
        this.observed = observed;
        this.settings = settings;
        this.record = record;
        this.now = observed.now().truncatedTo(ChronoUnit.SECONDS);
        this.status = upgrade.getStatus() == null ? new MilvusUpgradeStatus()
                : ApiSerialization.kubernetes().clone(upgrade.getStatus());
    }

    // --- what the upgrade is -------------------------------------------------------------

    ResolvedSpec spec() {
        return spec;
    }

    void resolved(ResolvedSpec spec) {
        this.spec = spec;
    }

    UpgradeState state() {
        return UpgradeState.of(status.getState()).orElse(UpgradeState.PENDING);
    }

    UpgradeRecord record() {
        return record;
    }

    void recordImagesAndReplicas(io.milvus.upgrade.controller.milvus.RecordedImages images, java.util.Map<String, Integer> replicas,
                                 java.util.Map<String, Integer> groups) {
        record = record.withImages(images).withGroups(groups);
        status.setSourceImage(images.global());
        status.setReplicasBeforeUprade(replicas);
    }

    /** Images and replicas are recorded: only then may Milvus be changed. */
    boolean hasRecord() {
        return status.getReplicasBeforeUprade() != null && record.images() != null;
    }

    boolean isRollingBack() {
        return Boolean.TRUE.equals(status.getIsRollbacking());
    }

    boolean metaChanged() {
        return Boolean.TRUE.equals(status.getMetaStorageChanged());
    }

    boolean isDeleting() {
        return upgrade.getMetadata().getDeletionTimestamp() != null;
    }

    boolean hasFinalizer() {
        return UpgradeReconciler.holdsFinalizer(upgrade);
    }

    int retried() {
        return status.getRetriedTimes() == null ? 0 : status.getRetriedTimes();
    }

    // --- step timing ---------------------------------------------------------------------

    /** When the current step (or its latest retry) began; started now when unknown. */
    Instant stepStartedAt() {
        StepTiming timing = currentTiming();
        Instant started = timing == null ? null : parse(timing.startedAt());
        if (started == null) {
            record = record.withStep(new StepTiming(status.getState() == null ? "" : status.getState(), retried(), now.toString(), null));
            started = now;
        }
        return started;
    }

    /** When Milvus was first seen stopped in this step, or null. */
    Instant milvusStoppedAt() {
        StepTiming timing = currentTiming();
        return timing == null ? null : parse(timing.milvusStoppedAt());
    }

    void milvusStoppedNow() {
        stepStartedAt();
        record = record.withStep(record.step().withMilvusStoppedAt(now.toString()));
    }

    private StepTiming currentTiming() {
        StepTiming timing = record.step();
        return timing != null && timing.isFor(status.getState(), retried()) ? timing : null;
    }

    private static Instant parse(String time) {
        if (time == null) return null;
        try {
            return Instant.parse(time);
        } catch (DateTimeParseException e) {
            return null; // a hand-edited timestamp: the wait starts over rather than failing the upgrade
        }
    }

    // --- what it asks for ----------------------------------------------------------------

    void act(Action action) {
        actions.add(action);
    }

    void event(UpgradeEvent event) {
        events.add(event);
    }

    void progress(String what) {
        progress = what;
    }

    /** The upgrade cannot go on until something outside it changes. */
    void block(String reason, String message) {
        blocked = new Problem(reason, message);
    }

    /** The upgrade failed for good and waits for a person. */
    void fail(String reason, String message) {
        failure = new Problem(reason, message);
    }

    void requeue(Duration after) {
        if (requeue == null || after.compareTo(requeue) < 0) requeue = after;
    }

    void moveTo(UpgradeState next, String why) {
        String from = Conditions.reason(state());
        status.setState(next.wireName());
        status.setRetriedTimes(0);
        record = record.withStep(new StepTiming(next.wireName(), 0, now.toString(), null));
        boolean bad = next.isFailure() || next == UpgradeState.ROLLBACK_FAILED;
        String message = from + " -> " + Conditions.reason(next) + ": " + why;
        events.add(bad ? UpgradeEvent.warning(next.wireName(), message) : UpgradeEvent.normal(next.wireName(), message));
        progress = null;
        requeue(Duration.ZERO);
    }

    void retry(String why) {
        int next = retried() + 1;
        status.setRetriedTimes(next);
        record = record.withStep(new StepTiming(status.getState() == null ? "" : status.getState(), next, now.toString(), null));
        events.add(UpgradeEvent.warning("Retrying", why + " (attempt " + (next + 1) + " of " + (spec.maxRetry() + 1) + ")"));
        requeue(Duration.ZERO);
    }

    /** The Milvus, or null after blocking the upgrade on its absence. */
    Milvus requireMilvus() {
        Optional<Milvus> milvus = observed.milvus();
        if (milvus.isEmpty()) {
            block("MilvusNotFound", "Milvus " + spec.milvusDisplayName() + " does not exist");
            requeue(settings.pollInterval());
            return null;
        }
        return milvus.get();
    }

    boolean requireRecord() {
        if (hasRecord()) return true;
        block("NoRecord", "status.replicasBeforeUprade or the images in the annotation " + UpgradeRecord.ANNOTATION
                + " are missing, so what to restore is unknown");
        return false;
    }

    Intent intent() {
        long generation = upgrade.getMetadata().getGeneration() == null ? 0 : upgrade.getMetadata().getGeneration();
        record = record.withObservedGeneration(generation);
        status.setObservedGeneration(generation);
        status.setConditions(Conditions.next(status.getConditions(),
                new Conditions.StepReport(state(), isRollingBack(), blocked, failure, progress), generation, now));
        return new Intent(record, status, actions, events, Optional.ofNullable(requeue));
    }
}
