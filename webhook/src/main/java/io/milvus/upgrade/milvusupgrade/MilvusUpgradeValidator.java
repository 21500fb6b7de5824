package io.milvus.upgrade.milvusupgrade;

import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.admission.Validator;
import io.milvus.upgrade.admission.Verdict;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.policy.PolicySource;

/** Spec section 2 rules. */
public final class MilvusUpgradeValidator implements Validator<MilvusUpgrade> {

    private final PolicySource policy;
    private final ClusterLookup cluster;

    public MilvusUpgradeValidator(PolicySource policy, ClusterLookup cluster) {
        this.policy = policy;
        this.cluster = cluster;
    }

    @Override
    public Verdict validateCreate(MilvusUpgrade upgrade, AdmissionContext context) {
        return Verdict.allowed(); // TODO
    }

    @Override
    public Verdict validateUpdate(MilvusUpgrade oldUpgrade, MilvusUpgrade upgrade, AdmissionContext context) {
        return Verdict.allowed(); // TODO
    }
}
