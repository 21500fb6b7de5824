package io.milvus.upgrade.admissionpolicy.rules;

import static io.milvus.upgrade.admissionpolicy.Cel.optionalAt;

import io.milvus.upgrade.admissionpolicy.Cel;
import io.milvus.upgrade.admissionpolicy.CelVersions;
import io.milvus.upgrade.admissionpolicy.GuardValidation;
import io.milvus.upgrade.admissionpolicy.PolicyRuleExport;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.UpgradePolicy;
import io.milvus.upgrade.policy.UpgradeStep;
import java.util.ArrayList;
import java.util.List;

/** {@code milvus.rules.FrozenFieldsRule}: the fields a step freezes keep their value in the update that takes it. */
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
        }
        return validations;
    }
}
