package io.milvus.upgrade.milvusupgrade.rules;

import static io.milvus.upgrade.api.FieldValues.isUnset;
import static io.milvus.upgrade.policy.ImageReferenceRule.quote;

import io.milvus.upgrade.api.v1beta1.MilvusUpgradeSpec;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.verdict.FieldError;

/** {@code operation} is {@code upgrade} or {@code rollback}. */
public final class OperationRule implements UpgradeRule {

    @Override
    public void check(UpgradeUnderReview review, RuleReport report) {
        check(review.spec().getOperation(), report);
    }

    static void check(String operation, RuleReport report) {
        if (!isUnset(operation) && !MilvusUpgradeSpec.OPERATION_UPGRADE.equals(operation) && !MilvusUpgradeSpec.OPERATION_ROLLBACK.equals(operation)) {
            report.error(new FieldError(FieldError.Type.NOT_SUPPORTED, "spec.operation",
                    quote(operation) + ": supported values: \"upgrade\", \"rollback\""));
        }
    }
}
