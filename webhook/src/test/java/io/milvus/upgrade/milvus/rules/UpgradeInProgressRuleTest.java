package io.milvus.upgrade.milvus.rules;

import static io.milvus.upgrade.testing.Objects.milvus;
import static io.milvus.upgrade.testing.Objects.milvusWithImage;
import static io.milvus.upgrade.testing.RuleFixtures.check;
import static io.milvus.upgrade.testing.RuleFixtures.upgradeAt;
import static io.milvus.upgrade.testing.Verdicts.fields;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.testing.FakeCluster;
import io.milvus.upgrade.verdict.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpgradeInProgressRuleTest {

    private static final UpgradeInProgressRule RULE = new UpgradeInProgressRule();

    private static Verdict patchIn(FakeCluster cluster) {
        return check(RULE, milvusWithImage("milvusdb/milvus:v2.1.4"), milvusWithImage("milvusdb/milvus:v2.1.5"), PolicySource.builtIn(), cluster);
    }

    @ParameterizedTest(name = "upgrade at \"{0}\" blocks: {1}")
    @CsvSource({"'', true", "OldVersionStopping, true", "BackupMeta, true", "NewVersionStarting, true", "RollbackOldVersionStarting, true",
            "Succeeded, false", "RollbackedSucceeded, false", "RollbackFailed, false"})
    void noImageChangeWhileAnUpgradeIsUnfinished(String state, boolean blocks) {
        Verdict verdict = patchIn(new FakeCluster().with(upgradeAt(state)));
        assertThat(verdict.isAllowed()).isEqualTo(!blocks);
        if (blocks) {
            assertThat(verdict.errors()).singleElement().satisfies(e -> assertThat(e.message())
                    .contains("MilvusUpgrade my-release-upgrade is working on Milvus default/my-release")
                    .contains("wait for it to finish, or set its operation to rollback"));
        }
    }

    @Test
    void aFailedUpgradeThatWillNotRollBackHoldsNothing() {
        MilvusUpgrade failed = upgradeAt("UpdateMetaFailed");
        failed.getSpec().setRollbackIfFailed(false);
        assertThat(patchIn(new FakeCluster().with(failed)).isAllowed()).isTrue();
    }

    @Test
    void theErrorSitsOnTheChangedField() {
        Milvus before = milvus("my-release", "components:\n  image: milvusdb/milvus:v2.1.4\n  proxy: {image: milvusdb/milvus:v2.1.4}\n");
        Milvus after = milvus("my-release", "components:\n  image: milvusdb/milvus:v2.1.4\n  proxy: {image: milvusdb/milvus:v2.1.5}\n");
        Verdict verdict = check(RULE, before, after, PolicySource.builtIn(), new FakeCluster().with(upgradeAt("BackupMeta")));
        assertThat(fields(verdict)).containsExactly("spec.components.proxy.image");
    }

    @Test
    void anUnreadableClusterIsAWarning() {
        Verdict verdict = check(RULE, milvusWithImage("milvusdb/milvus:v2.2.0"), milvusWithImage("milvusdb/milvus:v2.2.1"), PolicySource.builtIn(),
                new FakeCluster().unavailable("the apiserver did not answer within 2s"));
        assertThat(verdict.isAllowed()).isTrue();
        assertThat(verdict.warnings()).singleElement().satisfies(w -> assertThat(w)
                .contains("could not check whether a MilvusUpgrade is working on Milvus default/my-release").contains("within 2s"));
    }
}
