package io.milvus.upgrade.defaults;

import static io.milvus.upgrade.api.FieldValues.isUnset;

import io.milvus.upgrade.api.v1beta1.MilvusReference;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.MilvusUpgradeSpec;
import io.milvus.upgrade.policy.UpgradePolicy;
import io.milvus.upgrade.version.Version;

/**
 * Spec section 1's defaults, in one place for the mutating webhook, the controller (an upgrade
 * created while the webhook was not installed runs as a defaulted one would) and the CLI. Only
 * unset fields are filled: an explicit {@code false} or {@code 0} is the user's choice (the
 * reference loses both).
 */
public final class MilvusUpgradeDefaults {

    private MilvusUpgradeDefaults() {
    }

    /**
     * Fills in what {@code upgrade} leaves out, in place.
     *
     * @param requestNamespace the namespace of the request, for an object that does not carry its own yet
     */
    public static void apply(MilvusUpgrade upgrade, String requestNamespace, UpgradePolicy policy) {
        MilvusUpgradeSpec spec = upgrade.getSpec();
        if (spec == null) {
            spec = new MilvusUpgradeSpec();
            upgrade.setSpec(spec);
        }
        if (spec.getMilvus() == null) {
            spec.setMilvus(new MilvusReference());
        }
        if (isUnset(spec.getMilvus().getNamespace())) {
            spec.getMilvus().setNamespace(upgrade.milvusNamespace(requestNamespace));
        }
        if (isUnset(spec.getTargetImage()) && !isUnset(spec.getTargetVersion())) {
            spec.setTargetImage(policy.defaultTargetImage(spec.getTargetVersion()));
        }
        if (isUnset(spec.getToolImage())) {
            Version.parse(spec.getTargetVersion()).flatMap(policy::toolImageFor).ifPresent(spec::setToolImage);
        }
        if (isUnset(spec.getOperation())) {
            spec.setOperation(MilvusUpgradeSpec.OPERATION_UPGRADE);
        }
        if (spec.getRollbackIfFailed() == null) {
            spec.setRollbackIfFailed(true);
        }
        if (spec.getMaxRetry() == null) {
            spec.setMaxRetry(policy.defaultMaxRetry());
        }
    }
}
