package io.milvus.upgrade.controller.reconcile;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.controller.migration.MigrationConfig;
import io.milvus.upgrade.controller.migration.MigrationJobFactory;
import io.milvus.upgrade.controller.migration.TaskKind;
import java.util.Optional;
import java.util.function.Consumer;

/** One run of the meta-migration tool (backup, migration or restore): a Job per attempt, retried up to maxRetry. */
final class MigrationTask {

    private final MigrationJobFactory factory;

    MigrationTask(MigrationJobFactory factory) {
        this.factory = factory;
    }

    /** Runs the current attempt's Job of {@code kind}; {@code onFailedForGood} once the last attempt failed. */
    void run(Reconciliation r, Milvus milvus, TaskKind kind, Runnable onSuccess, Consumer<String> onFailedForGood) {
        ResolvedSpec spec = r.spec();
        int attempt = r.retried();
        String attempts = "attempt " + (attempt + 1) + " of " + (spec.maxRetry() + 1);
        Optional<Job> job = r.observed.job(kind, attempt);
        if (job.isEmpty()) {
            MigrationConfig config;
            try {
                config = MigrationConfig.of(kind, spec.sourceVersion(), spec.targetVersion(), milvus);
            } catch (MigrationConfig.MissingEtcdException e) {
                r.block("EtcdUnknown", e.getMessage());
                return;
            }
            String pvc = r.status.getBackupPVC() == null ? spec.backupPvc() : r.status.getBackupPVC();
            r.act(new Action.RunTask(factory.configMap(r.upgrade, kind, config), factory.job(r.upgrade, kind, attempt, spec.toolImage(), pvc)));
            r.progress("running " + kind.label() + " (" + attempts + ")");
            return;
        }
        String name = job.get().getMetadata().getName();
        switch (JobOutcome.of(job.get())) {
            case RUNNING -> r.progress("Job " + name + " runs " + kind.label() + " (" + attempts + ")");
            case SUCCEEDED -> onSuccess.run();
            case FAILED -> {
                String detail = JobOutcome.failureDetail(job.get());
                String failed = "Job " + name + " failed" + (detail.isEmpty() ? "" : " (" + detail + ")");
                if (attempt < spec.maxRetry()) {
                    r.retry(failed + "; retrying " + kind.label());
                } else {
                    onFailedForGood.accept(failed + ", " + kind.label() + " failed " + (attempt + 1) + " time(s)");
                }
            }
        }
    }
}
