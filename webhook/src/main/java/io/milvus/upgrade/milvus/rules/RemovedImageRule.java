package io.milvus.upgrade.milvus.rules;

import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.verdict.FieldError;

/**
 * Removing an image is a change to the operator's default image. The other rules judge it when
 * the policy names that default; when it does not, nobody can tell what will run, so it is denied.
 */
public final class RemovedImageRule implements GuardRule {

    @Override
    public void check(MilvusChange change, RuleReport report) {
        for (ImageChange image : change.images()) {
            if (image.removed() && (image.to() == null || image.to().isEmpty())) {
                report.rule(PolicyRule.REMOVED_IMAGE, FieldError.forbidden(image.field(), "removing the image " + image.from()
                        + " runs the operator's default image, which the policy does not name (operatorDefaultImage), so the guard cannot "
                        + "tell what would run; keep the image, or change it to the version you want"));
            }
        }
    }
}
