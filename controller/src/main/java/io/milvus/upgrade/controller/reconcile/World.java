package io.milvus.upgrade.controller.reconcile;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.controller.migration.MigrationJobFactory;
import io.milvus.upgrade.controller.migration.TaskKind;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a reconcile sees besides the MilvusUpgrade itself: the clock, the Milvus it targets, that
 * Milvus's Deployments, and what the upgrade owns.
 *
 * @param jobs      the upgrade's migration Jobs, every kind and attempt
 * @param backupPvc the backup PVC the controller creates, when it exists
 */
public record World(Instant now, Optional<Milvus> milvus, List<Deployment> deployments, List<Job> jobs,
                    Optional<PersistentVolumeClaim> backupPvc) {

    public World {
        deployments = List.copyOf(deployments);
        jobs = List.copyOf(jobs);
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
