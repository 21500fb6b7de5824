package io.milvus.upgrade.controller.reconcile;

import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.MilvusUpgradeSpec;
import io.milvus.upgrade.api.v1beta1.UpgradeState;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One unfinished upgrade per Milvus, enforced where it acts: admission checks it too, but a check
 * then an act lets two creations through, and a second upgrade would record the replicas of an
 * already stopped Milvus (zeros) and later restore them. The oldest unfinished upgrade runs; the
 * others wait until it is finished or gone.
 */
final class OneUpgradeAtATime {

    private static final Comparator<MilvusUpgrade> AGE = Comparator
            .comparing(OneUpgradeAtATime::created, Comparator.nullsLast(Comparator.naturalOrder()))
            .thenComparing(u -> u.getMetadata().getNamespace())
            .thenComparing(u -> u.getMetadata().getName());

    private OneUpgradeAtATime() {
    }

    /** The upgrade {@code self} must wait for before it changes Milvus, if any. */
    static Optional<MilvusUpgrade> waitsFor(MilvusUpgrade self, List<MilvusUpgrade> others) {
        Optional<MilvusUpgrade> holder = others.stream().filter(OneUpgradeAtATime::holdsMilvus).findFirst();
        if (holder.isPresent()) return holder;
        return others.stream().filter(o -> waitsToStart(o) && AGE.compare(o, self) < 0).min(AGE);
    }

    /** {@code self} must not start a new activity (a rollback of a finished upgrade) while another holds the Milvus. */
    static Optional<MilvusUpgrade> holder(List<MilvusUpgrade> others) {
        return others.stream().filter(OneUpgradeAtATime::holdsMilvus).findFirst();
    }

    static String message(MilvusUpgrade self, MilvusUpgrade other) {
        String state = other.state().isEmpty() ? "older and not started yet" : "in state " + other.state();
        return "Milvus " + self.milvusNamespace() + "/" + self.milvusName() + " belongs to MilvusUpgrade " + other.getMetadata().getNamespace()
                + "/" + other.getMetadata().getName() + " (" + state + "); this one starts once that one is finished or deleted";
    }

    /** Has taken a step and is not finished: Milvus may be stopped or half-upgraded under it (an unknown state counts). */
    private static boolean holdsMilvus(MilvusUpgrade other) {
        if (other.state().isEmpty()) return false;
        Boolean rollbackIfFailed = other.getSpec() == null ? null : other.getSpec().getRollbackIfFailed();
        return UpgradeState.of(other.state()).isEmpty() || UpgradeState.isUnfinished(other.state(), rollbackIfFailed);
    }

    /** Not started, and will start once it may: not being deleted, not a rollback of nothing. */
    private static boolean waitsToStart(MilvusUpgrade other) {
        return other.state().isEmpty() && other.getMetadata().getDeletionTimestamp() == null
                && (other.getSpec() == null || !MilvusUpgradeSpec.OPERATION_ROLLBACK.equals(other.getSpec().getOperation()));
    }

    private static Instant created(MilvusUpgrade upgrade) {
        String time = upgrade.getMetadata().getCreationTimestamp();
        if (time == null) return null;
        try {
            return Instant.parse(time);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
