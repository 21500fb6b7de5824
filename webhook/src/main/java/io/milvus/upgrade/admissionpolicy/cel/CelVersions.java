package io.milvus.upgrade.admissionpolicy.cel;

import io.milvus.upgrade.image.ImageReference;
import io.milvus.upgrade.version.Version;
import io.milvus.upgrade.version.VersionRange;

/**
 * Version comparisons as CEL, with the semantics of {@link Version} and {@link VersionRange}.
 * Operands are CEL expressions of Kubernetes' semver type ({@code semver(text, true)}, the
 * normalising form: a leading {@code v} and missing minor or patch are accepted, as Go's semver
 * accepts them after our added {@code v}). The semver library, with its normalize argument, is
 * in Kubernetes from 1.33 (k8s.io/apiserver pkg/cel/environment/base.go: SemverLib(SemverVersion(1))).
 */
public final class CelVersions {

    /**
     * Go's semver after an optional {@code v}, without leading zeros, which semver(text, true)
     * would strip where {@link Version#parse} refuses them. Numbers have at most 18 digits: CEL's
     * semver holds them in 64 bits and fails on more (a digest's hex would), where Version keeps digits.
     */
    static final String VERSION_SYNTAX = "^v?(0|[1-9][0-9]{0,17})(\\.(0|[1-9][0-9]{0,17})(\\.(0|[1-9][0-9]{0,17})"
            + "(-[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?(\\+[0-9A-Za-z-]+(\\.[0-9A-Za-z-]+)*)?)?)?$";

    private CelVersions() {
    }

    /** The semver value of a text that passed {@link #isVersion}. */
    public static String semver(String text) {
        return "semver(" + text + ", true)";
    }

    public static String literal(Version version) {
        return semver(Cel.string(version.toString()));
    }

    /** Whether a string expression is a version as {@link Version#parse} reads it. */
    public static String isVersion(String text) {
        return text + ".matches(" + Cel.string(VERSION_SYNTAX) + ")";
    }

    public static String atLeast(String version, Version bound) {
        return version + ".compareTo(" + literal(bound) + ") >= 0";
    }

    public static String before(String version, Version bound) {
        return version + ".compareTo(" + literal(bound) + ") < 0";
    }

    public static String sameAs(String version, Version other) {
        return version + ".compareTo(" + literal(other) + ") == 0";
    }

    /**
     * {@link Version#reaches}: at or beyond the bound, or a pre-release of its release. Both are
     * "at or beyond {@code M.m.p-0}", the lowest pre-release of the bound's release.
     */
    public static String reaches(String version, Version bound) {
        Version release = bound.release();
        return version + ".compareTo(" + semver(Cel.string(release + "-0")) + ") >= 0";
    }

    /** {@link VersionRange#contains}. */
    public static String inRange(String version, VersionRange range) {
        String lower = range.from() == null ? null : atLeast(version, range.from());
        String upper = range.until() == null ? null : "!(" + reaches(version, range.until()) + ")";
        if (lower == null && upper == null) return "true";
        if (lower == null) return upper;
        if (upper == null) return lower;
        return "(" + lower + " && " + upper + ")";
    }

    public static String sameMinorLine(String a, String b) {
        return "(" + a + ".major() == " + b + ".major() && " + a + ".minor() == " + b + ".minor())";
    }

    /** A version text without its leading v, as the webhook's messages write versions. */
    public static String display(String versionText) {
        return "(" + versionText + ".startsWith('v') ? " + versionText + ".substring(1) : " + versionText + ")";
    }

    /** {@code 2.2.x} of a version, for messages. */
    public static String minorLine(String version) {
        return "string(" + version + ".major()) + '.' + string(" + version + ".minor()) + '.x'";
    }

    /** The tag without a variant suffix ({@code -gpu} is a build of the release, not a pre-release). */
    public static String releaseOfTag(String tag) {
        String release = tag;
        for (String suffix : ImageReference.VARIANT_SUFFIXES) {
            release = Cel.ifElse(tag + ".endsWith(" + Cel.string(suffix) + ")",
                    tag + ".substring(0, size(" + tag + ") - " + suffix.length() + ")", release);
        }
        return release;
    }
}
