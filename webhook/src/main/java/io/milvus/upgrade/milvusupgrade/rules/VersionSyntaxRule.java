package io.milvus.upgrade.milvusupgrade.rules;

import io.milvus.upgrade.policy.RuleReport;

/** Both versions are given and parse as Go's semver does (a leading {@code v} optional). */
public final class VersionSyntaxRule implements UpgradeRule {

    @Override
    public void check(UpgradeUnderReview review, RuleReport report) {
        review.versionErrors().forEach(report::error);
    }
}
