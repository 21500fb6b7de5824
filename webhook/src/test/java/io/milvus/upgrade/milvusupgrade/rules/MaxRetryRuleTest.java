package io.milvus.upgrade.milvusupgrade.rules;

import static io.milvus.upgrade.testing.RuleFixtures.assertDeniedOn;
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

class MaxRetryRuleTest {

    @ParameterizedTest(name = "maxRetry {0}")
    @CsvSource({"0, true", "3, true", "10, true", "11, false", "-1, false"})
    void maxRetryBounds(int maxRetry, boolean allowed) {
        Verdict verdict = check(new MaxRetryRule(), spec("2.1.4", "2.2.0") + "maxRetry: " + maxRetry + "\n");
        assertThat(verdict.isAllowed()).isEqualTo(allowed);
        if (!allowed) {
            assertDeniedOn(verdict, "spec.maxRetry", "must be between 0 and 10");
        }
    }

    @Test
    void theMaxRetryLimitComesFromThePolicy() {
        Verdict verdict = check(new MaxRetryRule(), defaulted(spec("2.1.4", "2.2.0") + "maxRetry: 6\n"), policy("maxRetryLimit: 5"), runningV214());
        assertThat(fields(verdict)).containsExactly("spec.maxRetry");
    }
}
