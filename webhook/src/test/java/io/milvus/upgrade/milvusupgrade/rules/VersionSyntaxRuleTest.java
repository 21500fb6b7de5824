package io.milvus.upgrade.milvusupgrade.rules;

import static io.milvus.upgrade.testing.RuleFixtures.assertDeniedOn;
import static io.milvus.upgrade.testing.RuleFixtures.check;
import static io.milvus.upgrade.testing.RuleFixtures.spec;

import io.milvus.upgrade.cluster.ClusterLookup;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VersionSyntaxRuleTest {

    @ParameterizedTest(name = "{0} → {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "V2.1.4    | 2.2.0     | spec.sourceVersion | not a semantic version",
            "02.1.4    | 2.2.0     | spec.sourceVersion | not a semantic version",
            "2.1.4     | latest    | spec.targetVersion | not a semantic version",
            "2.1.4     | v1.2-pre  | spec.targetVersion | not a semantic version",
    })
    void deniedVersions(String source, String target, String field, String message) {
        assertDeniedOn(check(new VersionSyntaxRule(), spec(source, target), ClusterLookup.none()), field, message);
    }
}
