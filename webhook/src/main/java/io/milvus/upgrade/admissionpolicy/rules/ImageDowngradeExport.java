package io.milvus.upgrade.admissionpolicy.rules;

import static io.milvus.upgrade.admissionpolicy.cel.Cel.stringAt;

import io.milvus.upgrade.admissionpolicy.cel.CelVersions;
import io.milvus.upgrade.admissionpolicy.cel.ImageChangeRule;
import io.milvus.upgrade.admissionpolicy.cel.StepMoves;
import io.milvus.upgrade.api.v1beta1.MilvusComponents;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.UpgradePolicy;
import io.milvus.upgrade.policy.UpgradeStep;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code milvus.rules.ImageDowngradeRule}: within a minor line a downgrade passes; across minors
 * only a declared rolling downgrade that the undone step allows, from its rolling version on.
 */
public final class ImageDowngradeExport extends ImageChangeRule {

    static final String DECLARED = stringAt("object", "spec.components.imageUpdateMode") + " == '" + MilvusComponents.ROLLING_DOWNGRADE + "'";

    public ImageDowngradeExport() {
        super(PolicyRule.IMAGE_DOWNGRADE);
    }

    @Override
    protected String keeps(UpgradePolicy policy) {
        String declarable = allowedIfDeclared(policy);
        return "!c.move.startsWith('down:') || c.move == 'down:minor'" + (declarable.equals("false") ? "" : " || (" + DECLARED + " && " + declarable + ")");
    }

    @Override
    protected String why(UpgradePolicy policy) {
        return subject() + " + ': downgrading from ' + " + CelVersions.display("c.fv") + " + ' to ' + " + CelVersions.display("c.tv")
                + " + ' crosses a minor version, whose metadata the older version cannot read; to undo a MilvusUpgrade, set its "
                + "operation to rollback; otherwise stay on ' + " + CelVersions.minorLine(from()) + " + ((" + allowedIfDeclared(policy)
                + ") && !(" + DECLARED + ") ? ', or declare the downgrade with spec.components.imageUpdateMode: rollingDowngrade' : '')";
    }

    /** {@code VersionMove.Downgrade#allowedIfDeclared}: the undone step allows rolling back to this version. */
    private static String allowedIfDeclared(UpgradePolicy policy) {
        List<String> allowed = new ArrayList<>();
        for (int i = 0; i < policy.steps().size(); i++) {
            UpgradeStep step = policy.steps().get(i);
            if (step.downgrade() != UpgradeStep.Downgrade.ROLLING_DOWNGRADE) continue;
            allowed.add("(c.move == " + StepMoves.down(i)
                    + (step.rollingFrom() == null ? "" : " && " + CelVersions.atLeast(to(), step.rollingFrom())) + ")");
        }
        return allowed.isEmpty() ? "false" : "(" + String.join(" || ", allowed) + ")";
    }
}
