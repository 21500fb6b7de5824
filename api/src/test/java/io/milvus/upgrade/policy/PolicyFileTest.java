package io.milvus.upgrade.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.milvus.upgrade.version.Version;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PolicyFileTest {

    @Test
    void emptyFileIsTheBuiltInPolicy() throws PolicyException {
        assertThat(PolicyFile.parse("", "p.yaml")).isEqualTo(UpgradePolicy.builtIn());
        assertThat(PolicyFile.parse("# only a comment\n", "p.yaml")).isEqualTo(UpgradePolicy.builtIn());
    }

    @Test
    void everyFieldIsRead() throws PolicyException {
        UpgradePolicy policy = PolicyFile.parse("""
                migrationPaths:
                  - source: ">=2.0.0 <2.2.0"
                    target: ">=2.2.0 <2.4.0"
                toolImages:
                  - targets: ">=2.2.0 <2.4.0"
                    image: registry.local/meta-migration:v2
                defaultRepository: registry.local/milvus
                allowedRepositories: [registry.local/]
                allowUnpinnedTags: true
                defaultMaxRetry: 1
                maxRetryLimit: 5
                override:
                  enabled: true
                rules:
                  imageDowngrade: warn
                  allowedRepository: "off"
                """, "p.yaml");
        assertThat(policy.pathFor(Version.of("2.1.4"), Version.of("2.3.1"))).isPresent();
        assertThat(policy.toolImageFor(Version.of("2.3.0"))).contains("registry.local/meta-migration:v2");
        assertThat(policy.defaultTargetImage("v2.3.0")).isEqualTo("registry.local/milvus:v2.3.0");
        assertThat(policy.allowedRepositories()).containsExactly("registry.local/");
        assertThat(policy.defaultMaxRetry()).isEqualTo(1);
        assertThat(policy.maxRetryLimit()).isEqualTo(5);
        assertThat(policy.override()).isEqualTo(new GuardOverride(true, GuardOverride.DEFAULT_ANNOTATION));
        assertThat(policy.mode(PolicyRule.UNPINNED_TAG)).isEqualTo(RuleMode.OFF);
        assertThat(policy.mode(PolicyRule.IMAGE_DOWNGRADE)).isEqualTo(RuleMode.WARN);
        assertThat(policy.mode(PolicyRule.ALLOWED_REPOSITORY)).isEqualTo(RuleMode.OFF);
        assertThat(policy.mode(PolicyRule.UPGRADE_PATH)).isEqualTo(RuleMode.ENFORCE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown top-level field | maxRetries: 3                                   | unknown field 'maxRetries'",
            "unknown rule            | 'rules: {imageJump: warn}'                      | unknown rule 'imageJump'",
            "unknown mode            | 'rules: {imageDowngrade: maybe}'                | 'maybe' is not a mode",
            "bad range               | 'migrationPaths: [{source: \"2.0\", target: \">=2.2.0\"}]' | is not a version range",
            "empty range             | 'migrationPaths: [{source: \">=2.2.0 <2.0.0\", target: \">=2.2.0\"}]' | empty range",
            "path without bound      | 'migrationPaths: [{source: \">=2.0.0\", target: \">=2.2.0\"}]' | source upper bound",
            "no paths                | 'migrationPaths: []'                            | no migration path",
            "wrong type              | 'defaultMaxRetry: many'                         | defaultMaxRetry",
            "retry above limit       | 'defaultMaxRetry: 20'                           | defaultMaxRetry must be between",
            "not yaml                | 'rules: [unclosed'                              | not a valid policy",
    })
    void badFilesAreRefusedWithTheReason(String name, String yaml, String expected) {
        assertThatThrownBy(() -> PolicyFile.parse(yaml, "policy.yaml"))
                .isInstanceOf(PolicyException.class)
                .hasMessageStartingWith("policy.yaml")
                .hasMessageContaining(expected);
    }
}
