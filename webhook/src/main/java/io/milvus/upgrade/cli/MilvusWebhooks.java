package io.milvus.upgrade.cli;

import io.milvus.upgrade.admission.AdmissionEndpoint;
import io.milvus.upgrade.admission.MutatingEndpoint;
import io.milvus.upgrade.admission.ValidatingEndpoint;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.milvus.MilvusImageGuard;
import io.milvus.upgrade.milvusupgrade.MilvusUpgradeDefaulter;
import io.milvus.upgrade.milvusupgrade.MilvusUpgradeValidator;
import io.milvus.upgrade.policy.PolicySource;

/**
 * The admission webhooks this project serves, at the reference operator's paths: where the
 * generic admission layer meets the Milvus rules.
 */
public record MilvusWebhooks(
        MutatingEndpoint<MilvusUpgrade> mutateMilvusUpgrade,
        ValidatingEndpoint<MilvusUpgrade> validateMilvusUpgrade,
        ValidatingEndpoint<Milvus> validateMilvus) {

    public static final String MUTATE_MILVUSUPGRADE = "/mutate-milvus-io-v1beta1-milvusupgrade";
    public static final String VALIDATE_MILVUSUPGRADE = "/validate-milvus-io-v1beta1-milvusupgrade";
    public static final String VALIDATE_MILVUS = "/validate-milvus-io-v1beta1-milvus";

    public static MilvusWebhooks create(PolicySource policy, ClusterLookup cluster) {
        return create(policy, cluster, MilvusImageGuard.DEFAULT_CONTROLLER_USER);
    }

    /** @param controllerUser the controller's user name, whose image changes for its upgrade pass the guard */
    public static MilvusWebhooks create(PolicySource policy, ClusterLookup cluster, String controllerUser) {
        return new MilvusWebhooks(
                new MutatingEndpoint<>(MUTATE_MILVUSUPGRADE, MilvusUpgrade.class, new MilvusUpgradeDefaulter(policy)),
                new ValidatingEndpoint<>(VALIDATE_MILVUSUPGRADE, MilvusUpgrade.class, new MilvusUpgradeValidator(policy, cluster)),
                new ValidatingEndpoint<>(VALIDATE_MILVUS, Milvus.class, new MilvusImageGuard(policy, cluster, controllerUser)));
    }

    public java.util.List<AdmissionEndpoint> all() {
        return java.util.List.of(mutateMilvusUpgrade, validateMilvusUpgrade, validateMilvus);
    }
}
