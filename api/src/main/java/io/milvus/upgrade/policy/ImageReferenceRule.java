package io.milvus.upgrade.policy;

import io.milvus.upgrade.verdict.FieldError;
import io.milvus.upgrade.image.ImageReference;

/** What every image a user names must satisfy: a pinned tag and an allowed repository. */
public final class ImageReferenceRule {

    private ImageReferenceRule() {
    }

    public static void check(RuleReport report, String field, String image) {
        if (image == null || image.isBlank()) {
            return;
        }
        ImageReference ref = ImageReference.parse(image);
        if (ref.isUnpinned()) {
            report.rule(PolicyRule.UNPINNED_TAG, FieldError.invalid(field, quote(image)
                    + ": " + (ref.tag().isEmpty() ? "no tag" : ref.isNightly() ? "a nightly tag" : "the tag 'latest'")
                    + " can point to another version at any time; pin a version tag such as "
                    + ref.repository() + ":v2.2.0"));
        }
        if (!report.policy().isRepositoryAllowed(ref)) {
            report.rule(PolicyRule.ALLOWED_REPOSITORY, FieldError.forbidden(field, quote(image)
                    + ": repository " + ref.repository() + " is not allowed by the policy; use one of "
                    + report.policy().allowedRepositories()));
        }
    }

    /** A value as a message quotes it; a long one cut, so that no message repeats megabytes a client sent. */
    public static String quote(String value) {
        return "\"" + FieldError.cut(value, 256) + "\"";
    }
}
