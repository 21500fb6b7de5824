package io.milvus.upgrade.milvus.rules;

import io.milvus.upgrade.components.MilvusImages;
import io.milvus.upgrade.policy.ImageReferenceRule;
import io.milvus.upgrade.policy.RuleReport;

/** Pinned tags from allowed repositories: every image of a new Milvus, every image an update sets. */
public final class ImageReferencesRule implements GuardRule {

    @Override
    public void check(MilvusChange change, RuleReport report) {
        if (change.isCreate()) {
            MilvusImages.declared(change.milvus()).forEach((field, image) -> ImageReferenceRule.check(report, field, image));
            return;
        }
        change.images().stream().filter(image -> !image.removed()) // the operator's default is the policy's, not the user's
                .forEach(image -> ImageReferenceRule.check(report, image.field(), image.to()));
    }
}
