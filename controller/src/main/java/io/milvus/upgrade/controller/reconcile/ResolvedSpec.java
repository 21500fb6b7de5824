package io.milvus.upgrade.controller.reconcile;

import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.MilvusUpgradeSpec;
import io.milvus.upgrade.defaults.MilvusUpgradeDefaults;
import io.milvus.upgrade.policy.UpgradePolicy;
import io.milvus.upgrade.version.Version;
import java.util.ArrayList;
import java.util.List;

/**
 * A MilvusUpgrade's spec with every default resolved, by the webhook's own defaulter, so that
 * an upgrade created while the webhook was not installed runs exactly as a defaulted one would.
 */
public record ResolvedSpec(
        String namespace,
        String name,
        String milvusNamespace,
        String milvusName,
        Version sourceVersion,
        Version targetVersion,
        String targetImage,
        String toolImage,
        boolean rollbackRequested,
        boolean rollbackIfFailed,
        int maxRetry,
        String backupPvc,
        boolean createsBackupPvc) {

    /** Reads {@code upgrade}'s spec under {@code policy}; an unusable spec gets one message naming every problem. */
    public static ResolvedSpec of(MilvusUpgrade upgrade, UpgradePolicy policy) throws InvalidUpgradeException {
        String namespace = upgrade.getMetadata().getNamespace();
        String name = upgrade.getMetadata().getName();
        MilvusUpgrade defaulted = ApiSerialization.kubernetes().clone(upgrade);
        MilvusUpgradeDefaults.apply(defaulted, namespace, policy);
        MilvusUpgradeSpec spec = defaulted.getSpec();

        List<String> problems = new ArrayList<>();
        if (isBlank(spec.getMilvus().getName())) problems.add("spec.milvus.name is required");
        Version source = version(spec.getSourceVersion(), "spec.sourceVersion", problems);
        Version target = version(spec.getTargetVersion(), "spec.targetVersion", problems);
        if (target != null && isBlank(spec.getToolImage())) {
            problems.add("spec.toolImage is not set and the policy names no tool image for target " + target);
        }
        boolean rollback = MilvusUpgradeSpec.OPERATION_ROLLBACK.equals(spec.getOperation());
        if (!rollback && !MilvusUpgradeSpec.OPERATION_UPGRADE.equals(spec.getOperation())) {
            problems.add("spec.operation must be upgrade or rollback, not '" + spec.getOperation() + "'");
        }
        if (spec.getMaxRetry() < 0) problems.add("spec.maxRetry must not be negative");
        if (!problems.isEmpty()) {
            throw new InvalidUpgradeException(String.join("; ", problems));
        }
        boolean createsPvc = isBlank(spec.getBackupPVC());
        return new ResolvedSpec(namespace, name, spec.getMilvus().getNamespace(), spec.getMilvus().getName(),
                source, target, spec.getTargetImage(), spec.getToolImage(), rollback, spec.getRollbackIfFailed(),
                spec.getMaxRetry(), createsPvc ? name : spec.getBackupPVC(), createsPvc);
    }

    public String milvusDisplayName() {
        return milvusNamespace + "/" + milvusName;
    }

    private static Version version(String text, String field, List<String> problems) {
        if (isBlank(text)) {
            problems.add(field + " is required");
            return null;
        }
        return Version.parse(text).orElseGet(() -> {
            problems.add(field + " '" + text + "' is not a semantic version");
            return null;
        });
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** A spec the controller cannot run; the message says what to fix. */
    public static final class InvalidUpgradeException extends Exception {
        public InvalidUpgradeException(String message) {
            super(message);
        }
    }
}
