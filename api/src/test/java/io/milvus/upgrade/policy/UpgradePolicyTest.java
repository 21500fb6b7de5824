package io.milvus.upgrade.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.image.ImageReference;
import io.milvus.upgrade.version.Version;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpgradePolicyTest {

    private final UpgradePolicy builtIn = UpgradePolicy.builtIn();

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"2.2.0, milvusdb/milvus:v2.2.0", "v2.2.0, milvusdb/milvus:v2.2.0", "2.2, milvusdb/milvus:v2.2.0",
            "2.2.0+build.1, milvusdb/milvus:v2.2.0", "v2.2.0-rc1, milvusdb/milvus:v2.2.0-rc1",
            "latest, milvusdb/milvus:vlatest", "vlatest, milvusdb/milvus:vlatest", "V2.2.0, milvusdb/milvus:vV2.2.0"})
    void defaultTargetImage(String target, String image) {
        assertThat(builtIn.defaultTargetImage(target)).isEqualTo(image);
    }

    @ParameterizedTest(name = "{0} → {1}: migration skipped {2}")
    @CsvSource({"2.1.4, 2.2.0, true", "2.0.0, 2.3.1, true", "2.1.4, 2.2.0-rc1, true", "1.9.0, 2.2.0, true",
            "2.2.0-rc1, 2.2.0, false", "2.2.0, 2.3.0, false", "2.1.0, 2.1.9, false", "2.2.0, 2.1.4, false"})
    void migrationSkippedBy(String from, String to, boolean skipped) {
        assertThat(builtIn.migrationSkippedBy(Version.of(from), Version.of(to)).isPresent()).isEqualTo(skipped);
    }

    @ParameterizedTest(name = "{0} → {1}: path {2}")
    @CsvSource({"2.0.0, 2.2.0, true", "2.1.4, 2.2.9, true", "2.0.0-rc1, 2.2.0, false", "2.1.4, 2.2.0-rc1, false",
            "2.1.4, 2.3.0, true", "2.1.4, 2.5.12, true", "2.1.4, 2.6.0, false", "2.2.0-rc1, 2.2.0, false", "2.2.0, 2.2.3, false"})
    void pathFor(String source, String target, boolean allowed) {
        assertThat(builtIn.pathFor(Version.of(source), Version.of(target)).isPresent()).isEqualTo(allowed);
    }

    @Test
    void lowestVersions() throws PolicyException {
        assertThat(builtIn.lowestSource()).isEqualTo(Version.of("2.0.0"));
        assertThat(builtIn.lowestTarget()).isEqualTo(Version.of("2.2.0"));
        UpgradePolicy two = PolicyFile.parse("""
                migrationPaths:
                  - {source: ">=2.0.0 <2.2.0", target: ">=2.2.0 <2.3.0"}
                  - {source: ">=1.5.0 <2.0.0", target: ">=2.0.0 <2.1.0"}
                """, "p");
        assertThat(two.lowestSource()).isEqualTo(Version.of("1.5.0"));
        assertThat(two.lowestTarget()).isEqualTo(Version.of("2.0.0"));
        UpgradePolicy openBelow = PolicyFile.parse("migrationPaths: [{source: \"<2.2.0\", target: \">=2.2.0 <2.3.0\"}]", "p");
        assertThat(openBelow.lowestSource()).isEqualTo(Version.LOWEST);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"2.2.0, milvusdb/meta-migration:v2.2.0-bugfix-20230112", "2.2.9, milvusdb/meta-migration:v2.2.0-bugfix-20230112",
            "2.5.12, milvusdb/meta-migration:v2.2.0-bugfix-20230112", "2.6.0, ''", "2.2.0-rc1, ''"})
    void toolImages(String target, String image) {
        assertThat(builtIn.toolImageFor(Version.of(target)).orElse("")).isEqualTo(image);
    }

    @ParameterizedTest(name = "{0} allowed by [registry.local/milvus, other.io/]: {1}")
    @CsvSource({"registry.local/milvus:v2.2.0, true", "registry.local/milvus-fork:v2.2.0, false", "registry.local/milvus/sub:v1, true",
            "other.io/anything:v1, true", "milvusdb/milvus:v2.2.0, false", "registry.local:5000/milvus:v2.2.0, false"})
    void allowedRepositories(String image, boolean allowed) throws PolicyException {
        UpgradePolicy policy = PolicyFile.parse("allowedRepositories: [registry.local/milvus, other.io/]", "p");
        assertThat(policy.isRepositoryAllowed(ImageReference.parse(image))).isEqualTo(allowed);
        assertThat(builtIn.isRepositoryAllowed(ImageReference.parse(image))).as("no list allows all").isTrue();
    }

    @ParameterizedTest(name = "{0} allowed by [milvusdb/milvus, busybox]: {1}")
    @CsvSource({"milvusdb/milvus:v2.5.17, true", "docker.io/milvusdb/milvus:v2.5.17, true", "index.docker.io/milvusdb/milvus:v2.5.17, true",
            "docker.io/milvusdb/milvus@sha256:0123, true", "docker.io/library/busybox:1.36, true", "library/busybox:1.36, true",
            "quay.io/milvusdb/milvus:v2.5.17, false", "milvusdb/milvus-fork:v2.5.17, false"})
    void dockerHubsOwnPrefixesNameTheSameRepository(String image, boolean allowed) throws PolicyException {
        UpgradePolicy policy = PolicyFile.parse("allowedRepositories: [milvusdb/milvus, busybox]", "p");
        assertThat(policy.isRepositoryAllowed(ImageReference.parse(image))).isEqualTo(allowed);
    }

    @Test
    void everyRuleHasAMode() {
        for (PolicyRule rule : PolicyRule.values()) {
            assertThat(builtIn.mode(rule)).as(rule.key()).isEqualTo(rule.defaultMode());
        }
        assertThat(builtIn.mode(PolicyRule.TOOL_IMAGE)).isEqualTo(RuleMode.WARN);
        assertThat(builtIn.override().enabled()).isFalse();
    }
}
