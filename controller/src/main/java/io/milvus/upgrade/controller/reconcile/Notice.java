package io.milvus.upgrade.controller.reconcile;

/** A Kubernetes Event on the MilvusUpgrade. */
public record Notice(Type type, String reason, String message) {

    public enum Type { Normal, Warning }

    public static Notice normal(String reason, String message) {
        return new Notice(Type.Normal, reason, message);
    }

    public static Notice warning(String reason, String message) {
        return new Notice(Type.Warning, reason, message);
    }
}
