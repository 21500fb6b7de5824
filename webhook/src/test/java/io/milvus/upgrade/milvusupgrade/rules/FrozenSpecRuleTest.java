package io.milvus.upgrade.milvusupgrade.rules;

import static io.milvus.upgrade.testing.RuleFixtures.defaulted;
import static io.milvus.upgrade.testing.RuleFixtures.spec;
import static io.milvus.upgrade.testing.RuleFixtures.withState;
import static io.milvus.upgrade.testing.Verdicts.fields;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.policy.RuleReport;
import io.milvus.upgrade.verdict.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rule is given the changed leaf paths; which paths an update changes is the validator's (MilvusUpgradeValidatorTest). */
class FrozenSpecRuleTest {

    private static Verdict frozen(MilvusUpgrade before, MilvusUpgrade after, String... changed) {
        RuleReport report = RuleReport.under(PolicySource.builtIn().current());
        new FrozenSpecRule().check(before, after, List.of(changed), report);
        return report.verdict();
    }

    @Test
    void upgradeToRollbackIsAllowed() {
        MilvusUpgrade started = withState(defaulted(spec("2.1.4", "2.2.0")), "UpdatingMeta");
        MilvusUpgrade rollback = withState(defaulted(spec("2.1.4", "2.2.0") + "operation: rollback\n"), "UpdatingMeta");
        assertThat(frozen(started, rollback, "spec.operation").errors()).isEmpty();
    }

    @Test
    void rollbackToUpgradeIsDenied() {
        MilvusUpgrade rollback = withState(defaulted(spec("2.1.4", "2.2.0") + "operation: rollback\n"), "RollbackNewVersionStopping");
        MilvusUpgrade upgrade = withState(defaulted(spec("2.1.4", "2.2.0")), "RollbackNewVersionStopping");
        Verdict back = frozen(rollback, upgrade, "spec.operation");
        assertThat(fields(back)).containsExactly("spec.operation");
        assertThat(back.errors().get(0).message()).contains("cannot be turned back into an upgrade").contains("create a new MilvusUpgrade");
    }

    @Test
    void aStartedUpgradeMayChangeOperationOnlyToRollback() {
        MilvusUpgrade started = withState(defaulted(spec("2.1.4", "2.2.0")), "BackupMeta");
        MilvusUpgrade both = withState(defaulted(spec("2.1.4", "2.2.0") + "operation: rollback\nmaxRetry: 1\n"), "BackupMeta");
        assertThat(fields(frozen(started, both, "spec.operation", "spec.maxRetry"))).containsExactly("spec.maxRetry");
        MilvusUpgrade bogus = withState(defaulted(spec("2.1.4", "2.2.0") + "operation: pause\n"), "BackupMeta");
        assertThat(fields(frozen(started, bogus, "spec.operation"))).containsExactly("spec.operation");
    }

    @Test
    void everyOtherChangedFieldIsForbiddenAndSaysWhy() {
        MilvusUpgrade started = withState(defaulted(spec("2.1.4", "2.2.0")), "UpdatingMeta");
        MilvusUpgrade changed = withState(defaulted(spec("2.1.4", "2.2.1")), "UpdatingMeta");
        Verdict verdict = frozen(started, changed, "spec.targetVersion", "spec.targetImage");
        assertThat(fields(verdict)).containsExactly("spec.targetVersion", "spec.targetImage");
        assertThat(verdict.errors()).allSatisfy(e -> assertThat(e.message())
                .contains("cannot change once the upgrade has started (state UpdatingMeta)").contains("Create a new MilvusUpgrade"));
    }
}
