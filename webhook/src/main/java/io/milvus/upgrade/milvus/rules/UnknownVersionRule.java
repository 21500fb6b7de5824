package io.milvus.upgrade.milvus.rules;

import io.milvus.upgrade.policy.RuleReport;

/**
 * A change whose versions are not both known cannot be judged: a warning says so. A tag that is
 * not a version, with no {@code spec.components.version} either, or an image set where the
 * operator's default ran (which default depends on the operator's release then).
 */
public final class UnknownVersionRule implements GuardRule {

    @Override
    public void check(MilvusChange change, RuleReport report) {
        for (ImageChange image : change.images()) {
            if (image.from() == null) {
                report.warn(image.field() + " is set to " + image.to() + " where no image was set before (the operator's default ran, "
                        + "which the policy does not name): the guard cannot tell whether a metadata migration is needed");
            } else if (image.to() != null && !image.to().isEmpty() && (image.fromVersion().isEmpty() || image.toVersion().isEmpty())) {
                report.warn(image.field() + " changes from " + image.from() + " to " + image.to()
                        + ": one of the tags is not a version (and spec.components.version does not say), so the guard cannot tell whether a metadata migration is needed");
            }
        }
    }
}
