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

/**
 * {@code milvus.rules.UpgradeStepRule}: an upgrade takes one step of the policy, from at least its
 * minimum source, not from a source it excludes. The message names the minimum source to go
 * through; {@code milvus-webhook plan} prints the whole path, which needs the planner.
 */
public final class UpgradeStepExport extends ImageChangeRule {

    public UpgradeStepExport() {
        super(PolicyRule.IMAGE_UPGRADE_STEP);
    }

    @Override
    protected String keeps(UpgradePolicy policy) {
        List<String> keeps = new ArrayList<>(List.of("c.move != 'nostep'", "!c.move.startsWith('excluded:')"));
        for (int i = 0; i < policy.steps().size(); i++) {
            UpgradeStep step = policy.steps().get(i);
            if (step.minimumSource() != null) {
                keeps.add("!(c.move == " + StepMoves.up(i) + " && " + CelVersions.before(from(), step.minimumSource()) + ")");
            }
        }
        return String.join(" && ", keeps);
    }

    @Override
    protected String why(UpgradePolicy policy) {
        String problem = "'the policy has no single step from ' + " + CelVersions.minorLine(from()) + " + ' to ' + "
                + CelVersions.minorLine(to()) + " + '; milvus-webhook plan prints the safe path'";
        for (int i = policy.steps().size() - 1; i >= 0; i--) {
            UpgradeStep step = policy.steps().get(i);
            if (step.minimumSource() != null) {
                problem = ifElse("c.move == " + StepMoves.up(i), string("the step to " + step.to() + " starts from " + step.minimumSource()
                        + " or later, not ") + " + " + CelVersions.display("c.fv") + " + " + string("; change the image to " + step.minimumSource()
                        + " or a later " + step.minimumSource().minorLine() + " release first (milvus-webhook plan prints each step)"), problem);
            }
            if (!step.notFrom().isEmpty()) {
                problem = ifElse("c.move == 'excluded:" + i + "'", string("the policy's steps into " + step.to() + " never start from ")
                        + " + " + CelVersions.display("c.fv") + " + ' (Milvus documents no direct upgrade from it)'", problem);
            }
        }
        return subject() + " + ': ' + " + problem;
    }
}
