package io.milvus.upgrade.milvus.rules;

import static io.milvus.upgrade.testing.Objects.milvus;
import static io.milvus.upgrade.testing.Objects.milvusWithImage;
import static io.milvus.upgrade.testing.RuleFixtures.check;
import static io.milvus.upgrade.testing.Verdicts.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.testing.FakeCluster;
import io.milvus.upgrade.verdict.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnknownVersionRuleTest {

    private static final UnknownVersionRule RULE = new UnknownVersionRule();

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "milvusdb/milvus:v2.1.4, milvusdb/milvus:nightly-build",
            "milvusdb/milvus:mytag, milvusdb/milvus:v2.2.0",
            "milvusdb/milvus:v2.1.4, milvusdb/milvus@sha256:aaaa"})
    void aTagThatIsNoVersionIsAllowedWithAWarning(String from, String to) {
        Verdict verdict = check(RULE, milvusWithImage(from), milvusWithImage(to));
        assertThat(verdict.isAllowed()).isTrue();
        assertThat(verdict.warnings()).singleElement().satisfies(w -> assertThat(w).contains("not a version"));
    }

    /** Where no image was set and the policy names no operator default, nobody can tell what ran. */
    @Test
    void anImageWhereNoneWasSetAndNoDefaultIsNamedIsAWarning() {
        Verdict verdict = check(RULE, milvus("my-release", "mode: standalone"), milvusWithImage("milvusdb/milvus:v2.2.0"),
                policy("operatorDefaultImage: \"\""), new FakeCluster());
        assertThat(verdict.isAllowed()).isTrue();
        assertThat(verdict.warnings()).singleElement().satisfies(w -> assertThat(w).contains("no image was set before"));
    }
}
