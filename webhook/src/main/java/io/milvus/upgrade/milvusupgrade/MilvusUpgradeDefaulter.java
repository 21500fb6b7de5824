package io.milvus.upgrade.milvusupgrade;

import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.admission.Defaulter;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.policy.PolicySource;
import java.util.List;

/** Spec section 2 defaults. */
public final class MilvusUpgradeDefaulter implements Defaulter<MilvusUpgrade> {

    private final PolicySource policy;

    public MilvusUpgradeDefaulter(PolicySource policy) {
        this.policy = policy;
    }

    @Override
    public List<String> applyDefaults(MilvusUpgrade upgrade, AdmissionContext context) {
        return List.of(); // TODO
    }
}
