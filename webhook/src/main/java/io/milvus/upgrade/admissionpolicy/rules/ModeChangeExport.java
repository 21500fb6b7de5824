package io.milvus.upgrade.admissionpolicy.rules;

import static io.milvus.upgrade.admissionpolicy.cel.Cel.optionalAt;
import static io.milvus.upgrade.admissionpolicy.cel.Cel.stringAt;

import io.milvus.upgrade.admissionpolicy.cel.GuardValidation;
import io.milvus.upgrade.admissionpolicy.cel.PolicyRuleExport;
import io.milvus.upgrade.api.v1beta1.MilvusSpec;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.UpgradePolicy;
import java.util.List;

/** {@code milvus.rules.ModeChangeRule}: a cluster does not become standalone; unset means standalone. */
public final class ModeChangeExport extends PolicyRuleExport {

    public ModeChangeExport() {
        super(PolicyRule.MODE_CHANGE);
    }

    @Override
    public List<GuardValidation> render(UpgradePolicy policy) {
        String cluster = "'" + MilvusSpec.MODE_CLUSTER + "'";
        String now = stringAt("object", "spec.mode");
        return List.of(validation("!(" + stringAt("oldObject", "spec.mode") + " == " + cluster + ") || " + now + " == " + cluster,
                "'spec.mode: ' + (" + optionalAt("object", "spec.mode") + ".hasValue() ? '\"' + " + now + " + '\"' : "
                        + "'unset, which means standalone (a manifest without spec.mode gets the default)') + "
                        + "': a cluster cannot become standalone; keep mode: cluster'"));
    }
}
