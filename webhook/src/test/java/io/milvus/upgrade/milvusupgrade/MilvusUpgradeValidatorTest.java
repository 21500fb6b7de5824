package io.milvus.upgrade.milvusupgrade;

import static io.milvus.upgrade.testing.Objects.milvus;
import static io.milvus.upgrade.testing.Objects.milvusWithImage;
import static io.milvus.upgrade.testing.Objects.upgrade;
import static io.milvus.upgrade.testing.Verdicts.fields;
import static io.milvus.upgrade.testing.Verdicts.policy;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.verdict.FieldError;
import io.milvus.upgrade.admission.Operation;
import io.milvus.upgrade.verdict.Verdict;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.MilvusUpgradeStatus;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.policy.PolicyException;
import io.milvus.upgrade.policy.PolicyFile;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.testing.FakeCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MilvusUpgradeValidatorTest {

    private static final AdmissionContext CREATE = AdmissionContext.offline(Operation.CREATE, "default", "my-release-upgrade");
    private static final AdmissionContext UPDATE = AdmissionContext.offline(Operation.UPDATE, "default", "my-release-upgrade");

    /** The spec after defaulting, as the validating webhook sees it. */
    private static MilvusUpgrade defaulted(String spec) {
        MilvusUpgrade upgrade = upgrade(spec);
        new MilvusUpgradeDefaulter(PolicySource.builtIn()).applyDefaults(upgrade, CREATE);
        return upgrade;
    }

    private static Verdict create(String spec, ClusterLookup cluster) {
        return new MilvusUpgradeValidator(PolicySource.builtIn(), cluster).validateCreate(defaulted(spec), CREATE);
    }

    private static Verdict create(String spec) {
        return create(spec, runningV214());
    }

    private static FakeCluster runningV214() {
        return new FakeCluster().with(milvusWithImage("milvusdb/milvus:v2.1.4"));
    }

    private static String spec(String source, String target) {
        return "milvus: {name: my-release}\nsourceVersion: \"" + source + "\"\ntargetVersion: \"" + target + "\"\n";
    }


    private static MilvusUpgrade withState(MilvusUpgrade upgrade, String state) {
        MilvusUpgradeStatus status = new MilvusUpgradeStatus();
        status.setState(state);
        upgrade.setStatus(status);
        return upgrade;
    }

    private static MilvusUpgrade named(String name, MilvusUpgrade upgrade) {
        upgrade.getMetadata().setName(name);
        return upgrade;
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

        @ParameterizedTest(name = "{0} → {1}: {2}")
        @CsvSource(delimiter = '|', value = {
                "2.0.0-rc1 | 2.2.0     | spec.sourceVersion | must be 2.0.0 or later (pre-releases of 2.0.0 cannot be migrated)",
                "2.0.0-rc1+b | 2.2.0   | spec.sourceVersion | pre-releases of 2.0.0",
                "1.9.9     | 2.2.0     | spec.sourceVersion | must be 2.0.0 or later",
                "2.1.4     | 2.2.0-rc1 | spec.targetVersion | not a pre-release of 2.2.0",
                "2.1.4     | 2.1.9     | spec.targetVersion | must be 2.2.0 or later",
                "2.1.4     | 2.6.0     | spec.targetVersion | a MilvusUpgrade from 2.1.x migrates to >=2.2.0 <2.6.0 only; upgrade to 2.5.16 with a MilvusUpgrade (sourceVersion 2.1.4, targetVersion 2.5.16) first, then change spec.components.image to milvusdb/milvus:v2.6.0 (Milvus default/my-release)",
                "2.5.3     | 2.6.11    | spec.sourceVersion | no metadata migration is needed between 2.5.x and 2.6.x: change spec.components.image to milvusdb/milvus:v2.5.16 first, then change spec.components.image to milvusdb/milvus:v2.6.11 (Milvus default/my-release) instead",
                "2.2.0-rc1 | 2.2.0     | spec.sourceVersion | no metadata migration is needed between 2.2.x and 2.2.x",
                "2.2.0     | 2.3.0     | spec.sourceVersion | no metadata migration is needed between 2.2.x and 2.3.x: change spec.components.image of Milvus default/my-release to milvusdb/milvus:v2.3.0 instead",
                "2.2.0     | 2.2.3     | spec.sourceVersion | no metadata migration is needed between 2.2.x and 2.2.x",
                "2.2.0     | 2.2.0     | spec.targetVersion | must be newer than sourceVersion 2.2.0",
                "2.2.1     | 2.2.0     | spec.targetVersion | must be newer than sourceVersion 2.2.1; to go back after an upgrade, set operation: rollback",
                "V2.1.4    | 2.2.0     | spec.sourceVersion | not a semantic version",
                "02.1.4    | 2.2.0     | spec.sourceVersion | not a semantic version",
                "2.1.4     | latest    | spec.targetVersion | not a semantic version",
                "2.1.4     | v1.2-pre  | spec.targetVersion | not a semantic version",
        })
        void deniedVersions(String source, String target, String field, String message) {
            Verdict verdict = create(spec(source, target), ClusterLookup.none());
            assertThat(fields(verdict)).containsExactly(field);
            assertThat(verdict.errors().get(0).message()).contains(message);
        }

        @Test
        void anUnparsedVersionSkipsTheRulesThatCompare() {
            Verdict verdict = create(spec("latest", "2.3.0"), ClusterLookup.none());
            assertThat(fields(verdict)).containsExactly("spec.sourceVersion");
            assertThat(verdict.warnings()).noneMatch(w -> w.contains("to check sourceVersion"));
        }

        @Test
        void aRollbackNeedsNoNewerTarget() {
            Verdict verdict = create(spec("2.2.0", "2.2.0") + "operation: rollback\n", ClusterLookup.none());
            assertThat(fields(verdict)).doesNotContain("spec.targetVersion");
        }

        @Test
        void aPolicyWithAnOpenSourceRangeHasNoLowestSource() {
            var openBelow = policy("migrationPaths: [{source: \"<2.2.0\", target: \">=2.2.0 <2.3.0\"}]");
            Verdict verdict = new MilvusUpgradeValidator(openBelow, ClusterLookup.none())
                    .validateCreate(defaulted(spec("1.9.9", "2.2.0")), CREATE);
            assertThat(verdict.errors()).isEmpty();
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
            Verdict verdict = new MilvusUpgradeValidator(PolicySource.builtIn(), runningV214()).validateCreate(raw, CREATE);
            assertThat(verdict.errors()).isEmpty();
            assertThat(raw.getSpec().getToolImage()).as("the object itself is not changed").isNull();

            var noTool = policy("toolImages: []");
            Verdict none = new MilvusUpgradeValidator(noTool, runningV214()).validateCreate(upgrade(spec("2.1.4", "2.2.0")), CREATE);
            assertThat(none.errors()).singleElement().satisfies(e -> assertThat(e.message())
                    .isEqualTo("the policy names no meta-migration image for 2.2.0; set spec.toolImage"));
        }

        @Test
        void aMissingSpecIsAnEmptySpec() {
            MilvusUpgrade upgrade = upgrade("");
            upgrade.setSpec(null);
            Verdict verdict = new MilvusUpgradeValidator(PolicySource.builtIn(), ClusterLookup.none()).validateCreate(upgrade, CREATE);
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

        @ParameterizedTest(name = "maxRetry {0}")
        @CsvSource({"0, true", "3, true", "10, true", "11, false", "-1, false"})
        void maxRetryBounds(int maxRetry, boolean allowed) {
            Verdict verdict = create(spec("2.1.4", "2.2.0") + "maxRetry: " + maxRetry + "\n");
            assertThat(verdict.isAllowed()).isEqualTo(allowed);
            if (!allowed) {
                assertThat(fields(verdict)).containsExactly("spec.maxRetry");
                assertThat(verdict.errors().get(0).message()).contains("must be between 0 and 10");
            }
        }

        @Test
        void theMaxRetryLimitComesFromThePolicy() {
            Verdict verdict = new MilvusUpgradeValidator(policy("maxRetryLimit: 5"), runningV214())
                    .validateCreate(defaulted(spec("2.1.4", "2.2.0") + "maxRetry: 6\n"), CREATE);
            assertThat(fields(verdict)).containsExactly("spec.maxRetry");
        }

        @ParameterizedTest(name = "operation {0}")
        @CsvSource({"upgrade, true", "rollback, true", "Upgrade, false", "downgrade, false"})
        void operations(String operation, boolean allowed) {
            Verdict verdict = create(spec("2.1.4", "2.2.0") + "operation: " + operation + "\n");
            assertThat(verdict.isAllowed()).isEqualTo(allowed);
            if (!allowed) assertThat(fields(verdict)).containsExactly("spec.operation");
        }
    }

    @Nested
    class Images {

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "myregistry:5000/milvus/milvus:v2.2.0 | true  | ''",
                "milvusdb/milvus:2.2.0                | true  | ''",
                "milvusdb/milvus:v2.2                 | true  | ''",
                "milvusdb/milvus:custom-build         | true  | ''",
                "milvusdb/milvus:v2.2.0-gpu           | true  | ''",
                "milvusdb/milvus:v2.3.0-gpu           | false | its tag is version 2.3.0 but targetVersion is 2.2.0",
                "milvusdb/milvus:v2.3.1               | false | its tag is version 2.3.1 but targetVersion is 2.2.0; tag it v2.2.0",
                "milvusdb/milvus:v2.2.0-rc1           | false | its tag is version 2.2.0-rc1",
                "milvusdb/milvus:latest               | false | the tag 'latest' can point to another version at any time; pin a version tag",
                "milvusdb/milvus                      | false | no tag",
        })
        void targetImageCarriesTheTargetVersion(String image, boolean allowed, String message) {
            Verdict verdict = create(spec("2.1.4", "2.2.0") + "targetImage: " + image + "\n");
            assertThat(verdict.isAllowed()).isEqualTo(allowed);
            if (!allowed) {
                assertThat(fields(verdict)).containsExactly("spec.targetImage");
                assertThat(verdict.errors().get(0).message()).contains(message);
            }
        }

        @Test
        void aDigestPinnedTargetImageIsAllowedWithAWarning() {
            Verdict verdict = create(spec("2.1.4", "2.2.0") + "targetImage: milvusdb/milvus@sha256:" + "a".repeat(64) + "\n");
            assertThat(verdict.isAllowed()).isTrue();
            assertThat(verdict.warnings()).singleElement().satisfies(w -> assertThat(w).contains("pinned by digest").contains("2.2.0"));
        }

        @Test
        void aToolImageOutsideThePolicyIsAWarning() {
            Verdict verdict = create(spec("2.1.4", "2.2.0") + "toolImage: milvusdb/meta-migration:v2.2.0\n");
            assertThat(verdict.isAllowed()).isTrue();
            assertThat(verdict.warnings()).singleElement().satisfies(w -> assertThat(w).startsWith("spec.toolImage")
                    .contains("not the policy's migration image").contains("milvusdb/meta-migration:v2.2.0-bugfix-20230112"));
        }

        @Test
        void anUnpinnedToolImageIsDenied() {
            Verdict verdict = create(spec("2.1.4", "2.2.0") + "toolImage: milvusdb/meta-migration:latest\n");
            assertThat(fields(verdict)).containsExactly("spec.toolImage");
        }

        @Test
        void aPathWithoutAToolImageNeedsOne() {
            var noTool = policy("toolImages: []");
            MilvusUpgrade upgrade = upgrade(spec("2.1.4", "2.2.0"));
            new MilvusUpgradeDefaulter(noTool).applyDefaults(upgrade, CREATE);
            Verdict verdict = new MilvusUpgradeValidator(noTool, runningV214()).validateCreate(upgrade, CREATE);
            assertThat(fields(verdict)).containsExactly("spec.toolImage");
            assertThat(verdict.errors().get(0).type()).isEqualTo(FieldError.Type.REQUIRED);
        }

        @Test
        void allowedRepositoriesApplyToBothImages() {
            var validator = new MilvusUpgradeValidator(policy("allowedRepositories: [registry.local/]"), runningV214());
            Verdict verdict = validator.validateCreate(defaulted(spec("2.1.4", "2.2.0")), CREATE);
            assertThat(fields(verdict)).containsExactlyInAnyOrder("spec.targetImage", "spec.toolImage");
            assertThat(verdict.errors()).allSatisfy(e -> assertThat(e.message()).contains("not allowed by the policy; use one of [registry.local/]"));

            Verdict local = validator.validateCreate(defaulted(spec("2.1.4", "2.2.0")
                    + "targetImage: registry.local/milvus:v2.2.0\ntoolImage: registry.local/meta-migration:v1\n"), CREATE);
            assertThat(local.errors()).isEmpty();
        }
    }

    @Nested
    class RunningMilvus {

        @Test
        void sourceVersionMustMatchTheRunningMilvus() {
            Verdict verdict = create(spec("2.1.3", "2.2.0"));
            assertThat(fields(verdict)).containsExactly("spec.sourceVersion");
            assertThat(verdict.errors().get(0).message()).contains("Milvus default/my-release runs milvusdb/milvus:v2.1.4 (spec.components.image)")
                    .contains("set sourceVersion to 2.1.4");
        }

        @Test
        void aComponentImageCountsWhenTheComponentRuns() {
            String components = "components:\n  image: milvusdb/milvus:v2.1.4\n  proxy:\n    image: milvusdb/milvus:v2.1.3\n";
            Verdict cluster = create(spec("2.1.4", "2.2.0"), new FakeCluster().with(milvus("my-release", "mode: cluster\n" + components)));
            assertThat(cluster.errors()).singleElement().satisfies(e -> assertThat(e.message())
                    .contains("runs milvusdb/milvus:v2.1.3 (spec.components.proxy.image)")
                    .contains("different versions [2.1.4, 2.1.3]; bring them to one version first"));

            Verdict standalone = create(spec("2.1.4", "2.2.0"), new FakeCluster().with(milvus("my-release", components)));
            assertThat(standalone.errors()).as("a standalone Milvus runs no proxy").isEmpty();
        }

        @Test
        void everyComponentOverridingTheGlobalImageHidesIt() {
            Milvus milvus = milvus("my-release", "components:\n  image: milvusdb/milvus:v2.1.0\n  standalone: {image: milvusdb/milvus:v2.1.4}\n");
            assertThat(create(spec("2.1.4", "2.2.0"), new FakeCluster().with(milvus)).errors()).isEmpty();
        }

        @Test
        void whatTheOperatorObservedWinsOverTheSpec() {
            Milvus rollingOut = milvusWithImage("milvusdb/milvus:v2.1.4");
            rollingOut.setStatus(status("currentImage", "milvusdb/milvus:v2.1.3"));
            Verdict current = create(spec("2.1.4", "2.2.0"), new FakeCluster().with(rollingOut));
            assertThat(current.errors()).singleElement().satisfies(e -> assertThat(e.message())
                    .contains("runs milvusdb/milvus:v2.1.3 (status.currentImage); set sourceVersion to 2.1.3"));

            Milvus deployed = milvusWithImage("milvusdb/milvus:v2.1.4");
            deployed.setStatus(status("componentsDeployStatus", Map.of("standalone", Map.of("image", "milvusdb/milvus:v2.1.2"))));
            Verdict perComponent = create(spec("2.1.4", "2.2.0"), new FakeCluster().with(deployed));
            assertThat(perComponent.errors()).singleElement().satisfies(e -> assertThat(e.message())
                    .contains("runs milvusdb/milvus:v2.1.2 (status.componentsDeployStatus.standalone.image)"));
        }

        private static io.milvus.upgrade.api.v1beta1.MilvusStatus status(String field, Object value) {
            return io.milvus.upgrade.api.serialization.ApiSerialization.json().convertValue(Map.of("status", "Healthy", field, value),
                    io.milvus.upgrade.api.v1beta1.MilvusStatus.class);
        }

        @Test
        void aTagThatIsNoVersionOrNoImageIsAWarning() {
            Verdict custom = create(spec("2.1.4", "2.2.0"), new FakeCluster().with(milvusWithImage("milvusdb/milvus:my-build")));
            assertThat(custom.isAllowed()).isTrue();
            assertThat(custom.warnings()).singleElement().satisfies(w -> assertThat(w).contains("whose tag is not a version"));

            Verdict none = create(spec("2.1.4", "2.2.0"), new FakeCluster().with(milvus("my-release", "mode: standalone")));
            assertThat(none.isAllowed()).isTrue();
            assertThat(none.warnings()).singleElement().satisfies(w -> assertThat(w).contains("names no image"));
        }

        @Test
        void anUnreadableMilvusIsAWarningThatNamesItAndTheReason() {
            Verdict unavailable = create(spec("2.1.4", "2.2.0"), new FakeCluster().unavailable("no permission to read Milvus default/my-release"));
            assertThat(unavailable.isAllowed()).isTrue();
            assertThat(unavailable.warnings()).anyMatch(w -> w.contains("could not read Milvus default/my-release") && w.contains("no permission"));
            assertThat(unavailable.warnings()).anyMatch(w -> w.contains("other MilvusUpgrades of Milvus default/my-release"));

            Verdict missing = create(spec("2.1.4", "2.2.0"), new FakeCluster());
            assertThat(missing.isAllowed()).isTrue();
            assertThat(missing.warnings()).singleElement().satisfies(w -> assertThat(w).contains("Milvus default/my-release was not found"));

            Verdict noCluster = create(spec("2.1.4", "2.2.0"), ClusterLookup.none());
            assertThat(noCluster.isAllowed()).isTrue();
            assertThat(noCluster.warnings()).anyMatch(w -> w.contains("no cluster connection"));
        }

        @Test
        void theMilvusIsLookedUpInItsNamespace() {
            Milvus elsewhere = milvusWithImage("milvusdb/milvus:v2.1.3");
            elsewhere.getMetadata().setNamespace("prod");
            FakeCluster cluster = new FakeCluster().with(elsewhere).with(milvusWithImage("milvusdb/milvus:v2.1.4"));
            Verdict verdict = create("milvus: {name: my-release, namespace: prod}\nsourceVersion: 2.1.4\ntargetVersion: 2.2.0\n", cluster);
            assertThat(verdict.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("Milvus prod/my-release runs"));
        }
    }

    @Nested
    class OneActiveUpgrade {

        @Test
        void aSecondUnfinishedUpgradeIsDenied() {
            MilvusUpgrade running = named("first", withState(defaulted(spec("2.1.4", "2.2.0")), "BackupMeta"));
            Verdict verdict = create(spec("2.1.4", "2.2.0"), runningV214().with(running));
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
            assertThat(create(spec("2.1.4", "2.2.0"), runningV214().with(other)).isAllowed()).isEqualTo(!blocks);
        }

        @Test
        void anUpgradeOfAnotherMilvusDoesNotBlock() {
            MilvusUpgrade other = named("other", withState(defaulted("milvus: {name: another}\nsourceVersion: 2.1.4\ntargetVersion: 2.2.0\n"), "BackupMeta"));
            assertThat(create(spec("2.1.4", "2.2.0"), runningV214().with(other)).isAllowed()).isTrue();
        }

        @Test
        void anUpgradeDoesNotBlockItself() {
            MilvusUpgrade self = defaulted(spec("2.1.4", "2.2.0"));
            MilvusUpgrade edited = defaulted(spec("2.1.4", "2.2.1"));
            var validator = new MilvusUpgradeValidator(PolicySource.builtIn(), runningV214().with(self));
            assertThat(validator.validateUpdate(self, edited, UPDATE).errors()).isEmpty();
        }
    }

    @Nested
    class Updates {

        private final MilvusUpgradeValidator validator = new MilvusUpgradeValidator(PolicySource.builtIn(), ClusterLookup.none());

        @Test
        void upgradeToRollbackIsAllowed() {
            MilvusUpgrade started = withState(defaulted(spec("2.1.4", "2.2.0")), "UpdatingMeta");
            MilvusUpgrade rollback = withState(defaulted(spec("2.1.4", "2.2.0") + "operation: rollback\n"), "UpdatingMeta");
            assertThat(validator.validateUpdate(started, rollback, UPDATE).errors()).isEmpty();
        }

        @Test
        void rollbackToUpgradeIsDenied() {
            MilvusUpgrade rollback = withState(defaulted(spec("2.1.4", "2.2.0") + "operation: rollback\n"), "RollbackNewVersionStopping");
            MilvusUpgrade upgrade = withState(defaulted(spec("2.1.4", "2.2.0")), "RollbackNewVersionStopping");
            Verdict back = validator.validateUpdate(rollback, upgrade, UPDATE);
            assertThat(fields(back)).containsExactly("spec.operation");
            assertThat(back.errors().get(0).message()).contains("cannot be turned back into an upgrade").contains("create a new MilvusUpgrade");
        }

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
            Verdict verdict = validator.validateUpdate(started, changed, UPDATE);
            assertThat(fields(verdict)).containsExactlyInAnyOrder(expectedFields.split(",\\s*"));
            assertThat(verdict.errors()).allSatisfy(e -> assertThat(e.message()).contains("cannot change once the upgrade has started (state UpdatingMeta)"));
        }

        /** The spec with one top-level field replaced or added. */
        private static String withField(String spec, String field) {
            String key = field.substring(0, field.indexOf(':'));
            return spec.lines().filter(l -> !l.startsWith(key + ":")).reduce("", (a, l) -> a + l + "\n") + field + "\n";
        }

        @Test
        void aStartedUpgradeMayChangeOperationOnlyToRollback() {
            MilvusUpgrade started = withState(defaulted(spec("2.1.4", "2.2.0")), "BackupMeta");
            MilvusUpgrade both = withState(defaulted(spec("2.1.4", "2.2.0") + "operation: rollback\nmaxRetry: 1\n"), "BackupMeta");
            assertThat(fields(validator.validateUpdate(started, both, UPDATE))).containsExactly("spec.maxRetry");
            MilvusUpgrade bogus = withState(defaulted(spec("2.1.4", "2.2.0") + "operation: pause\n"), "BackupMeta");
            assertThat(fields(validator.validateUpdate(started, bogus, UPDATE))).containsExactly("spec.operation");
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
            assertThat(strict.validateCreate(before, CREATE).isAllowed()).isFalse();
            Verdict verdict = strict.validateUpdate(before, after, UPDATE);
            assertThat(verdict.errors()).isEmpty();
            assertThat(verdict.warnings()).isEmpty();
        }

        @Test
        void defaultsAddedToAnOlderObjectAreNoChange() {
            // Created before this webhook: no namespace, maxRetry or rollbackIfFailed; the mutating webhook adds them on update.
            MilvusUpgrade legacy = withState(upgrade(spec("2.1.4", "2.2.0") + "targetImage: milvusdb/milvus:v2.2.0\n"), "BackupMeta");
            MilvusUpgrade defaultedOnUpdate = withState(defaulted(spec("2.1.4", "2.2.0")), "BackupMeta");
            assertThat(validator.validateUpdate(legacy, defaultedOnUpdate, UPDATE).errors()).isEmpty();
        }

        @Test
        void beforeTheControllerActsAnUpdateIsJudgedLikeACreate() {
            MilvusUpgrade pending = defaulted(spec("2.1.4", "2.2.0"));
            assertThat(fields(validator.validateUpdate(pending, defaulted(spec("2.1.4", "2.6.0")), UPDATE))).containsExactly("spec.targetVersion");
            assertThat(fields(validator.validateUpdate(pending, defaulted(spec("2.1.4", "2.2.0") + "maxRetry: 11\n"), UPDATE)))
                    .containsExactly("spec.maxRetry");
            MilvusUpgrade rollback = defaulted(spec("2.1.4", "2.2.0") + "operation: rollback\n");
            assertThat(validator.validateUpdate(rollback, pending, UPDATE).errors()).as("nothing started, nothing to protect").isEmpty();
        }
    }

    @Nested
    class PolicyModes {

        @ParameterizedTest(name = "upgradePath: {0}")
        @CsvSource({"enforce, false, false", "warn, true, true", "'off', true, false"})
        void aRuleFollowsItsMode(String mode, boolean allowed, boolean warned) {
            var validator = new MilvusUpgradeValidator(policy("rules: {upgradePath: \"" + mode + "\"}"), runningV214());
            Verdict verdict = validator.validateCreate(defaulted(spec("2.1.4", "2.6.0")), CREATE);
            assertThat(verdict.isAllowed()).isEqualTo(allowed);
            assertThat(verdict.warnings().stream().anyMatch(w -> w.contains("upgrade to 2.5.16 with a MilvusUpgrade"))).isEqualTo(warned);
        }

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
                    .validateCreate(defaulted(spec), CREATE);
            assertThat(fields(enforced)).containsExactly(path);
            Verdict off = new MilvusUpgradeValidator(policy("rules: {" + rule + ": \"off\"}"), runningV214())
                    .validateCreate(defaulted(spec), CREATE);
            assertThat(off.errors()).isEmpty();
            assertThat(off.warnings()).isEmpty();
        }

        @Test
        void oneActiveUpgradeCanWarn() {
            MilvusUpgrade running = named("first", withState(defaulted(spec("2.1.4", "2.2.0")), "BackupMeta"));
            Verdict verdict = new MilvusUpgradeValidator(policy("rules: {oneActiveUpgrade: warn}"), runningV214().with(running))
                    .validateCreate(defaulted(spec("2.1.4", "2.2.0")), CREATE);
            assertThat(verdict.isAllowed()).isTrue();
            assertThat(verdict.warnings()).singleElement().satisfies(w -> assertThat(w).startsWith("spec.milvus.name: Forbidden: MilvusUpgrade default/first"));
        }

        @Test
        void structuralRulesAlwaysEnforce() {
            var everythingOff = policy("rules: {upgradePath: \"off\", targetImageVersion: \"off\", sourceMatchesRunning: \"off\", "
                    + "oneActiveUpgrade: \"off\", unpinnedTag: \"off\", allowedRepository: \"off\", toolImage: \"off\"}");
            Verdict verdict = new MilvusUpgradeValidator(everythingOff, ClusterLookup.none())
                    .validateCreate(defaulted("sourceVersion: \"2.0.0-rc1\"\ntargetVersion: latest\nmaxRetry: 11\n"), CREATE);
            assertThat(fields(verdict)).containsExactlyInAnyOrder("spec.milvus.name", "spec.sourceVersion", "spec.targetVersion", "spec.maxRetry");
        }
    }
}
