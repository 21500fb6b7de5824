package io.milvus.upgrade.milvusupgrade;

import static io.milvus.upgrade.testing.Objects.milvusWithImage;
import static io.milvus.upgrade.testing.Objects.upgrade;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.admission.FieldError;
import io.milvus.upgrade.admission.Operation;
import io.milvus.upgrade.admission.Verdict;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.MilvusUpgradeStatus;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.policy.PolicyFile;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.testing.FakeCluster;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MilvusUpgradeValidatorTest {

    private static final AdmissionContext CREATE = AdmissionContext.offline(Operation.CREATE, "default", "my-release-upgrade");

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
        return create(spec, new FakeCluster().with(milvusWithImage("milvusdb/milvus:v2.1.4")));
    }

    private static String spec(String source, String target) {
        return "milvus: {name: my-release}\nsourceVersion: \"" + source + "\"\ntargetVersion: \"" + target + "\"\n";
    }

    private static List<String> fields(Verdict verdict) {
        return verdict.errors().stream().map(FieldError::field).toList();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"2.1.4, 2.2.0", "v2.1.4, v2.2.0", "2.1.4, 2.2.3", "2.1.4, 2.2", "2.1.4, 2.2.0+build.7", "2.1.4, v2.2.1-hotfix"})
    void allowedUpgrades(String source, String target) {
        assertThat(create(spec(source, target)).errors()).isEmpty();
    }

    @ParameterizedTest(name = "{0} → {1}: {2}")
    @CsvSource(delimiter = '|', value = {
            "2.0.0-rc1 | 2.2.0 | spec.sourceVersion | pre-releases of 2.0.0",
            "1.9.9     | 2.2.0 | spec.sourceVersion | must be 2.0.0 or later",
            "2.1.4     | 2.2.0-rc1 | spec.targetVersion | not a pre-release of 2.2.0",
            "2.1.4     | 2.1.9 | spec.targetVersion | must be 2.2.0 or later",
            "2.1.4     | 2.3.0 | spec.targetVersion | upgrade to 2.2.x with a MilvusUpgrade first, then change the image to 2.3.x",
            "2.2.0     | 2.3.0 | spec.sourceVersion | no metadata migration is needed between 2.2.x and 2.3.x: change spec.components.image",
            "2.2.0     | 2.2.3 | spec.sourceVersion | no metadata migration is needed between 2.2.x and 2.2.x",
            "V2.1.4    | 2.2.0 | spec.sourceVersion | not a semantic version",
            "02.1.4    | 2.2.0 | spec.sourceVersion | not a semantic version",
            "2.1.4     | latest | spec.targetVersion | not a semantic version",
    })
    void deniedVersions(String source, String target, String field, String message) {
        Verdict verdict = create(spec(source, target), ClusterLookup.none());
        assertThat(fields(verdict)).containsExactly(field);
        assertThat(verdict.errors().get(0).message()).contains(message);
    }

    @Test
    void twoTwoZeroSourceIsAllowedByTheSourceRuleButNotAsAnUpgradePath() {
        assertThat(create(spec("2.0.0", "2.2.0"), ClusterLookup.none()).errors()).isEmpty();
        assertThat(create(spec("2.0.0+meta", "2.2.0"), ClusterLookup.none()).errors()).isEmpty();
    }

    @Test
    void anEmptySpecGetsFourFieldErrors() {
        Verdict verdict = create("", ClusterLookup.none());
        assertThat(fields(verdict)).containsExactlyInAnyOrder("spec.milvus.name", "spec.sourceVersion", "spec.targetVersion", "spec.targetImage");
        assertThat(verdict.errors()).allMatch(e -> e.type() == FieldError.Type.REQUIRED);
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
    }

    @Test
    void targetNotNewerThanSourceIsDeniedForUpgradeOnly() {
        assertThat(create(spec("2.1.4", "2.1.4"), ClusterLookup.none()).errors()).isNotEmpty();
        Verdict same = create(spec("2.2.0", "2.2.0"), ClusterLookup.none());
        assertThat(same.errors().get(0).message()).contains("must be newer than sourceVersion");
    }

    @ParameterizedTest(name = "maxRetry {0}")
    @CsvSource({"0, true", "3, true", "10, true", "11, false", "-1, false"})
    void maxRetryBounds(int maxRetry, boolean allowed) {
        Verdict verdict = create(spec("2.1.4", "2.2.0") + "maxRetry: " + maxRetry + "\n");
        assertThat(verdict.isAllowed()).isEqualTo(allowed);
        if (!allowed) assertThat(fields(verdict)).containsExactly("spec.maxRetry");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "myregistry:5000/milvus/milvus:v2.2.0 | true  | ''",
            "milvusdb/milvus:2.2.0                | true  | ''",
            "milvusdb/milvus:v2.3.1               | false | its tag is version 2.3.1 but targetVersion is 2.2.0",
            "milvusdb/milvus:latest               | false | pin a version tag",
            "milvusdb/milvus                      | false | no tag",
            "milvusdb/milvus:custom-build         | true  | ''",
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
        assertThat(verdict.warnings()).anyMatch(w -> w.contains("pinned by digest"));
    }

    @Test
    void aToolImageOutsideThePolicyIsAWarning() {
        Verdict verdict = create(spec("2.1.4", "2.2.0") + "toolImage: milvusdb/meta-migration:v2.2.0\n");
        assertThat(verdict.isAllowed()).isTrue();
        assertThat(verdict.warnings()).anyMatch(w -> w.contains("not the policy's migration image"));
    }

    @Test
    void sourceVersionMustMatchTheRunningMilvus() {
        Verdict verdict = create(spec("2.1.3", "2.2.0"));
        assertThat(fields(verdict)).containsExactly("spec.sourceVersion");
        assertThat(verdict.errors().get(0).message()).contains("runs milvusdb/milvus:v2.1.4").contains("set sourceVersion to 2.1.4");
    }

    @Test
    void aComponentImageCountsAsRunning() {
        var milvus = io.milvus.upgrade.testing.Objects.milvus("my-release",
                "components:\n  image: milvusdb/milvus:v2.1.4\n  proxy:\n    image: milvusdb/milvus:v2.1.3\n");
        Verdict verdict = create(spec("2.1.4", "2.2.0"), new FakeCluster().with(milvus));
        assertThat(verdict.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("spec.components.proxy.image"));
    }

    @Test
    void anUnreadableMilvusIsAWarningNeverAFailure() {
        Verdict unavailable = create(spec("2.1.4", "2.2.0"), new FakeCluster().unavailable("no permission to read Milvus default/my-release"));
        assertThat(unavailable.isAllowed()).isTrue();
        assertThat(unavailable.warnings()).anyMatch(w -> w.contains("no permission"));

        Verdict missing = create(spec("2.1.4", "2.2.0"), new FakeCluster());
        assertThat(missing.isAllowed()).isTrue();
        assertThat(missing.warnings()).anyMatch(w -> w.contains("was not found"));

        Verdict noCluster = create(spec("2.1.4", "2.2.0"), ClusterLookup.none());
        assertThat(noCluster.isAllowed()).isTrue();
        assertThat(noCluster.warnings()).anyMatch(w -> w.contains("no cluster connection"));
    }

    @Test
    void onlyOneUnfinishedUpgradePerMilvus() {
        MilvusUpgrade running = withState(defaulted(spec("2.1.4", "2.2.0")), "BackupMeta");
        running.getMetadata().setName("first");
        Verdict verdict = create(spec("2.1.4", "2.2.0"), new FakeCluster().with(milvusWithImage("milvusdb/milvus:v2.1.4")).with(running));
        assertThat(fields(verdict)).containsExactly("spec.milvus.name");
        assertThat(verdict.errors().get(0).message()).contains("MilvusUpgrade default/first").contains("BackupMeta");

        for (String finished : List.of("Succeeded", "RollbackedSucceeded", "RollbackFailed")) {
            MilvusUpgrade done = withState(defaulted(spec("2.1.4", "2.2.0")), finished);
            done.getMetadata().setName("done");
            assertThat(create(spec("2.1.4", "2.2.0"), new FakeCluster().with(milvusWithImage("milvusdb/milvus:v2.1.4")).with(done)).isAllowed())
                    .as(finished).isTrue();
        }
        MilvusUpgrade failedNoRollback = withState(defaulted(spec("2.1.4", "2.2.0") + "rollbackIfFailed: false\n"), "UpdateMetaFailed");
        failedNoRollback.getMetadata().setName("failed");
        assertThat(create(spec("2.1.4", "2.2.0"), new FakeCluster().with(milvusWithImage("milvusdb/milvus:v2.1.4")).with(failedNoRollback)).isAllowed()).isTrue();
    }

    @Test
    void anUpgradeDoesNotBlockItself() {
        MilvusUpgrade self = defaulted(spec("2.1.4", "2.2.0"));
        FakeCluster cluster = new FakeCluster().with(milvusWithImage("milvusdb/milvus:v2.1.4")).with(self);
        MilvusUpgrade edited = defaulted(spec("2.1.4", "2.2.1"));
        var update = AdmissionContext.offline(Operation.UPDATE, "default", "my-release-upgrade");
        assertThat(new MilvusUpgradeValidator(PolicySource.builtIn(), cluster).validateUpdate(self, edited, update).errors()).isEmpty();
    }

    @Test
    void aStartedUpgradeIsFrozenExceptUpgradeToRollback() {
        var validator = new MilvusUpgradeValidator(PolicySource.builtIn(), ClusterLookup.none());
        var update = AdmissionContext.offline(Operation.UPDATE, "default", "my-release-upgrade");
        MilvusUpgrade started = withState(defaulted(spec("2.1.4", "2.2.0")), "UpdatingMeta");

        MilvusUpgrade rollback = withState(defaulted(spec("2.1.4", "2.2.0") + "operation: rollback\n"), "UpdatingMeta");
        assertThat(validator.validateUpdate(started, rollback, update).errors()).isEmpty();

        Verdict back = validator.validateUpdate(rollback, started, update);
        assertThat(fields(back)).containsExactly("spec.operation");
        assertThat(back.errors().get(0).message()).contains("cannot be turned back into an upgrade");

        MilvusUpgrade retargeted = withState(defaulted(spec("2.1.4", "2.2.1")), "UpdatingMeta");
        assertThat(fields(validator.validateUpdate(started, retargeted, update))).containsExactlyInAnyOrder("spec.targetVersion", "spec.targetImage");

        MilvusUpgrade sameSpec = withState(defaulted(spec("2.1.4", "2.2.0")), "Succeeded");
        assertThat(validator.validateUpdate(started, sameSpec, update).errors()).as("status updates pass").isEmpty();
    }

    @Test
    void policyModesTurnRulesIntoWarningsOrNothing() throws Exception {
        var warn = PolicySource.fixed(PolicyFile.parse("rules: {upgradePath: warn, sourceMatchesRunning: \"off\"}", "test"));
        var validator = new MilvusUpgradeValidator(warn, new FakeCluster().with(milvusWithImage("milvusdb/milvus:v2.1.0")));
        Verdict verdict = validator.validateCreate(defaulted(spec("2.1.4", "2.3.0")), CREATE);
        assertThat(verdict.isAllowed()).isTrue();
        assertThat(verdict.warnings()).anyMatch(w -> w.contains("upgrade to 2.2.x with a MilvusUpgrade first"));
        assertThat(verdict.warnings()).noneMatch(w -> w.contains("runs milvusdb/milvus:v2.1.0"));
    }

    @Test
    void allowedRepositoriesApplyToBothImages() throws Exception {
        var policy = PolicySource.fixed(PolicyFile.parse("allowedRepositories: [registry.local/]", "test"));
        var validator = new MilvusUpgradeValidator(policy, ClusterLookup.none());
        Verdict verdict = validator.validateCreate(defaulted(spec("2.1.4", "2.2.0")), CREATE);
        assertThat(fields(verdict)).containsExactlyInAnyOrder("spec.targetImage", "spec.toolImage");
    }

    private static MilvusUpgrade withState(MilvusUpgrade upgrade, String state) {
        MilvusUpgradeStatus status = new MilvusUpgradeStatus();
        status.setState(state);
        upgrade.setStatus(status);
        return upgrade;
    }

    @SuppressWarnings("unused")
    private static List<String> list(String... values) {
        return Arrays.asList(values);
    }
}
