package io.milvus.upgrade.controller.reconcile;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import java.util.List;

/** Where a migration Job stands. With {@code backoffLimit: 0}, one failed pod fails the Job. */
public enum JobOutcome {
    RUNNING, SUCCEEDED, FAILED;

    public static JobOutcome of(Job job) {
        JobStatus status = job.getStatus();
        if (status == null) return RUNNING;
        if (hasCondition(status.getConditions(), "Complete") || positive(status.getSucceeded())) return SUCCEEDED;
        if (hasCondition(status.getConditions(), "Failed") || positive(status.getFailed())) return FAILED;
        return RUNNING;
    }

    /** The Job controller's reason and message for a failure (e.g. DeadlineExceeded), when it gave one. */
    public static String failureDetail(Job job) {
        List<JobCondition> conditions = job.getStatus() == null ? null : job.getStatus().getConditions();
        if (conditions == null) return "";
        return conditions.stream().filter(c -> "Failed".equals(c.getType()) && "True".equals(c.getStatus()))
                .map(c -> (c.getReason() == null ? "" : c.getReason()) + (c.getMessage() == null ? "" : ": " + c.getMessage()))
                .findFirst().orElse("");
    }

    private static boolean hasCondition(List<JobCondition> conditions, String type) {
        return conditions != null && conditions.stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    private static boolean positive(Integer count) {
        return count != null && count > 0;
    }
}
