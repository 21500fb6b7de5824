package io.milvus.upgrade.milvus.rules;

import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.policy.UpgradeStep;
import io.milvus.upgrade.policy.VersionMove;
import io.milvus.upgrade.verdict.FieldError;
import io.milvus.upgrade.version.Version;

/**
 * Crossing a migration boundary (2.1 → 2.2 and later) by changing the image skips the metadata
 * migration and loses built indexes. The advice is a MilvusUpgrade when one reaches the target,
 * else the planner's safe path: never an unsafe step.
 */
public final class MigrationBoundaryRule implements GuardRule {

    @Override
    public void check(MilvusChange change, RuleReport report) {
        for (ImageChange image : change.images()) {
            if (image.move(change.policy()).orElse(null) instanceof VersionMove.SkipsMigration skips) {
                Version from = image.fromVersion().orElseThrow();
                Version to = image.toVersion().orElseThrow();
                report.rule(PolicyRule.IMAGE_MIGRATION_BOUNDARY, FieldError.forbidden(image.field(), image.subject()
                        + ": changing the image from " + from.minorLine() + " to " + to.minorLine() + " loses built indexes; "
                        + advice(change, skips.migration(), from, to)));
            }
        }
    }

    private static String advice(MilvusChange change, UpgradeStep migration, Version from, Version to) {
        if (migration.takes(from, to)) {
            return "create a MilvusUpgrade (sourceVersion " + from + ", targetVersion " + to
                    + ") to migrate the metadata instead, and leave the image to it";
        }
        return "a MilvusUpgrade migrates to " + migration.to() + " only; " + change.safePath(from, to);
    }
}
