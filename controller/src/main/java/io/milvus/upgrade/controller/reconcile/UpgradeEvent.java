package io.milvus.upgrade.controller.reconcile;

/** A Kubernetes Event to record on the MilvusUpgrade. */
public record UpgradeEvent(Type type, String reason, String message) {

    public enum Type { Normal, Warning }

    public static UpgradeEvent normal(String reason, String message) {
        return new UpgradeEvent(Type.Normal, reason, message);
    }

    public static UpgradeEvent warning(String reason, String message) {
        return new UpgradeEvent(Type.Warning, reason, message);
    }
}
