package io.milvus.upgrade.milvus.rules;

import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.components.MilvusImages;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.QueueSwitch;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.verdict.FieldError;
import io.milvus.upgrade.version.Version;
import io.milvus.upgrade.version.VersionRange;
import java.util.Optional;

/**
 * A change of {@code spec.dependencies.msgStreamType} is one of the policy's queue switches, at a
 * version that runs it: Pulsar or Kafka to Woodpecker from 2.6.13 (the documented online switch,
 * switch_milvus_cluster_mq_type-operator.md), Woodpecker to anything else never. Judged on the
 * version the Milvus runs before the update. Switches the policy does not list are not judged.
 */
public final class QueueSwitchRule implements GuardRule {

    static final String FIELD = "spec.dependencies.msgStreamType";

    @Override
    public void check(MilvusChange change, RuleReport report) {
        if (change.isCreate()) return;
        String before = queue(change.old());
        String after = queue(change.milvus());
        if (before == null || after == null || before.equals(after)) return;
        Optional<QueueSwitch> rule = QueueSwitch.find(change.policy().queueSwitches(), before, after);
        if (rule.isEmpty()) return;
        String what = "switching the message queue from " + before + " to " + after;
        if (rule.get().since().isEmpty()) {
            report.rule(PolicyRule.QUEUE_SWITCH, FieldError.forbidden(FIELD, "\"" + after + "\": " + what
                    + " is not supported by Milvus; keep msgStreamType: " + before));
            return;
        }
        Version since = rule.get().since().get();
        Optional<Version> running = MilvusImages.runningVersion(change.old());
        if (running.isEmpty()) {
            report.rule(PolicyRule.QUEUE_SWITCH, FieldError.forbidden(FIELD, "\"" + after + "\": " + what + " needs Milvus " + since
                    + " or later, and the version this Milvus runs is unknown; set spec.components.version to it"));
        } else if (!rule.get().allowsAt(running.get())) {
            Version to = change.policy().newestRelease(sameMinorLineFrom(since), since).orElse(since);
            report.rule(PolicyRule.QUEUE_SWITCH, FieldError.forbidden(FIELD, "\"" + after + "\": " + what + " needs Milvus " + since
                    + " or later, not " + running.get() + "; keep msgStreamType: " + before + " and upgrade first ("
                    + change.safePath(running.get(), to) + "), then switch the queue on its own"));
        }
    }

    private static VersionRange sameMinorLineFrom(Version since) {
        return new VersionRange(since, Version.of(since.major() + "." + (Integer.parseInt(since.minor()) + 1) + ".0"));
    }

    private static String queue(Milvus milvus) {
        if (milvus == null || milvus.getSpec() == null || milvus.getSpec().getDependencies() == null) return null;
        String queue = milvus.getSpec().getDependencies().getMsgStreamType();
        return queue == null || queue.isBlank() ? null : queue;
    }
}
