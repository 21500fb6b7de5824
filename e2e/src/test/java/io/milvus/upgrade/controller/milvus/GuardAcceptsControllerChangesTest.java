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
 * The controller's image changes, exactly as {@link MilvusScaling} writes them, against the
 * webhook's guard: accepted from the controller's user at the step that starts that image,
 * denied from anyone else or at any other step.
 */
class GuardAcceptsControllerChangesTest {

    static final Map<String, Integer> REPLICAS = Map.of("proxy", 2, "queryNode", 1);

    static MilvusUpgrade upgradeAt(String state, String targetImageLine) {
        MilvusUpgrade upgrade = Objects.upgrade("""
                milvus: {name: my-release}
                sourceVersion: v2.1.4
                targetVersion: v2.2.0
                """ + targetImageLine);
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

    @ParameterizedTest(name = "{0} by {1} with \"{2}\" -> allowed {3}")
    @CsvSource(delimiter = '|', value = {
            "NewVersionStarting | controller | targetImage: milvusdb/milvus:v2.2.0 | true",
            "NewVersionStarting | controller | ''                                  | true",
            "NewVersionStarting | someone    | ''                                  | false",
            "BackupMeta         | controller | ''                                  | false"})
    void theUpgradeStep(String state, String who, String targetImageLine, boolean allowed) {
        Milvus before = stoppedOld();
        Milvus after = MilvusScaling.upgraded(before, "milvusdb/milvus:v2.2.0", Version.of("2.1.4"), "milvusdb/milvus:v2.1.4", REPLICAS);
        String user = who.equals("controller") ? MilvusImageGuard.DEFAULT_CONTROLLER_USER : "jane";
        assertThat(review(upgradeAt(state, targetImageLine), before, after, user).isAllowed()).isEqualTo(allowed);
    }

    @ParameterizedTest(name = "{0} by {1} -> allowed {2}")
    @CsvSource({
            "RollbackOldVersionStarting, controller, true",
            "RollbackOldVersionStarting, someone,    false",
            "RollbackRestoringOldMeta,   controller, false"})
    void theRollbackStep(String state, String who, boolean allowed) {
        Milvus upgraded = MilvusScaling.upgraded(stoppedOld(), "milvusdb/milvus:v2.2.0", Version.of("2.1.4"), "milvusdb/milvus:v2.1.4", REPLICAS);
        Milvus before = MilvusScaling.stopped(upgraded);
        Milvus after = MilvusScaling.rolledBack(before, "milvusdb/milvus:v2.1.4", "milvusdb/milvus:v2.2.0", REPLICAS);
        String user = who.equals("controller") ? MilvusImageGuard.DEFAULT_CONTROLLER_USER : "jane";
        assertThat(review(upgradeAt(state, "targetImage: milvusdb/milvus:v2.2.0"), before, after, user).isAllowed()).isEqualTo(allowed);
    }
}
