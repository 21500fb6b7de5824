package io.milvus.upgrade.milvusupgrade.rules;

import static io.milvus.upgrade.testing.RuleFixtures.assertDeniedOn;
import static io.milvus.upgrade.testing.RuleFixtures.check;
import static io.milvus.upgrade.testing.RuleFixtures.defaulted;
import static io.milvus.upgrade.testing.RuleFixtures.runningV214;
import static io.milvus.upgrade.testing.RuleFixtures.spec;
import static io.milvus.upgrade.testing.Verdicts.fields;
import static io.milvus.upgrade.testing.Verdicts.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.verdict.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpgradePathRuleTest {

    @ParameterizedTest(name = "{0} → {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "2.1.4     | 2.6.0     | spec.targetVersion | a MilvusUpgrade from 2.1.x migrates to >=2.2.0 <2.6.0 only; upgrade to 2.5.27 with a MilvusUpgrade (sourceVersion 2.1.4, targetVersion 2.5.27) first, then change spec.components.image to milvusdb/milvus:v2.6.0 (Milvus default/my-release)",
            "2.5.3     | 2.6.11    | spec.sourceVersion | no metadata migration is needed between 2.5.x and 2.6.x: change spec.components.image to milvusdb/milvus:v2.5.27 first, then change spec.components.image to milvusdb/milvus:v2.6.11 (Milvus default/my-release) instead",
            "2.2.0-rc1 | 2.2.0     | spec.sourceVersion | no metadata migration is needed between 2.2.x and 2.2.x",
            "2.2.0     | 2.3.0     | spec.sourceVersion | no metadata migration is needed between 2.2.x and 2.3.x: change spec.components.image of Milvus default/my-release to milvusdb/milvus:v2.3.0 instead",
            "2.2.0     | 2.2.3     | spec.sourceVersion | no metadata migration is needed between 2.2.x and 2.2.x",
            "2.2.0     | 2.2.0     | spec.targetVersion | must be newer than sourceVersion 2.2.0",
            "2.2.1     | 2.2.0     | spec.targetVersion | must be newer than sourceVersion 2.2.1; to go back after an upgrade, set operation: rollback",
    })
    void deniedVersions(String source, String target, String field, String message) {
        assertDeniedOn(check(new UpgradePathRule(), spec(source, target), ClusterLookup.none()), field, message);
    }

    @Test
    void aRollbackNeedsNoNewerTarget() {
        Verdict verdict = check(new UpgradePathRule(), spec("2.2.0", "2.2.0") + "operation: rollback\n", ClusterLookup.none());
        assertThat(fields(verdict)).doesNotContain("spec.targetVersion");
    }

    @ParameterizedTest(name = "upgradePath: {0}")
    @CsvSource({"enforce, false, false", "warn, true, true", "'off', true, false"})
    void aRuleFollowsItsMode(String mode, boolean allowed, boolean warned) {
        Verdict verdict = check(new UpgradePathRule(), defaulted(spec("2.1.4", "2.6.0")), policy("rules: {upgradePath: \"" + mode + "\"}"),
                runningV214());
        assertThat(verdict.isAllowed()).isEqualTo(allowed);
        assertThat(verdict.warnings().stream().anyMatch(w -> w.contains("upgrade to 2.5.27 with a MilvusUpgrade"))).isEqualTo(warned);
    }
}
