package io.milvus.upgrade.localstack;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.milvus.upgrade.api.v1beta1.DeploymentGroup;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.milvus.upgrade.api.v1beta1.Component;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.components.MilvusTopology;
import io.milvus.upgrade.controller.migration.MigrationJobFactory;
import io.milvus.upgrade.controller.milvus.MilvusHealth;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/**
 * A SIMULATION of what this machine's control plane lacks (it runs no kubelet, no
 * controller-manager and no Milvus operator), for {@code make run} and the end-to-end tests:
 * <ul>
 *   <li>the kubelet's part: migration Jobs finish, successfully unless told otherwise (by the
 *       test, or by the annotation {@value #FAIL_ANNOTATION} on the MilvusUpgrade naming the task
 *       kinds to fail, e.g. {@code update-meta}); no container runs;</li>
 *   <li>the Milvus operator's part, unless the real one runs ({@link #besideRealOperator}): each
 *       Milvus gets a Deployment per component ({@code <milvus>-milvus-<component>}) that takes on
 *       the spec's replicas;</li>
 *   <li>the Deployment controller's and kubelet's part: each Milvus Deployment (made by the
 *       simulation or by the real operator) reports its spec's replicas ready and Available (or
 *       stopped at 0);</li>
 *   <li>beside the real operator, the kubelet's part for the bare Pods its MilvusUpgrade
 *       reconciler runs ({@code <upgrade>-backup-meta}, {@code <upgrade>-update-meta}): they
 *       succeed, or fail as Jobs of the same task kind would;</li>
 *   <li>the garbage collector's part: foreground deletion of Jobs completes, and the Jobs,
 *       ConfigMaps and PVCs of a deleted MilvusUpgrade are deleted with it.</li>
 * </ul>
 */
public final class SimulatedKubelet implements AutoCloseable {

    /** The label of a deployment group's Deployment (operator 1.3.8, apis/milvus.io/v1beta1/label_annotations.go). */
    public static final String DEPLOYMENT_GROUP_LABEL = "milvus.io/deployment-group";


    /** What a Job does: finish successfully, fail, or keep running. */
    public enum Outcome { SUCCEED, FAIL, RUN }

    /** On a MilvusUpgrade: the task kinds whose Jobs fail, comma-separated ({@code backup-meta,update-meta,rollback-meta}). */
    public static final String FAIL_ANNOTATION = "localstack.milvus.io/simulate-failure";
    private static final String OWNER_KIND = "MilvusUpgrade";
    private static final String PVC_PROTECTION = "kubernetes.io/pvc-protection";

    private final KubernetesClient client;
    /** null: every namespace. */
    private final String namespace;
    private final Thread thread;
    private volatile boolean running = true;
    private final java.util.Set<String> jobsSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private volatile BiFunction<String, Integer, Outcome> jobs = (kind, attempt) -> Outcome.SUCCEED;
    private volatile boolean deploymentsFollow = true;
    private volatile boolean milvusReady = true;
    private volatile boolean collectsGarbage = true;
    private volatile String lastError;
    /** The real Milvus Operator makes and scales the Deployments: only their status is played. */
    private final boolean realOperator;
    private final Map<Class<?>, SharedIndexInformer<?>> informers = new java.util.concurrent.ConcurrentHashMap<>();
    /** Deployments this simulation created, so that one not yet in the cache is not created twice. */
    private final Set<String> created = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** @param namespace the namespace to play in, or null for all of them */
    public SimulatedKubelet(KubernetesClient client, String namespace) {
        this(client, namespace, false);
    }

    /** Where the real Milvus Operator runs: it writes the Deployments, the simulation only reports their status. */
    public static SimulatedKubelet besideRealOperator(KubernetesClient client, String namespace) {
        return new SimulatedKubelet(client, namespace, true);
    }

    private SimulatedKubelet(KubernetesClient client, String namespace, boolean realOperator) {
        this.client = client;
        this.namespace = namespace;
        this.realOperator = realOperator;
        this.thread = Thread.ofPlatform().name("simulated-kubelet-" + (namespace == null ? "all" : namespace)).daemon().start(this::loop);
    }

    /** How Jobs end, by task kind ({@code backup-meta}) and attempt; the annotation still fails what it names. */
    public void jobs(BiFunction<String, Integer, Outcome> outcome) {
        this.jobs = outcome;
    }

    /** Whether the Deployments take on the spec's replicas (false: a scale-down never completes). */
    public void deploymentsFollow(boolean follow) {
        this.deploymentsFollow = follow;
    }

    /** Whether the pods of running Deployments become ready. */
    public void milvusReady(boolean ready) {
        this.milvusReady = ready;
    }

    /** Whether a deleted MilvusUpgrade's Jobs, ConfigMaps and PVCs go with it (false: they stay to be inspected). */
    public void collectsGarbage(boolean collect) {
        this.collectsGarbage = collect;
    }

    private void loop() {
        while (running) {
            // One failed write (a conflict with the controller's, or a cache a moment behind) costs
            // only that object's turn: the rest of the round goes on, the object is retried next round.
            String jobError = each(cached(Job.class, client.batch().v1().jobs()), this::finishJob);
            String milvusError = realOperator
                    ? firstOf(each(cached(Deployment.class, client.apps().deployments()), this::reportMilvusDeployment),
                            each(cached(Pod.class, client.pods()), this::finishMigrationPod))
                    : each(cached(Milvus.class, client.resources(Milvus.class)), this::followMilvus);
            String garbageError = collectsGarbage ? collectGarbage() : null;
            lastError = jobError != null ? jobError : milvusError != null ? milvusError : garbageError;
            try {
                Thread.sleep(150); // a kubelet's pace, not a synchronisation
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private static String firstOf(String error, String other) {
        return error != null ? error : other;
    }

    /** The last failure's message, or null. */
    private static <T> String each(List<T> objects, java.util.function.Consumer<T> action) {
        String error = null;
        for (T object : objects) {
            try {
                action.accept(object);
            } catch (KubernetesClientException e) {
                error = e.getMessage();
            }
        }
        return error;
    }

    /**
     * What the watch-backed cache of that kind holds now; an informer per kind, started on first use,
     * so that a round costs no LIST of every object (make bench-scale runs 3,000 Milvus here). Writes
     * go to a copy: the cached objects are the informer's.
     */
    private <T extends HasMetadata, L extends io.fabric8.kubernetes.api.model.KubernetesResourceList<T>> List<T> cached(
            Class<T> kind, MixedOperation<T, L, ? extends Resource<T>> operation) {
        return informer(kind, operation).getStore().list();
    }

    @SuppressWarnings("unchecked")
    private <T extends HasMetadata, L extends io.fabric8.kubernetes.api.model.KubernetesResourceList<T>> SharedIndexInformer<T> informer(
            Class<T> kind, MixedOperation<T, L, ? extends Resource<T>> operation) {
        return (SharedIndexInformer<T>) informers.computeIfAbsent(kind,
                k -> (namespace == null ? operation.inAnyNamespace() : operation.inNamespace(namespace)).inform());
    }

    private <T extends HasMetadata> T copy(T object) {
        return client.getKubernetesSerialization().clone(object);
    }

    private void finishJob(Job cachedJob) {
        String ns = cachedJob.getMetadata().getNamespace();
        jobsSeen.add(cachedJob.getMetadata().getName());
        if (cachedJob.getMetadata().getDeletionTimestamp() != null) {
            if (!cachedJob.getMetadata().getFinalizers().contains("foregroundDeletion")) return;
            // The garbage collector's part of a foreground deletion: the pods are gone.
            client.batch().v1().jobs().inNamespace(ns).withName(cachedJob.getMetadata().getName()).edit(j -> {
                j.getMetadata().getFinalizers().remove("foregroundDeletion");
                return j;
            });
            return;
        }
        if (cachedJob.getStatus() != null && (cachedJob.getStatus().getSucceeded() != null || cachedJob.getStatus().getFailed() != null)) return;
        Job job = copy(cachedJob);
        Map<String, String> labels = job.getMetadata().getLabels();
        String kind = labels.get(MigrationJobFactory.LABEL_TASK_KIND);
        Outcome outcome = failureRequested(ns, labels.get(MigrationJobFactory.LABEL_UPGRADE), kind) ? Outcome.FAIL
                : jobs.apply(kind, Integer.valueOf(labels.get(MigrationJobFactory.LABEL_ATTEMPT)));
        // As the Job controller writes it, which the apiserver checks since 1.31: a start time, set
        // once; a finished Job has no active pods, and its Complete (Failed) condition follows
        // SuccessCriteriaMet (FailureTarget), with a completion time for Complete.
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String started = job.getStatus() != null && job.getStatus().getStartTime() != null ? job.getStatus().getStartTime() : now;
        switch (outcome) {
            case SUCCEED -> job.setStatus(new JobStatusBuilder().withStartTime(started).withCompletionTime(now).withSucceeded(1)
                    .withConditions(condition("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods", now),
                            condition("Complete", "CompletionsReached", "Reached expected number of succeeded pods", now)).build());
            case FAIL -> job.setStatus(new JobStatusBuilder().withStartTime(started).withFailed(1)
                    .withConditions(condition("FailureTarget", "BackoffLimitExceeded", "Job has reached the specified backoff limit", now),
                            condition("Failed", "BackoffLimitExceeded", "Job has reached the specified backoff limit", now)).build());
            case RUN -> {
                if (job.getStatus() != null && job.getStatus().getActive() != null) return;
                job.setStatus(new JobStatusBuilder().withStartTime(started).withActive(1).build());
            }
        }
        client.batch().v1().jobs().inNamespace(ns).resource(job).updateStatus();
    }

    private static JobCondition condition(String type, String reason, String message, String now) {
        return new JobConditionBuilder().withType(type).withStatus("True").withReason(reason).withMessage(message)
                .withLastProbeTime(now).withLastTransitionTime(now).build();
    }

    private boolean failureRequested(String ns, String upgradeName, String kind) {
        if (upgradeName == null) return false;
        MilvusUpgrade upgrade = client.resources(MilvusUpgrade.class).inNamespace(ns).withName(upgradeName).get();
        String kinds = upgrade == null ? null : upgrade.getMetadata().getAnnotations().get(FAIL_ANNOTATION);
        return kinds != null && Set.of(kinds.replace(" ", "").split(",")).contains(kind);
    }

    private void followMilvus(Milvus milvus) {
        String ns = milvus.getMetadata().getNamespace();
        String name = milvus.getMetadata().getName();
        for (Component component : MilvusTopology.components(milvus)) {
            Map<String, String> labels = Map.of(MilvusHealth.INSTANCE_LABEL, name, "app.kubernetes.io/component", component.statusKey());
            List<DeploymentGroup> groups = MilvusTopology.groupsOf(milvus, component);
            if (groups.isEmpty()) {
                follow(ns, name + "-milvus-" + component.statusKey(), labels, MilvusTopology.replicas(milvus, component));
            }
            // Operator 1.3.8: one Deployment per group, <milvus>-milvus-<component>-<group>, labelled
            // milvus.io/deployment-group; an HPA's group (-1) is played at 1 replica.
            for (DeploymentGroup group : groups) {
                Map<String, String> groupLabels = new java.util.HashMap<>(labels);
                groupLabels.put(DEPLOYMENT_GROUP_LABEL, group.getName());
                int replicas = group.getReplicas() == null || group.getReplicas() == DeploymentGroup.HPA_MANAGED ? 1 : group.getReplicas();
                follow(ns, name + "-milvus-" + component.statusKey() + "-" + group.getName(), Map.copyOf(groupLabels), replicas);
            }
        }
    }

    private void follow(String ns, String name, Map<String, String> labels, int replicas) {
        var deployments = client.apps().deployments().inNamespace(ns);
        Deployment cachedDeployment = informer(Deployment.class, client.apps().deployments()).getStore().getByKey(Cache.namespaceKeyFunc(ns, name));
        Deployment d = cachedDeployment == null ? null : copy(cachedDeployment);
        if (d != null) created.remove(ns + "/" + name);
        else if (!created.add(ns + "/" + name)) return; // created, not in the cache yet
        if (d == null) {
            try {
                d = deployments.resource(new DeploymentBuilder()
                        .withNewMetadata().withName(name).withLabels(labels).endMetadata()
                        .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(labels).endSelector()
                        .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                        .withNewSpec().addNewContainer().withName("milvus").withImage("milvusdb/milvus").endContainer().endSpec()
                        .endTemplate().endSpec().build()).create();
            } catch (KubernetesClientException e) {
                created.remove(ns + "/" + name); // not created: the next round tries again
                throw e;
            }
        }
        if (!deploymentsFollow) return;
        if (d.getSpec().getReplicas() != replicas) {
            d = deployments.withName(name).edit(x -> {
                x.getSpec().setReplicas(replicas);
                return x;
            });
        }
        report(d);
    }

    /** The operator's migration Pods (no owner but its MilvusUpgrade), ended as their task kind's Jobs would be. */
    private void finishMigrationPod(Pod cachedPod) {
        String phase = cachedPod.getStatus() == null ? null : cachedPod.getStatus().getPhase();
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) return;
        boolean ownedByUpgrade = cachedPod.getMetadata().getOwnerReferences().stream().anyMatch(o -> OWNER_KIND.equals(o.getKind()));
        if (!ownedByUpgrade) return;
        // Its label for the task (pkg/controllers/milvusupgrade_fsm.go, LabelTaskKind): backup-meta, update-meta, rollback-meta.
        String kind = cachedPod.getMetadata().getLabels() == null ? null : cachedPod.getMetadata().getLabels().get("milvus.io/task-kind");
        if (kind == null) return;
        Outcome outcome = jobs.apply(kind, 0);
        if (outcome == Outcome.RUN) return;
        Pod pod = copy(cachedPod);
        pod.setStatus(new PodStatusBuilder().withPhase(outcome == Outcome.SUCCEED ? "Succeeded" : "Failed").build());
        client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(pod).updateStatus();
    }

    /** A Deployment the real operator wrote for a Milvus (its instance label), at its own spec's replicas. */
    private void reportMilvusDeployment(Deployment cachedDeployment) {
        if (!deploymentsFollow) return;
        var labels = cachedDeployment.getMetadata().getLabels();
        if (labels != null && labels.containsKey(MilvusHealth.INSTANCE_LABEL)) report(copy(cachedDeployment));
    }

    /**
     * What the Deployment controller and the kubelets would report: the spec's replicas, ready
     * unless told otherwise, and the Available condition Milvus Operator reads
     * (its pkg/controllers/utils.go, DeploymentReady).
     */
    private void report(Deployment d) {
        var deployments = client.apps().deployments().inNamespace(d.getMetadata().getNamespace());
        int replicas = d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
        int ready = milvusReady ? replicas : 0;
        var status = d.getStatus();
        if (status != null && Objects.equals(status.getObservedGeneration(), d.getMetadata().getGeneration())
                && Objects.equals(status.getReplicas(), replicas) && Objects.equals(status.getReadyReplicas(), ready)) {
            return;
        }
        d.setStatus(new DeploymentStatusBuilder()
                .withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(replicas).withUpdatedReplicas(replicas).withReadyReplicas(ready).withAvailableReplicas(ready)
                .addNewCondition().withType("Available").withStatus(ready == replicas ? "True" : "False")
                .withReason(ready == replicas ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable").endCondition()
                .build());
        deployments.resource(d).updateStatus();
    }

    /** What the garbage collector and the PVC protection controller do for a deleted MilvusUpgrade's children. */
    private String collectGarbage() {
        Set<String> upgrades = cached(MilvusUpgrade.class, client.resources(MilvusUpgrade.class)).stream()
                .map(u -> u.getMetadata().getUid()).collect(Collectors.toSet());
        List<HasMetadata> children = new ArrayList<>();
        children.addAll(cached(Job.class, client.batch().v1().jobs()));
        children.addAll(cached(ConfigMap.class, client.configMaps()));
        children.addAll(cached(PersistentVolumeClaim.class, client.persistentVolumeClaims()));
        return each(children, child -> collect(child, upgrades));
    }

    private void collect(HasMetadata child, Set<String> upgrades) {
        if (child.getMetadata().getDeletionTimestamp() != null) {
            if (child.getMetadata().getFinalizers().contains(PVC_PROTECTION)) {
                client.resource(copy(child)).edit(c -> {
                    c.getMetadata().getFinalizers().remove(PVC_PROTECTION); // no pod uses it: nothing runs here
                    return c;
                });
            }
            return;
        }
        List<OwnerReference> owners = child.getMetadata().getOwnerReferences();
        boolean orphaned = !owners.isEmpty() && owners.stream().allMatch(o -> OWNER_KIND.equals(o.getKind()) && !upgrades.contains(o.getUid()));
        if (orphaned) client.resource(copy(child)).delete();
    }

    /** Every Job it ever saw, by name, deleted ones included. */
    public java.util.Set<String> jobsSeen() {
        return java.util.Set.copyOf(jobsSeen);
    }

    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (lastError != null) problems.add(lastError);
        return problems;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(2_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        informers.values().forEach(SharedIndexInformer::stop);
    }
}
