package io.milvus.upgrade.controller.reconcile;

import io.milvus.upgrade.api.v1beta1.MilvusUpgradeStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one reconcile wants done, in this order: write {@code status} (when it differs from the
 * observed one), apply {@code actions}, record {@code notices}; then run again after
 * {@code requeueAfter}, if given, even when nothing changes in between.
 */
public record Intent(MilvusUpgradeStatus status, List<Action> actions, List<Notice> notices, Optional<Duration> requeueAfter) {

    public Intent {
        actions = List.copyOf(actions);
        notices = List.copyOf(notices);
    }

    public boolean releases() {
        return actions.stream().anyMatch(a -> a instanceof Action.RemoveFinalizer);
    }
}
