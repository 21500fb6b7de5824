package io.milvus.upgrade.milvus.rules;

import static io.milvus.upgrade.testing.Objects.milvus;
import static io.milvus.upgrade.testing.Objects.milvusWithImage;
import static io.milvus.upgrade.testing.RuleFixtures.check;
import static io.milvus.upgrade.testing.Verdicts.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.testing.FakeCluster;
import io.milvus.upgrade.verdict.Verdict;
import org.junit.jupiter.api.Test;

class RemovedImageRuleTest {

    private static final RemovedImageRule RULE = new RemovedImageRule();

    @Test
    void removingTheImageWhenThePolicyNamesNoDefaultIsDenied() {
        Verdict removed = check(RULE, milvusWithImage("milvusdb/milvus:v2.6.11"), milvus("my-release", "mode: standalone"),
                policy("operatorDefaultImage: \"\""), new FakeCluster());
        assertThat(removed.errors()).singleElement().satisfies(e -> assertThat(e.message())
                .contains("runs the operator's default image, which the policy does not name (operatorDefaultImage)"));
    }

    @Test
    void aDefaultThePolicyNamesIsLeftToTheOtherRules() {
        Verdict removed = check(RULE, milvusWithImage("milvusdb/milvus:v2.1.4"), milvus("my-release", "mode: standalone"),
                PolicySource.builtIn(), new FakeCluster());
        assertThat(removed.errors()).isEmpty();
    }
}
