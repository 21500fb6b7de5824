package io.milvus.upgrade.milvusupgrade.rules;

import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.verdict.FieldError;

/** {@code spec.milvus.name} names the Milvus to upgrade. */
public final class RequiredMilvusRule implements UpgradeRule {

    @Override
    public void check(UpgradeUnderReview review, RuleReport report) {
        if (review.milvusRef().isEmpty()) {
            report.error(FieldError.required("spec.milvus.name", "name the Milvus to upgrade (in spec.milvus.namespace, default: this namespace)"));
        }
    }
}
