package io.milvus.upgrade.milvusupgrade.rules;

import static io.milvus.upgrade.testing.RuleFixtures.assertDeniedOn;
import static io.milvus.upgrade.testing.RuleFixtures.check;
import static io.milvus.upgrade.testing.RuleFixtures.defaulted;
import static io.milvus.upgrade.testing.RuleFixtures.spec;
import static io.milvus.upgrade.testing.Verdicts.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.verdict.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SupportedVersionsRuleTest {

    @ParameterizedTest(name = "{0} → {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "2.0.0-rc1 | 2.2.0     | spec.sourceVersion | must be 2.0.0 or later (pre-releases of 2.0.0 cannot be migrated)",
            "2.0.0-rc1+b | 2.2.0   | spec.sourceVersion | pre-releases of 2.0.0",
            "1.9.9     | 2.2.0     | spec.sourceVersion | must be 2.0.0 or later",
            "2.1.4     | 2.2.0-rc1 | spec.targetVersion | not a pre-release of 2.2.0",
            "2.1.4     | 2.1.9     | spec.targetVersion | must be 2.2.0 or later",
    })
    void deniedVersions(String source, String target, String field, String message) {
        assertDeniedOn(check(new SupportedVersionsRule(), spec(source, target), ClusterLookup.none()), field, message);
    }

    @Test
    void aPolicyWithAnOpenSourceRangeHasNoLowestSource() {
        var openBelow = policy("migrationPaths: [{source: \"<2.2.0\", target: \">=2.2.0 <2.3.0\"}]");
        Verdict verdict = check(new SupportedVersionsRule(), defaulted(spec("1.9.9", "2.2.0")), openBelow, ClusterLookup.none());
        assertThat(verdict.errors()).isEmpty();
    }
}
