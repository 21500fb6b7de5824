package io.milvus.upgrade.admissionpolicy.rules;

import static io.milvus.upgrade.api.FieldValues.isUnset;

import io.milvus.upgrade.admissionpolicy.cel.ImageChangeRule;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.UpgradePolicy;

/**
 * {@code milvus.rules.RemovedImageRule}: where the policy names no operator default, removing an
 * image runs something nobody can name. Where it names one, the other rules judge that default.
 */
public final class RemovedImageExport extends ImageChangeRule {

    public RemovedImageExport() {
        super(PolicyRule.REMOVED_IMAGE);
    }

    @Override
    protected String keeps(UpgradePolicy policy) {
        return isUnset(policy.operatorDefaultImage()) ? "c.removed != 'true'" : null;
    }

    @Override
    protected String why(UpgradePolicy policy) {
        return "'removing the image ' + c.from + ' runs the operator\\'s default image, which the policy does not name "
                + "(operatorDefaultImage), so the guard cannot tell what would run; keep the image, or change it to the version you want'";
    }
}
