package io.milvus.upgrade.admissionpolicy.rules;

import io.milvus.upgrade.admissionpolicy.cel.GuardValidation;
import io.milvus.upgrade.admissionpolicy.cel.ExportedRule;
import io.milvus.upgrade.admissionpolicy.cel.ImageChangeVariables;
import io.milvus.upgrade.policy.RuleMode;
import io.milvus.upgrade.policy.UpgradePolicy;
import java.util.List;

/**
 * {@code milvus.rules.UnknownVersionRule}: a change whose versions are not both known cannot be
 * judged; the webhook always warns, so the export does too.
 */
public final class UnknownVersionExport implements ExportedRule {

    @Override
    public String key() {
        return "unknownVersion";
    }

    @Override
    public RuleMode mode(UpgradePolicy policy) {
        return RuleMode.WARN;
    }

    @Override
    public List<GuardValidation> render(UpgradePolicy policy) {
        String known = "c.to == '' || (c.from != '' && c.fv != '' && c.tv != '')";
        return List.of(new GuardValidation(key(), ImageChangeVariables.CHANGES + ".all(c, " + known + ")",
                ImageChangeVariables.CHANGES + ".filter(c, !(" + known + ")).map(c, c.field + ' changes from ' + "
                        + "(c.from == '' ? 'the operator\\'s default' : c.from) + ' to ' + c.to + ': the guard cannot tell the "
                        + "versions (a tag that is no version, and spec.components.version does not say), so it cannot tell whether a "
                        + "metadata migration is needed').join('; ')"));
    }
}
