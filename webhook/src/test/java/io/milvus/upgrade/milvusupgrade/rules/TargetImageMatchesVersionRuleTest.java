package io.milvus.upgrade.milvusupgrade.rules;

import static io.milvus.upgrade.testing.RuleFixtures.assertDeniedOn;
import static io.milvus.upgrade.testing.RuleFixtures.assertImageFromAllowedRepositories;
import static io.milvus.upgrade.testing.RuleFixtures.check;
import static io.milvus.upgrade.testing.RuleFixtures.defaulted;
import static io.milvus.upgrade.testing.RuleFixtures.runningV214;
import static io.milvus.upgrade.testing.RuleFixtures.spec;
import static io.milvus.upgrade.testing.Verdicts.fields;
import static io.milvus.upgrade.testing.Verdicts.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.verdict.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetImageMatchesVersionRuleTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "myregistry:5000/milvus/milvus:v2.2.0 | true  | ''",
            "milvusdb/milvus:2.2.0                | true  | ''",
            "milvusdb/milvus:v2.2                 | true  | ''",
            "milvusdb/milvus:custom-build         | true  | ''",
            "milvusdb/milvus:v2.2.0-gpu           | true  | ''",
            "milvusdb/milvus:v2.3.0-gpu           | false | its tag is version 2.3.0 but targetVersion is 2.2.0",
            "milvusdb/milvus:v2.3.1               | false | its tag is version 2.3.1 but targetVersion is 2.2.0; tag it v2.2.0",
            "milvusdb/milvus:v2.2.0-rc1           | false | its tag is version 2.2.0-rc1",
            "milvusdb/milvus:latest               | false | the tag 'latest' can point to another version at any time; pin a version tag",
            "milvusdb/milvus                      | false | no tag",
    })
    void targetImageCarriesTheTargetVersion(String image, boolean allowed, String message) {
        Verdict verdict = check(new TargetImageMatchesVersionRule(), spec("2.1.4", "2.2.0") + "targetImage: " + image + "\n");
        assertThat(verdict.isAllowed()).isEqualTo(allowed);
        if (!allowed) {
            assertDeniedOn(verdict, "spec.targetImage", message);
        }
    }

    @Test
    void aDigestPinnedTargetImageIsAllowedWithAWarning() {
        Verdict verdict = check(new TargetImageMatchesVersionRule(), spec("2.1.4", "2.2.0") + "targetImage: milvusdb/milvus@sha256:" + "a".repeat(64) + "\n");
        assertThat(verdict.isAllowed()).isTrue();
        assertThat(verdict.warnings()).singleElement().satisfies(w -> assertThat(w).contains("pinned by digest").contains("2.2.0"));
    }

    @Test
    void allowedRepositoriesApply() {
        assertImageFromAllowedRepositories(new TargetImageMatchesVersionRule(), "spec.targetImage", "targetImage: registry.local/milvus:v2.2.0\n");
    }
}
