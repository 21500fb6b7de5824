package io.milvus.upgrade.milvusupgrade.rules;

import static io.milvus.upgrade.policy.ImageReferenceRule.quote;

import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.verdict.FieldError;
import io.milvus.upgrade.version.Version;

/**
 * The source at least the policy's lowest (2.0.0), the target at least its lowest (2.2.0), as the
 * reference requires; their pre-releases ({@code 2.0.0-rc1}, {@code 2.2.0-rc1}) sort below.
 */
public final class SupportedVersionsRule implements UpgradeRule {

    @Override
    public void check(UpgradeUnderReview review, RuleReport report) {
        review.source().ifPresent(source -> {
            Version lowest = report.policy().lowestSource();
            if (source.isBefore(lowest)) {
                report.error(FieldError.invalid("spec.sourceVersion", quote(source.toString()) + ": must be " + lowest
                        + " or later" + (source.release().sameAs(lowest) ? " (pre-releases of " + lowest + " cannot be migrated)" : "")
                        + "; move to " + lowest + " or later by changing the Milvus image first"));
            }
        });
        review.target().ifPresent(target -> {
            Version lowest = report.policy().lowestTarget();
            if (target.isBefore(lowest)) {
                report.error(FieldError.invalid("spec.targetVersion", quote(target.toString()) + ": must be " + lowest
                        + " or later" + (target.release().sameAs(lowest) ? ", not a pre-release of " + lowest : "")
                        + "; a MilvusUpgrade migrates metadata to " + lowest.minorLine()
                        + ", other versions change by editing spec.components.image of the Milvus"));
            }
        });
    }
}
