package io.milvus.upgrade.admissionpolicy.rules;

import static io.milvus.upgrade.admissionpolicy.cel.Cel.ifElse;
import static io.milvus.upgrade.admissionpolicy.cel.Cel.string;

import io.milvus.upgrade.admissionpolicy.cel.CelVersions;
import io.milvus.upgrade.admissionpolicy.cel.ImageChangeRule;
import io.milvus.upgrade.admissionpolicy.cel.StepMoves;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.UpgradePolicy;
import io.milvus.upgrade.policy.UpgradeStep;
import java.util.ArrayList;
import java.util.List;

/** {@code milvus.rules.UpgradeStepRule}, validated half: a step taken from below the source Milvus validated it from (3.0: 2.6.20). */
public final class ValidatedSourceExport extends ImageChangeRule {

    public ValidatedSourceExport() {
        super(PolicyRule.VALIDATED_SOURCE);
    }

    @Override
    protected String keeps(UpgradePolicy policy) {
        List<String> keeps = new ArrayList<>();
        for (int i = 0; i < policy.steps().size(); i++) {
            UpgradeStep step = policy.steps().get(i);
            if (step.validatedFrom() != null) {
                keeps.add("!(c.move == " + StepMoves.up(i) + " && " + CelVersions.before(from(), step.validatedFrom()) + ")");
            }
        }
        return keeps.isEmpty() ? null : String.join(" && ", keeps);
    }

    @Override
    protected String why(UpgradePolicy policy) {
        String why = "''";
        for (int i = policy.steps().size() - 1; i >= 0; i--) {
            UpgradeStep step = policy.steps().get(i);
            if (step.validatedFrom() == null) continue;
            why = ifElse("c.move == " + StepMoves.up(i), string("the step to " + step.to() + " was validated from " + step.validatedFrom()
                    + ", not ") + " + " + CelVersions.display("c.fv") + " + " + string("; validate it in a non-production environment first, "
                    + "or go through " + step.validatedFrom() + " (milvus-webhook plan prints each step)"), why);
        }
        return subject() + " + ': ' + " + why;
    }
}
