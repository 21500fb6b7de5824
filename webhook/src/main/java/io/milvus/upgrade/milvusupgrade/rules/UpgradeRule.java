package io.milvus.upgrade.milvusupgrade.rules;

import io.milvus.upgrade.policy.RuleReport;

/** One rule a MilvusUpgrade must satisfy on create (and on update before the controller acts). */
@FunctionalInterface
public interface UpgradeRule {

    void check(UpgradeUnderReview review, RuleReport report);
}
