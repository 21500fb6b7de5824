package io.milvus.upgrade.controller.reconcile;

import io.milvus.upgrade.api.v1beta1.MilvusUpgradeStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one reconcile wants done, in this order: write {@code record} (when it differs from the
 * stored one; null leaves the stored annotation as it is), then {@code status} (likewise), apply
 * {@code actions}, record {@code events}; then run again after {@code requeueAfter}, if given,
 * even when nothing changes in between.
 */
public record Intent(UpgradeRecord record, MilvusUpgradeStatus status, List<Action> actions, List<UpgradeEvent> events,
                     Optional<Duration> requeueAfter) {

    public Intent {
        actions = List.copyOf(actions);
        events = List.copyOf(events);
    }

    public boolean releases() {
        return actions.stream().anyMatch(a -> a instanceof Action.RemoveFinalizer);
    }

    /** The same, without overwriting the stored record: it could not be read, and a person may still repair it. */
    public Intent keepingStoredRecord() {
        return new Intent(null, status, actions, events, requeueAfter);
    }

    /** The same writes of the record and the status, and nothing else: what a crash right after them leaves. */
    public Intent writesOnly() {
        return new Intent(record, status, List.of(), List.of(), requeueAfter);
    }
}
