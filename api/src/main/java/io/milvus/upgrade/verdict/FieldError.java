package io.milvus.upgrade.verdict;

/**
 * One broken rule on one field, as Kubernetes' {@code field.Error}: {@code field} is the path
 * ({@code spec.targetVersion}), {@code type} one of the StatusCause reasons.
 */
public record FieldError(Type type, String field, String message) {

    public enum Type {
        REQUIRED("FieldValueRequired", "Required value"),
        INVALID("FieldValueInvalid", "Invalid value"),
        FORBIDDEN("FieldValueForbidden", "Forbidden"),
        NOT_SUPPORTED("FieldValueNotSupported", "Unsupported value");

        private final String reason;
        private final String label;

        Type(String reason, String label) {
            this.reason = reason;
            this.label = label;
        }

        public String reason() {
            return reason;
        }

        public String label() {
            return label;
        }
    }

    public static FieldError required(String field, String message) {
        return new FieldError(Type.REQUIRED, field, message);
    }

    public static FieldError invalid(String field, String message) {
        return new FieldError(Type.INVALID, field, message);
    }

    public static FieldError forbidden(String field, String message) {
        return new FieldError(Type.FORBIDDEN, field, message);
    }

    /** {@code spec.maxRetry: Invalid value: must be between 0 and 10}, as kubectl users know it. */
    @Override
    public String toString() {
        return field + ": " + type.label() + ": " + message;
    }
}
