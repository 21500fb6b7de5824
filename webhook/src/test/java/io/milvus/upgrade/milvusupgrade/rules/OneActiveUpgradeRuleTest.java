package io.milvus.upgrade.milvusupgrade.rules;

import static io.milvus.upgrade.testing.RuleFixtures.check;
import static io.milvus.upgrade.testing.RuleFixtures.defaulted;
import static io.milvus.upgrade.testing.RuleFixtures.named;
import static io.milvus.upgrade.testing.RuleFixtures.runningV214;
import static io.milvus.upgrade.testing.RuleFixtures.spec;
import static io.milvus.upgrade.testing.RuleFixtures.withState;
import static io.milvus.upgrade.testing.Verdicts.fields;
import static io.milvus.upgrade.testing.Verdicts.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.testing.FakeCluster;
import io.milvus.upgrade.verdict.FieldError;
import io.milvus.upgrade.verdict.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OneActiveUpgradeRuleTest {

    private static final OneActiveUpgradeRule RULE = new OneActiveUpgradeRule();

    @Test
    void aSecondUnfinishedUpgradeIsDenied() {
        MilvusUpgrade running = named("first", withState(defaulted(spec("2.1.4", "2.2.0")), "BackupMeta"));
        Verdict verdict = check(RULE, spec("2.1.4", "2.2.0"), runningV214().with(running));
        assertThat(fields(verdict)).containsExactly("spec.milvus.name");
        assertThat(verdict.errors().get(0).type()).isEqualTo(FieldError.Type.FORBIDDEN);
        assertThat(verdict.errors().get(0).message()).contains("MilvusUpgrade default/first").contains("BackupMeta").contains("wait until it finishes");
    }

    @ParameterizedTest(name = "other in state \"{0}\", rollbackIfFailed {1}: blocks {2}")
    @CsvSource({
            "'', true, true", "OldVersionStopping, true, true", "NewVersionStarting, true, true",
            "BakupMetaFailed, true, true", "UpdateMetaFailed, true, true", "RollbackRestoringOldMeta, true, true",
            "BakupMetaFailed, false, false", "UpdateMetaFailed, false, false",
            "Succeeded, true, false", "RollbackedSucceeded, true, false", "RollbackFailed, true, false"})
    void onlyUnfinishedUpgradesBlock(String state, boolean rollbackIfFailed, boolean blocks) {
        MilvusUpgrade other = named("other", withState(defaulted(spec("2.1.4", "2.2.0") + "rollbackIfFailed: " + rollbackIfFailed + "\n"), state));
        assertThat(check(RULE, spec("2.1.4", "2.2.0"), runningV214().with(other)).isAllowed()).isEqualTo(!blocks);
    }

    @Test
    void anUpgradeOfAnotherMilvusDoesNotBlock() {
        MilvusUpgrade other = named("other", withState(defaulted("milvus: {name: another}\nsourceVersion: 2.1.4\ntargetVersion: 2.2.0\n"), "BackupMeta"));
        assertThat(check(RULE, spec("2.1.4", "2.2.0"), runningV214().with(other)).isAllowed()).isTrue();
    }

    @Test
    void anUpgradeDoesNotBlockItself() {
        MilvusUpgrade self = defaulted(spec("2.1.4", "2.2.0"));
        MilvusUpgrade edited = defaulted(spec("2.1.4", "2.2.1"));
        assertThat(check(RULE, edited, PolicySource.builtIn(), runningV214().with(self)).errors()).isEmpty();
    }

    @Test
    void oneActiveUpgradeCanWarn() {
        MilvusUpgrade running = named("first", withState(defaulted(spec("2.1.4", "2.2.0")), "BackupMeta"));
        Verdict verdict = check(RULE, defaulted(spec("2.1.4", "2.2.0")), policy("rules: {oneActiveUpgrade: warn}"), runningV214().with(running));
        assertThat(verdict.isAllowed()).isTrue();
        assertThat(verdict.warnings()).singleElement().satisfies(w -> assertThat(w).startsWith("spec.milvus.name: Forbidden: MilvusUpgrade default/first"));
    }

    @Test
    void unreadableUpgradesAreAWarningThatNamesTheMilvus() {
        Verdict unavailable = check(RULE, spec("2.1.4", "2.2.0"), new FakeCluster().unavailable("no permission to read Milvus default/my-release"));
        assertThat(unavailable.isAllowed()).isTrue();
        assertThat(unavailable.warnings()).anyMatch(w -> w.contains("other MilvusUpgrades of Milvus default/my-release"));
    }
}
