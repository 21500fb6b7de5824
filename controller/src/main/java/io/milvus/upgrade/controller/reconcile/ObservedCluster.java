package io.milvus.upgrade.controller.reconcile;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.controller.migration.MigrationJobFactory;
import io.milvus.upgrade.controller.migration.TaskKind;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a reconcile sees besides the MilvusUpgrade itself: the clock, the Milvus it targets and
 * that Milvus's Deployments, what this upgrade created, and the other upgrades of the same Milvus.
 *
 * @param jobs           the Jobs this upgrade created, every kind and attempt
 * @param configMaps     the ConfigMaps this upgrade created
 * @param pvcNamedAsUpgrade the PVC named as the backup PVC the controller would create, whoever created it
 * @param otherUpgrades  every other MilvusUpgrade, in any namespace, that targets the same Milvus
 */
public record ObservedCluster(Instant now, Optional<Milvus> milvus, List<Deployment> deployments, List<Job> jobs,
                              List<ConfigMap> configMaps, Optional<PersistentVolumeClaim> pvcNamedAsUpgrade,
                              List<MilvusUpgrade> otherUpgrades) {

    public ObservedCluster {
        deployments = List.copyOf(deployments);
        jobs = List.copyOf(jobs);
        configMaps = List.copyOf(configMaps);
        otherUpgrades = List.copyOf(otherUpgrades);
    }

    /** A cluster with only the Milvus and its Deployments in it. */
    public static ObservedCluster of(Instant now, Optional<Milvus> milvus, List<Deployment> deployments) {
        return new ObservedCluster(now, milvus, deployments, List.of(), List.of(), Optional.empty(), List.of());
    }

    /** The Job of attempt {@code attempt} of {@code kind}, if created. */
    public Optional<Job> job(TaskKind kind, int attempt) {
        return jobs.stream().filter(j -> isTask(j, kind) && String.valueOf(attempt).equals(label(j, MigrationJobFactory.LABEL_ATTEMPT)))
                .findFirst();
    }

    /** Jobs of {@code kind} that still run or are still being deleted. */
    public List<Job> unfinishedJobs(TaskKind kind) {
        return jobs.stream().filter(j -> isTask(j, kind) && JobOutcome.of(j) == JobOutcome.RUNNING).toList();
    }

    private static boolean isTask(Job job, TaskKind kind) {
        return kind.label().equals(label(job, MigrationJobFactory.LABEL_TASK_KIND));
    }

    private static String label(Job job, String key) {
        return job.getMetadata().getLabels() == null ? null : job.getMetadata().getLabels().get(key);
    }
}
