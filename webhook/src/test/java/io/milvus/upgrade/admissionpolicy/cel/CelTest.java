package io.milvus.upgrade.admissionpolicy.cel;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.version.Version;
import io.milvus.upgrade.version.VersionRange;
import org.junit.jupiter.api.Test;

class CelTest {

    @Test
    void stringLiteralsEscapeQuotesBackslashesAndLineBreaks() {
        assertThat(Cel.string("it's a\\b\nc")).isEqualTo("'it\\'s a\\\\b\\nc'");
    }

    @Test
    void fieldPathsAreOptionalAllTheWayAndNamesThatAreNoIdentifiersAreIndexed() {
        assertThat(Cel.optionalAt("object", "spec.dependencies.msgStreamType")).isEqualTo("object.?spec.?dependencies.?msgStreamType");
        assertThat(Cel.optionalAt("object", "metadata.labels.app-name")).isEqualTo("object.?metadata.?labels[?'app-name']");
    }

    @Test
    void aPreReleaseOfABoundReachesIt() {
        // Version#reaches: 2.2.0-rc1 already writes 2.2 metadata, so it is no 2.1 source.
        assertThat(CelVersions.reaches("v", Version.of("2.2.0"))).isEqualTo("v.compareTo(semver('2.2.0-0', true)) >= 0");
        assertThat(CelVersions.inRange("v", VersionRange.parse(">=2.0.0 <2.2.0")))
                .isEqualTo("(v.compareTo(semver('2.0.0', true)) >= 0 && !(v.compareTo(semver('2.2.0-0', true)) >= 0))");
        assertThat(CelVersions.inRange("v", VersionRange.parse("any"))).isEqualTo("true");
    }

    @Test
    void versionSyntaxIsGosSemverWithAnOptionalV() {
        for (String valid : new String[] {"2", "2.2", "2.2.0", "v2.2.0-rc1", "2.2.0+build", "v2.5.16"}) {
            assertThat(valid.matches(CelVersions.VERSION_SYNTAX)).as(valid).isTrue();
            assertThat(Version.parse(valid)).as(valid).isPresent();
        }
        for (String invalid : new String[] {"V2.2.0", "02.1.4", "latest", "2.6-20250613-abc", "", "v2.2-rc1"}) {
            assertThat(invalid.matches(CelVersions.VERSION_SYNTAX)).as(invalid).isFalse();
            assertThat(Version.parse(invalid)).as(invalid).isEmpty();
        }
    }
}
