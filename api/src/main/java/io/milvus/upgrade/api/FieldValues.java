package io.milvus.upgrade.api;

/**
 * When a string field counts as not set: absent or empty, as Go's {@code omitempty} and the
 * reference operator treat it. Blank text is a value (and a bad one: validation says so).
 */
public final class FieldValues {

    private FieldValues() {
    }

    public static boolean isUnset(String value) {
        return value == null || value.isEmpty();
    }

    public static boolean isSet(String value) {
        return !isUnset(value);
    }
}
