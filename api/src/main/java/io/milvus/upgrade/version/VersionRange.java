package io.milvus.upgrade.version;

/**
 * A half-open range {@code [from, until)}; either end may be open ({@code null}). A pre-release of
 * a bound lies outside the range on both sides: semver sorts {@code 2.2.0-rc1} below
 * {@code 2.2.0}, so {@code [2.2.0, 2.3.0)} excludes it, and since it already is a 2.2 release
 * (it writes 2.2 metadata) {@code [2.0.0, 2.2.0)} excludes it as well (see {@link Version#reaches}).
 * This is the one place that rule lives.
 */
public record VersionRange(Version from, Version until) {

    public static VersionRange between(String from, String until) {
        return new VersionRange(Version.of(from), Version.of(until));
    }

    public static VersionRange atLeast(String from) {
        return new VersionRange(Version.of(from), null);
    }

    /**
     * Parses the notation of policy files: {@code ">=2.0.0 <2.2.0"}, {@code ">=2.2.0"},
     * {@code "<2.3.0"} or {@code "any"}.
     */
    public static VersionRange parse(String text) {
        Version from = null;
        Version until = null;
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("empty version range (expected e.g. \">=2.0.0 <2.2.0\")");
        }
        if (!trimmed.equals("any")) {
            for (String bound : trimmed.split("\\s+")) {
                if (bound.startsWith(">=") && from == null) {
                    from = Version.of(bound.substring(2));
                } else if (bound.startsWith("<") && !bound.startsWith("<=") && until == null) {
                    until = Version.of(bound.substring(1));
                } else {
                    throw new IllegalArgumentException("'" + text + "' is not a version range: use \">=FROM\", \"<UNTIL\" or both, e.g. \">=2.0.0 <2.2.0\"");
                }
            }
        }
        if (from != null && until != null && !from.isBefore(until)) {
            throw new IllegalArgumentException("'" + text + "' is an empty range: the lower bound must be below the upper bound");
        }
        return new VersionRange(from, until);
    }

    public boolean contains(Version v) {
        return (from == null || v.isAtLeast(from)) && (until == null || !v.reaches(until));
    }

    /** {@code >=2.0.0 <2.2.0}, the notation policy files use. */
    @Override
    public String toString() {
        if (from == null && until == null) return "any";
        if (until == null) return ">=" + from;
        if (from == null) return "<" + until;
        return ">=" + from + " <" + until;
    }
}
