package io.milvus.upgrade.milvus;

import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.admission.Validator;
import io.milvus.upgrade.admission.Verdict;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.policy.PolicySource;

/** Spec section 3: the unsafe image jump guard. */
public final class MilvusImageGuard implements Validator<Milvus> {

    private final PolicySource policy;
    private final ClusterLookup cluster;

    public MilvusImageGuard(PolicySource policy, ClusterLookup cluster) {
        this.policy = policy;
        this.cluster = cluster;
    }

    @Override
    public Verdict validateCreate(Milvus milvus, AdmissionContext context) {
        return Verdict.allowed(); // TODO
    }

    @Override
    public Verdict validateUpdate(Milvus oldMilvus, Milvus milvus, AdmissionContext context) {
        return Verdict.allowed(); // TODO
    }
}
