package io.milvus.upgrade.milvusupgrade;

import static io.milvus.upgrade.testing.Objects.milvusWithImage;
import static io.milvus.upgrade.testing.Objects.upgrade;
import static io.milvus.upgrade.testing.RuleFixtures.CREATE_UPGRADE;
import static io.milvus.upgrade.testing.RuleFixtures.UPDATE_UPGRADE;
import static io.milvus.upgrade.testing.RuleFixtures.defaulted;
import static io.milvus.upgrade.testing.RuleFixtures.named;
import static io.milvus.upgrade.testing.RuleFixtures.runningV214;
import static io.milvus.upgrade.testing.RuleFixtures.spec;
import static io.milvus.upgrade.testing.RuleFixtures.withState;
import static io.milvus.upgrade.testing.Verdicts.fields;
import static io.milvus.upgrade.testing.Verdicts.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.testing.FakeCluster;
import io.milvus.upgrade.verdict.FieldError;
import io.milvus.upgrade.verdict.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The request flow and how the rules combine: defaulting before the rules, all findings at once,
 * updates, the policy's modes across rules. Each rule's own cases are in its test class
 * ({@code milvusupgrade.rules}).
 */
class MilvusUpgradeValidatorTest {

    private static Verdict create(String spec, ClusterLookup cluster) {
        return new MilvusUpgradeValidator(PolicySource.builtIn(), cluster).validateCreate(defaulted(spec), CREATE_UPGRADE);
    }

    private static Verdict create(String spec) {
        return create(spec, runningV214());
    }

    @Nested
    class Versions {

        @ParameterizedTest(name = "{0} → {1}")
        @CsvSource({"2.1.4, 2.2.0", "v2.1.4, v2.2.0", "2.1.4, 2.2.3", "2.1.4, 2.3.0", "2.1.4, 2.5.12", "2.1.4, v2.5.16", "2.1.4, 2.2", "2.1.4, 2.2.0+build.7", "2.1.4, v2.2.1-hotfix",
                "2.0.0, 2.2.0", "2.0.0+meta, 2.2.0", "2.1, 2.2"})
        void allowedUpgrades(String source, String target) {
            String running = source.startsWith("2.0") ? "milvusdb/milvus:v2.0.0" : source.equals("2.1") ? "milvusdb/milvus:v2.1.0" : "milvusdb/milvus:v2.1.4";
            Verdict verdict = create(spec(source, target), new FakeCluster().with(milvusWithImage(running)));
            assertThat(verdict.errors()).isEmpty();
            assertThat(verdict.warnings()).isEmpty();
        }

        @Test
        void anUnparsedVersionSkipsTheRulesThatCompare() {
            Verdict verdict = create(spec("latest", "2.3.0"), ClusterLookup.none());
            assertThat(fields(verdict)).containsExactly("spec.sourceVersion");
            assertThat(verdict.warnings()).noneMatch(w -> w.contains("to check sourceVersion"));
        }

        @ParameterizedTest(name = "{0} → {1}")
        @CsvSource({"2.0.0-rc1, 2.2.0, spec.sourceVersion", "1.9.9, 2.2.0, spec.sourceVersion", "2.1.4, 2.1.9, spec.targetVersion"})
        void aVersionOutsideTheSupportedRangeIsNotAlsoReportedAsNoPath(String source, String target, String field) {
            assertThat(fields(create(spec(source, target), ClusterLookup.none()))).containsExactly(field);
        }
    }

    @Nested
    class Structure {

        @Test
        void anEmptySpecGetsFourFieldErrors() {
            Verdict verdict = create("", ClusterLookup.none());
            assertThat(fields(verdict)).containsExactlyInAnyOrder("spec.milvus.name", "spec.sourceVersion", "spec.targetVersion", "spec.targetImage");
            assertThat(verdict.errors()).allMatch(e -> e.type() == FieldError.Type.REQUIRED);
            assertThat(verdict.errors()).filteredOn(e -> e.field().equals("spec.targetImage"))
                    .singleElement().satisfies(e -> assertThat(e.message()).contains("defaults from spec.targetVersion"));
        }

        /** Issue 14 item 16: the apiserver may validate an object the mutating webhook has not completed. */
        @Test
        void anObjectTheMutatingWebhookHasNotCompletedIsJudgedAsDefaulted() {
            MilvusUpgrade raw = upgrade(spec("2.1.4", "2.2.0"));
            Verdict verdict = new MilvusUpgradeValidator(PolicySource.builtIn(), runningV214()).validateCreate(raw, CREATE_UPGRADE);
            assertThat(verdict.errors()).isEmpty();
            assertThat(raw.getSpec().getToolImage()).as("the object itself is not changed").isNull();

            var noTool = policy("toolImages: []");
            Verdict none = new MilvusUpgradeValidator(noTool, runningV214()).validateCreate(upgrade(spec("2.1.4", "2.2.0")), CREATE_UPGRADE);
            assertThat(none.errors()).singleElement().satisfies(e -> assertThat(e.message())
                    .isEqualTo("the policy names no meta-migration image for 2.2.0; set spec.toolImage"));
        }

        @Test
        void aMissingSpecIsAnEmptySpec() {
            MilvusUpgrade upgrade = upgrade("");
            upgrade.setSpec(null);
            Verdict verdict = new MilvusUpgradeValidator(PolicySource.builtIn(), ClusterLookup.none()).validateCreate(upgrade, CREATE_UPGRADE);
            assertThat(fields(verdict)).containsExactlyInAnyOrder("spec.milvus.name", "spec.sourceVersion", "spec.targetVersion", "spec.targetImage");
        }

        @Test
        void everyBrokenRuleIsReportedAtOnce() {
            Verdict verdict = create("""
                    sourceVersion: "2.0.0-rc1"
                    targetVersion: "2.2.0-rc1"
                    operation: downgrade
                    maxRetry: 11
                    """, ClusterLookup.none());
            assertThat(fields(verdict)).containsExactlyInAnyOrder(
                    "spec.milvus.name", "spec.sourceVersion", "spec.targetVersion", "spec.operation", "spec.maxRetry");
            assertThat(verdict.errors()).filteredOn(e -> e.field().equals("spec.operation"))
                    .singleElement().satisfies(e -> assertThat(e.type()).isEqualTo(FieldError.Type.NOT_SUPPORTED));
        }

        @Test
        void clusterRulesAreReportedTogetherWithTheOthers() {
            Verdict verdict = create(spec("2.1.3", "2.2.0") + "maxRetry: 11\n");
            assertThat(fields(verdict)).containsExactlyInAnyOrder("spec.maxRetry", "spec.sourceVersion");
        }
    }

    @Nested
    class Updates {

        private final MilvusUpgradeValidator validator = new MilvusUpgradeValidator(PolicySource.builtIn(), ClusterLookup.none());

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "targetVersion: 2.2.1                 | spec.targetVersion, spec.targetImage",
                "sourceVersion: 2.1.3                 | spec.sourceVersion",
                "milvus: {name: other}                | spec.milvus.name",
                "milvus: {name: my-release, namespace: prod} | spec.milvus.namespace",
                "maxRetry: 5                          | spec.maxRetry",
                "rollbackIfFailed: false              | spec.rollbackIfFailed",
                "backupPVC: mine                      | spec.backupPVC",
                "futureField: 1                       | spec.futureField",
        })
        void aStartedSpecIsFrozen(String change, String expectedFields) {
            MilvusUpgrade started = withState(defaulted(spec("2.1.4", "2.2.0")), "UpdatingMeta");
            MilvusUpgrade changed = withState(defaulted(withField(spec("2.1.4", "2.2.0"), change)), "UpdatingMeta");
            Verdict verdict = validator.validateUpdate(started, changed, UPDATE_UPGRADE);
            assertThat(fields(verdict)).containsExactlyInAnyOrder(expectedFields.split(",\\s*"));
            assertThat(verdict.errors()).allSatisfy(e -> assertThat(e.message()).contains("cannot change once the upgrade has started (state UpdatingMeta)"));
        }

        /** The spec with one top-level field replaced or added. */
        private static String withField(String spec, String field) {
            String key = field.substring(0, field.indexOf(':'));
            return spec.lines().filter(l -> !l.startsWith(key + ":")).reduce("", (a, l) -> a + l + "\n") + field + "\n";
        }

        @ParameterizedTest(name = "old state \"{0}\"")
        @ValueSource(strings = {"", "UpdatingMeta", "Succeeded"})
        void anUnchangedSpecPassesWhateverTheClusterSays(String state) {
            // Another upgrade is running and the Milvus runs another version: both would deny a create.
            MilvusUpgrade other = named("other", withState(defaulted(spec("2.1.4", "2.2.0")), "BackupMeta"));
            FakeCluster cluster = new FakeCluster().with(milvusWithImage("milvusdb/milvus:v2.2.0")).with(other);
            var strict = new MilvusUpgradeValidator(PolicySource.builtIn(), cluster);
            MilvusUpgrade before = withState(defaulted(spec("2.1.4", "2.2.0")), state);
            MilvusUpgrade after = withState(defaulted(spec("2.1.4", "2.2.0")), "Succeeded");
            after.getMetadata().setFinalizers(List.of());
            after.getMetadata().setLabels(Map.of("team", "search"));
            assertThat(strict.validateCreate(before, CREATE_UPGRADE).isAllowed()).isFalse();
            Verdict verdict = strict.validateUpdate(before, after, UPDATE_UPGRADE);
            assertThat(verdict.errors()).isEmpty();
            assertThat(verdict.warnings()).isEmpty();
        }

        @Test
        void defaultsAddedToAnOlderObjectAreNoChange() {
            // Created before this webhook: no namespace, maxRetry or rollbackIfFailed; the mutating webhook adds them on update.
            MilvusUpgrade legacy = withState(upgrade(spec("2.1.4", "2.2.0") + "targetImage: milvusdb/milvus:v2.2.0\n"), "BackupMeta");
            MilvusUpgrade defaultedOnUpdate = withState(defaulted(spec("2.1.4", "2.2.0")), "BackupMeta");
            assertThat(validator.validateUpdate(legacy, defaultedOnUpdate, UPDATE_UPGRADE).errors()).isEmpty();
        }

        @Test
        void beforeTheControllerActsAnUpdateIsJudgedLikeACreate() {
            MilvusUpgrade pending = defaulted(spec("2.1.4", "2.2.0"));
            assertThat(fields(validator.validateUpdate(pending, defaulted(spec("2.1.4", "2.6.0")), UPDATE_UPGRADE))).containsExactly("spec.targetVersion");
            assertThat(fields(validator.validateUpdate(pending, defaulted(spec("2.1.4", "2.2.0") + "maxRetry: 11\n"), UPDATE_UPGRADE)))
                    .containsExactly("spec.maxRetry");
            MilvusUpgrade rollback = defaulted(spec("2.1.4", "2.2.0") + "operation: rollback\n");
            assertThat(validator.validateUpdate(rollback, pending, UPDATE_UPGRADE).errors()).as("nothing started, nothing to protect").isEmpty();
        }
    }

    @Nested
    class PolicyModes {

        @ParameterizedTest(name = "{0}: {1} {2}")
        @CsvSource(delimiter = '|', value = {
                "targetImageVersion   | 2.1.4 | targetImage: milvusdb/milvus:v2.3.1      | spec.targetImage",
                "sourceMatchesRunning | 2.1.3 | ''                                        | spec.sourceVersion",
                "unpinnedTag          | 2.1.4 | targetImage: milvusdb/milvus:latest       | spec.targetImage",
                "toolImage            | 2.1.4 | toolImage: milvusdb/meta-migration:v2.2.0 | spec.toolImage",
        })
        void everyListedRuleCanBeEnforcedOrTurnedOff(String rule, String source, String extra, String path) {
            String spec = spec(source, "2.2.0") + extra + "\n";
            Verdict enforced = new MilvusUpgradeValidator(policy("rules: {" + rule + ": enforce}"), runningV214())
                    .validateCreate(defaulted(spec), CREATE_UPGRADE);
            assertThat(fields(enforced)).containsExactly(path);
            Verdict off = new MilvusUpgradeValidator(policy("rules: {" + rule + ": \"off\"}"), runningV214())
                    .validateCreate(defaulted(spec), CREATE_UPGRADE);
            assertThat(off.errors()).isEmpty();
            assertThat(off.warnings()).isEmpty();
        }

        @Test
        void structuralRulesAlwaysEnforce() {
            var everythingOff = policy("rules: {upgradePath: \"off\", targetImageVersion: \"off\", sourceMatchesRunning: \"off\", "
                    + "oneActiveUpgrade: \"off\", unpinnedTag: \"off\", allowedRepository: \"off\", toolImage: \"off\"}");
            Verdict verdict = new MilvusUpgradeValidator(everythingOff, ClusterLookup.none())
                    .validateCreate(defaulted("sourceVersion: \"2.0.0-rc1\"\ntargetVersion: latest\nmaxRetry: 11\n"), CREATE_UPGRADE);
            assertThat(fields(verdict)).containsExactlyInAnyOrder("spec.milvus.name", "spec.sourceVersion", "spec.targetVersion", "spec.maxRetry");
        }
    }
}
