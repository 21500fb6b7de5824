package io.milvus.upgrade.controller.milvus;

import static org.assertj.core.api.Assertions.assertThat;

import io.milvus.upgrade.admission.AdmissionContext;
import io.milvus.upgrade.admission.Operation;
import io.milvus.upgrade.verdict.Verdict;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.MilvusUpgradeStatus;
import io.milvus.upgrade.milvus.MilvusImageGuard;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.testing.FakeCluster;
import io.milvus.upgrade.testing.Objects;
import io.milvus.upgrade.version.Version;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The controller's image changes, exactly as {@link MilvusSpecChanges} writes them, against the
 * webhook's guard: accepted from the controller's user at the step that starts that image,
 * denied from anyone else or at any other step; also for an upgrade in another namespace than
 * its Milvus, and for a Milvus whose images are set per component.
 */
class GuardAcceptsControllerChangesTest {

    static final Map<String, Integer> REPLICAS = Map.of("proxy", 2, "queryNode", 1);

    static MilvusUpgrade upgradeAt(String state, String targetImageLine) {
        return upgradeAt(state, targetImageLine, "default");
    }

    /** An upgrade in {@code namespace} of the Milvus default/my-release. */
    static MilvusUpgrade upgradeAt(String state, String targetImageLine, String namespace) {
        MilvusUpgrade upgrade = Objects.upgrade("""
                milvus: {name: my-release, namespace: default}
                sourceVersion: v2.1.4
                targetVersion: v2.2.0
                """ + targetImageLine);
        upgrade.getMetadata().setNamespace(namespace);
        MilvusUpgradeStatus status = new MilvusUpgradeStatus();
        status.setState(state);
        status.setSourceImage("milvusdb/milvus:v2.1.4");
        upgrade.setStatus(status);
        return upgrade;
    }

    static Milvus stoppedOld() {
        return Objects.milvus("my-release", """
                mode: cluster
                components:
                  image: milvusdb/milvus:v2.1.4
                  proxy: {replicas: 0, image: "milvusdb/milvus:v2.1.4"}
                  queryNode: {replicas: 0}
                """);
    }

    static Verdict review(MilvusUpgrade upgrade, Milvus before, Milvus after, String user) {
        MilvusImageGuard guard = new MilvusImageGuard(PolicySource.builtIn(), new FakeCluster().with(upgrade));
        return guard.validateUpdate(before, after, new AdmissionContext("uid", Operation.UPDATE, "default", "my-release", user,
                List.of("system:serviceaccounts"), false));
    }

    @ParameterizedTest(name = "{0} by {1} with \"{2}\", upgrade in {3} -> allowed {4}")
    @CsvSource(delimiter = '|', value = {
            "NewVersionStarting | controller | targetImage: milvusdb/milvus:v2.2.0 | default | true",
            "NewVersionStarting | controller | ''                                  | default | true",
            "NewVersionStarting | controller | ''                                  | ops     | true",
            "NewVersionStarting | someone    | ''                                  | default | false",
            "NewVersionStarting | someone    | ''                                  | ops     | false",
            "BackupMeta         | controller | ''                                  | default | false",
            "BackupMeta         | controller | ''                                  | ops     | false"})
    void theUpgradeStep(String state, String who, String targetImageLine, String upgradeNamespace, boolean allowed) {
        Milvus before = stoppedOld();
        Milvus after = MilvusSpecChanges.upgraded(before, "milvusdb/milvus:v2.2.0", Version.of("2.1.4"), REPLICAS, Map.of());
        String user = who.equals("controller") ? MilvusImageGuard.DEFAULT_CONTROLLER_USER : "jane";
        assertThat(review(upgradeAt(state, targetImageLine, upgradeNamespace), before, after, user).isAllowed()).isEqualTo(allowed);
    }

    /** Images set per component only: the controller moves those, and moves them back. */
    @ParameterizedTest(name = "{0} by the controller -> allowed {1}")
    @CsvSource({"NewVersionStarting, true", "RollbackOldVersionStarting, true", "UpdatingMeta, false"})
    void perComponentImages(String state, boolean allowed) {
        Milvus old = Objects.milvus("my-release", """
                mode: standalone
                components:
                  standalone: {replicas: 0, image: "milvusdb/milvus:v2.1.4"}
                """);
        Milvus upgraded = MilvusSpecChanges.upgraded(old, "milvusdb/milvus:v2.2.0", Version.of("2.1.4"), Map.of("standalone", 1), Map.of());
        boolean back = state.startsWith("Rollback");
        Milvus before = back ? MilvusSpecChanges.stopped(upgraded) : old;
        Milvus after = back ? MilvusSpecChanges.rolledBack(before, ComponentImages.record(old), Map.of("standalone", 1), Map.of()) : upgraded;
        assertThat(review(upgradeAt(state, "targetImage: milvusdb/milvus:v2.2.0"), before, after, MilvusImageGuard.DEFAULT_CONTROLLER_USER)
                .isAllowed()).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0} by {1}, upgrade in {2} -> allowed {3}")
    @CsvSource({
            "RollbackOldVersionStarting, controller, default, true",
            "RollbackOldVersionStarting, controller, ops,     true",
            "RollbackOldVersionStarting, someone,    ops,     false",
            "RollbackRestoringOldMeta,   controller, default, false"})
    void theRollbackStep(String state, String who, String upgradeNamespace, boolean allowed) {
        Milvus upgraded = MilvusSpecChanges.upgraded(stoppedOld(), "milvusdb/milvus:v2.2.0", Version.of("2.1.4"), REPLICAS, Map.of());
        Milvus before = MilvusSpecChanges.stopped(upgraded);
        Milvus after = MilvusSpecChanges.rolledBack(before, ComponentImages.record(stoppedOld()), REPLICAS, Map.of());
        String user = who.equals("controller") ? MilvusImageGuard.DEFAULT_CONTROLLER_USER : "jane";
        assertThat(review(upgradeAt(state, "targetImage: milvusdb/milvus:v2.2.0", upgradeNamespace), before, after, user).isAllowed())
                .isEqualTo(allowed);
    }
}
