package io.milvus.upgrade.localstack;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.milvus.upgrade.api.v1beta1.DeploymentGroup;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.milvus.upgrade.api.v1beta1.Component;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.components.MilvusTopology;
import io.milvus.upgrade.controller.migration.MigrationJobFactory;
import io.milvus.upgrade.controller.milvus.MilvusHealth;
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
 *   <li>the Milvus operator's part: each Milvus gets a Deployment per component
 *       ({@code <milvus>-milvus-<component>}) that takes on the spec's replicas and reports them
 *       ready (or stopped at 0);</li>
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

    /** @param namespace the namespace to play in, or null for all of them */
    public SimulatedKubelet(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
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
            try {
                finishJobs();
                followMilvus();
                if (collectsGarbage) collectGarbage();
                lastError = null;
            } catch (KubernetesClientException e) {
                lastError = e.getMessage(); // a conflict with the controller's own writes: next round
            }
            try {
                Thread.sleep(150); // a kubelet's pace, not a synchronisation
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private <T extends HasMetadata, L extends io.fabric8.kubernetes.api.model.KubernetesResourceList<T>> List<T> list(
            MixedOperation<T, L, ? extends Resource<T>> operation) {
        return (namespace == null ? operation.inAnyNamespace().list() : operation.inNamespace(namespace).list()).getItems();
    }

    private void finishJobs() {
        for (Job job : list(client.batch().v1().jobs())) {
            String ns = job.getMetadata().getNamespace();
            jobsSeen.add(job.getMetadata().getName());
            if (job.getMetadata().getDeletionTimestamp() != null) {
                // The garbage collector's part of a foreground deletion: the pods are gone.
                client.batch().v1().jobs().inNamespace(ns).withName(job.getMetadata().getName()).edit(j -> {
                    j.getMetadata().getFinalizers().remove("foregroundDeletion");
                    return j;
                });
                continue;
            }
            if (job.getStatus() != null && (job.getStatus().getSucceeded() != null || job.getStatus().getFailed() != null)) continue;
            Map<String, String> labels = job.getMetadata().getLabels();
            String kind = labels.get(MigrationJobFactory.LABEL_TASK_KIND);
            Outcome outcome = failureRequested(ns, labels.get(MigrationJobFactory.LABEL_UPGRADE), kind) ? Outcome.FAIL
                    : jobs.apply(kind, Integer.valueOf(labels.get(MigrationJobFactory.LABEL_ATTEMPT)));
            switch (outcome) {
                case SUCCEED -> job.setStatus(new JobStatusBuilder().withSucceeded(1).withConditions(new JobConditionBuilder()
                        .withType("Complete").withStatus("True").build()).build());
                case FAIL -> job.setStatus(new JobStatusBuilder().withFailed(1).withConditions(new JobConditionBuilder()
                        .withType("Failed").withStatus("True").withReason("BackoffLimitExceeded")
                        .withMessage("Job has reached the specified backoff limit").build()).build());
                case RUN -> {
                    if (job.getStatus() != null && job.getStatus().getActive() != null) continue;
                    job.setStatus(new JobStatusBuilder().withActive(1).build());
                }
            }
            client.batch().v1().jobs().inNamespace(ns).resource(job).updateStatus();
        }
    }

    private boolean failureRequested(String ns, String upgradeName, String kind) {
        if (upgradeName == null) return false;
        MilvusUpgrade upgrade = client.resources(MilvusUpgrade.class).inNamespace(ns).withName(upgradeName).get();
        String kinds = upgrade == null ? null : upgrade.getMetadata().getAnnotations().get(FAIL_ANNOTATION);
        return kinds != null && Set.of(kinds.replace(" ", "").split(",")).contains(kind);
    }

    private void followMilvus() {
        for (Milvus milvus : list(client.resources(Milvus.class))) {
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
    }

    private void follow(String ns, String name, Map<String, String> labels, int replicas) {
        var deployments = client.apps().deployments().inNamespace(ns);
        Deployment d = deployments.withName(name).get();
        if (d == null) {
            d = deployments.resource(new DeploymentBuilder()
                    .withNewMetadata().withName(name).withLabels(labels).endMetadata()
                    .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(labels).endSelector()
                    .withNewTemplate().withNewMetadata().withLabels(labels).endMetadata()
                    .withNewSpec().addNewContainer().withName("milvus").withImage("milvusdb/milvus").endContainer().endSpec()
                    .endTemplate().endSpec().build()).create();
        }
        if (!deploymentsFollow) return;
        if (d.getSpec().getReplicas() != replicas) {
            d = deployments.withName(name).edit(x -> {
                x.getSpec().setReplicas(replicas);
                return x;
            });
        }
        int ready = milvusReady ? replicas : 0;
        var status = d.getStatus();
        if (status != null && Objects.equals(status.getObservedGeneration(), d.getMetadata().getGeneration())
                && Objects.equals(status.getReplicas(), replicas) && Objects.equals(status.getReadyReplicas(), ready)) {
            return;
        }
        d.setStatus(new DeploymentStatusBuilder()
                .withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(replicas).withUpdatedReplicas(replicas).withReadyReplicas(ready).withAvailableReplicas(ready).build());
        deployments.resource(d).updateStatus();
    }

    /** What the garbage collector and the PVC protection controller do for a deleted MilvusUpgrade's children. */
    private void collectGarbage() {
        Set<String> upgrades = list(client.resources(MilvusUpgrade.class)).stream()
                .map(u -> u.getMetadata().getUid()).collect(Collectors.toSet());
        List<HasMetadata> children = new ArrayList<>();
        children.addAll(list(client.batch().v1().jobs()));
        children.addAll(list(client.configMaps()));
        children.addAll(list(client.persistentVolumeClaims()));
        for (HasMetadata child : children) {
            if (child.getMetadata().getDeletionTimestamp() != null) {
                if (child.getMetadata().getFinalizers().contains(PVC_PROTECTION)) {
                    client.resource(child).edit(c -> {
                        c.getMetadata().getFinalizers().remove(PVC_PROTECTION); // no pod uses it: nothing runs here
                        return c;
                    });
                }
                continue;
            }
            List<OwnerReference> owners = child.getMetadata().getOwnerReferences();
            boolean orphaned = !owners.isEmpty() && owners.stream().allMatch(o -> OWNER_KIND.equals(o.getKind()) && !upgrades.contains(o.getUid()));
            if (orphaned) client.resource(child).delete();
        }
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
    }
}
