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
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.UpgradeCondition;
import io.milvus.upgrade.controller.config.ControllerSettings;
import io.milvus.upgrade.controller.migration.MigrationJobFactory;
import io.milvus.upgrade.controller.migration.TaskKind;
import io.milvus.upgrade.components.MilvusTopology;
import io.milvus.upgrade.controller.testing.SimulatedCluster;
import io.milvus.upgrade.controller.milvus.ComponentImages;
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
import org.junit.jupiter.params.provider.CsvSource;
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

    /** The status fields the operator's MilvusUpgrade CRD keeps (it prunes every other one), and its condition reason pattern. */
    static final List<String> OPERATOR_STATUS_FIELDS = List.of("backupPVC", "conditions", "deploymentGroupReplicasBeforeUpgrade",
            "isRollbacking", "metaBackuped", "metaStorageChanged", "replicasBeforeUprade", "retriedTimes", "sourceImage", "state");
    static final String OPERATOR_REASON = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$";

    @Test
    void theGuidesExampleGoesFromNothingToSucceeded() throws Exception {
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
        // What the operator's MilvusUpgrade schema keeps, plus the spec's observedGeneration (pruned
        // there, never read back); the rest of the memory is the record annotation.
        assertThat(ApiSerialization.json().valueToTree(status).properties()).extracting(Map.Entry::getKey)
                .isSubsetOf(java.util.stream.Stream.concat(OPERATOR_STATUS_FIELDS.stream(), Stream.of("observedGeneration")).toList());
        assertThat(status.getObservedGeneration()).isEqualTo(1L);
        assertThat(status.getConditions()).allSatisfy(c -> {
            assertThat(c.getMessage()).isNotBlank();
            assertThat(c.getReason()).matches(OPERATOR_REASON);
        });
        UpgradeRecord record = UpgradeRecord.of(sim.upgrade());
        assertThat(record.images()).isEqualTo(ComponentImages.record(standalone()));
        assertThat(record.observedGeneration()).isEqualTo(1L);
        assertThat(record.step().state()).isEqualTo("Succeeded");
        assertThat(sim.pvc().getMetadata().getName()).isEqualTo("my-release-upgrade");
        assertThat(sim.jobs()).containsOnlyKeys("my-release-upgrade-backup-meta-0", "my-release-upgrade-update-meta-0");
        assertThat(sim.upgrade().getMetadata().getFinalizers()).containsExactly(UpgradeReconciler.FINALIZER);
        assertThat(condition(sim, "Ready")).extracting(UpgradeCondition::getStatus, UpgradeCondition::getReason).containsExactly("True", "Succeeded");
        assertThat(condition(sim, "Upgraded").getStatus()).isEqualTo("True");
        assertThat(condition(sim, "Progressing").getStatus()).isEqualTo("False");
        assertThat(condition(sim, "Failed").getStatus()).isEqualTo("False");
        assertThat(condition(sim, "Rollbacked")).isNull();
        assertThat(sim.upgrade().getStatus().getConditions()).allMatch(c -> c.getObservedGeneration() == 1L);
        assertThat(sim.events()).extracting(UpgradeEvent::reason).containsSubsequence(HAPPY.subList(1, HAPPY.size()));
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
        JsonNode yaml = new YAMLMapper().readTree(sim.configMaps().get("my-release-upgrade-update-meta-config").getData().get("migration.yaml"));
        assertThat(yaml.at("/cmd/type").asText()).isEqualTo("run");
        assertThat(yaml.at("/config/sourceVersion").asText()).isEqualTo("2.1.4");
        assertThat(yaml.at("/config/targetVersion").asText()).isEqualTo("2.2.0");
        assertThat(yaml.at("/etcd/endpoints")).hasSize(3);
        assertThat(yaml.at("/etcd/rootPath").asText()).isEqualTo("by-milvus");
        assertThat(yaml.at("/etcd/metaSubPath").asText()).isEqualTo("m");
        assertThat(yaml.at("/etcd/kvSubPath").asText()).isEqualTo("kv");
        JsonNode backup = new YAMLMapper().readTree(sim.configMaps().get("my-release-upgrade-backup-meta-config").getData().get("migration.yaml"));
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
        assertThat(sim.events()).filteredOn(n -> n.reason().equals("Retrying")).hasSize(3);
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
        JsonNode restore = yaml(sim, "my-release-upgrade-rollback-meta-config");
        assertThat(restore.at("/cmd/type").asText()).isEqualTo("rollback");
        assertThat(condition(sim, "Upgraded").getStatus()).isEqualTo("False");
        assertThat(condition(sim, "Rollbacked").getStatus()).isEqualTo("True");
        assertThat(sim.upgrade().getStatus().getConditions()).allMatch(c -> c.getObservedGeneration() == 2L);
    }

    @Test
    void operationRollbackAtCreationIsRefusedInsteadOfReportedAsARollback() {
        SimulatedCluster sim = cluster("operation: rollback", standalone()).settle();

        assertThat(sim.states()).containsExactly("");
        assertThat(sim.milvusWrites()).isEmpty();
        assertThat(sim.jobs()).isEmpty();
        assertThat(condition(sim, "Failed")).extracting(UpgradeCondition::getStatus, UpgradeCondition::getReason)
                .containsExactly("True", "NothingToRollBack");
        assertThat(condition(sim, "Failed").getMessage()).contains("never changed Milvus default/my-release", "spec.operation to upgrade");
        assertThat(sim.events()).noneMatch(n -> n.reason().equals("RollbackedSucceeded"));
    }

    // --- images per component ----------------------------------------------------------------

    /** The image is set on the component only: rollback must bring back exactly that, and no global image. */
    @Test
    void aMilvusWithImagesPerComponentComesBackFromRollbackWithExactlyThoseImages() {
        Milvus milvus = Objects.milvus("my-release", """
                mode: standalone
                components:
                  standalone:
                    replicas: 1
                    image: milvusdb/milvus:v2.1.4
                dependencies: {etcd: {inCluster: {deletionPolicy: Delete}}}
                """);
        SimulatedCluster sim = cluster("", milvus).settle();
        assertThat(sim.state()).isEqualTo("Succeeded");
        assertThat(sim.milvus().getSpec().getComponents().getStandalone().getImage()).isEqualTo("milvusdb/milvus:v2.2.0");

        sim.setOperation("rollback");
        sim.settle();
        assertThat(sim.state()).isEqualTo("RollbackedSucceeded");
        assertThat(sim.milvus().getSpec().getComponents().getImage()).isNull();
        assertThat(sim.milvus().getSpec().getComponents().getStandalone().getImage()).isEqualTo("milvusdb/milvus:v2.1.4");
    }

    @Test
    void aComponentOnAnotherRegistryComesBackOnThatRegistry() {
        Milvus milvus = Objects.milvus("my-release", """
                mode: cluster
                components:
                  image: mirror.example/milvus:v2.1.4
                  proxy: {replicas: 1, image: "mirror.example/milvus:v2.1.4"}
                dependencies: {etcd: {inCluster: {deletionPolicy: Delete}}}
                """);
        SimulatedCluster sim = cluster("targetImage: mirror.example/milvus:v2.2.0", milvus).settle();
        assertThat(sim.milvus().getSpec().getComponents().getProxy().getImage()).isEqualTo("mirror.example/milvus:v2.2.0");

        sim.setOperation("rollback");
        sim.settle();
        assertThat(sim.state()).isEqualTo("RollbackedSucceeded");
        assertThat(sim.milvus().getSpec().getComponents().getImage()).isEqualTo("mirror.example/milvus:v2.1.4");
        assertThat(sim.milvus().getSpec().getComponents().getProxy().getImage()).isEqualTo("mirror.example/milvus:v2.1.4");
    }

    @ParameterizedTest
    @ValueSource(strings = {"milvusdb/milvus@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "milvusdb/milvus:v2.1.3", "milvusdb/milvus:latest", "mirror.example/milvus:v2.1.4"})
    void anUpgradeWhoseComponentsCannotAllBeMovedDoesNotStartAndSaysWhich(String queryNodeImage) {
        Milvus milvus = Objects.milvus("my-release", """
                mode: cluster
                components:
                  image: milvusdb/milvus:v2.1.4
                  queryNode: {replicas: 2, image: "%s"}
                dependencies: {etcd: {inCluster: {deletionPolicy: Delete}}}
                """.formatted(queryNodeImage));
        SimulatedCluster sim = cluster("", milvus).settle();

        assertThat(sim.states()).containsExactly("");
        assertThat(sim.milvusWrites()).isEmpty();
        UpgradeCondition progressing = condition(sim, "Progressing");
        assertThat(progressing.getReason()).isEqualTo("ComponentsCannotBeMoved");
        assertThat(progressing.getMessage()).contains("spec.components.queryNode.image", queryNodeImage);
    }

    @Test
    void aFailedRestoreEndsInRollbackFailedWithMilvusStoppedAndTheBackupNamed() {
        SimulatedCluster sim = cluster("maxRetry: 0", standalone())
                .kubelet((kind, attempt) -> kind == TaskKind.BACKUP ? SUCCEED : FAIL).settle();

        assertThat(sim.state()).isEqualTo("RollbackFailed");
        assertThat(sim.milvus().getSpec().getComponents().getStandalone().getReplicas()).isZero();
        assertThat(condition(sim, "Failed").getMessage()).contains("PVC my-release-upgrade", "milvusdb/milvus:v2.1.4");
        assertThat(sim.events()).anyMatch(n -> n.type() == UpgradeEvent.Type.Warning && n.reason().equals("RollbackFailed"));
    }

    @Test
    void aMilvusThatNeverBecomesHealthyIsWaitedForMaxRetryTimesThenRolledBack() {
        SimulatedCluster sim = cluster("maxRetry: 1", standalone()).milvusBecomesReady(false).until("NewVersionStarting");
        sim.settle();

        // One more wait for the new version, one more for the old one.
        assertThat(sim.events()).filteredOn(n -> n.reason().equals("Retrying")).hasSize(2)
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

    // --- what the controller writes into -----------------------------------------------------

    /** A PVC of the upgrade's name that an earlier upgrade of that name kept (its rollback had failed). */
    static io.fabric8.kubernetes.api.model.PersistentVolumeClaim keptBackup() {
        return new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder().withNewMetadata().withName("my-release-upgrade")
                .withNamespace("default").addToLabels("milvus-upgrade.io/upgrade", "my-release-upgrade").addToLabels("milvus-upgrade.io/upgrade-uid", "uid-0")
                .endMetadata().build();
    }

    @Test
    void aKeptBackupOfAnEarlierUpgradeOfTheSameNameIsNeverWrittenInto() {
        SimulatedCluster sim = cluster("", standalone());
        sim.setPvc(keptBackup());
        sim.settle();

        assertThat(sim.state()).isEqualTo("BackupMeta");
        assertThat(sim.jobsCreated()).isEmpty();
        assertThat(condition(sim, "Progressing")).extracting(UpgradeCondition::getStatus, UpgradeCondition::getReason)
                .containsExactly("False", "BackupPvcTaken");
        assertThat(condition(sim, "Progressing").getMessage()).contains("PVC my-release-upgrade exists", "spec.backupPVC");
        assertThat(sim.pvc().getMetadata().getLabels()).containsEntry("milvus-upgrade.io/upgrade-uid", "uid-0");

        sim.delete();
        sim.settle();
        assertThat(sim.gone()).isTrue();
        assertThat(sim.pvc()).as("not ours: never deleted either").isNotNull();
    }

    @Test
    void aPvcNamedInBackupPvcIsUsedWhoeverCreatedIt() {
        SimulatedCluster sim = cluster("backupPVC: my-release-upgrade", standalone());
        sim.setPvc(keptBackup());
        sim.settle();

        assertThat(sim.state()).isEqualTo("Succeeded");
        assertThat(sim.jobs().get("my-release-upgrade-backup-meta-0").getSpec().getTemplate().getSpec().getVolumes().get(0)
                .getPersistentVolumeClaim().getClaimName()).isEqualTo("my-release-upgrade");
    }

    @Test
    void withoutAnyDeploymentOfMilvusTheBackupDoesNotStart() {
        SimulatedCluster sim = cluster("", standalone()).deploymentsVisible(false).until("OldVersionStopping");
        for (int i = 0; i < 20; i++) {
            sim.step();
            sim.advance(Duration.ofMinutes(1));
        }

        assertThat(sim.state()).isEqualTo("OldVersionStopping");
        assertThat(sim.jobsCreated()).isEmpty();
        assertThat(condition(sim, "Progressing").getMessage()).contains("no Deployment carries app.kubernetes.io/instance=my-release",
                "evidence that Milvus default/my-release is stopped");

        sim.deploymentsVisible(true).settle();
        assertThat(sim.state()).isEqualTo("Succeeded");
    }

    // --- one upgrade at a time ---------------------------------------------------------------

    static MilvusUpgrade other(String name, String created, String state) {
        MilvusUpgrade other = guideUpgrade("");
        other.getMetadata().setName(name);
        other.getMetadata().setUid("uid-" + name);
        other.getMetadata().setCreationTimestamp(created);
        if (!state.isEmpty()) {
            other.setStatus(new io.milvus.upgrade.api.v1beta1.MilvusUpgradeStatus());
            other.getStatus().setState(state);
        }
        return other;
    }

    static SimulatedCluster youngest(MilvusUpgrade... others) {
        MilvusUpgrade upgrade = guideUpgrade("");
        upgrade.getMetadata().setCreationTimestamp("2026-01-01T00:00:10Z");
        SimulatedCluster sim = new SimulatedCluster(RECONCILER, upgrade, standalone());
        sim.setOtherUpgrades(List.of(others));
        return sim;
    }

    @ParameterizedTest
    @CsvSource({
            "2026-01-01T00:00:05Z, '',                  older and not started yet",
            "2026-01-01T00:00:20Z, BackupMeta,          in state BackupMeta",
            "2026-01-01T00:00:05Z, RollbackNewVersionStopping, in state RollbackNewVersionStopping",
            "2026-01-01T00:00:05Z, SomeoneElsesState,   in state SomeoneElsesState"})
    void anUpgradeWaitsWhileAnotherHoldsItsMilvusOrIsOlder(String created, String state, String said) {
        SimulatedCluster sim = youngest(other("first", created, state)).settle();

        assertThat(sim.states()).containsExactly("");
        assertThat(sim.milvusWrites()).isEmpty();
        assertThat(sim.upgrade().getStatus().getReplicasBeforeUprade()).as("no zeros recorded from a stopped Milvus").isNull();
        assertThat(condition(sim, "Progressing")).extracting(UpgradeCondition::getStatus, UpgradeCondition::getReason)
                .containsExactly("False", "WaitingForOtherUpgrade");
        assertThat(condition(sim, "Progressing").getMessage()).contains("MilvusUpgrade default/first (" + said + ")");
    }

    @ParameterizedTest
    @CsvSource({
            "2026-01-01T00:00:20Z, ''",           // younger and not started
            "2026-01-01T00:00:05Z, Succeeded",
            "2026-01-01T00:00:05Z, RollbackedSucceeded",
            "2026-01-01T00:00:05Z, RollbackFailed"})
    void anUpgradeRunsWhenTheOthersAreFinishedOrYounger(String created, String state) {
        SimulatedCluster sim = youngest(other("other", created, state)).settle();
        assertThat(sim.state()).isEqualTo("Succeeded");
    }

    @Test
    void theWaitingUpgradeStartsOnceTheOtherIsFinished() {
        MilvusUpgrade first = other("first", "2026-01-01T00:00:05Z", "UpdatingMeta");
        SimulatedCluster sim = youngest(first).settle();
        assertThat(sim.state()).isEmpty();

        first.getStatus().setState("Succeeded");
        sim.settle();
        assertThat(sim.state()).isEqualTo("Succeeded");
    }

    @Test
    void aRollbackOfAFinishedUpgradeWaitsWhileAnotherHoldsTheMilvus() {
        SimulatedCluster sim = cluster("", standalone()).settle();
        sim.setOtherUpgrades(List.of(other("later", "2026-01-01T00:01:00Z", "NewVersionStarting")));
        sim.setOperation("rollback");
        sim.settle();

        assertThat(sim.state()).isEqualTo("Succeeded");
        assertThat(condition(sim, "Progressing").getReason()).isEqualTo("WaitingForOtherUpgrade");
    }

    // --- resuming after a crash ------------------------------------------------------------

    /**
     * A crash right after the record and status writes (the first things an intent does) loses
     * the actions of that reconcile. Whatever state it hits, the next controller finishes with the same result.
     */
    @ParameterizedTest
    @ValueSource(strings = {"", "OldVersionStopping", "BackupMeta", "UpdatingMeta", "NewVersionStarting"})
    void aCrashAfterAnyStatusWriteResumesToTheSameResult(String state) {
        SimulatedCluster sim = cluster("", cluster()).until(state);
        for (int crash = 0; crash < 4; crash++) {
            Intent intent = RECONCILER.reconcile(sim.upgrade(), sim.observed());
            sim.apply(intent.writesOnly());
            sim.step();
        }
        sim.settle();

        SimulatedCluster reference = cluster("", cluster()).settle();
        assertThat(sim.state()).isEqualTo("Succeeded");
        assertThat(sim.milvus().getSpec()).usingRecursiveComparison().isEqualTo(reference.milvus().getSpec());
        assertThat(sim.upgrade().getStatus().getReplicasBeforeUprade()).isEqualTo(reference.upgrade().getStatus().getReplicasBeforeUprade());
        assertThat(sim.jobs().keySet()).isEqualTo(reference.jobs().keySet());
    }

    /** The record is written before the status: a crash between the two leaves a new record beside the old status. */
    @ParameterizedTest
    @ValueSource(strings = {"", "OldVersionStopping", "BackupMeta", "UpdatingMeta", "NewVersionStarting", "RollbackNewVersionStopping"})
    void aCrashBetweenTheRecordAndTheStatusWriteResumesToTheSameResult(String state) throws Exception {
        String spec = state.startsWith("Rollback") ? "" : "";
        SimulatedCluster sim = cluster(spec, cluster());
        if (state.startsWith("Rollback")) {
            sim.kubelet((kind, attempt) -> kind == TaskKind.UPDATE ? FAIL : SUCCEED);
        }
        sim.until(state);
        for (int crash = 0; crash < 4; crash++) {
            Intent intent = RECONCILER.reconcile(sim.upgrade(), sim.observed());
            sim.upgrade().getMetadata().getAnnotations().put(UpgradeRecord.ANNOTATION, intent.record().encode());
            sim.step();
        }
        sim.settle();

        SimulatedCluster reference = cluster(spec, cluster());
        if (state.startsWith("Rollback")) reference.kubelet((kind, attempt) -> kind == TaskKind.UPDATE ? FAIL : SUCCEED);
        reference.settle();
        assertThat(sim.state()).isEqualTo(reference.state());
        assertThat(sim.milvus().getSpec()).usingRecursiveComparison().isEqualTo(reference.milvus().getSpec());
        assertThat(UpgradeRecord.of(sim.upgrade()).images()).isEqualTo(UpgradeRecord.of(reference.upgrade()).images());
        assertThat(sim.jobsCreated()).isEqualTo(reference.jobsCreated());
    }

    @Test
    void aStaleStepTimingDoesNotShortenTheNextWait() throws Exception {
        SimulatedCluster sim = cluster("", standalone()).until("OldVersionStopping");
        sim.step(); // record
        sim.step(); // scale to 0
        sim.step(); // seen stopped: the settle period starts
        // A timing left by another step, or by an older attempt, counts for nothing.
        UpgradeRecord record = UpgradeRecord.of(sim.upgrade());
        sim.upgrade().getMetadata().getAnnotations().put(UpgradeRecord.ANNOTATION,
                record.withStep(new UpgradeRecord.StepTiming("BackupMeta", 0, "2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z")).encode());
        Intent intent = sim.step();
        assertThat(intent.status().getState()).isEqualTo("OldVersionStopping");
        assertThat(intent.requeueAfter()).contains(Duration.ofSeconds(60));
    }

    /** Milvus Operator's own reconciler started these: a state, its own conditions, neither our record nor our finalizer. */
    @ParameterizedTest
    @ValueSource(strings = {"OldVersionStopping", "BackupMeta", "UpdatingMeta", "NewVersionStarting", "Succeeded",
            "RollbackNewVersionStopping", "SomeStateOfANewerOperator"})
    void anUpgradeAnotherControllerStartedGetsOneConditionAndOneEventAndNothingElse(String state) {
        MilvusUpgrade upgrade = guideUpgrade("");
        upgrade.getMetadata().getFinalizers().add("milvus.io/operator-finalizer");
        UpgradeCondition theirs = new UpgradeCondition();
        theirs.setType("CheckingUpgrationState");
        theirs.setStatus("True");
        theirs.setReason("Checking");
        theirs.setMessage("by the operator");
        theirs.setLastTransitionTime("2025-01-01T00:00:00Z");
        upgrade.setStatus(new io.milvus.upgrade.api.v1beta1.MilvusUpgradeStatus());
        upgrade.getStatus().setState(state);
        upgrade.getStatus().setReplicasBeforeUprade(Map.of("standalone", 2));
        upgrade.getStatus().setConditions(new java.util.ArrayList<>(List.of(theirs)));
        SimulatedCluster sim = new SimulatedCluster(RECONCILER, upgrade, standalone());
        String milvusBefore = ApiSerialization.json().valueToTree(sim.milvus()).toString();

        Intent first = sim.step();
        assertThat(first.actions()).isEmpty();
        assertThat(first.record()).as("no record: it would make the upgrade look like ours").isNull();
        assertThat(first.requeueAfter()).isEmpty();
        assertThat(first.events()).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(UpgradeEvent.Type.Warning);
            assertThat(e.reason()).isEqualTo("StartedByAnotherController");
        });
        assertThat(first.status().getState()).isEqualTo(state);
        assertThat(first.status().getConditions()).extracting(UpgradeCondition::getType)
                .containsExactly("CheckingUpgrationState", "ManagedByAnotherController");
        assertThat(condition(first, "ManagedByAnotherController").getMessage())
                .contains("'" + state + "'", UpgradeRecord.ANNOTATION, "--stop-reconcilers=milvusupgrade");
        assertThat(condition(first, "ManagedByAnotherController").getReason()).matches(OPERATOR_REASON);

        sim.advance(Duration.ofMinutes(10));
        Intent again = sim.step();
        assertThat(again.events()).as("said once").isEmpty();
        assertThat(again.status()).usingRecursiveComparison().isEqualTo(first.status());
        sim.delete();
        Intent deleting = sim.step();
        assertThat(deleting.actions()).isEmpty();
        assertThat(sim.upgrade().getMetadata().getAnnotations()).doesNotContainKey(UpgradeRecord.ANNOTATION);
        assertThat(sim.upgrade().getMetadata().getFinalizers()).containsExactly("milvus.io/operator-finalizer");
        assertThat(ApiSerialization.json().valueToTree(sim.milvus()).toString()).isEqualTo(milvusBefore);
        assertThat(sim.jobsCreated()).isEmpty();
        assertThat(sim.pvc()).isNull();
    }

    @Test
    void anUpgradeOfOursWhoseRecordWasRemovedIsStillOurs() {
        SimulatedCluster sim = cluster("", standalone()).until("NewVersionStarting");
        sim.upgrade().getMetadata().getAnnotations().remove(UpgradeRecord.ANNOTATION);
        Intent intent = sim.step();
        assertThat(condition(intent, "ManagedByAnotherController")).as("our finalizer says it is ours").isNull();
        assertThat(condition(intent, "Progressing").getReason()).isEqualTo("NoRecord");
    }

    @Test
    void aDamagedRecordBlocksTheUpgradeAndSaysSo() {
        SimulatedCluster sim = cluster("", standalone()).until("OldVersionStopping");
        sim.step();
        sim.upgrade().getMetadata().getAnnotations().put(UpgradeRecord.ANNOTATION, "{not json");
        Intent intent = sim.step();
        assertThat(intent.actions()).isEmpty();
        assertThat(condition(intent, "Progressing").getReason()).isEqualTo("UnreadableRecord");
        assertThat(condition(intent, "Progressing").getMessage()).contains("milvus.io/upgrade-record");
        sim.apply(intent);
        assertThat(sim.upgrade().getMetadata().getAnnotations()).as("left for a person to repair").containsEntry(UpgradeRecord.ANNOTATION, "{not json");
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
        assertThat(firstSeen.record().step().milvusStoppedAt()).isEqualTo(sim.now().toString());
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
            boolean hadBackup = sim.pvc() != null;
            Intent intent = sim.step();
            assertThat(!hadBackup || sim.pvc() != null || intent.releases()).as("the backup stays until release").isTrue();
            sim.advance(Duration.ofSeconds(30));
        }

        assertThat(sim.gone()).isTrue();
        assertThat(sim.milvus().getSpec()).usingRecursiveComparison().isEqualTo(withRecordedReplicasExplicit(cluster()).getSpec());
        assertThat(sim.jobsCreated().contains("my-release-upgrade-rollback-meta-0")).isEqualTo(restoresMetadata);
        assertThat(sim.jobs()).as("deleted before the release").isEmpty();
        assertThat(sim.configMaps()).isEmpty();
        assertThat(sim.pvc()).isNull();
        assertThat(sim.states()).contains("RollbackedSucceeded");
        assertThat(sim.events()).anyMatch(n -> n.reason().equals("Released"));
    }

    @Test
    void deletingAfterSuccessReleasesAtOnceAndKeepsTheNewVersion() {
        SimulatedCluster sim = cluster("", standalone()).settle();
        sim.delete();
        Intent intent = sim.step();

        assertThat(intent.actions()).containsExactly(new Action.DeleteJob("my-release-upgrade-backup-meta-0"),
                new Action.DeleteJob("my-release-upgrade-update-meta-0"), new Action.DeleteConfigMap("my-release-upgrade-backup-meta-config"),
                new Action.DeleteConfigMap("my-release-upgrade-update-meta-config"), new Action.DeleteBackupPvc("my-release-upgrade"),
                new Action.RemoveFinalizer());
        assertThat(sim.milvus().getSpec().getComponents().getImage()).isEqualTo("milvusdb/milvus:v2.2.0");
    }

    @Test
    void deletingAFailedRollbackKeepsTheBackupPvc() {
        SimulatedCluster sim = cluster("maxRetry: 0", standalone()).kubelet((kind, attempt) -> kind == TaskKind.BACKUP ? SUCCEED : FAIL).settle();
        assertThat(sim.state()).isEqualTo("RollbackFailed");
        sim.delete();
        Intent intent = sim.step();

        assertThat(intent.actions()).doesNotHaveAnyElementsOfTypes(Action.DeleteBackupPvc.class).last().isEqualTo(new Action.RemoveFinalizer());
        assertThat(sim.pvc()).isNotNull();
        assertThat(sim.events()).anyMatch(e -> e.reason().equals("BackupKept"));
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
        assertThat(intent.events()).singleElement().extracting(UpgradeEvent::reason).isEqualTo("OldVersionStopping");
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
        assertThat(intent.record().step()).satisfiesAnyOf(step -> assertThat(step).isNull(),
                step -> assertThat(step.milvusStoppedAt()).isNull());
        assertThat(intent.requeueAfter()).contains(SETTINGS.pollInterval());
        assertThat(condition(intent, "Progressing").getMessage()).contains("to report 0 replicas");
    }

    @Test
    void aMissingMilvusBlocksTheUpgradeWithoutChangingItsState() {
        Intent intent = RECONCILER.reconcile(at("OldVersionStopping", ""), ObservedCluster.of(java.time.Instant.EPOCH, Optional.empty(), List.of()));
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
        MilvusUpgrade upgrade = at("BackupMeta", "replicasBeforeUprade: {standalone: 2}");
        var pvc = new MigrationJobFactory(SETTINGS).backupPvc(upgrade, "my-release-upgrade");
        ObservedCluster observed = new ObservedCluster(java.time.Instant.EPOCH, Optional.of(milvus), List.of(), List.of(), List.of(),
                Optional.of(pvc), List.of());
        Intent intent = RECONCILER.reconcile(upgrade, observed);
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
        upgrade.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of(UpgradeRecord.ANNOTATION,
                UpgradeRecord.EMPTY.withImages(ComponentImages.record(standalone())).encode())));
        return upgrade;
    }

    static ObservedCluster world(Milvus milvus, List<Deployment> deployments) {
        return ObservedCluster.of(java.time.Instant.parse("2026-01-01T00:00:00Z"), Optional.of(milvus), deployments);
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
