package io.milvus.upgrade.version;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Go's golang.org/x/mod/semver semantics, after adding a missing leading v: alphanumeric
 * pre-release identifiers compare in ASCII order ({@code rc10} before {@code rc2}), numeric ones
 * as numbers, build metadata not at all. Ranges are half-open in that order.
 */
class VersionTest {

    @ParameterizedTest
    @CsvSource({
            "2, 2.0.0", "2.2, 2.2.0", "2.2.0, 2.2.0", "v2.2.0, 2.2.0", "v2.2.0-rc1, 2.2.0-rc1",
            "2.2.0+build, 2.2.0+build", "2.2.0-rc.1+b.2, 2.2.0-rc.1+b.2", "0.0.0, 0.0.0",
            "10.20.30, 10.20.30", "1.0.0-alpha-a.b-c, 1.0.0-alpha-a.b-c", "1.2.3-0, 1.2.3-0",
            "99999999999999999999.0.0, 99999999999999999999.0.0"})
    void valid(String text, String parsed) {
        assertThat(Version.parse(text)).hasValueSatisfying(v -> assertThat(v.toString()).isEqualTo(parsed));
    }

    @ParameterizedTest
    @ValueSource(strings = {"V2.2.0", "02.1.4", "2.01.4", "2.1.04", "latest", "", "v", "vv2.2.0", "2.2.0.0", "2.2-rc1",
            "2-rc1", "2.2.0-", "2.2.0+", "2.2.0-01", "2.2.0-rc..1", "2.2.0-rc_1", " 2.2.0", "2.2.0 ", "2.", "2..0", "-2.0.0",
            "2.2.0+build+more", "v1.2-pre", "1.2-pre", "1.2+build", "v1.2.3-pre+", "1.2.3-pre.", "1.2.3-.pre", "2.2.0-rc+1+2", "2.2.0-réc",
            "٢.2.0", "2.2.0-١", "+2.2.0", "2.2.0\n", "2.2.x", "*"})
    void invalid(String text) {
        assertThat(Version.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "2.1.4, 2.2.0", "2.2.0-rc1, 2.2.0", "2.2.0-rc1, 2.2.0-rc2", "2.2.0-alpha, 2.2.0-alpha.1",
            "2.2.0-alpha.1, 2.2.0-alpha.beta", "2.2.0-1, 2.2.0-alpha", "2.2.0-2, 2.2.0-10", "2.2.9, 2.2.10",
            "2.9.0, 2.10.0", "9.0.0, 10.0.0", "2.0.0-rc1, 2.0.0", "2.2, 2.2.1", "2.2.0-rc1, 2.2.0-rc2", "2.2.0-rc2, 2.2.0",
            "2.2.0-rc.2, 2.2.0-rc.10", "2.2.0-rc10, 2.2.0-rc2+build", "2.2.0-beta, 2.2.0-rc1", "2.2.0-rc1, 2.2.1-alpha",
            "2.2.0-RC1, 2.2.0-rc1", "99999999999999999998.0.0, 99999999999999999999.0.0", "0.0.0-0, 0.0.0-0.0", "0.0.0-0, 0.0.0-a"})
    void ordering(String lower, String higher) {
        Version a = Version.of(lower);
        Version b = Version.of(higher);
        assertThat(a).isLessThan(b);
        assertThat(b).isGreaterThan(a);
        assertThat(a.isBefore(b)).isTrue();
        assertThat(b.isAtLeast(a)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"2.2.0+a, 2.2.0+b", "2.2, 2.2.0", "v2.2.0, 2.2.0", "2, 2.0.0", "2.2.0-rc1+a, 2.2.0-rc1", "2.2.0+0001, 2.2.0"})
    void buildMetadataAndShorthandsCompareEqual(String a, String b) {
        assertThat(Version.of(a).sameAs(Version.of(b))).isTrue();
        assertThat(Version.of(a).compareTo(Version.of(b))).isZero();
    }

    @ParameterizedTest
    @CsvSource({"2.2.0-rc1, 2.2.0, true", "2.2.0, 2.2.0, false", "2.2.0+b, 2.2.0, false", "v2.2.1-hotfix.1+b, 2.2.1, true"})
    void releaseDropsPreReleaseAndBuild(String text, String release, boolean prerelease) {
        Version version = Version.of(text);
        assertThat(version.isPrerelease()).isEqualTo(prerelease);
        assertThat(version.release()).isEqualTo(Version.of(release));
    }

    @ParameterizedTest
    @CsvSource({"2, v2.0.0, 2.0.0, 2.0.x", "2.2, v2.2.0, 2.2.0, 2.2.x", "v2.2.0-rc1+b.7, v2.2.0-rc1, 2.2.0-rc1+b.7, 2.2.x",
            "2.2.0+build, v2.2.0, 2.2.0+build, 2.2.x"})
    void renderings(String text, String imageTag, String plain, String minorLine) {
        Version version = Version.of(text);
        assertThat(version.imageTag()).isEqualTo(imageTag);
        assertThat(version.toString()).isEqualTo(plain);
        assertThat(version.withV()).isEqualTo("v" + plain);
        assertThat(version.minorLine()).isEqualTo(minorLine);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0", "0.0.0-0.0", "0.0.0-a", "0.0.1-0", "2.0.0-rc1"})
    void lowestIsBelowEveryOtherVersion(String text) {
        assertThat(Version.LOWEST).isLessThan(Version.of(text));
        assertThat(Version.LOWEST).isEqualTo(Version.of("0.0.0-0"));
    }

    @Test
    void ofExplainsWhatIsWrong() {
        assertThatThrownBy(() -> Version.of("latest")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'latest' is not a semantic version");
        assertThat(Version.parse(null)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({"2.2.0, 2.2.9, true", "2.2.0, 2.3.0, false", "2.2.0-rc1, 2.2.5, true", "3.2.0, 2.2.0, false"})
    void minorLines(String a, String b, boolean same) {
        assertThat(Version.of(a).sameMinorLine(Version.of(b))).isEqualTo(same);
    }

    @ParameterizedTest
    @CsvSource({"'>=2.0.0 <2.2.0', 2.1.4, true", "'>=2.0.0 <2.2.0', 2.2.0, false", "'>=2.0.0 <2.2.0', 2.0.0-rc1, false",
            "'>=2.2.0 <2.3.0', 2.2.0-rc1, false", "'>=2.2.0 <2.3.0', 2.2.9, true", "'>=2.2.0', 9.0.0, true", "'<2.3.0', 0.1.0, true",
            "any, 1.0.0, true", "'>=2.2.0 <2.3.0', 2.3.0-rc1, false", "'>=2.0.0 <2.2.0', 2.2.0-rc1, false", "'>=2.2.0 <2.3.0', 2.2.0+b, true", "'  >=2.2.0   <2.3.0 ', 2.2.1, true",
            "'<2.3.0 >=2.2.0', 2.2.1, true", "'>=v2.2.0', 2.2.0, true", "'>=2.2', 2.2.0, true"})
    void ranges(String range, String version, boolean contained) {
        assertThat(VersionRange.parse(range).contains(Version.of(version))).isEqualTo(contained);
        assertThat(VersionRange.parse(VersionRange.parse(range).toString())).isEqualTo(VersionRange.parse(range));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "2.2.0", ">2.2.0", "<=2.3.0", "=2.2.0", ">=2.2.0 >=2.3.0", "<2.3.0 <2.4.0", ">=2.3.0 <2.2.0",
            ">=2.2.0 <2.2.0", ">=latest", "any >=2.2.0", ">=2.2.0,<2.3.0"})
    void badRangesAreRefusedWithTheReason(String text) {
        assertThatThrownBy(() -> VersionRange.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageMatching("(?s).*(version range|empty range|not a semantic version).*");
    }

    @org.junit.jupiter.api.Test
    void nullIsNoRange() {
        assertThatThrownBy(() -> VersionRange.parse(null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("empty version range");
    }

    @org.junit.jupiter.api.Test
    void factories() {
        assertThat(VersionRange.between("2.0.0", "2.2.0")).isEqualTo(VersionRange.parse(">=2.0.0 <2.2.0"));
        assertThat(VersionRange.atLeast("2.2.0")).isEqualTo(VersionRange.parse(">=2.2.0"));
        assertThat(VersionRange.parse("any").contains(Version.LOWEST)).isTrue();
    }
}
