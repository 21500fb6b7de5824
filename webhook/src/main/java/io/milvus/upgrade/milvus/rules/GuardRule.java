package io.milvus.upgrade.milvus.rules;

import io.milvus.upgrade.policy.RuleReport;

/** One rule of the Milvus image guard (spec section 3); findings go to the report under their policy rule. */
@FunctionalInterface
public interface GuardRule {

    void check(MilvusChange change, RuleReport report);
}
