package io.milvus.upgrade.milvus;

import static io.milvus.upgrade.testing.Objects.milvus;
import static io.milvus.upgrade.testing.Objects.milvusWithImage;
import static io.milvus.upgrade.testing.Objects.upgrade;
import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.admission.FieldError;
import io.milvus.upgrade.admission.Operation;
import io.milvus.upgrade.admission.Verdict;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.MilvusUpgradeStatus;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.policy.PolicyFile;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.testing.FakeCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MilvusImageGuardTest {

    private static final AdmissionContext USER = new AdmissionContext("u", Operation.UPDATE, "default", "my-release", "alice", List.of(), false);
    private static final AdmissionContext CONTROLLER = new AdmissionContext("u", Operation.UPDATE, "default", "my-release",
            MilvusImageGuard.DEFAULT_CONTROLLER_USER, List.of(), false);

    private static Verdict update(String from, String to) {
        return new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster()).validateUpdate(milvusWithImage(from), milvusWithImage(to), USER);
    }

    private static List<String> fields(Verdict verdict) {
        return verdict.errors().stream().map(FieldError::field).toList();
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(delimiter = '|', value = {
            "milvusdb/milvus:v2.1.4 | milvusdb/milvus:v2.2.0 | loses built indexes; create a MilvusUpgrade",
            "milvusdb/milvus:v2.0.2 | milvusdb/milvus:v2.3.1 | loses built indexes",
            "milvusdb/milvus:v2.2.0 | milvusdb/milvus:v2.1.4 | crosses a minor version",
            "milvusdb/milvus:v2.3.0 | milvusdb/milvus:v2.2.9 | crosses a minor version",
            "milvusdb/milvus:v2.2.0 | milvusdb/milvus:latest | pin a version tag",
            "milvusdb/milvus:v2.2.0 | milvusdb/milvus        | no tag",
    })
    void deniedImageChanges(String from, String to, String message) {
        Verdict verdict = update(from, to);
        assertThat(fields(verdict)).contains("spec.components.image");
        assertThat(verdict.errors()).anyMatch(e -> e.message().contains(message));
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({
            "milvusdb/milvus:v2.2.0, milvusdb/milvus:v2.2.3",
            "milvusdb/milvus:v2.2.3, milvusdb/milvus:v2.2.0",
            "milvusdb/milvus:v2.2.8, milvusdb/milvus:v2.3.0",
            "milvusdb/milvus:v2.1.2, milvusdb/milvus:v2.1.4",
            "milvusdb/milvus:v2.2.0, myregistry:5000/milvus:v2.2.1"})
    void allowedImageChanges(String from, String to) {
        assertThat(update(from, to).errors()).isEmpty();
    }

    @Test
    void aTagThatIsNoVersionIsAllowedWithAWarning() {
        Verdict verdict = update("milvusdb/milvus:v2.1.4", "milvusdb/milvus:nightly-build");
        assertThat(verdict.isAllowed()).isTrue();
        assertThat(verdict.warnings()).anyMatch(w -> w.contains("not a version"));
    }

    @Test
    void componentImagesAreGuardedToo() {
        Milvus before = milvus("my-release", "components:\n  image: milvusdb/milvus:v2.1.4\n  proxy: {replicas: 2}\n");
        Milvus after = milvus("my-release", "components:\n  image: milvusdb/milvus:v2.1.4\n  proxy: {replicas: 2, image: milvusdb/milvus:v2.2.0}\n");
        Verdict verdict = new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster()).validateUpdate(before, after, USER);
        assertThat(fields(verdict)).containsExactly("spec.components.proxy.image");

        Milvus dropped = milvus("my-release", "components:\n  image: milvusdb/milvus:v2.2.0\n  proxy: {replicas: 2}\n");
        Milvus pinned = milvus("my-release", "components:\n  image: milvusdb/milvus:v2.2.0\n  proxy: {image: milvusdb/milvus:v2.1.4}\n");
        Verdict unpinning = new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster()).validateUpdate(pinned, dropped, USER);
        assertThat(fields(unpinning)).containsExactly("spec.components.proxy.image");
    }

    @Test
    void otherChangesAreNotTheGuardsBusiness() {
        Milvus before = milvus("my-release", "components:\n  image: milvusdb/milvus:latest\n  proxy: {replicas: 2}\n");
        Milvus after = milvus("my-release", "components:\n  image: milvusdb/milvus:latest\n  proxy: {replicas: 0}\n");
        assertThat(new MilvusImageGuard(PolicySource.builtIn(), ClusterLookup.none()).validateUpdate(before, after, USER).errors()).isEmpty();
    }

    @Test
    void createDeniesUnpinnedTagsOnly() {
        var guard = new MilvusImageGuard(PolicySource.builtIn(), ClusterLookup.none());
        var create = AdmissionContext.offline(Operation.CREATE, "default", "my-release");
        assertThat(fields(guard.validateCreate(milvusWithImage("milvusdb/milvus:latest"), create))).containsExactly("spec.components.image");
        assertThat(guard.validateCreate(milvusWithImage("milvusdb/milvus:v2.1.4"), create).errors()).isEmpty();
        assertThat(guard.validateCreate(milvus("my-release", "mode: standalone"), create).errors()).isEmpty();
    }

    @Test
    void noImageChangeWhileAnUpgradeIsRunning() {
        FakeCluster cluster = new FakeCluster().with(upgradeAt("BackupMeta"));
        Verdict verdict = new MilvusImageGuard(PolicySource.builtIn(), cluster)
                .validateUpdate(milvusWithImage("milvusdb/milvus:v2.1.4"), milvusWithImage("milvusdb/milvus:v2.1.5"), USER);
        assertThat(verdict.errors()).singleElement().satisfies(e -> assertThat(e.message()).contains("BackupMeta"));
    }

    @Test
    void theControllersOwnChangePassesOnlyAtItsStepAndForItsImage() {
        FakeCluster starting = new FakeCluster().with(upgradeAt("NewVersionStarting"));
        var guard = new MilvusImageGuard(PolicySource.builtIn(), starting);
        assertThat(guard.validateUpdate(milvusWithImage("milvusdb/milvus:v2.1.4"), milvusWithImage("milvusdb/milvus:v2.2.0"), CONTROLLER).errors())
                .isEmpty();
        assertThat(guard.validateUpdate(milvusWithImage("milvusdb/milvus:v2.1.4"), milvusWithImage("milvusdb/milvus:v2.2.0"), USER).errors())
                .as("anyone else").isNotEmpty();
        assertThat(guard.validateUpdate(milvusWithImage("milvusdb/milvus:v2.1.4"), milvusWithImage("milvusdb/milvus:v2.2.1"), CONTROLLER).errors())
                .as("another image").isNotEmpty();

        var backingUp = new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster().with(upgradeAt("BackupMeta")));
        assertThat(backingUp.validateUpdate(milvusWithImage("milvusdb/milvus:v2.1.4"), milvusWithImage("milvusdb/milvus:v2.2.0"), CONTROLLER).errors())
                .as("another step").isNotEmpty();

        MilvusUpgrade rollingBack = upgradeAt("RollbackOldVersionStarting");
        rollingBack.getStatus().setSourceImage("milvusdb/milvus:v2.1.4");
        var rollback = new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster().with(rollingBack));
        assertThat(rollback.validateUpdate(milvusWithImage("milvusdb/milvus:v2.2.0"), milvusWithImage("milvusdb/milvus:v2.1.4"), CONTROLLER).errors())
                .isEmpty();

        var noUpgrade = new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster());
        assertThat(noUpgrade.validateUpdate(milvusWithImage("milvusdb/milvus:v2.1.4"), milvusWithImage("milvusdb/milvus:v2.2.0"), CONTROLLER).errors())
                .as("a label or a user name alone is not enough").isNotEmpty();
    }

    @Test
    void theOverrideIsOffByDefaultAndVisibleWhenUsed() throws Exception {
        Milvus before = milvusWithImage("milvusdb/milvus:v2.1.4");
        Milvus after = milvusWithImage("milvusdb/milvus:v2.2.0");
        after.getMetadata().setAnnotations(Map.of("milvus.io/allow-unsafe-image-change", "true"));
        assertThat(new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster()).validateUpdate(before, after, USER).isAllowed()).isFalse();

        var enabled = PolicySource.fixed(PolicyFile.parse("override: {enabled: true}", "test"));
        Verdict verdict = new MilvusImageGuard(enabled, new FakeCluster()).validateUpdate(before, after, USER);
        assertThat(verdict.isAllowed()).isTrue();
        assertThat(verdict.warnings()).anyMatch(w -> w.contains("overridden by alice") && w.contains("imageMigrationBoundary"));
    }

    @Test
    void anUnreadableClusterIsAWarning() {
        Verdict verdict = new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster().unavailable("timeout"))
                .validateUpdate(milvusWithImage("milvusdb/milvus:v2.2.0"), milvusWithImage("milvusdb/milvus:v2.2.1"), USER);
        assertThat(verdict.isAllowed()).isTrue();
        assertThat(verdict.warnings()).anyMatch(w -> w.contains("timeout"));
    }

    private static MilvusUpgrade upgradeAt(String state) {
        MilvusUpgrade upgrade = upgrade("milvus: {name: my-release}\nsourceVersion: 2.1.4\ntargetVersion: 2.2.0\ntargetImage: milvusdb/milvus:v2.2.0\n");
        MilvusUpgradeStatus status = new MilvusUpgradeStatus();
        status.setState(state);
        upgrade.setStatus(status);
        return upgrade;
    }
}
