package io.milvus.upgrade.version;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Go's golang.org/x/mod/semver semantics, after adding a missing leading v. */
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
            "2.2.0+build+more"})
    void invalid(String text) {
        assertThat(Version.parse(text)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
            "2.1.4, 2.2.0", "2.2.0-rc1, 2.2.0", "2.2.0-rc1, 2.2.0-rc2", "2.2.0-alpha, 2.2.0-alpha.1",
            "2.2.0-alpha.1, 2.2.0-alpha.beta", "2.2.0-1, 2.2.0-alpha", "2.2.0-2, 2.2.0-10", "2.2.9, 2.2.10",
            "2.9.0, 2.10.0", "9.0.0, 10.0.0", "2.0.0-rc1, 2.0.0", "2.2, 2.2.1"})
    void ordering(String lower, String higher) {
        Version a = Version.of(lower);
        Version b = Version.of(higher);
        assertThat(a).isLessThan(b);
        assertThat(b).isGreaterThan(a);
        assertThat(a.isBefore(b)).isTrue();
        assertThat(b.isAtLeast(a)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"2.2.0+a, 2.2.0+b", "2.2, 2.2.0", "v2.2.0, 2.2.0", "2, 2.0.0"})
    void buildMetadataAndShorthandsCompareEqual(String a, String b) {
        assertThat(Version.of(a).sameAs(Version.of(b))).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"'>=2.0.0 <2.2.0', 2.1.4, true", "'>=2.0.0 <2.2.0', 2.2.0, false", "'>=2.0.0 <2.2.0', 2.0.0-rc1, false",
            "'>=2.2.0 <2.3.0', 2.2.0-rc1, false", "'>=2.2.0 <2.3.0', 2.2.9, true", "'>=2.2.0', 9.0.0, true", "'<2.3.0', 0.1.0, true",
            "any, 1.0.0, true"})
    void ranges(String range, String version, boolean contained) {
        assertThat(VersionRange.parse(range).contains(Version.of(version))).isEqualTo(contained);
        assertThat(VersionRange.parse(VersionRange.parse(range).toString())).isEqualTo(VersionRange.parse(range));
    }
}
