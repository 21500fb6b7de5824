package io.milvus.upgrade.admissionpolicy.rules;

import io.milvus.upgrade.admissionpolicy.cel.Cel;
import io.milvus.upgrade.admissionpolicy.cel.CelVersions;
import io.milvus.upgrade.admissionpolicy.cel.GuardValidation;
import io.milvus.upgrade.admissionpolicy.cel.PolicyRuleExport;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.UpgradePolicy;
import io.milvus.upgrade.policy.UpgradeStep;
import java.util.ArrayList;
import java.util.List;

/** {@code milvus.rules.RollingUpgradeRule}: enableRollingUpdate only from the step's rolling version on. */
public final class RollingUpgradeExport extends PolicyRuleExport {

    static final String ROLLING = Cel.optionalAt("object", "spec.components.enableRollingUpdate") + ".orValue(false) == true";

    public RollingUpgradeExport() {
        super(PolicyRule.ROLLING_UPGRADE);
    }

    @Override
    public List<GuardValidation> render(UpgradePolicy policy) {
        List<GuardValidation> validations = new ArrayList<>();
        for (int i = 0; i < policy.steps().size(); i++) {
            UpgradeStep step = policy.steps().get(i);
            if (step.rollingFrom() == null) continue;
            String early = CelVersions.before(CelVersions.semver("c.fv"), step.rollingFrom());
            validations.add(validation("!(" + ROLLING + ") || !" + anyTaking(i, early),
                    firstTaking(i, early, "'spec.components.enableRollingUpdate: a rolling upgrade to ' + " + CelVersions.display("c.tv") + " + ' works from "
                            + step.rollingFrom() + " on, not from ' + " + CelVersions.display("c.fv") + " + '; set enableRollingUpdate: false and change the image (all components restart)'")));
        }
        return validations;
    }
}
