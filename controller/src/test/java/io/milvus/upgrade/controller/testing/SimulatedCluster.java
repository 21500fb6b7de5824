package io.milvus.upgrade.controller.testing;

import io.milvus.upgrade.api.v1beta1.Component;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.controller.migration.MigrationJobFactory;
import io.milvus.upgrade.controller.migration.TaskKind;
import io.milvus.upgrade.controller.milvus.MilvusHealth;
import io.milvus.upgrade.components.MilvusTopology;
import io.milvus.upgrade.controller.reconcile.Action;
import io.milvus.upgrade.controller.reconcile.Intent;
import io.milvus.upgrade.controller.reconcile.UpgradeEvent;
import io.milvus.upgrade.controller.reconcile.UpgradeRecord;
import io.milvus.upgrade.controller.reconcile.UpgradeReconciler;
import io.milvus.upgrade.controller.reconcile.ObservedCluster;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * An in-memory cluster for the state machine: it applies intents the way the runtime does,
 * and plays the operator (Deployments follow the Milvus spec) and the kubelet (Jobs finish
 * as the test says). The clock only moves when a test moves it.
 */
public final class SimulatedCluster {

    public enum Outcome { SUCCEED, FAIL, RUN }

    private final UpgradeReconciler reconciler;
    private MilvusUpgrade upgrade;
    private Milvus milvus;
    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final Map<String, ConfigMap> configMaps = new LinkedHashMap<>();
    private final List<String> jobsCreated = new ArrayList<>();
    private PersistentVolumeClaim pvc;
    private List<MilvusUpgrade> otherUpgrades = List.of();
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private BiFunction<TaskKind, Integer, Outcome> kubelet = (kind, attempt) -> Outcome.SUCCEED;
    private boolean milvusBecomesReady = true;
    private boolean deploymentsVisible = true;
    private final List<UpgradeEvent> events = new ArrayList<>();
    private final List<String> states = new ArrayList<>();
    private final List<Milvus> milvusWrites = new ArrayList<>();
    private boolean gone;

    public SimulatedCluster(UpgradeReconciler reconciler, MilvusUpgrade upgrade, Milvus milvus) {
        this.reconciler = reconciler;
        this.upgrade = upgrade;
        this.milvus = milvus;
        if (upgrade.getMetadata().getUid() == null) upgrade.getMetadata().setUid("uid-1");
        if (upgrade.getMetadata().getGeneration() == null) upgrade.getMetadata().setGeneration(1L);
        if (upgrade.getMetadata().getAnnotations() == null) upgrade.getMetadata().setAnnotations(new LinkedHashMap<>());
        states.add(upgrade.getStatus() == null || upgrade.getStatus().getState() == null ? "" : upgrade.getStatus().getState());
    }

    public SimulatedCluster kubelet(BiFunction<TaskKind, Integer, Outcome> kubelet) {
        this.kubelet = kubelet;
        return this;
    }

    /** Whether the operator's Deployments carry the instance label the controller looks for. */
    public SimulatedCluster deploymentsVisible(boolean visible) {
        this.deploymentsVisible = visible;
        return this;
    }

    public SimulatedCluster milvusBecomesReady(boolean ready) {
        this.milvusBecomesReady = ready;
        return this;
    }

    public ObservedCluster observed() {
        return new ObservedCluster(now, Optional.ofNullable(milvus), deployments(), List.copyOf(jobs.values()),
                List.copyOf(configMaps.values()), Optional.ofNullable(pvc), otherUpgrades);
    }

    /** One reconcile, its intent applied; the kubelet then finishes new Jobs. */
    public Intent step() {
        Intent intent = reconciler.reconcile(upgrade, observed());
        apply(intent);
        return intent;
    }

    /**
     * Reconciles until nothing changes any more: no status change, no action, no zero requeue.
     * Waits (moves the clock by the requeue delay) when the machine asks to be called back later.
     */
    public SimulatedCluster settle() {
        for (int i = 0; i < 500 && !gone; i++) {
            String before = json(upgrade.getStatus());
            Intent intent = step();
            boolean changed = !before.equals(json(upgrade.getStatus())) || !intent.actions().isEmpty();
            if (!changed) {
                Optional<Duration> later = intent.requeueAfter();
                if (later.isEmpty()) return this;
                now = now.plus(later.get().isZero() ? Duration.ofSeconds(1) : later.get());
                if (waitingForever()) return this;
            }
        }
        if (gone) return this;
        throw new AssertionError("no rest after 500 reconciles; states " + states);
    }

    /**
     * A wait that the clock does not end: failed for good (a person must act), or blocked on
     * something outside the upgrade (Progressing false in a state that is not finished).
     */
    private boolean waitingForever() {
        if (upgrade.getStatus() == null || upgrade.getStatus().getConditions() == null) return false;
        return upgrade.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Failed") && c.getStatus().equals("True")
                || c.getType().equals("Progressing") && c.getStatus().equals("False"));
    }

    /** Reconciles until the state is {@code state}. */
    public SimulatedCluster until(String state) {
        for (int i = 0; i < 500; i++) {
            if (state.equals(state())) return this;
            Intent intent = step();
            if (intent.actions().isEmpty()) intent.requeueAfter().ifPresent(d -> now = now.plus(d.isZero() ? Duration.ofSeconds(1) : d));
        }
        throw new AssertionError("never reached " + state + "; states " + states);
    }

    /** As the runtime does: the record annotation, the status, then each action; then the Events. */
    public void apply(Intent intent) {
        String before = state();
        if (intent.record() != null) upgrade.getMetadata().getAnnotations().put(UpgradeRecord.ANNOTATION, intent.record().encode());
        upgrade.setStatus(intent.status());
        for (Action action : intent.actions()) {
            switch (action) {
                case Action.AddFinalizer a -> upgrade.getMetadata().getFinalizers().add(UpgradeReconciler.FINALIZER);
                case Action.RemoveFinalizer r -> {
                    upgrade.getMetadata().getFinalizers().remove(UpgradeReconciler.FINALIZER);
                    if (upgrade.getMetadata().getDeletionTimestamp() != null) gone = true;
                }
                case Action.UpdateMilvus u -> {
                    milvus = ApiSerialization.kubernetes().clone(u.milvus());
                    milvusWrites.add(milvus);
                }
                case Action.CreateBackupPvc c -> {
                    if (pvc == null) pvc = c.pvc();
                }
                case Action.RunTask t -> {
                    configMaps.put(t.configMap().getMetadata().getName(), t.configMap());
                    if (!jobs.containsKey(t.job().getMetadata().getName())) {
                        jobs.put(t.job().getMetadata().getName(), finish(t.job()));
                        jobsCreated.add(t.job().getMetadata().getName());
                    }
                }
                case Action.DeleteJob d -> jobs.remove(d.name());
                case Action.DeleteConfigMap c -> configMaps.remove(c.name());
                case Action.DeleteBackupPvc p -> {
                    if (pvc != null && pvc.getMetadata().getName().equals(p.name())) pvc = null;
                }
            }
        }
        events.addAll(intent.events());
        if (!state().equals(before)) states.add(state());
    }

    private Job finish(Job job) {
        TaskKind kind = TaskKind.valueOf(switch (job.getMetadata().getLabels().get(MigrationJobFactory.LABEL_TASK_KIND)) {
            case "backup-meta" -> "BACKUP";
            case "update-meta" -> "UPDATE";
            default -> "ROLLBACK";
        });
        int attempt = Integer.parseInt(job.getMetadata().getLabels().get(MigrationJobFactory.LABEL_ATTEMPT));
        Job copy = ApiSerialization.kubernetes().clone(job);
        switch (kubelet.apply(kind, attempt)) {
            case SUCCEED -> copy.setStatus(new JobStatusBuilder().withSucceeded(1)
                    .withConditions(new JobConditionBuilder().withType("Complete").withStatus("True").build()).build());
            case FAIL -> copy.setStatus(new JobStatusBuilder().withFailed(1)
                    .withConditions(new JobConditionBuilder().withType("Failed").withStatus("True").withReason("BackoffLimitExceeded")
                            .withMessage("Job has reached the specified backoff limit").build()).build());
            case RUN -> copy.setStatus(new JobStatusBuilder().withActive(1).build());
        }
        return copy;
    }

    /** The operator's Deployments: one per component, following the spec at once. */
    private List<Deployment> deployments() {
        if (milvus == null || !deploymentsVisible) return List.of();
        List<Deployment> deployments = new ArrayList<>();
        for (Component component : MilvusTopology.components(milvus)) {
            int replicas = MilvusTopology.replicas(milvus, component);
            deployments.add(new DeploymentBuilder()
                    .withNewMetadata().withName(milvus.getMetadata().getName() + "-" + component.statusKey())
                    .withNamespace(milvus.getMetadata().getNamespace()).withGeneration(1L)
                    .addToLabels(MilvusHealth.INSTANCE_LABEL, milvus.getMetadata().getName())
                    .addToLabels("app.kubernetes.io/component", component.statusKey()).endMetadata()
                    .withNewSpec().withReplicas(replicas).endSpec()
                    .withNewStatus().withObservedGeneration(1L).withReplicas(replicas)
                    .withReadyReplicas(milvusBecomesReady ? replicas : 0).endStatus()
                    .build());
        }
        return deployments;
    }

    public void delete() {
        upgrade.getMetadata().setDeletionTimestamp(now.toString());
    }

    public void setOperation(String operation) {
        upgrade.getSpec().setOperation(operation);
        upgrade.getMetadata().setGeneration(upgrade.getMetadata().getGeneration() + 1);
    }

    public void advance(Duration duration) {
        now = now.plus(duration);
    }

    /** Replaces a Job's status, as the kubelet would. */
    public void finishJob(String name, Outcome outcome) {
        Job job = jobs.get(name);
        BiFunction<TaskKind, Integer, Outcome> saved = kubelet;
        kubelet = (k, a) -> outcome;
        jobs.put(name, finish(job));
        kubelet = saved;
    }

    public String state() {
        return upgrade.getStatus() == null || upgrade.getStatus().getState() == null ? "" : upgrade.getStatus().getState();
    }

    public MilvusUpgrade upgrade() { return upgrade; }
    public Milvus milvus() { return milvus; }
    public Map<String, Job> jobs() { return jobs; }
    public Map<String, ConfigMap> configMaps() { return configMaps; }
    public PersistentVolumeClaim pvc() { return pvc; }
    /** Every Job ever created, in order, deleted ones included. */
    public List<String> jobsCreated() { return jobsCreated; }
    public List<UpgradeEvent> events() { return events; }
    public List<String> states() { return states; }
    public List<Milvus> milvusWrites() { return milvusWrites; }
    public boolean gone() { return gone; }
    public Instant now() { return now; }

    public void setUpgrade(MilvusUpgrade upgrade) { this.upgrade = upgrade; }
    public void setMilvus(Milvus milvus) { this.milvus = milvus; }
    /** A PVC that exists before the upgrade runs (another upgrade's kept backup, say). */
    public void setPvc(PersistentVolumeClaim pvc) { this.pvc = pvc; }
    public void setOtherUpgrades(List<MilvusUpgrade> others) { this.otherUpgrades = List.copyOf(others); }

    private static String json(Object o) {
        return ApiSerialization.kubernetes().asJson(o);
    }
}
