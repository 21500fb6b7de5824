package io.milvus.upgrade.version;

/**
 * A half-open range {@code [from, until)}; either end may be open ({@code null}). Semver order
 * puts pre-releases before their release, so {@code [2.2.0, 2.3.0)} excludes {@code 2.2.0-rc1}.
 */
public record VersionRange(Version from, Version until) {

    public static VersionRange between(String from, String until) {
        return new VersionRange(Version.of(from), Version.of(until));
    }

    public static VersionRange atLeast(String from) {
        return new VersionRange(Version.of(from), null);
    }

    public boolean contains(Version v) {
        return (from == null || v.isAtLeast(from)) && (until == null || v.isBefore(until));
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
