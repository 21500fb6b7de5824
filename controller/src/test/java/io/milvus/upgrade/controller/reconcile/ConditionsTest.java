package io.milvus.upgrade.controller.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.api.v1beta1.UpgradeCondition;
import io.milvus.upgrade.api.v1beta1.UpgradeState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Instant T1 = T0.plusSeconds(60);

    static Conditions.StepReport at(UpgradeState state, String progress) {
        return new Conditions.StepReport(state, false, null, null, progress);
    }

    @Test
    void theTransitionTimeMovesOnlyWhenTheStatusChanges() {
        List<UpgradeCondition> first = Conditions.next(null, at(UpgradeState.BACKUP_META, "running"), 1, T0);
        List<UpgradeCondition> same = Conditions.next(first, at(UpgradeState.BACKUP_META, "running"), 1, T1);
        assertThat(same).usingRecursiveFieldByFieldElementComparator().isEqualTo(first);

        List<UpgradeCondition> message = Conditions.next(first, at(UpgradeState.BACKUP_META, "attempt 2"), 1, T1);
        UpgradeCondition progressing = Conditions.find(message, Conditions.PROGRESSING);
        assertThat(progressing.getLastTransitionTime()).isEqualTo(T0.toString());
        assertThat(progressing.getMessage()).isEqualTo("attempt 2");

        List<UpgradeCondition> done = Conditions.next(message, at(UpgradeState.SUCCEEDED, null), 1, T1);
        assertThat(Conditions.find(done, Conditions.READY).getLastTransitionTime()).isEqualTo(T1.toString());
        assertThat(Conditions.find(done, Conditions.UPGRADED).getStatus()).isEqualTo("True");
    }

    @Test
    void eachStepReportMapsToTheConventionalTypes() {
        var failed = Conditions.next(null, new Conditions.StepReport(UpgradeState.UPDATE_META_FAILED, false, null,
                new Conditions.Problem("UpdateMetaFailed", "stopped"), null), 4, T0);
        assertThat(failed).extracting(UpgradeCondition::getType, UpgradeCondition::getStatus).containsExactly(
                org.assertj.core.groups.Tuple.tuple("Ready", "False"), org.assertj.core.groups.Tuple.tuple("Progressing", "False"),
                org.assertj.core.groups.Tuple.tuple("Failed", "True"), org.assertj.core.groups.Tuple.tuple("Upgraded", "False"));
        assertThat(failed).allMatch(c -> c.getObservedGeneration() == 4L);

        var rolledBack = Conditions.next(null, new Conditions.StepReport(UpgradeState.ROLLBACKED_SUCCEEDED, true, null, null, null), 1, T0);
        assertThat(Conditions.find(rolledBack, Conditions.ROLLBACKED).getStatus()).isEqualTo("True");
        assertThat(Conditions.find(rolledBack, Conditions.READY).getReason()).isEqualTo("RollbackedSucceeded");
    }

    @Test
    void otherWritersConditionsAreKept() {
        UpgradeCondition foreign = new UpgradeCondition();
        foreign.setType("CheckingUpgrationState");
        foreign.setStatus("False");
        var next = Conditions.next(new ArrayList<>(List.of(foreign)), at(UpgradeState.PENDING, null), 1, T0);
        assertThat(next).extracting(UpgradeCondition::getType).contains("CheckingUpgrationState");
        assertThat(Conditions.find(next, Conditions.PROGRESSING).getReason()).isEqualTo("Pending");
    }

    /** The operator's MilvusUpgrade schema refuses the whole status write when one condition breaks it. */
    @Test
    void everyConditionMeetsTheOperatorsConditionSchema() {
        java.util.regex.Pattern reason = java.util.regex.Pattern.compile("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$");
        List<Conditions.StepReport> reports = new ArrayList<>();
        for (UpgradeState state : UpgradeState.values()) {
            for (boolean rollingBack : new boolean[] {false, true}) {
                reports.add(new Conditions.StepReport(state, rollingBack, null, null, null));
                reports.add(new Conditions.StepReport(state, rollingBack, null, null, ""));
                reports.add(new Conditions.StepReport(state, rollingBack, new Conditions.Problem("MilvusNotFound", "gone"), null, null));
                reports.add(new Conditions.StepReport(state, rollingBack, null, new Conditions.Problem("UpdateMetaFailed", " "), null));
                reports.add(new Conditions.StepReport(state, rollingBack, new Conditions.Problem("JobFailed", "x".repeat(40_000)), null, null));
            }
        }
        for (Conditions.StepReport report : reports) {
            assertThat(Conditions.next(null, report, 3, T0)).as("%s", report).allSatisfy(c -> {
                assertThat(c.getType()).isNotBlank().hasSizeLessThanOrEqualTo(316);
                assertThat(c.getStatus()).isIn("True", "False", "Unknown");
                assertThat(c.getReason()).matches(reason).hasSizeLessThanOrEqualTo(1024);
                assertThat(c.getMessage()).isNotBlank().hasSizeLessThanOrEqualTo(32768);
                assertThat(Instant.parse(c.getLastTransitionTime())).isEqualTo(T0);
            });
        }
    }
}
