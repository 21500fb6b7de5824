package io.milvus.upgrade.milvusupgrade;

import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.admission.Defaulter;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.defaults.MilvusUpgradeDefaults;
import io.milvus.upgrade.policy.PolicySource;
import java.util.List;

/** The mutating webhook's side of {@link MilvusUpgradeDefaults}, under the policy in force. */
public final class MilvusUpgradeDefaulter implements Defaulter<MilvusUpgrade> {

    private final PolicySource policy;

    public MilvusUpgradeDefaulter(PolicySource policy) {
        this.policy = policy;
    }

    @Override
    public List<String> applyDefaults(MilvusUpgrade upgrade, AdmissionContext context) {
        MilvusUpgradeDefaults.apply(upgrade, context.namespace(), policy.current());
        return List.of();
    }
}
