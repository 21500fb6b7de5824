package io.milvus.upgrade.milvusupgrade;

import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.admission.Defaulter;
import io.milvus.upgrade.api.v1beta1.MilvusReference;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.MilvusUpgradeSpec;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.policy.UpgradePolicy;
import io.milvus.upgrade.version.Version;
import java.util.List;

/**
 * Spec section 2 defaults. Only unset fields are filled: an explicit {@code false} or {@code 0}
 * is the user's choice (the reference loses both).
 */
public final class MilvusUpgradeDefaulter implements Defaulter<MilvusUpgrade> {

    public static final String OPERATION_UPGRADE = "upgrade";
    public static final String OPERATION_ROLLBACK = "rollback";

    private final PolicySource policy;

    public MilvusUpgradeDefaulter(PolicySource policy) {
        this.policy = policy;
    }

    @Override
    public List<String> applyDefaults(MilvusUpgrade upgrade, AdmissionContext context) {
        UpgradePolicy current = policy.current();
        MilvusUpgradeSpec spec = upgrade.getSpec();
        if (spec == null) {
            spec = new MilvusUpgradeSpec();
            upgrade.setSpec(spec);
        }
        if (spec.getMilvus() == null) {
            spec.setMilvus(new MilvusReference());
        }
        if (isUnset(spec.getMilvus().getNamespace())) {
            // The reference leaves it empty and the upgrade then never finds its Milvus.
            String own = upgrade.getMetadata() == null ? null : upgrade.getMetadata().getNamespace();
            spec.getMilvus().setNamespace(isUnset(own) ? context.namespace() : own);
        }
        if (isUnset(spec.getTargetImage()) && !isUnset(spec.getTargetVersion())) {
            spec.setTargetImage(current.defaultTargetImage(spec.getTargetVersion()));
        }
        if (isUnset(spec.getToolImage())) {
            Version.parse(spec.getTargetVersion()).flatMap(current::toolImageFor).ifPresent(spec::setToolImage);
        }
        if (isUnset(spec.getOperation())) {
            spec.setOperation(OPERATION_UPGRADE);
        }
        if (spec.getRollbackIfFailed() == null) {
            spec.setRollbackIfFailed(true);
        }
        if (spec.getMaxRetry() == null) {
            spec.setMaxRetry(current.defaultMaxRetry());
        }
        return List.of();
    }

    static boolean isUnset(String value) {
        return value == null || value.isEmpty();
    }
}
