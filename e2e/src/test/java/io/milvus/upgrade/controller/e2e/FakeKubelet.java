package io.milvus.upgrade.controller.e2e;

import io.milvus.upgrade.api.v1beta1.Component;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.controller.migration.MigrationJobFactory;
import io.milvus.upgrade.controller.milvus.MilvusHealth;
import io.milvus.upgrade.components.MilvusTopology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The parts of a cluster the test control plane lacks (it runs no kubelet, no controller-manager,
 * no Milvus operator), played in one namespace: Jobs finish as the test says, Deployments follow
 * the Milvus spec and report ready when the test says so, and foreground deletion completes.
 */
final class FakeKubelet implements AutoCloseable {

    enum Outcome { SUCCEED, FAIL, RUN }

    private final KubernetesClient client;
    private final String namespace;
    private final Thread thread;
    private volatile boolean running = true;
    volatile BiFunction<String, Integer, Outcome> jobs = (kind, attempt) -> Outcome.SUCCEED;
    /** Whether the Deployments take on the spec's replicas (false: a scale-down never completes). */
    volatile boolean deploymentsFollow = true;
    /** Whether the pods of running Deployments become ready. */
    volatile boolean milvusReady = true;
    private volatile String lastError;
    /** Every Job it ever saw, by name, deleted ones included. */
    final java.util.Set<String> jobsSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();

    FakeKubelet(KubernetesClient client, String namespace) {
        this.client = client;
        this.namespace = namespace;
        this.thread = Thread.ofPlatform().name("fake-kubelet-" + namespace).daemon().start(this::loop);
    }

    private void loop() {
        while (running) {
            try {
                finishJobs();
                followMilvus();
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

    private void finishJobs() {
        for (Job job : client.batch().v1().jobs().inNamespace(namespace).list().getItems()) {
            jobsSeen.add(job.getMetadata().getName());
            if (job.getMetadata().getDeletionTimestamp() != null) {
                // The garbage collector's part of a foreground deletion: the pods are gone.
                client.batch().v1().jobs().inNamespace(namespace).withName(job.getMetadata().getName()).edit(j -> {
                    j.getMetadata().getFinalizers().remove("foregroundDeletion");
                    return j;
                });
                continue;
            }
            if (job.getStatus() != null && (job.getStatus().getSucceeded() != null || job.getStatus().getFailed() != null)) continue;
            Map<String, String> labels = job.getMetadata().getLabels();
            Outcome outcome = jobs.apply(labels.get(MigrationJobFactory.LABEL_TASK_KIND), Integer.valueOf(labels.get(MigrationJobFactory.LABEL_ATTEMPT)));
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
            client.batch().v1().jobs().inNamespace(namespace).resource(job).updateStatus();
        }
    }

    private void followMilvus() {
        for (Milvus milvus : client.resources(Milvus.class).inNamespace(namespace).list().getItems()) {
            for (Component component : MilvusTopology.components(milvus)) {
                follow(milvus.getMetadata().getName(), component, MilvusTopology.replicas(milvus, component));
            }
        }
    }

    private void follow(String milvus, Component component, int replicas) {
        String name = milvus + "-milvus-" + component.statusKey();
        var deployments = client.apps().deployments().inNamespace(namespace);
        Deployment d = deployments.withName(name).get();
        if (d == null) {
            Map<String, String> labels = Map.of(MilvusHealth.INSTANCE_LABEL, milvus, "app.kubernetes.io/component", component.statusKey());
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
        if (status != null && java.util.Objects.equals(status.getObservedGeneration(), d.getMetadata().getGeneration())
                && java.util.Objects.equals(status.getReplicas(), replicas) && java.util.Objects.equals(status.getReadyReplicas(), ready)) {
            return;
        }
        d.setStatus(new io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder()
                .withObservedGeneration(d.getMetadata().getGeneration())
                .withReplicas(replicas).withUpdatedReplicas(replicas).withReadyReplicas(ready).withAvailableReplicas(ready).build());
        deployments.resource(d).updateStatus();
    }

    List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (lastError != null) problems.add(lastError);
        return problems;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
