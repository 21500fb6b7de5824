package io.milvus.upgrade.controller.reconcile;

import io.milvus.upgrade.api.v1beta1.Component;
import static io.milvus.upgrade.controller.testing.SimulatedCluster.Outcome.FAIL;
import static io.milvus.upgrade.controller.testing.SimulatedCluster.Outcome.RUN;
import static io.milvus.upgrade.controller.testing.SimulatedCluster.Outcome.SUCCEED;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.UpgradeCondition;
import io.milvus.upgrade.controller.config.ControllerSettings;
import io.milvus.upgrade.controller.migration.TaskKind;
import io.milvus.upgrade.components.MilvusTopology;
import io.milvus.upgrade.controller.testing.SimulatedCluster;
import io.milvus.upgrade.policy.PolicySource;
import io.milvus.upgrade.testing.Objects;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class UpgradeReconcilerTest {

    static final ControllerSettings SETTINGS = ControllerSettings.defaults()
            .withSettlePeriod(Duration.ofSeconds(60)).withHealthyTimeout(Duration.ofMinutes(5));
    static final UpgradeReconciler RECONCILER = new UpgradeReconciler(SETTINGS, PolicySource.builtIn());
    static final List<String> HAPPY = List.of("", "OldVersionStopping", "BackupMeta", "UpdatingMeta", "NewVersionStarting", "Succeeded");

    /** The upgrade guide's example, as written (no webhook defaults): 2.1.4 to 2.2.0. */
    static MilvusUpgrade guideUpgrade(String extraSpec) {
        MilvusUpgrade upgrade = Objects.upgrade("""
                milvus:
                  name: my-release
                sourceVersion: "v2.1.4"
                targetVersion: "v2.2.0"
                """ + extraSpec);
        upgrade.getMetadata().setUid("uid-1");
        upgrade.getMetadata().setGeneration(1L);
        return upgrade;
    }

    static Milvus standalone() {
        return Objects.milvus("my-release", """
                mode: standalone
                components:
                  image: milvusdb/milvus:v2.1.4
                  standalone:
                    replicas: 2
                dependencies:
                  etcd:
                    inCluster:
                      deletionPolicy: Delete
                """);
    }

    static Milvus cluster() {
        return Objects.milvus("my-release", """
                mode: cluster
                components:
                  image: milvusdb/milvus:v2.1.4
                  proxy:
                    replicas: 2
                  queryNode:
                    replicas: 3
                    image: milvusdb/milvus:v2.1.4
                  dataNode:
                    replicas: 0
                dependencies:
                  etcd:
                    external: true
                    endpoints: ["etcd-0:2379", "etcd-1:2379", "etcd-2:2379"]
                config:
                  etcd:
                    rootPath: by-milvus
                    metaSubPath: m
                """);
    }

    static SimulatedCluster cluster(String extraSpec, Milvus milvus) {
        return new SimulatedCluster(RECONCILER, guideUpgrade(extraSpec), milvus);
    }

    // --- whole runs ------------------------------------------------------------------------

    @Test
    void theGuidesExampleGoesFromNothingToSucceeded() {
        SimulatedCluster sim = cluster("", standalone()).settle();

        assertThat(sim.states()).containsExactlyElementsOf(HAPPY);
        assertThat(sim.milvus().getSpec().getComponents().getImage()).isEqualTo("milvusdb/milvus:v2.2.0");
        assertThat(sim.milvus().getSpec().getComponents().getStandalone().getReplicas()).isEqualTo(2);
        var status = sim.upgrade().getStatus();
        assertThat(status.getSourceImage()).isEqualTo("milvusdb/milvus:v2.1.4");
        assertThat(status.getReplicasBeforeUprade()).containsExactly(Map.entry("standalone", 2));
        assertThat(status.getMetaBackuped()).isTrue();
        assertThat(status.getMetaStorageChanged()).isTrue();
        assertThat(status.getBackupPVC()).isEqualTo("my-release-upgrade");
        assertThat(status.getObservedGeneration()).isEqualTo(1L);
        assertThat(sim.pvc().getMetadata().getName()).isEqualTo("my-release-upgrade");
        assertThat(sim.jobs()).containsOnlyKeys("my-release-upgrade-backup-meta-0", "my-release-upgrade-update-meta-0");
        assertThat(sim.upgrade().getMetadata().getFinalizers()).containsExactly(UpgradeReconciler.FINALIZER);
        assertThat(condition(sim, "Ready")).extracting(UpgradeCondition::getStatus, UpgradeCondition::getReason).containsExactly("True", "Succeeded");
        assertThat(condition(sim, "Upgraded").getStatus()).isEqualTo("True");
        assertThat(condition(sim, "Progressing").getStatus()).isEqualTo("False");
        assertThat(condition(sim, "Failed").getStatus()).isEqualTo("False");
        assertThat(condition(sim, "Rollbacked")).isNull();
        assertThat(sim.upgrade().getStatus().getConditions()).allMatch(c -> c.getObservedGeneration() == 1L);
        assertThat(sim.notices()).extracting(Notice::reason).containsSubsequence(HAPPY.subList(1, HAPPY.size()));
    }

    @Test
    void theJobsRunTheToolWithTheRightConfiguration() throws Exception {
        SimulatedCluster sim = cluster("", cluster()).settle();

        var job = sim.jobs().get("my-release-upgrade-update-meta-0");
        var container = job.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("milvusdb/meta-migration:v2.2.0-bugfix-20230112");
        assertThat(container.getCommand()).containsExactly("/milvus/bin/meta-migration");
        assertThat(container.getArgs()).containsExactly("-config", "/milvus/configs/migration.yaml");
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        JsonNode yaml = new YAMLMapper().readTree(sim.configMaps().get("my-release-upgrade-update-meta").getData().get("migration.yaml"));
        assertThat(yaml.at("/cmd/type").asText()).isEqualTo("run");
        assertThat(yaml.at("/config/sourceVersion").asText()).isEqualTo("2.1.4");
        assertThat(yaml.at("/config/targetVersion").asText()).isEqualTo("2.2.0");
        assertThat(yaml.at("/etcd/endpoints")).hasSize(3);
        assertThat(yaml.at("/etcd/rootPath").asText()).isEqualTo("by-milvus");
        assertThat(yaml.at("/etcd/metaSubPath").asText()).isEqualTo("m");
        assertThat(yaml.at("/etcd/kvSubPath").asText()).isEqualTo("kv");
        JsonNode backup = new YAMLMapper().readTree(sim.configMaps().get("my-release-upgrade-backup-meta").getData().get("migration.yaml"));
        assertThat(backup.at("/cmd/type").asText()).isEqualTo("backup");
    }

    @Test
    void aClusterComesBackWithEveryComponentsReplicasAndPinnedImagesMoved() {
        SimulatedCluster sim = cluster("targetImage: myregistry:5000/milvus/milvus:v2.2.0", cluster()).settle();

        assertThat(sim.state()).isEqualTo("Succeeded");
        assertThat(sim.upgrade().getStatus().getReplicasBeforeUprade()).containsExactly(
                Map.entry("rootCoord", 1), Map.entry("dataCoord", 1), Map.entry("queryCoord", 1), Map.entry("indexCoord", 1),
                Map.entry("dataNode", 0), Map.entry("queryNode", 3), Map.entry("indexNode", 1), Map.entry("proxy", 2));
        Milvus milvus = sim.milvus();
        assertThat(milvus.getSpec().getComponents().getImage()).isEqualTo("myregistry:5000/milvus/milvus:v2.2.0");
        assertThat(milvus.getSpec().getComponents().getQueryNode().getImage()).isEqualTo("myregistry:5000/milvus/milvus:v2.2.0");
        assertThat(MilvusTopology.replicas(milvus, Component.PROXY)).isEqualTo(2);
        assertThat(MilvusTopology.replicas(milvus, Component.QUERY_NODE)).isEqualTo(3);
        assertThat(MilvusTopology.replicas(milvus, Component.DATA_NODE)).isZero();
        assertThat(MilvusTopology.replicas(milvus, Component.ROOT_COORD)).isEqualTo(1);
    }

    @Test
    void aFailingMigrationIsRetriedMaxRetryTimesThenRolledBack() {
        SimulatedCluster sim = cluster("", standalone()).kubelet((kind, attempt) -> kind == TaskKind.UPDATE ? FAIL : SUCCEED).settle();

        assertThat(sim.states()).containsExactly("", "OldVersionStopping", "BackupMeta", "UpdatingMeta", "UpdateMetaFailed",
                "RollbackNewVersionStopping", "RollbackRestoringOldMeta", "RollbackOldVersionStarting", "RollbackedSucceeded");
        assertThat(sim.jobs().keySet()).contains("my-release-upgrade-update-meta-0", "my-release-upgrade-update-meta-1",
                "my-release-upgrade-update-meta-2", "my-release-upgrade-update-meta-3", "my-release-upgrade-rollback-meta-0");
        assertThat(sim.jobs()).doesNotContainKey("my-release-upgrade-update-meta-4");
        assertThat(sim.notices()).filteredOn(n -> n.reason().equals("Retrying")).hasSize(3);
        assertThat(sim.milvus().getSpec().getComponents().getImage()).isEqualTo("milvusdb/milvus:v2.1.4");
        assertThat(sim.milvus().getSpec().getComponents().getStandalone().getReplicas()).isEqualTo(2);
        assertThat(condition(sim, "Rollbacked").getStatus()).isEqualTo("True");
        assertThat(condition(sim, "Upgraded").getStatus()).isEqualTo("False");
        assertThat(condition(sim, "Ready").getStatus()).isEqualTo("True");
        assertThat(sim.upgrade().getStatus().getIsRollbacking()).isTrue();
    }

    @Test
    void aFailedBackupIsRetriedAndRolledBackWithoutRestoringMetadataThatNeverChanged() {
        SimulatedCluster sim = cluster("maxRetry: 1", standalone()).kubelet((kind, attempt) -> kind == TaskKind.BACKUP ? FAIL : SUCCEED).settle();

        assertThat(sim.states()).containsExactly("", "OldVersionStopping", "BackupMeta", "BakupMetaFailed",
                "RollbackNewVersionStopping", "RollbackRestoringOldMeta", "RollbackOldVersionStarting", "RollbackedSucceeded");
        assertThat(sim.jobs()).containsOnlyKeys("my-release-upgrade-backup-meta-0", "my-release-upgrade-backup-meta-1");
        assertThat(sim.milvus().getSpec().getComponents().getStandalone().getReplicas()).isEqualTo(2);
    }

    @Test
    void withRollbackIfFailedFalseMilvusStaysStoppedAndTheConditionSaysWhatToDo() {
        SimulatedCluster sim = cluster("rollbackIfFailed: false\nmaxRetry: 0", standalone())
                .kubelet((kind, attempt) -> kind == TaskKind.UPDATE ? FAIL : SUCCEED).settle();

        assertThat(sim.state()).isEqualTo("UpdateMetaFailed");
        assertThat(sim.upgrade().getStatus().getIsRollbacking()).isNull();
        assertThat(sim.jobs()).doesNotContainKey("my-release-upgrade-rollback-meta-0");
        assertThat(sim.milvus().getSpec().getComponents().getStandalone().getReplicas()).isZero();
        assertThat(sim.milvus().getSpec().getComponents().getImage()).isEqualTo("milvusdb/milvus:v2.1.4");
        UpgradeCondition failed = condition(sim, "Failed");
        assertThat(failed.getStatus()).isEqualTo("True");
        assertThat(failed.getReason()).isEqualTo("UpdateMetaFailed");
        assertThat(failed.getMessage()).contains("is stopped", "rollbackIfFailed is false", "PVC my-release-upgrade",
                "set spec.operation to rollback or delete this MilvusUpgrade");
        assertThat(condition(sim, "Progressing").getStatus()).isEqualTo("False");

        // Nothing happens later on its own ...
        sim.advance(Duration.ofHours(2));
        assertThat(sim.step().actions()).isEmpty();
        // ... until someone asks for the rollback the condition offers.
        sim.setOperation("rollback");
        sim.settle();
        assertThat(sim.state()).isEqualTo("RollbackedSucceeded");
        assertThat(sim.milvus().getSpec().getComponents().getStandalone().getReplicas()).isEqualTo(2);
        assertThat(sim.jobs()).containsKey("my-release-upgrade-rollback-meta-0");
        assertThat(condition(sim, "Failed").getStatus()).isEqualTo("False");
    }

    @Test
    void operationRollbackAfterSuccessGoesBackToTheOldVersion() {
        SimulatedCluster sim = cluster("", standalone()).settle();
        sim.setOperation("rollback");
        sim.settle();

        assertThat(sim.states()).endsWith("Succeeded", "RollbackNewVersionStopping", "RollbackRestoringOldMeta",
                "RollbackOldVersionStarting", "RollbackedSucceeded");
        assertThat(sim.milvus().getSpec().getComponents().getImage()).isEqualTo("milvusdb/milvus:v2.1.4");
        assertThat(sim.milvus().getSpec().getComponents().getStandalone().getReplicas()).isEqualTo(2);
        JsonNode restore = yaml(sim, "my-release-upgrade-rollback-meta");
        assertThat(restore.at("/cmd/type").asText()).isEqualTo("rollback");
        assertThat(condition(sim, "Upgraded").getStatus()).isEqualTo("False");
        assertThat(condition(sim, "Rollbacked").getStatus()).isEqualTo("True");
        assertThat(sim.upgrade().getStatus().getObservedGeneration()).isEqualTo(2L);
    }

    @Test
    void operationRollbackBeforeAnythingRanChangesNothing() {
        SimulatedCluster sim = cluster("operation: rollback", standalone()).settle();

        assertThat(sim.states()).containsExactly("", "RollbackedSucceeded");
        assertThat(sim.milvusWrites()).isEmpty();
        assertThat(sim.jobs()).isEmpty();
    }

    @Test
    void aFailedRestoreEndsInRollbackFailedWithMilvusStoppedAndTheBackupNamed() {
        SimulatedCluster sim = cluster("maxRetry: 0", standalone())
                .kubelet((kind, attempt) -> kind == TaskKind.BACKUP ? SUCCEED : FAIL).settle();

        assertThat(sim.state()).isEqualTo("RollbackFailed");
        assertThat(sim.milvus().getSpec().getComponents().getStandalone().getReplicas()).isZero();
        assertThat(condition(sim, "Failed").getMessage()).contains("PVC my-release-upgrade", "milvusdb/milvus:v2.1.4");
        assertThat(sim.notices()).anyMatch(n -> n.type() == Notice.Type.Warning && n.reason().equals("RollbackFailed"));
    }

    @Test
    void aMilvusThatNeverBecomesHealthyIsWaitedForMaxRetryTimesThenRolledBack() {
        SimulatedCluster sim = cluster("maxRetry: 1", standalone()).milvusBecomesReady(false).until("NewVersionStarting");
        sim.settle();

        // One more wait for the new version, one more for the old one.
        assertThat(sim.notices()).filteredOn(n -> n.reason().equals("Retrying")).hasSize(2)
                .allMatch(n -> n.message().contains("not healthy after 300s"));
        assertThat(sim.states()).contains("RollbackNewVersionStopping");
        // The old version is not healthy either: the rollback waits, then says so.
        assertThat(sim.state()).isEqualTo("RollbackOldVersionStarting");
        assertThat(condition(sim, "Failed").getReason()).isEqualTo("NotHealthy");
        assertThat(sim.milvus().getSpec().getComponents().getImage()).isEqualTo("milvusdb/milvus:v2.1.4");
    }

    @Test
    void withoutRollbackAnUnhealthyNewVersionIsReportedAndSucceedsOnceHealthy() {
        SimulatedCluster sim = cluster("maxRetry: 0\nrollbackIfFailed: false", standalone()).milvusBecomesReady(false).settle();

        assertThat(sim.state()).isEqualTo("NewVersionStarting");
        assertThat(condition(sim, "Failed").getMessage()).contains("did not become healthy within 300s", "set spec.operation to rollback");

        sim.milvusBecomesReady(true).settle();
        assertThat(sim.state()).isEqualTo("Succeeded");
        assertThat(condition(sim, "Failed").getStatus()).isEqualTo("False");
    }

    // --- resuming after a crash ------------------------------------------------------------

    /**
     * A crash right after the status write (the first thing an intent does) loses the actions of
     * that reconcile. Whatever state it hits, the next controller finishes with the same result.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "OldVersionStopping", "BackupMeta", "UpdatingMeta", "NewVersionStarting"})
    void aCrashAfterAnyStatusWriteResumesToTheSameResult(String state) {
        SimulatedCluster sim = cluster("", cluster()).until(state);
        for (int crash = 0; crash < 4; crash++) {
            Intent intent = RECONCILER.reconcile(sim.upgrade(), sim.world());
            sim.apply(new Intent(intent.status(), List.of(), List.of(), intent.requeueAfter()));
            sim.step();
        }
        sim.settle();

        SimulatedCluster reference = cluster("", cluster()).settle();
        assertThat(sim.state()).isEqualTo("Succeeded");
        assertThat(sim.milvus().getSpec()).usingRecursiveComparison().isEqualTo(reference.milvus().getSpec());
        assertThat(sim.upgrade().getStatus().getReplicasBeforeUprade()).isEqualTo(reference.upgrade().getStatus().getReplicasBeforeUprade());
        assertThat(sim.jobs().keySet()).isEqualTo(reference.jobs().keySet());
    }

    @Test
    void replicasAreRecordedBeforeAnyChangeAndNeverAgain() {
        SimulatedCluster sim = cluster("", standalone()).until("OldVersionStopping");

        Intent record = sim.step();
        assertThat(record.actions()).noneMatch(a -> a instanceof Action.UpdateMilvus);
        assertThat(record.status().getReplicasBeforeUprade()).containsExactly(Map.entry("standalone", 2));

        Intent stop = sim.step();
        assertThat(stop.actions()).singleElement().isInstanceOfSatisfying(Action.UpdateMilvus.class,
                u -> assertThat(u.milvus().getSpec().getComponents().getStandalone().getReplicas()).isZero());

        sim.step();
        assertThat(sim.upgrade().getStatus().getReplicasBeforeUprade()).containsExactly(Map.entry("standalone", 2));
        assertThat(sim.upgrade().getStatus().getSourceImage()).isEqualTo("milvusdb/milvus:v2.1.4");
    }

    @Test
    void theSettlePeriodStartsWhenTheDeploymentsReportZero() {
        SimulatedCluster sim = cluster("", standalone()).until("OldVersionStopping");
        sim.step(); // record
        sim.step(); // scale to 0
        Intent firstSeen = sim.step();
        assertThat(firstSeen.status().getMilvusStoppedAt()).isEqualTo(sim.now().toString());
        assertThat(firstSeen.requeueAfter()).contains(Duration.ofSeconds(60));

        sim.advance(Duration.ofSeconds(59));
        Intent early = sim.step();
        assertThat(early.status().getState()).isEqualTo("OldVersionStopping");
        assertThat(early.requeueAfter()).contains(Duration.ofSeconds(1));

        sim.advance(Duration.ofSeconds(1));
        assertThat(sim.step().status().getState()).isEqualTo("BackupMeta");
    }

    // --- deletion --------------------------------------------------------------------------

    static Stream<Arguments> deletionPoints() {
        return Stream.of(
                Arguments.of("OldVersionStopping", TaskKind.BACKUP, false),
                Arguments.of("BackupMeta", TaskKind.BACKUP, false),
                Arguments.of("UpdatingMeta", TaskKind.UPDATE, true),
                Arguments.of("NewVersionStarting", TaskKind.ROLLBACK, true));
    }

    @ParameterizedTest
    @MethodSource("deletionPoints")
    void deletingMidWayBringsMilvusBackThenReleases(String state, TaskKind running, boolean restoresMetadata) {
        SimulatedCluster sim = cluster("", cluster()).kubelet((kind, attempt) -> kind == running ? RUN : SUCCEED).until(state);
        // Let the step act before the deletion: a stopped Milvus, a running Job, a new version starting.
        sim.milvusBecomesReady(false);
        sim.step();
        sim.step();
        assertThat(sim.state()).isEqualTo(state);
        sim.kubelet((kind, attempt) -> SUCCEED).milvusBecomesReady(true);
        sim.delete();

        for (int i = 0; i < 200 && !sim.gone(); i++) {
            assertThat(sim.pvc() == null || sim.pvcOwned()).as("the backup stays until release").isTrue();
            sim.step();
            sim.advance(Duration.ofSeconds(30));
        }

        assertThat(sim.gone()).isTrue();
        assertThat(sim.milvus().getSpec()).usingRecursiveComparison().isEqualTo(withRecordedReplicasExplicit(cluster()).getSpec());
        assertThat(sim.jobs().containsKey("my-release-upgrade-rollback-meta-0")).isEqualTo(restoresMetadata);
        assertThat(sim.jobs().values()).noneMatch(j -> JobOutcome.of(j) == JobOutcome.RUNNING);
        assertThat(sim.states()).contains("RollbackedSucceeded");
        assertThat(sim.notices()).anyMatch(n -> n.reason().equals("Released"));
    }

    @Test
    void deletingAfterSuccessReleasesAtOnceAndKeepsTheNewVersion() {
        SimulatedCluster sim = cluster("", standalone()).settle();
        sim.delete();
        Intent intent = sim.step();

        assertThat(intent.actions()).containsExactly(new Action.RemoveFinalizer());
        assertThat(sim.milvus().getSpec().getComponents().getImage()).isEqualTo("milvusdb/milvus:v2.2.0");
    }

    @Test
    void deletingAFailedRollbackKeepsTheBackupPvc() {
        SimulatedCluster sim = cluster("maxRetry: 0", standalone()).kubelet((kind, attempt) -> kind == TaskKind.BACKUP ? SUCCEED : FAIL).settle();
        assertThat(sim.state()).isEqualTo("RollbackFailed");
        sim.delete();
        Intent intent = sim.step();

        assertThat(intent.actions()).containsExactly(new Action.KeepBackupPvc("my-release-upgrade"), new Action.RemoveFinalizer());
        assertThat(sim.pvcOwned()).isFalse();
    }

    @Test
    void deletingBeforeAnythingRanReleasesAtOnce() {
        SimulatedCluster sim = cluster("", standalone());
        sim.step();
        sim.delete();
        assertThat(sim.step().actions()).containsExactly(new Action.RemoveFinalizer());
        assertThat(sim.milvusWrites()).isEmpty();
    }

    // --- one reconcile: state x world -> intent ---------------------------------------------

    @Test
    void aPendingUpgradeTakesItsFinalizerAndStartsStopping() {
        Intent intent = RECONCILER.reconcile(guideUpgrade(""), world(standalone(), List.of()));
        assertThat(intent.actions()).containsExactly(new Action.AddFinalizer());
        assertThat(intent.status().getState()).isEqualTo("OldVersionStopping");
        assertThat(intent.notices()).singleElement().extracting(Notice::reason).isEqualTo("OldVersionStopping");
        assertThat(intent.requeueAfter()).contains(Duration.ZERO);
    }

    @Test
    void stoppingWaitsWhileADeploymentStillRunsPods() {
        MilvusUpgrade upgrade = at("OldVersionStopping", "replicasBeforeUprade: {standalone: 2}\nsourceImage: milvusdb/milvus:v2.1.4");
        Milvus stopped = standalone();
        stopped.getSpec().getComponents().getStandalone().setReplicas(0);
        Deployment draining = new DeploymentBuilder().withNewMetadata().withName("my-release-milvus-standalone").withGeneration(2L).endMetadata()
                .withNewSpec().withReplicas(0).endSpec().withNewStatus().withObservedGeneration(2L).withReplicas(1).endStatus().build();

        Intent intent = RECONCILER.reconcile(upgrade, world(stopped, List.of(draining)));

        assertThat(intent.actions()).isEmpty();
        assertThat(intent.status().getState()).isEqualTo("OldVersionStopping");
        assertThat(intent.status().getMilvusStoppedAt()).isNull();
        assertThat(intent.requeueAfter()).contains(SETTINGS.pollInterval());
        assertThat(condition(intent, "Progressing").getMessage()).contains("to report 0 replicas");
    }

    @Test
    void aMissingMilvusBlocksTheUpgradeWithoutChangingItsState() {
        Intent intent = RECONCILER.reconcile(at("OldVersionStopping", ""), new World(java.time.Instant.EPOCH, Optional.empty(), List.of(), List.of(), Optional.empty()));
        assertThat(intent.status().getState()).isEqualTo("OldVersionStopping");
        assertThat(intent.actions()).isEmpty();
        assertThat(condition(intent, "Progressing")).extracting(UpgradeCondition::getStatus, UpgradeCondition::getReason)
                .containsExactly("False", "MilvusNotFound");
    }

    @Test
    void anInvalidSpecIsReportedAndNothingElseHappens() {
        MilvusUpgrade upgrade = guideUpgrade("");
        upgrade.getSpec().setTargetVersion("latest");
        Intent intent = RECONCILER.reconcile(upgrade, world(standalone(), List.of()));
        assertThat(intent.actions()).isEmpty();
        assertThat(intent.status().getState()).isNull();
        assertThat(condition(intent, "Progressing").getMessage()).contains("spec.targetVersion 'latest' is not a semantic version");
    }

    @Test
    void anExternalEtcdWithoutEndpointsBlocksTheBackupWithAClearMessage() {
        Milvus milvus = standalone();
        milvus.getSpec().getDependencies().getEtcd().setExternal(true);
        Intent intent = RECONCILER.reconcile(at("BackupMeta", "replicasBeforeUprade: {standalone: 2}"), world(milvus, List.of()));
        assertThat(intent.actions()).noneMatch(a -> a instanceof Action.RunTask);
        assertThat(condition(intent, "Progressing").getReason()).isEqualTo("EtcdUnknown");
    }

    @Test
    void migrationStoresThatTheMetadataChangesBeforeItStartsTheJob() {
        Intent first = RECONCILER.reconcile(at("UpdatingMeta", "replicasBeforeUprade: {standalone: 2}\nmetaBackuped: true"), world(standalone(), List.of()));
        assertThat(first.actions()).isEmpty();
        assertThat(first.status().getMetaStorageChanged()).isTrue();
    }

    @Test
    void anUnknownStateIsReportedNotGuessed() {
        Intent intent = RECONCILER.reconcile(at("Exploded", ""), world(standalone(), List.of()));
        assertThat(intent.actions()).isEmpty();
        assertThat(condition(intent, "Progressing").getReason()).isEqualTo("UnknownState");
    }

    // --- helpers ---------------------------------------------------------------------------

    static MilvusUpgrade at(String state, String statusYaml) {
        MilvusUpgrade upgrade = io.milvus.upgrade.api.serialization.ApiSerialization.kubernetes().unmarshal("""
                apiVersion: milvus.io/v1beta1
                kind: MilvusUpgrade
                metadata:
                  name: my-release-upgrade
                  namespace: default
                  uid: uid-1
                  generation: 1
                  finalizers: [%s]
                spec:
                  milvus: {name: my-release}
                  sourceVersion: v2.1.4
                  targetVersion: v2.2.0
                status:
                  state: %s
                """.formatted(UpgradeReconciler.FINALIZER, state) + statusYaml.indent(2), MilvusUpgrade.class);
        return upgrade;
    }

    static World world(Milvus milvus, List<Deployment> deployments) {
        return new World(java.time.Instant.parse("2026-01-01T00:00:00Z"), Optional.of(milvus), deployments, List.of(), Optional.empty());
    }

    static UpgradeCondition condition(SimulatedCluster sim, String type) {
        return Conditions.find(sim.upgrade().getStatus().getConditions(), type);
    }

    static UpgradeCondition condition(Intent intent, String type) {
        return Conditions.find(intent.status().getConditions(), type);
    }

    static JsonNode yaml(SimulatedCluster sim, String configMap) {
        try {
            return new YAMLMapper().readTree(sim.configMaps().get(configMap).getData().get("migration.yaml"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The cluster Milvus as the controller leaves it after a round trip: every component's replicas written out. */
    static Milvus withRecordedReplicasExplicit(Milvus milvus) {
        for (Component component : MilvusTopology.components(milvus)) {
            int replicas = MilvusTopology.replicas(milvus, component);
            MilvusTopology.componentForWrite(milvus, component).setReplicas(replicas);
        }
        return milvus;
    }
}
