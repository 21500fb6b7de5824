package io.milvus.upgrade.edge;

/**
 * A value from a request as it may appear in a text log line or a message: control characters
 * escaped, so that a name with a newline cannot forge a line, and cut to a length, so that a
 * 7 MiB uid does not become 7 MiB of log. The mutating webhook sees names before the apiserver
 * validates them, so nothing a request carries is trusted to be printable. (JSON lines are
 * escaped by their encoder and only cut, by {@link CutLongValues}.)
 */
public final class LogValue {

    /** Longer than any Kubernetes name (253) or uid (36). */
    public static final int MAX_LENGTH = 256;

    private LogValue() {
    }

    public static String of(Object value) {
        if (value == null) return "";
        String text = value.toString();
        StringBuilder out = new StringBuilder(Math.min(text.length(), MAX_LENGTH) + 8);
        int shown = Math.min(text.length(), MAX_LENGTH);
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append(cutMark(text)).toString();
    }

    /** The value cut to {@link #MAX_LENGTH}, otherwise as it is. */
    public static String cut(CharSequence value) {
        return value.length() <= MAX_LENGTH ? value.toString() : value.subSequence(0, MAX_LENGTH) + cutMark(value);
    }

    private static String cutMark(CharSequence text) {
        return text.length() > MAX_LENGTH ? "...(" + text.length() + " chars)" : "";
    }
}
