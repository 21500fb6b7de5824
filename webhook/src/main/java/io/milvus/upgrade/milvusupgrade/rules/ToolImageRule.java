package io.milvus.upgrade.milvusupgrade.rules;

import static io.milvus.upgrade.api.FieldValues.isUnset;
import static io.milvus.upgrade.policy.ImageReferenceRule.quote;

import io.milvus.upgrade.policy.ImageReferenceRule;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.verdict.FieldError;
import io.milvus.upgrade.version.Version;
import java.util.Optional;

/**
 * {@code toolImage} is pinned, from an allowed repository, and the policy's migration image for
 * the target (a warning by default). The rule sees the defaulted spec, so a missing one means
 * the policy names none for an allowed path, and the message says exactly that.
 */
public final class ToolImageRule implements UpgradeRule {

    @Override
    public void check(UpgradeUnderReview review, RuleReport report) {
        String image = review.spec().getToolImage();
        Optional<Version> target = review.target();
        Optional<String> expected = target.flatMap(report.policy()::toolImageFor);
        if (isUnset(image)) {
            boolean pathAllowed = review.source().isPresent() && target.isPresent()
                    && report.policy().pathFor(review.source().get(), target.get()).isPresent();
            if (pathAllowed) {
                report.error(FieldError.required("spec.toolImage", "the policy names no meta-migration image for " + target.get()
                        + "; set spec.toolImage"));
            }
            return;
        }
        ImageReferenceRule.check(report, "spec.toolImage", image);
        if (target.isPresent() && !expected.map(image::equals).orElse(false)) {
            report.rule(PolicyRule.TOOL_IMAGE, FieldError.invalid("spec.toolImage", quote(image)
                    + " is not the policy's migration image for " + target.get()
                    + expected.map(e -> " (" + e + "); leave toolImage out to use it").orElse(" (the policy names none)")));
        }
    }
}
