package io.milvus.upgrade.milvusupgrade.rules;

import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.verdict.FieldError;

/** {@code maxRetry} between 0 and the policy's limit (10). */
public final class MaxRetryRule implements UpgradeRule {

    @Override
    public void check(UpgradeUnderReview review, RuleReport report) {
        Integer maxRetry = review.spec().getMaxRetry();
        int limit = report.policy().maxRetryLimit();
        if (maxRetry != null && (maxRetry < 0 || maxRetry > limit)) {
            report.error(FieldError.invalid("spec.maxRetry", maxRetry + ": must be between 0 and " + limit));
        }
    }
}
