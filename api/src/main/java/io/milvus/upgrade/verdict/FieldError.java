package io.milvus.upgrade.verdict;

/**
 * One broken rule on one field, as Kubernetes' {@code field.Error}: {@code field} is the path
 * ({@code spec.targetVersion}), {@code type} one of the StatusCause reasons.
 */
public record FieldError(Type type, String field, String message) {

    /**
     * The longest message kept: a rule that quotes a value the user wrote would otherwise answer
     * with all of it, several times over (the message, the cause, the Status' summary); a 6.5 MB
     * image did so and ran a 64 MiB heap out of memory (issue 27).
     */
    public static final int MAX_MESSAGE_LENGTH = 1024;

    public FieldError {
        message = cut(message, MAX_MESSAGE_LENGTH);
    }

    /** {@code text}, or its first {@code max} characters and how many more there were. */
    public static String cut(String text, int max) {
        if (text == null || text.length() <= max) return text;
        return text.substring(0, max) + "... (" + (text.length() - max) + " more characters)";
    }

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
