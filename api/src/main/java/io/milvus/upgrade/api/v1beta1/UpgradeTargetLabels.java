package io.milvus.upgrade.api.v1beta1;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Labels naming the Milvus a MilvusUpgrade targets, set by the mutating webhook on every
 * MilvusUpgrade it admits. With them the validating webhook asks the apiserver for exactly the
 * upgrades of one Milvus ({@code -l milvus-upgrade.io/milvus-name=...}), fresh, instead of reading
 * every MilvusUpgrade of the cluster per review (issue 28).
 */
public final class UpgradeTargetLabels {

    public static final String NAME = "milvus-upgrade.io/milvus-name";
    public static final String NAMESPACE = "milvus-upgrade.io/milvus-namespace";

    /** A label value: at most 63 characters, alphanumeric at both ends (Kubernetes' rule). */
    private static final Pattern VALUE = Pattern.compile("[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

    private UpgradeTargetLabels() {
    }

    /** Both labels for the Milvus {@code namespace/name}; empty when either is no valid label value (a name over 63 characters). */
    public static Optional<Map<String, String>> of(String namespace, String name) {
        if (namespace == null || name == null || !VALUE.matcher(namespace).matches() || !VALUE.matcher(name).matches()) {
            return Optional.empty();
        }
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(NAME, name);
        labels.put(NAMESPACE, namespace);
        return Optional.of(labels);
    }

    /** Whether {@code upgrade} carries exactly these labels for the Milvus {@code namespace/name}. */
    public static boolean carries(MilvusUpgrade upgrade, String namespace, String name) {
        Map<String, String> labels = upgrade.getMetadata() == null ? null : upgrade.getMetadata().getLabels();
        return labels != null && name != null && name.equals(labels.get(NAME)) && namespace != null && namespace.equals(labels.get(NAMESPACE));
    }
}
