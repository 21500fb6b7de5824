package io.milvus.upgrade.milvus.rules;

import io.milvus.upgrade.components.MilvusTopology;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.policy.UpgradeStep;
import io.milvus.upgrade.verdict.FieldError;

/**
 * A step that requires mixCoord (2.6: the operator forces it above 2.5.999) finds it already
 * running in cluster mode: enabling it in the same update, or not at all, leaves the four
 * coordinators to be replaced while the version changes.
 */
public final class RequiredTopologyRule implements GuardRule {

    @Override
    public void check(MilvusChange change, RuleReport report) {
        for (MilvusChange.TakenStep taken : change.stepsTaken()) {
            if (taken.step().topology() == UpgradeStep.Topology.MIX_COORD && MilvusTopology.runsSeparateCoordinators(change.old())) {
                report.rule(PolicyRule.REQUIRED_TOPOLOGY, FieldError.forbidden("spec.components.mixCoord", "upgrading from "
                        + taken.from() + " to " + taken.to() + " needs mixCoord already running in place of rootCoord, dataCoord, "
                        + "queryCoord and indexCoord; enable mixCoord (spec.components.mixCoord) on " + taken.from()
                        + " first, then change the image"));
            }
        }
    }
}
