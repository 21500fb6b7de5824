package io.milvus.upgrade.version;

import java.util.Optional;

/**
 * A Milvus version with the semantics of Go's {@code golang.org/x/mod/semver}, which the reference
 * operator uses, after adding a missing leading {@code v}: {@code 2}, {@code 2.2}, {@code v2.2.0-rc1}
 * and {@code 2.2.0+build} parse; {@code V2.2.0}, {@code 02.1.4} and {@code latest} do not.
 *
 * <p>Numbers are kept as digit strings, as Go does, so that no input overflows; build metadata is
 * kept for display and ignored in ordering. {@link #equals} compares every part, build included;
 * {@link #sameAs} is version equality.
 */
public record Version(String major, String minor, String patch, String prerelease, String build)
        implements Comparable<Version> {

    /** The lowest version there is: a numeric pre-release identifier 0 sorts before all others. */
    public static final Version LOWEST = new Version("0", "0", "0", "-0", "");

    /** Parses {@code text}, adding a leading {@code v} when it has none. */
    public static Optional<Version> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(new Parser(text.startsWith("v") ? text : "v" + text).parse());
    }

    /** Parses {@code text} or throws, for versions written in code and in policy files. */
    public static Version of(String text) {
        return parse(text).orElseThrow(() -> new IllegalArgumentException(
                "'" + text + "' is not a semantic version (expected e.g. 2.2.0 or v2.2.0-rc1)"));
    }

    public boolean isPrerelease() {
        return !prerelease.isEmpty();
    }

    /** The same version without pre-release and build: {@code 2.2.0-rc1} → {@code 2.2.0}. */
    public Version release() {
        return new Version(major, minor, patch, "", "");
    }

    /** {@code 2.2.x}, for messages that speak of a minor line. */
    public String minorLine() {
        return major + "." + minor + ".x";
    }

    /** Same major and minor: a patch bump or a pre-release of the same line. */
    public boolean sameMinorLine(Version other) {
        return major.equals(other.major) && minor.equals(other.minor);
    }

    public boolean isBefore(Version other) {
        return compareTo(other) < 0;
    }

    public boolean isAtLeast(Version other) {
        return compareTo(other) >= 0;
    }

    /**
     * At or beyond {@code boundary}, where a pre-release of the boundary's release counts as
     * beyond it: {@code 2.2.0-rc1} reaches {@code 2.2.0}, because it already writes 2.2 metadata,
     * although semver sorts it below.
     */
    public boolean reaches(Version boundary) {
        return isAtLeast(boundary) || release().isAtLeast(boundary.release());
    }

    @Override
    public int compareTo(Version other) {
        int c = compareNumbers(major, other.major);
        if (c == 0) c = compareNumbers(minor, other.minor);
        if (c == 0) c = compareNumbers(patch, other.patch);
        if (c == 0) c = comparePrerelease(prerelease, other.prerelease);
        return c;
    }

    /** Equal in ordering: {@code 2.2.0+a} and {@code 2.2.0+b} are the same version. */
    public boolean sameAs(Version other) {
        return compareTo(other) == 0;
    }

    /** Without the leading {@code v}, as the tool image's config and image tags want it. */
    @Override
    public String toString() {
        return major + "." + minor + "." + patch
                + (prerelease.isEmpty() ? "" : prerelease)
                + (build.isEmpty() ? "" : build);
    }

    /** With the leading {@code v}: {@code v2.2.0}. */
    public String withV() {
        return "v" + this;
    }

    /**
     * The tag Milvus images carry for this version: {@code v2.2.0}, {@code v2.2.0-rc1}. Build
     * metadata is left out, since {@code +} is not allowed in an image tag.
     */
    public String imageTag() {
        return "v" + major + "." + minor + "." + patch + prerelease;
    }

    private static int compareNumbers(String a, String b) {
        if (a.length() != b.length()) {
            return Integer.compare(a.length(), b.length());
        }
        return Integer.signum(a.compareTo(b));
    }

    /** Semver §11: a release sorts after its pre-releases; identifiers compare field by field. */
    private static int comparePrerelease(String a, String b) {
        if (a.equals(b)) return 0;
        if (a.isEmpty()) return 1;
        if (b.isEmpty()) return -1;
        String[] x = a.substring(1).split("\\.");
        String[] y = b.substring(1).split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            int c = compareIdentifiers(x[i], y[i]);
            if (c != 0) return c;
        }
        return Integer.compare(x.length, y.length);
    }

    private static int compareIdentifiers(String x, String y) {
        boolean xNum = isNumeric(x);
        boolean yNum = isNumeric(y);
        if (xNum && yNum) return compareNumbers(x, y);
        if (xNum) return -1;
        if (yNum) return 1;
        return Integer.signum(x.compareTo(y));
    }

    private static boolean isNumeric(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (!isDigit(s.charAt(i))) return false;
        }
        return !s.isEmpty();
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentifierChar(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    }

    /** A transcription of {@code semver.parse}: each step returns null where Go returns !ok. */
    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        Version parse() {
            pos = 1; // past the 'v'
            String major = number();
            if (major == null) return null;
            if (atEnd()) return new Version(major, "0", "0", "", "");
            if (!skip('.')) return null;
            String minor = number();
            if (minor == null) return null;
            if (atEnd()) return new Version(major, minor, "0", "", "");
            if (!skip('.')) return null;
            String patch = number();
            if (patch == null) return null;
            String prerelease = "";
            if (peek('-')) {
                prerelease = identifiers(true);
                if (prerelease == null) return null;
            }
            String build = "";
            if (peek('+')) {
                build = identifiers(false);
                if (build == null) return null;
            }
            return atEnd() ? new Version(major, minor, patch, prerelease, build) : null;
        }

        /** Digits without a leading zero (but "0" itself). */
        private String number() {
            int start = pos;
            while (pos < s.length() && isDigit(s.charAt(pos))) pos++;
            if (pos == start) return null;
            if (s.charAt(start) == '0' && pos - start > 1) return null;
            return s.substring(start, pos);
        }

        /** {@code -a.b} or {@code +a.b} including the sign; pre-release numbers have no leading zero. */
        private String identifiers(boolean prerelease) {
            int start = pos++;
            int idStart = pos;
            while (pos < s.length() && !(prerelease && s.charAt(pos) == '+')) {
                char c = s.charAt(pos);
                if (c == '.') {
                    if (!validIdentifier(idStart, pos, prerelease)) return null;
                    idStart = pos + 1;
                } else if (!isIdentifierChar(c)) {
                    return null;
                }
                pos++;
            }
            if (!validIdentifier(idStart, pos, prerelease)) return null;
            return s.substring(start, pos);
        }

        private boolean validIdentifier(int from, int to, boolean prerelease) {
            if (from == to) return false;
            String id = s.substring(from, to);
            return !(prerelease && isNumeric(id) && id.length() > 1 && id.charAt(0) == '0');
        }

        private boolean atEnd() {
            return pos == s.length();
        }

        private boolean peek(char c) {
            return pos < s.length() && s.charAt(pos) == c;
        }

        private boolean skip(char c) {
            if (!peek(c)) return false;
            pos++;
            return true;
        }
    }
}
