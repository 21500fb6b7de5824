package io.milvus.upgrade.controller.runtime;

import java.time.Duration;

/**
 * The Lease's clock: a leader that cannot renew within {@code renewDeadline} steps down before
 * the Lease expires at {@code leaseDuration}, so that a standby taking over an expired Lease never
 * overlaps with it; standbys retry every {@code retryPeriod}.
 */
public record LeaseTiming(Duration leaseDuration, Duration renewDeadline, Duration retryPeriod) {

    /** The Lease stores its duration in whole seconds ({@code spec.leaseDurationSeconds}). */
    public static final Duration SHORTEST_LEASE = Duration.ofSeconds(1);

    public LeaseTiming {
        if (leaseDuration.compareTo(SHORTEST_LEASE) < 0) {
            throw new IllegalArgumentException("--lease-duration " + leaseDuration.toMillis() + "ms is too short: a Lease counts whole seconds");
        }
        // The elector's rule (a retry jittered up to 1.2 x must fit before the deadline), checked before any campaign.
        if (!retryPeriod.isPositive() || renewDeadline.compareTo(leaseDuration) >= 0
                || retryPeriod.multipliedBy(6).dividedBy(5).compareTo(renewDeadline) >= 0) {
            throw new IllegalArgumentException("lease " + leaseDuration + " > renew deadline " + renewDeadline + " > 1.2 x retry " + retryPeriod + " does not hold");
        }
    }

    /** Renew by two thirds of the Lease, retry at a fifth: two retries, even jittered, fit before the deadline. */
    public static LeaseTiming of(Duration leaseDuration) {
        return new LeaseTiming(leaseDuration, leaseDuration.multipliedBy(2).dividedBy(3), leaseDuration.dividedBy(5));
    }
}
