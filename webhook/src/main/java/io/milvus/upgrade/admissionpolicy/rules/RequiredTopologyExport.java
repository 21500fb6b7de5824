package io.milvus.upgrade.admissionpolicy.rules;

import static io.milvus.upgrade.admissionpolicy.cel.Cel.optionalAt;
import static io.milvus.upgrade.admissionpolicy.cel.Cel.stringAt;

import io.milvus.upgrade.admissionpolicy.cel.CelVersions;
import io.milvus.upgrade.admissionpolicy.cel.GuardValidation;
import io.milvus.upgrade.admissionpolicy.cel.PolicyRuleExport;
import io.milvus.upgrade.api.v1beta1.MilvusSpec;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.UpgradePolicy;
import io.milvus.upgrade.policy.UpgradeStep;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code milvus.rules.RequiredTopologyRule}: a step that requires mixCoord finds it already
 * running in cluster mode ({@code components.MilvusTopology#runsSeparateCoordinators}).
 */
public final class RequiredTopologyExport extends PolicyRuleExport {

    static final String OLD_RUNS_SEPARATE_COORDINATORS = "(" + stringAt("oldObject", "spec.mode") + " == '" + MilvusSpec.MODE_CLUSTER
            + "' && !" + optionalAt("oldObject", "spec.components.mixCoord") + ".hasValue())";

    private static final String FV = CelVersions.display("c.fv");
    private static final String TV = CelVersions.display("c.tv");

    public RequiredTopologyExport() {
        super(PolicyRule.REQUIRED_TOPOLOGY);
    }

    @Override
    public List<GuardValidation> render(UpgradePolicy policy) {
        List<GuardValidation> validations = new ArrayList<>();
        for (int i = 0; i < policy.steps().size(); i++) {
            if (policy.steps().get(i).topology() != UpgradeStep.Topology.MIX_COORD) continue;
            validations.add(validation("!(" + anyTaking(i, null) + " && " + OLD_RUNS_SEPARATE_COORDINATORS + ")", firstTaking(i, null,
                    "'spec.components.mixCoord: upgrading from ' + " + FV + " + ' to ' + " + TV + " + ' needs mixCoord already running in place of "
                            + "rootCoord, dataCoord, queryCoord and indexCoord; enable mixCoord (spec.components.mixCoord) on ' + " + FV + " + "
                            + "' first, then change the image'")));
        }
        return validations;
    }
}
