package io.milvus.upgrade.milvus.rules;

import io.milvus.upgrade.api.v1beta1.MilvusComponents;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.verdict.FieldError;

/**
 * Milvus documents rolling upgrades ({@code spec.components.enableRollingUpdate}) from 2.2.3 on;
 * from an earlier release the image is changed without one.
 */
public final class RollingUpgradeRule implements GuardRule {

    @Override
    public void check(MilvusChange change, RuleReport report) {
        MilvusComponents components = change.milvus().getSpec() == null ? null : change.milvus().getSpec().getComponents();
        if (components == null || !Boolean.TRUE.equals(components.getEnableRollingUpdate())) return;
        for (MilvusChange.TakenStep taken : change.stepsTaken()) {
            if (taken.step().rollingFrom() != null && taken.from().isBefore(taken.step().rollingFrom())) {
                report.rule(PolicyRule.ROLLING_UPGRADE, FieldError.forbidden("spec.components.enableRollingUpdate", "a rolling upgrade to "
                        + taken.to() + " works from " + taken.step().rollingFrom() + " on, not from " + taken.from()
                        + "; set enableRollingUpdate: false and change the image (all components restart)"));
            }
        }
    }
}
