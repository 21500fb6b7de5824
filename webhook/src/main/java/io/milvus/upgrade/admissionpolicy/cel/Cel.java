package io.milvus.upgrade.admissionpolicy.cel;

import java.util.List;
import java.util.stream.Collectors;

/** CEL literals and the small pieces of syntax every rendered rule shares. */
public final class Cel {

    private Cel() {
    }

    /** A single-quoted CEL string literal. */
    public static String string(String value) {
        StringBuilder out = new StringBuilder("'");
        for (char ch : value.toCharArray()) {
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
        return out.append('\'').toString();
    }

    /** A list of string literals. */
    public static String strings(List<String> values) {
        return values.stream().map(Cel::string).collect(Collectors.joining(", ", "[", "]"));
    }

    /**
     * The optional value at a dotted field path of {@code root} ({@code spec.dependencies.msgStreamType}):
     * {@code root.?spec.?dependencies.?msgStreamType}, so a missing field anywhere on the way is none, not an error.
     */
    public static String optionalAt(String root, String dottedPath) {
        StringBuilder out = new StringBuilder(root);
        for (String segment : dottedPath.split("\\.")) {
            out.append(segment.matches("[A-Za-z_][A-Za-z0-9_]*") ? ".?" + segment : "[?" + string(segment) + "]");
        }
        return out.toString();
    }

    /** The string at a dotted field path, '' when it is not there. */
    public static String stringAt(String root, String dottedPath) {
        return optionalAt(root, dottedPath) + ".orValue('')";
    }

    /** {@code condition ? then : otherwise}, parenthesised. */
    public static String ifElse(String condition, String then, String otherwise) {
        return "(" + condition + " ? " + then + " : " + otherwise + ")";
    }

    /**
     * A map literal with string values, built from alternating keys and expressions. Each value is
     * passed through string(): values read from the object are dyn, and the apiserver's CEL takes
     * homogeneous literals only (cel.HomogeneousAggregateLiterals in its base environment).
     */
    public static String map(List<String> keysAndExpressions) {
        StringBuilder out = new StringBuilder("{");
        for (int i = 0; i < keysAndExpressions.size(); i += 2) {
            if (i > 0) out.append(", ");
            out.append(string(keysAndExpressions.get(i))).append(": string(").append(keysAndExpressions.get(i + 1)).append(')');
        }
        return out.append('}').toString();
    }
}
