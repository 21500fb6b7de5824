package io.milvus.upgrade.policy;

/**
 * The admin's escape hatch from the Milvus image guard: when enabled, a Milvus annotated with
 * {@code annotation: "true"} may change its image against the guard's rules. Every use is
 * reported as a warning and logged.
 */
public record GuardOverride(boolean enabled, String annotation) {

    public static final String DEFAULT_ANNOTATION = "milvus.io/allow-unsafe-image-change";

    public static GuardOverride disabled() {
        return new GuardOverride(false, DEFAULT_ANNOTATION);
    }
}
