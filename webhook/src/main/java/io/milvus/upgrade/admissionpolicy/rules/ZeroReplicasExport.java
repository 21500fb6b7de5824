package io.milvus.upgrade.admissionpolicy.rules;

import static io.milvus.upgrade.admissionpolicy.cel.Cel.optionalAt;
import static io.milvus.upgrade.admissionpolicy.cel.Cel.stringAt;

import io.milvus.upgrade.admissionpolicy.cel.Cel;
import io.milvus.upgrade.admissionpolicy.cel.CelVersions;
import io.milvus.upgrade.admissionpolicy.cel.GuardValidation;
import io.milvus.upgrade.admissionpolicy.cel.PolicyRuleExport;
import io.milvus.upgrade.api.v1beta1.MilvusSpec;
import io.milvus.upgrade.components.MilvusTopology;
import io.milvus.upgrade.policy.PolicyRule;
import io.milvus.upgrade.policy.UpgradePolicy;
import io.milvus.upgrade.policy.UpgradeStep;
import java.util.ArrayList;
import java.util.List;

/** {@code milvus.rules.ZeroReplicasRule}: the components a step keeps at 0 replicas (3.0: indexNode) are at 0 where a cluster's spec names them. */
public final class ZeroReplicasExport extends PolicyRuleExport {

    public ZeroReplicasExport() {
        super(PolicyRule.ZERO_REPLICAS);
    }

    @Override
    public List<GuardValidation> render(UpgradePolicy policy) {
        List<GuardValidation> validations = new ArrayList<>();
        String cluster = stringAt("object", "spec.mode") + " == '" + MilvusSpec.MODE_CLUSTER + "'";
        for (int i = 0; i < policy.steps().size(); i++) {
            UpgradeStep step = policy.steps().get(i);
            for (String component : step.zeroReplicas()) {
                String declared = optionalAt("object", "spec.components." + component);
                String replicas = optionalAt("object", "spec.components." + component + ".replicas") + ".orValue(" + MilvusTopology.DEFAULT_REPLICAS + ")";
                validations.add(validation("!(" + cluster + " && " + declared + ".hasValue() && " + replicas + " != 0 && " + anyTaking(i, null) + ")",
                        firstTaking(i, null, Cel.string("spec.components." + component + ".replicas: ") + " + string(" + replicas + ") + "
                                + "' replicas: the step from ' + " + CelVersions.display("c.fv") + " + ' to ' + " + CelVersions.display("c.tv")
                                + " + " + Cel.string(" keeps " + component + " at 0 replicas (the operator starts it again if it reads the "
                                + "version as older than 2.6); set " + component + ".replicas: 0"))));
            }
        }
        return validations;
    }
}
