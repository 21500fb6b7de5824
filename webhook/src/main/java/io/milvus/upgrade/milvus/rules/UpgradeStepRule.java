package io.milvus.upgrade.milvus.rules;

import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.policy.UpgradeStep;
import io.milvus.upgrade.policy.VersionMove;
import io.milvus.upgrade.verdict.FieldError;
import io.milvus.upgrade.version.Version;

/**
 * An upgrade by image change takes one step of the policy, from at least the step's minimum
 * source and not from a source it excludes: 2.4 → 2.6 and 2.5.3 → 2.6 are stopped (2.6 needs
 * 2.5.16), and so is 2.6.0-rc1 → 2.6.x. Each denial names the planner's safe path. Below the
 * source a step was validated from (3.0 from 2.6.20), rule {@code validatedSource} says so.
 */
public final class UpgradeStepRule implements GuardRule {

    @Override
    public void check(MilvusChange change, RuleReport report) {
        for (ImageChange image : change.images()) {
            VersionMove move = image.move(change.policy()).orElse(null);
            if (move == null) continue;
            Version from = image.fromVersion().orElseThrow();
            Version to = image.toVersion().orElseThrow();
            String problem = switch (move) {
                case VersionMove.NoStep ignored -> "the policy has no single step from " + from.minorLine() + " to " + to.minorLine();
                case VersionMove.ExcludedSource excluded -> "the policy's steps into " + excluded.step().to() + " never start from " + from
                        + " (Milvus documents no direct upgrade from it)";
                case VersionMove.Upgrade upgrade when upgrade.step().filter(step -> step.isBelowMinimum(from)).isPresent() ->
                        belowMinimum(upgrade.step().orElseThrow(), from);
                default -> null;
            };
            if (problem != null) {
                report.rule(PolicyRule.IMAGE_UPGRADE_STEP, FieldError.forbidden(image.field(), image.subject() + ": " + problem
                        + "; " + change.safePath(from, to)));
            } else if (move instanceof VersionMove.Upgrade upgrade && upgrade.step().filter(step -> step.isBelowValidated(from)).isPresent()) {
                report.rule(PolicyRule.VALIDATED_SOURCE, FieldError.forbidden(image.field(), image.subject() + ": the step to "
                        + upgrade.step().get().to() + " was validated from " + upgrade.step().get().validatedFrom() + ", not " + from
                        + "; validate it in a non-production environment first, or take " + change.safePath(from, to)));
            }
        }
    }

    private static String belowMinimum(UpgradeStep step, Version from) {
        return "the step to " + step.to() + " starts from " + step.minimumSource() + " or later, not " + from;
    }
}
