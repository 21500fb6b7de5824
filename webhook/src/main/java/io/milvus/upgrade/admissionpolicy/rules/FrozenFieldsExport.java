package io.milvus.upgrade.admissionpolicy.rules;

import static io.milvus.upgrade.admissionpolicy.cel.Cel.optionalAt;
import static io.milvus.upgrade.admissionpolicy.cel.Cel.stringAt;

import io.milvus.upgrade.admissionpolicy.cel.Cel;
import io.milvus.upgrade.admissionpolicy.cel.CelVersions;
import io.milvus.upgrade.admissionpolicy.cel.GuardValidation;
import io.milvus.upgrade.admissionpolicy.cel.PolicyRuleExport;
import io.milvus.upgrade.api.v1beta1.MilvusSpec;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.UpgradePolicy;
import io.milvus.upgrade.policy.UpgradeStep;
import java.util.ArrayList;
import java.util.List;

/** {@code milvus.rules.FrozenFieldsRule}: the fields a step freezes keep their value in the update that takes it, and with frozenTopology the components it runs. */
public final class FrozenFieldsExport extends PolicyRuleExport {

    public FrozenFieldsExport() {
        super(PolicyRule.FROZEN_FIELDS);
    }

    @Override
    public List<GuardValidation> render(UpgradePolicy policy) {
        List<GuardValidation> validations = new ArrayList<>();
        for (int i = 0; i < policy.steps().size(); i++) {
            UpgradeStep step = policy.steps().get(i);
            for (String field : step.frozenFields()) {
                String unchanged = optionalAt("oldObject", field) + " == " + optionalAt("object", field);
                String message = Cel.string(field + ": must not change in the same update as the image step from ") + " + "
                        + CelVersions.display("c.fv") + " + ' to ' + " + CelVersions.display("c.tv") + " + "
                        + Cel.string("; change the image first with " + field + " as it is, then change " + field
                        + " on its own if Milvus supports that change");
                validations.add(validation("!" + anyTaking(i, null) + " || " + unchanged, firstTaking(i, null, message)));
            }
            if (step.frozenTopology()) {
                validations.add(validation("!" + anyTaking(i, null) + " || " + topology("oldObject") + " == " + topology("object"),
                        firstTaking(i, null, "'spec.components: the components Milvus runs (' + " + topology("oldObject") + " + ' before, ' + "
                                + topology("object") + " + ' after) must not change in the same update as the image step from ' + "
                                + CelVersions.display("c.fv") + " + ' to ' + " + CelVersions.display("c.tv")
                                + " + '; change the image first with the components as they are, then change them on their own'")));
            }
        }
        return validations;
    }

    /**
     * {@code components.MilvusTopology#components} as one word: standalone, or cluster with
     * mixCoord or the four coordinators, streamingNode when named; cdc when named.
     */
    static String topology(String object) {
        String named = ".hasValue() ? ";
        return "((" + stringAt(object, "spec.mode") + " == '" + MilvusSpec.MODE_CLUSTER + "' ? 'cluster' + ("
                + optionalAt(object, "spec.components.mixCoord") + named + "'+mixCoord' : '+rootCoord,dataCoord,queryCoord,indexCoord') + ("
                + optionalAt(object, "spec.components.streamingNode") + named + "'+streamingNode' : '') : 'standalone') + ("
                + optionalAt(object, "spec.components.cdc") + named + "'+cdc' : ''))";
    }
}
