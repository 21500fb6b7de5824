package io.milvus.upgrade.controller.reconcile;

import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.MilvusUpgradeStatus;
import io.milvus.upgrade.api.v1beta1.UpgradeCondition;
import io.milvus.upgrade.api.v1beta1.UpgradeState;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A MilvusUpgrade that another controller started, most likely Milvus Operator's own MilvusUpgrade
 * reconciler: its {@code status.state} is set, but it carries neither our record nor our
 * finalizer, both of which this controller writes before it leaves the first state. Acting on it
 * would run a second migration against the same metadata, so the controller only says so: one
 * condition of its own type and one Event, and it leaves the spec, the rest of the status, the
 * finalizers, the Milvus and every child object as they are.
 */
final class AnotherControllersUpgrade {

    static final String CONDITION = "ManagedByAnotherController";
    static final String REASON = "StartedByAnotherController";

    private AnotherControllersUpgrade() {
    }

    static boolean applies(MilvusUpgrade upgrade, UpgradeRecord record) {
        boolean started = !upgrade.state().equals(UpgradeState.PENDING.wireName());
        boolean ours = !record.equals(UpgradeRecord.EMPTY) || UpgradeReconciler.holdsFinalizer(upgrade);
        return started && !ours;
    }

    static Intent intent(MilvusUpgrade upgrade, Instant now) {
        MilvusUpgradeStatus status = ApiSerialization.kubernetes().clone(upgrade.getStatus());
        String message = "status.state is '" + status.getState() + "', but this upgrade carries neither the annotation "
                + UpgradeRecord.ANNOTATION + " nor the finalizer " + UpgradeReconciler.FINALIZER
                + ": another controller (Milvus Operator's MilvusUpgrade reconciler?) started it, and milvus-upgrade-controller "
                + "leaves it to that controller. To have milvus-upgrade-controller run an upgrade, create a new MilvusUpgrade "
                + "once this one has ended, with the operator started with --stop-reconcilers=milvusupgrade.";
        UpgradeCondition existing = Conditions.find(status.getConditions(), CONDITION);
        boolean alreadySaid = existing != null && "True".equals(existing.getStatus()) && message.equals(existing.getMessage());
        List<UpgradeEvent> events = new ArrayList<>();
        if (!alreadySaid) {
            List<UpgradeCondition> conditions = new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions());
            conditions.removeIf(c -> CONDITION.equals(c.getType()));
            conditions.add(condition(message, upgrade, now));
            status.setConditions(conditions);
            events.add(UpgradeEvent.warning(REASON, message));
        }
        // No record is written: writing one would make the upgrade look like ours on the next reconcile.
        return new Intent(null, status, List.of(), events, Optional.empty());
    }

    private static UpgradeCondition condition(String message, MilvusUpgrade upgrade, Instant now) {
        UpgradeCondition c = new UpgradeCondition();
        c.setType(CONDITION);
        c.setStatus("True");
        c.setReason(REASON);
        c.setMessage(message);
        c.setLastTransitionTime(now.truncatedTo(ChronoUnit.SECONDS).toString());
        c.setObservedGeneration(upgrade.getMetadata().getGeneration());
        return c;
    }
}
