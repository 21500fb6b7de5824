package io.milvus.upgrade.milvus.rules;

import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.policy.VersionMove;
import io.milvus.upgrade.verdict.FieldError;
import io.milvus.upgrade.version.Version;

/**
 * An older minor version cannot read the metadata a newer one wrote. Within one minor line a
 * downgrade passes; across minors only a declared rolling downgrade
 * ({@code spec.components.imageUpdateMode: rollingDowngrade}) that the undone step allows, from
 * its rolling version on; never back across a migration (2.2 → 2.1) or 2.6 → 2.5.
 */
public final class ImageDowngradeRule implements GuardRule {

    @Override
    public void check(MilvusChange change, RuleReport report) {
        for (ImageChange image : change.images()) {
            if (image.move(change.policy()).orElse(null) instanceof VersionMove.Downgrade downgrade) {
                Version from = image.fromVersion().orElseThrow();
                Version to = image.toVersion().orElseThrow();
                if (!downgrade.allowed(change.declaresRollingDowngrade(), to)) {
                    report.rule(PolicyRule.IMAGE_DOWNGRADE, FieldError.forbidden(image.field(), image.subject() + ": downgrading from "
                            + from + " to " + to + " crosses a minor version, whose metadata the older version cannot read; "
                            + "to undo a MilvusUpgrade, set its operation to rollback; otherwise stay on " + from.minorLine()
                            + (downgrade.allowedIfDeclared(to) && !change.declaresRollingDowngrade()
                                    ? ", or declare the downgrade with spec.components.imageUpdateMode: rollingDowngrade" : "")));
                }
            }
        }
    }
}
