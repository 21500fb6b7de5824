package io.milvus.upgrade.controller.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How the controller paces an upgrade. Everything that decides what an upgrade may do lives in
 * the {@link io.milvus.upgrade.policy.UpgradePolicy}; these are the operational knobs.
 *
 * @param settlePeriod   wait after the Deployments report 0 replicas, so that Milvus sessions
 *                       in etcd expire before the metadata is touched (the reference waits 1 minute)
 * @param healthyTimeout how long one attempt waits for a started Milvus to become healthy
 * @param storageClass   for the backup PVC the controller creates; null for the cluster default
 * @param backupSize     size of that PVC
 * @param jobDeadline    {@code activeDeadlineSeconds} of every migration Job
 * @param pollInterval   re-check interval while waiting on something no informer reports
 */
public record ControllerSettings(
        Duration settlePeriod,
        Duration healthyTimeout,
        String storageClass,
        String backupSize,
        Duration jobDeadline,
        Duration pollInterval) {

    public static final Duration DEFAULT_SETTLE_PERIOD = Duration.ofSeconds(60);
    public static final Duration DEFAULT_HEALTHY_TIMEOUT = Duration.ofMinutes(10);
    public static final String DEFAULT_BACKUP_SIZE = "10Gi";
    public static final Duration DEFAULT_JOB_DEADLINE = Duration.ofHours(1);
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(10);

    public ControllerSettings {
        Objects.requireNonNull(settlePeriod, "settlePeriod");
        Objects.requireNonNull(healthyTimeout, "healthyTimeout");
        Objects.requireNonNull(backupSize, "backupSize");
        Objects.requireNonNull(jobDeadline, "jobDeadline");
        Objects.requireNonNull(pollInterval, "pollInterval");
        if (settlePeriod.isNegative()) throw new IllegalArgumentException("the settle period must not be negative");
        if (!healthyTimeout.isPositive()) throw new IllegalArgumentException("the healthy timeout must be positive");
        if (jobDeadline.toSeconds() < 1) throw new IllegalArgumentException("the job deadline must be at least 1s");
        if (!pollInterval.isPositive()) throw new IllegalArgumentException("the poll interval must be positive");
        if (storageClass != null && storageClass.isBlank()) storageClass = null;
    }

    public static ControllerSettings defaults() {
        return new ControllerSettings(DEFAULT_SETTLE_PERIOD, DEFAULT_HEALTHY_TIMEOUT, null, DEFAULT_BACKUP_SIZE,
                DEFAULT_JOB_DEADLINE, DEFAULT_POLL_INTERVAL);
    }

    public ControllerSettings withSettlePeriod(Duration settle) {
        return new ControllerSettings(settle, healthyTimeout, storageClass, backupSize, jobDeadline, pollInterval);
    }

    public ControllerSettings withHealthyTimeout(Duration timeout) {
        return new ControllerSettings(settlePeriod, timeout, storageClass, backupSize, jobDeadline, pollInterval);
    }

    public ControllerSettings withStorageClass(String storageClass) {
        return new ControllerSettings(settlePeriod, healthyTimeout, storageClass, backupSize, jobDeadline, pollInterval);
    }
}
