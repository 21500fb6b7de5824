package io.milvus.upgrade.admissionpolicy.rules;

import static io.milvus.upgrade.admissionpolicy.cel.Cel.ifElse;
import static io.milvus.upgrade.admissionpolicy.cel.Cel.string;

import io.milvus.upgrade.admissionpolicy.cel.CelVersions;
import io.milvus.upgrade.admissionpolicy.cel.ImageChangeRule;
import io.milvus.upgrade.admissionpolicy.cel.StepMoves;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.UpgradePolicy;
import io.milvus.upgrade.policy.UpgradeStep;

/** {@code milvus.rules.MigrationBoundaryRule}: no image change across a migration; the advice is the MilvusUpgrade. */
public final class MigrationBoundaryExport extends ImageChangeRule {

    public MigrationBoundaryExport() {
        super(PolicyRule.IMAGE_MIGRATION_BOUNDARY);
    }

    @Override
    protected String keeps(UpgradePolicy policy) {
        return "!c.move.startsWith('skip:')";
    }

    @Override
    protected String why(UpgradePolicy policy) {
        String advice = "''";
        for (int i = policy.steps().size() - 1; i >= 0; i--) {
            UpgradeStep step = policy.steps().get(i);
            if (!step.migration()) continue;
            advice = ifElse("c.move == " + StepMoves.skip(i), ifElse(StepMoves.takes(step, from(), to()),
                    "'create a MilvusUpgrade (sourceVersion ' + " + CelVersions.display("c.fv") + " + ', targetVersion ' + " + CelVersions.display("c.tv")
                            + " + ') to migrate the metadata instead, and leave the image to it'",
                    string("a MilvusUpgrade migrates to " + step.to() + " only; milvus-webhook plan prints the safe path")), advice);
        }
        return subject() + " + ': changing the image from ' + " + CelVersions.minorLine(from()) + " + ' to ' + "
                + CelVersions.minorLine(to()) + " + ' loses built indexes; ' + " + advice;
    }
}
