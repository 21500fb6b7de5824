package io.milvus.upgrade.milvusupgrade.rules;

import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.cluster.Lookup;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.verdict.FieldError;
import java.util.List;
import java.util.Objects;

/** No other unfinished MilvusUpgrade of the same Milvus, in any namespace; the object itself is excluded by name. */
public final class OneActiveUpgradeRule implements UpgradeRule {

    @Override
    public void check(UpgradeUnderReview review, RuleReport report) {
        if (review.milvusRef().isEmpty()) return;
        UpgradeUnderReview.MilvusRef milvus = review.milvusRef().get();
        String self = review.upgrade().getMetadata() == null ? null : review.upgrade().getMetadata().getName();
        switch (review.cluster().upgradesOf(milvus.namespace(), milvus.name())) {
            case Lookup.Found<List<MilvusUpgrade>> found -> found.value().stream()
                    .filter(other -> other.getMetadata() != null && !Objects.equals(other.getMetadata().getName(), self))
                    .filter(MilvusUpgrade::isUnfinished)
                    .findFirst()
                    .ifPresent(other -> report.rule(PolicyRule.ONE_ACTIVE_UPGRADE, FieldError.forbidden("spec.milvus.name",
                            "MilvusUpgrade " + other.getMetadata().getNamespace() + "/" + other.getMetadata().getName()
                                    + " is still working on Milvus " + milvus + " (state "
                                    + (other.state().isEmpty() ? "not started yet" : other.state())
                                    + "); wait until it finishes, or delete it if it has not started")));
            case Lookup.NotFound<List<MilvusUpgrade>> ignored -> {
            }
            case Lookup.Unavailable<List<MilvusUpgrade>> unavailable -> report.warn("could not check for other MilvusUpgrades of Milvus "
                    + milvus + ": " + unavailable.reason());
        }
    }
}
