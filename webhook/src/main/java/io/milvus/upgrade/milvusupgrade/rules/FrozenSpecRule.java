package io.milvus.upgrade.milvusupgrade.rules;

import static io.milvus.upgrade.api.FieldValues.isUnset;

import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.MilvusUpgradeSpec;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.verdict.FieldError;
import java.util.List;

/**
 * Once the controller has started (a state is set), the spec is frozen except
 * {@code operation: upgrade → rollback}; {@code rollback → upgrade} is denied (the reference
 * silently ignores it).
 */
public final class FrozenSpecRule {

    /** @param changed the spec's leaf paths the update changes */
    public void check(MilvusUpgrade oldUpgrade, MilvusUpgrade upgrade, List<String> changed, RuleReport report) {
        String oldOperation = operationOf(oldUpgrade);
        String newOperation = operationOf(upgrade);
        if (!oldOperation.equals(newOperation)) {
            if (MilvusUpgradeSpec.OPERATION_ROLLBACK.equals(oldOperation)) {
                report.error(FieldError.forbidden("spec.operation", "a rollback cannot be turned back into an upgrade; "
                        + "once it has finished, create a new MilvusUpgrade"));
            } else {
                OperationRule.check(newOperation, report);
            }
        }
        changed.stream().filter(field -> !field.equals("spec.operation")).forEach(field -> report.error(FieldError.forbidden(field,
                "cannot change once the upgrade has started (state " + oldUpgrade.state() + "); only operation: upgrade → rollback is allowed. "
                        + "Create a new MilvusUpgrade for another upgrade")));
    }

    private static String operationOf(MilvusUpgrade upgrade) {
        String operation = upgrade.getSpec() == null ? null : upgrade.getSpec().getOperation();
        return isUnset(operation) ? MilvusUpgradeSpec.OPERATION_UPGRADE : operation;
    }
}
