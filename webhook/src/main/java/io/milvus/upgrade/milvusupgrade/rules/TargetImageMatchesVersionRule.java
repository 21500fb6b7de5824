package io.milvus.upgrade.milvusupgrade.rules;

import static io.milvus.upgrade.api.FieldValues.isUnset;
import static io.milvus.upgrade.policy.ImageReferenceRule.quote;

import io.milvus.upgrade.image.ImageReference;
import io.milvus.upgrade.policy.ImageReferenceRule;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.verdict.FieldError;
import io.milvus.upgrade.version.Version;
import java.util.Optional;

/**
 * {@code targetImage} is pinned, from an allowed repository, and tagged with targetVersion when
 * tagged with a version ({@code -gpu} variants included); a digest-pinned image is allowed with
 * a warning, since the webhook cannot tell its version.
 */
public final class TargetImageMatchesVersionRule implements UpgradeRule {

    @Override
    public void check(UpgradeUnderReview review, RuleReport report) {
        String image = review.spec().getTargetImage();
        if (isUnset(image)) {
            report.error(FieldError.required("spec.targetImage", "the image to start after the migration; it defaults from spec.targetVersion"));
            return;
        }
        ImageReferenceRule.check(report, "spec.targetImage", image);
        ImageReference ref = ImageReference.parse(image);
        Optional<Version> target = review.target();
        if (ref.isDigestPinned()) {
            report.warn("spec.targetImage " + image + " is pinned by digest: make sure it is version "
                    + target.map(Version::toString).orElse(review.spec().getTargetVersion()) + ", the webhook cannot tell");
            return;
        }
        Optional<Version> tagged = ref.tagVersion();
        if (target.isPresent() && tagged.isPresent() && !tagged.get().sameAs(target.get())) {
            report.rule(PolicyRule.TARGET_IMAGE_VERSION, FieldError.invalid("spec.targetImage", quote(image) + ": its tag is version "
                    + tagged.get() + " but targetVersion is " + target.get() + "; tag it " + target.get().imageTag()
                    + " or leave targetImage out to default it"));
        }
    }
}
