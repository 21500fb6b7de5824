package io.milvus.upgrade.milvus.rules;

import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.cluster.Lookup;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.verdict.FieldError;
import java.util.List;

/**
 * No image change while an unfinished MilvusUpgrade holds this Milvus: it sets the image itself.
 * When the upgrades cannot be read, a warning, as for every cluster read that fails.
 */
public final class UpgradeInProgressRule implements GuardRule {

    @Override
    public void check(MilvusChange change, RuleReport report) {
        if (change.images().isEmpty()) return;
        String field = change.images().getFirst().field();
        switch (change.upgrades()) {
            case Lookup.Found<List<MilvusUpgrade>> found -> UnfinishedUpgrades.first(found.value()).ifPresent(upgrade -> report.rule(
                    PolicyRule.IMAGE_CHANGE_DURING_UPGRADE, FieldError.forbidden(field,
                            "MilvusUpgrade " + upgrade.getMetadata().getName() + " is working on Milvus " + change.name() + " (state "
                                    + UnfinishedUpgrades.stateOf(upgrade) + ") and sets the image itself; wait for it to finish, or set its "
                                    + "operation to rollback (delete it instead if it has not started)")));
            case Lookup.NotFound<List<MilvusUpgrade>> ignored -> {
            }
            case Lookup.Unavailable<List<MilvusUpgrade>> unavailable -> report.warn(
                    "could not check whether a MilvusUpgrade is working on Milvus " + change.name() + ": " + unavailable.reason());
        }
    }
}
