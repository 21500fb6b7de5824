package io.milvus.upgrade.controller.e2e;

import io.milvus.upgrade.api.v1beta1.Component;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.UpgradeCondition;
import io.milvus.upgrade.localstack.SimulatedKubelet;
import io.milvus.upgrade.localstack.SimulatedKubelet.Outcome;
import io.milvus.upgrade.components.MilvusTopology;
import io.milvus.upgrade.controller.reconcile.UpgradeReconciler;
import io.milvus.upgrade.localstack.ControlPlane;
import io.milvus.upgrade.localstack.LocalStack;
import io.milvus.upgrade.localstack.LocalStackExtension;
import io.milvus.upgrade.localstack.Repository;
import io.milvus.upgrade.testing.Objects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The controller jar against a real kube-apiserver with our webhooks registered, as the
 * controller's service account (RBAC from manifests/controller/rbac-controller.yaml): its Milvus image
 * changes pass the image guard only because they are its own. The tests play kubelet, garbage
 * collector and Milvus operator ({@link SimulatedKubelet}), each in a namespace of its own.
 */
@Tag("e2e")
@ExtendWith(LocalStackExtension.class)
class ControllerE2E {

    static final Duration TIMEOUT = Duration.ofSeconds(90);
    static final String UPGRADE = "my-release-upgrade";
    static final AtomicInteger NAMESPACES = new AtomicInteger();
    static final List<String> HAPPY_PATH = List.of("OldVersionStopping", "BackupMeta", "UpdatingMeta", "NewVersionStarting", "Succeeded");

    static ControlPlane plane;
    /** The webhook and policy file the tests' writes go through; a subclass installs its own. */
    static LocalStack stackUnderTest;
    static KubernetesClient admin;
    static Path logs;

    String namespace;
    SimulatedKubelet kubelet;
    /** Every state the test's MilvusUpgrade passed through, as a watch saw them (for the record, printed after the test). */
    final List<String> observedStates = java.util.Collections.synchronizedList(new ArrayList<>());
    io.fabric8.kubernetes.client.Watch stateWatch;
    String testName;
    final List<ControllerProcess> controllers = new ArrayList<>();

    @BeforeAll
    static void install(LocalStack stack) throws Exception {
        plane = stack.controlPlane();
        stackUnderTest = stack;
        admin = stack.client();
        logs = Files.createDirectories(Repository.root().resolve("controller/target/e2e-logs"));
    }

    @BeforeEach
    void namespace(TestInfo test) {
        namespace = "e2e-" + NAMESPACES.incrementAndGet();
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        kubelet = new SimulatedKubelet(admin, namespace);
        kubelet.collectsGarbage(false); // the tests look at a deleted upgrade's Jobs afterwards
        testName = test.getDisplayName();
        stateWatch = admin.resources(io.milvus.upgrade.api.v1beta1.MilvusUpgrade.class).inNamespace(namespace)
                .watch(new io.fabric8.kubernetes.client.Watcher<>() {
                    @Override
                    public void eventReceived(Action action, io.milvus.upgrade.api.v1beta1.MilvusUpgrade upgrade) {
                        String state = upgrade.getStatus() == null || upgrade.getStatus().getState() == null ? "\"\"" : upgrade.getStatus().getState();
                        if (action == Action.DELETED) state = "(deleted)";
                        synchronized (observedStates) {
                            if (observedStates.isEmpty() || !observedStates.get(observedStates.size() - 1).equals(state)) observedStates.add(state);
                        }
                    }

                    @Override
                    public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
                    }
                });
    }

    @AfterEach
    void stop() {
        controllers.forEach(ControllerProcess::close);
        kubelet.close();
        stateWatch.close();
        System.out.println("states observed by " + testName + ": " + String.join(" → ", observedStates));
    }

    // --- the runs --------------------------------------------------------------------------

    @Test
    void theGuidesExampleRunsToSucceeded() throws Exception {
        createMilvus();
        createUpgrade("");
        controller("solo");

        awaitStateAndEvent("Succeeded");

        assertThat(stateEvents()).containsExactlyElementsOf(HAPPY_PATH);
        Milvus milvus = milvus();
        assertThat(milvus.getSpec().getComponents().getImage()).isEqualTo("milvusdb/milvus:v2.2.0");
        assertThat(MilvusTopology.replicas(milvus, Component.PROXY)).isEqualTo(2);
        assertThat(MilvusTopology.replicas(milvus, Component.QUERY_NODE)).isEqualTo(3);
        assertThat(MilvusTopology.replicas(milvus, Component.ROOT_COORD)).isEqualTo(1);
        MilvusUpgrade upgrade = upgrade();
        assertThat(condition(upgrade, "Upgraded").getStatus()).isEqualTo("True");
        assertThat(condition(upgrade, "Ready").getObservedGeneration()).isEqualTo(upgrade.getMetadata().getGeneration());
        assertThat(upgrade.getMetadata().getFinalizers()).contains(UpgradeReconciler.FINALIZER);

        Job backup = job("my-release-upgrade-backup-meta-0");
        var container = backup.getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("milvusdb/meta-migration:v2.2.0-bugfix-20230112");
        assertThat(container.getCommand()).containsExactly("/milvus/bin/meta-migration");
        assertThat(container.getArgs()).containsExactly("-config", "/milvus/configs/migration.yaml");
        assertThat(backup.getSpec().getBackoffLimit()).isZero();
        assertThat(backup.getSpec().getTemplate().getSpec().getVolumes())
                .extracting(v -> v.getPersistentVolumeClaim() != null ? v.getPersistentVolumeClaim().getClaimName() : v.getConfigMap().getName())
                .containsExactly(UPGRADE, "my-release-upgrade-backup-meta-config");
        assertThat(container.getVolumeMounts()).extracting(m -> m.getMountPath())
                .containsExactly("/milvus/data", "/milvus/configs/migration.yaml");
        // No owner reference a foreground deletion would follow; found by the creator's uid.
        assertThat(backup.getMetadata().getOwnerReferences()).isEmpty();
        assertThat(backup.getMetadata().getLabels()).containsEntry("milvus-upgrade.io/upgrade-uid", upgrade.getMetadata().getUid());
        assertThat(upgrade.getMetadata().getAnnotations()).containsKey("milvus.io/upgrade-record");
        JsonNode run = migrationYaml("my-release-upgrade-update-meta-config");
        assertThat(run.at("/cmd/type").asText()).isEqualTo("run");
        assertThat(run.at("/config/sourceVersion").asText()).isEqualTo("2.1.4");
        assertThat(run.at("/config/targetVersion").asText()).isEqualTo("2.2.0");
        assertThat(run.at("/etcd/endpoints/0").asText()).isEqualTo("my-release-etcd." + namespace + ":2379");
        assertThat(run.at("/etcd/rootPath").asText()).isEqualTo("my-release");
        var pvc = admin.persistentVolumeClaims().inNamespace(namespace).withName(UPGRADE).get();
        assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(pvc.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("10Gi");
        assertThat(controllers.get(0).metrics()).contains("milvus_upgrade_state{name=\"my-release-upgrade\",namespace=\"" + namespace + "\",state=\"Succeeded\"} 1.0");
    }

    /**
     * Operator 1.3.8's deployment groups: a queryNode group of 2 is its own Deployment
     * ({@code my-release-milvus-querynode-zone-a}), scaled to 0 with the components, kept there
     * through the migration, and back at 2 at the end.
     */
    @Test
    void aQueryNodeGroupOfTwoIsStoppedMigratedAndRestored() {
        createMilvus("""
                mode: cluster
                components:
                  image: milvusdb/milvus:v2.1.4
                  proxy: {replicas: 2}
                  queryNode:
                    groups: [{name: zone-a, replicas: 2}]
                dependencies:
                  etcd:
                    inCluster:
                      deletionPolicy: Delete
                config: {}
                """);
        String group = "my-release-milvus-querynode-zone-a";
        assertThat(admin.apps().deployments().inNamespace(namespace).withName(group).get().getSpec().getReplicas()).isEqualTo(2);
        createUpgrade("");
        controller("solo");

        awaitState("UpdatingMeta");
        assertThat(admin.apps().deployments().inNamespace(namespace).withName(group).get().getSpec().getReplicas())
                .as("the group is stopped during the migration").isZero();
        assertThat(milvus().getSpec().getComponents().getQueryNode().getGroups().getFirst().getReplicas()).isZero();
        assertThat(upgrade().getMetadata().getAnnotations().get("milvus.io/upgrade-record")).contains("\"queryNode/zone-a\":2");

        awaitStateAndEvent("Succeeded");
        assertThat(stateEvents()).containsExactlyElementsOf(HAPPY_PATH);
        Milvus milvus = milvus();
        assertThat(milvus.getSpec().getComponents().getImage()).isEqualTo("milvusdb/milvus:v2.2.0");
        assertThat(milvus.getSpec().getComponents().getQueryNode().getGroups().getFirst().getReplicas()).isEqualTo(2);
        var deployment = admin.apps().deployments().inNamespace(namespace).withName(group).get();
        assertThat(deployment.getMetadata().getLabels()).containsEntry(SimulatedKubelet.DEPLOYMENT_GROUP_LABEL, "zone-a");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        assertThat(deployment.getStatus().getReadyReplicas()).isEqualTo(2);
    }

    @Test
    void aFailingMigrationIsRetriedThenRolledBack() {
        kubelet.jobs((kind, attempt) -> kind.equals("update-meta") ? Outcome.FAIL : Outcome.SUCCEED);
        createMilvus();
        createUpgrade("maxRetry: 2");
        controller("solo");

        awaitStateAndEvent("RollbackedSucceeded");

        assertThat(jobNames()).contains("my-release-upgrade-update-meta-0", "my-release-upgrade-update-meta-1",
                "my-release-upgrade-update-meta-2", "my-release-upgrade-rollback-meta-0")
                .doesNotContain("my-release-upgrade-update-meta-3");
        assertThat(migrationYaml("my-release-upgrade-rollback-meta-config").at("/cmd/type").asText()).isEqualTo("rollback");
        Milvus milvus = milvus();
        assertThat(milvus.getSpec().getComponents().getImage()).isEqualTo("milvusdb/milvus:v2.1.4");
        assertThat(MilvusTopology.replicas(milvus, Component.PROXY)).isEqualTo(2);
        assertThat(MilvusTopology.replicas(milvus, Component.QUERY_NODE)).isEqualTo(3);
        assertThat(condition(upgrade(), "Rollbacked").getStatus()).isEqualTo("True");
        assertThat(stateEvents()).containsSubsequence("UpdatingMeta", "UpdateMetaFailed", "RollbackNewVersionStopping",
                "RollbackRestoringOldMeta", "RollbackOldVersionStarting", "RollbackedSucceeded");
    }

    @Test
    void withoutRollbackIfFailedTheUpgradeStopsWithMilvusStoppedAndSaysWhatToDo() {
        kubelet.jobs((kind, attempt) -> kind.equals("update-meta") ? Outcome.FAIL : Outcome.SUCCEED);
        createMilvus();
        createUpgrade("maxRetry: 0\nrollbackIfFailed: false");
        controller("solo");

        awaitState("UpdateMetaFailed");
        await("the Failed condition", () -> condition(upgrade(), "Failed") != null && condition(upgrade(), "Failed").getStatus().equals("True"));

        UpgradeCondition failed = condition(upgrade(), "Failed");
        assertThat(failed.getMessage()).contains("is stopped", "set spec.operation to rollback");
        Milvus milvus = milvus();
        assertThat(milvus.getSpec().getComponents().getImage()).isEqualTo("milvusdb/milvus:v2.1.4");
        assertThat(MilvusTopology.replicas(milvus, Component.PROXY)).isZero();
        assertThat(jobNames()).doesNotContain("my-release-upgrade-rollback-meta-0");
        assertThat(upgrade().getStatus().getIsRollbacking()).isNull();
    }

    @Test
    void operationRollbackAfterSuccessReturnsToTheOldVersion() {
        createMilvus();
        createUpgrade("");
        controller("solo");
        awaitState("Succeeded");

        // As a user does it: a merge patch, through the validating webhook.
        var patched = plane.kubectl("-n", namespace, "patch", "milvusupgrades", UPGRADE, "--type", "merge", "-p", "{\"spec\":{\"operation\":\"rollback\"}}");
        assertThat(patched.exitCode()).as(patched.output()).isZero();

        awaitState("RollbackedSucceeded");
        Milvus milvus = milvus();
        assertThat(milvus.getSpec().getComponents().getImage()).isEqualTo("milvusdb/milvus:v2.1.4");
        assertThat(MilvusTopology.replicas(milvus, Component.PROXY)).isEqualTo(2);
        assertThat(jobNames()).contains("my-release-upgrade-rollback-meta-0");
    }

    /** Each step is held until the controller has been killed (SIGKILL) in it and restarted. */
    @Test
    void aControllerKilledInEveryStateResumesAndFinishesTheSame() {
        createMilvus();
        kubelet.deploymentsFollow(false);
        kubelet.jobs((kind, attempt) -> Outcome.RUN);
        createUpgrade("");
        ControllerProcess current = controller("resumer");

        for (String state : List.of("OldVersionStopping", "BackupMeta", "UpdatingMeta", "NewVersionStarting")) {
            awaitState(state);
            current.kill();
            controllers.remove(current);
            current = controller("resumer");
            switch (state) {
                case "OldVersionStopping" -> kubelet.deploymentsFollow(true);
                case "BackupMeta" -> {
                    kubelet.milvusReady(false);
                    kubelet.jobs((kind, attempt) -> kind.equals("backup-meta") ? Outcome.SUCCEED : Outcome.RUN);
                }
                case "UpdatingMeta" -> kubelet.jobs((kind, attempt) -> Outcome.SUCCEED);
                default -> kubelet.milvusReady(true);
            }
        }
        awaitStateAndEvent("Succeeded");

        assertThat(jobNames()).containsExactlyInAnyOrder("my-release-upgrade-backup-meta-0", "my-release-upgrade-update-meta-0");
        Milvus milvus = milvus();
        assertThat(milvus.getSpec().getComponents().getImage()).isEqualTo("milvusdb/milvus:v2.2.0");
        assertThat(MilvusTopology.replicas(milvus, Component.PROXY)).isEqualTo(2);
        assertThat(MilvusTopology.replicas(milvus, Component.QUERY_NODE)).isEqualTo(3);
        assertThat(upgrade().getStatus().getReplicasBeforeUprade()).containsEntry("proxy", 2).containsEntry("queryNode", 3);
        // Events are best effort: a kill between the status write and the Event loses that one Event.
        assertThat(HAPPY_PATH).containsSubsequence(stateEvents());
        assertThat(stateEvents()).endsWith("Succeeded");
    }

    @Test
    void deletingMidWayBringsMilvusBackAndKeepsTheBackupUntilThen() {
        holdTheUpgradeInItsMigration();

        admin.resources(MilvusUpgrade.class).inNamespace(namespace).withName(UPGRADE).delete();

        assertThat(backupPvcStayedUntilReleased()).isTrue();
        assertBroughtBackAndCleanedUp();
    }

    /**
     * {@code kubectl delete --cascade=foreground} (and Argo CD's foreground prune): the garbage
     * collector deletes every dependent of the upgrade at once, while the finalizer holds the
     * upgrade for its rollback. The backup must outlive that.
     */
    @Test
    void aForegroundDeletionMidWayStillRollsBackWithTheBackup() {
        holdTheUpgradeInItsMigration();

        try (FakeGarbageCollector collector = new FakeGarbageCollector(admin, namespace)) {
            admin.resources(MilvusUpgrade.class).inNamespace(namespace).withName(UPGRADE)
                    .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.FOREGROUND).delete();
            boolean pvcWhileUpgradeExists = backupPvcStayedUntilReleased();
            assertThat(collector.collected).as("nothing of the upgrade is the collector's to take").isEmpty();
            assertThat(pvcWhileUpgradeExists).as("the backup PVC while the upgrade exists").isTrue();
        }
        assertBroughtBackAndCleanedUp();
    }

    /** The guide's upgrade, run by one controller until its migration Job runs, and held there. */
    void holdTheUpgradeInItsMigration() {
        kubelet.jobs((kind, attempt) -> kind.equals("update-meta") ? Outcome.RUN : Outcome.SUCCEED);
        createMilvus();
        createUpgrade("");
        controller("solo");
        awaitState("UpdatingMeta");
        await("the migration Job", () -> jobNames().contains("my-release-upgrade-update-meta-0"));
    }

    /** Waits for the deleted upgrade to be released; whether its backup PVC was there at every look until then. */
    boolean backupPvcStayedUntilReleased() {
        boolean pvcWhileUpgradeExists = true;
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (upgradeOrNull() != null) {
            assertThat(System.nanoTime()).as("the upgrade is released in time").isLessThan(deadline);
            pvcWhileUpgradeExists &= admin.persistentVolumeClaims().inNamespace(namespace).withName(UPGRADE).get() != null;
            pause();
        }
        return pvcWhileUpgradeExists;
    }

    void assertBroughtBackAndCleanedUp() {
        Milvus milvus = milvus();
        assertThat(milvus.getSpec().getComponents().getImage()).isEqualTo("milvusdb/milvus:v2.1.4");
        assertThat(MilvusTopology.replicas(milvus, Component.PROXY)).isEqualTo(2);
        assertThat(MilvusTopology.replicas(milvus, Component.QUERY_NODE)).isEqualTo(3);
        assertThat(kubelet.jobsSeen()).as("the metadata was restored").contains("my-release-upgrade-rollback-meta-0");
        assertThat(observedStates).contains("RollbackRestoringOldMeta", "RollbackOldVersionStarting");
        // Deleted by the controller before it let the upgrade go: nothing is left behind.
        await("the Jobs to be gone", () -> admin.batch().v1().jobs().inNamespace(namespace).list().getItems().isEmpty());
        assertThat(admin.configMaps().inNamespace(namespace).withLabel("milvus-upgrade.io/upgrade").list().getItems()).isEmpty();
        // Deleted; the apiserver's pvc-protection finalizer keeps it terminating here, where no controller-manager removes it.
        var pvc = admin.persistentVolumeClaims().inNamespace(namespace).withName(UPGRADE).get();
        assertThat(pvc == null || pvc.getMetadata().getDeletionTimestamp() != null).as("the backup PVC deleted").isTrue();
    }

    /**
     * After a failed rollback and the deletion of its upgrade, PVC {@code <name>} keeps the only
     * good backup. A new upgrade of the same name must not write its backup into it.
     */
    @Test
    void aReCreatedUpgradeOfTheSameNameNeverWritesIntoTheKeptBackup() {
        kubelet.jobs((kind, attempt) -> kind.equals("backup-meta") ? Outcome.SUCCEED : Outcome.FAIL);
        createMilvus();
        createUpgrade("maxRetry: 0");
        controller("solo");
        awaitState("RollbackFailed");
        String firstUid = upgrade().getMetadata().getUid();
        admin.resources(MilvusUpgrade.class).inNamespace(namespace).withName(UPGRADE).delete();
        await("the first upgrade to be released", () -> upgradeOrNull() == null);
        var kept = admin.persistentVolumeClaims().inNamespace(namespace).withName(UPGRADE).get();
        assertThat(kept).as("kept after RollbackFailed").isNotNull();
        assertThat(kept.getMetadata().getLabels()).containsEntry("milvus-upgrade.io/upgrade-uid", firstUid);

        kubelet.jobs((kind, attempt) -> Outcome.SUCCEED);
        createUpgrade("maxRetry: 0");
        await("the second upgrade to stop at the taken PVC", () -> {
            UpgradeCondition progressing = condition(upgrade(), "Progressing");
            return progressing != null && "BackupPvcTaken".equals(progressing.getReason());
        });
        String secondUid = upgrade().getMetadata().getUid();
        assertThat(upgrade().getStatus().getState()).isEqualTo("BackupMeta");
        assertThat(admin.batch().v1().jobs().inNamespace(namespace).withLabel("milvus-upgrade.io/upgrade-uid", secondUid).list().getItems())
                .as("no backup Job of the second upgrade").isEmpty();
        assertThat(admin.persistentVolumeClaims().inNamespace(namespace).withName(UPGRADE).get().getMetadata().getLabels())
                .containsEntry("milvus-upgrade.io/upgrade-uid", firstUid);
    }

    /**
     * Admission's "one unfinished upgrade per Milvus" is check-then-act; here it only warns, so
     * that two upgrades exist as a race would leave them. The controller runs the older one; the
     * other waits with a condition, and starts once the first is finished, with real replicas.
     */
    @Test
    void ofTwoUpgradesOfOneMilvusTheOlderRunsAndTheOtherWaits() throws Exception {
        Path policy = stackUnderTest.policyFile();
        String original = Files.readString(policy);
        try {
            Files.writeString(policy, original + "rules:\n  oneActiveUpgrade: warn\n");
            kubelet.jobs((kind, attempt) -> kind.equals("backup-meta") && attempt == 0 ? Outcome.RUN : Outcome.SUCCEED);
            createMilvus();
            createUpgrade("");
            MilvusUpgrade second = upgradeObject("second-upgrade", "");
            await("the webhook to admit a second upgrade (the policy reloaded)", () -> {
                try {
                    admin.resource(second).dryRun().create();
                    return true;
                } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
                    return false;
                }
            });
            admin.resource(second).create();
            controller("solo");
            awaitState("BackupMeta");
            await("the second to wait", () -> {
                UpgradeCondition progressing = condition(upgrade("second-upgrade"), "Progressing");
                return progressing != null && "WaitingForOtherUpgrade".equals(progressing.getReason());
            });
            assertThat(condition(upgrade("second-upgrade"), "Progressing").getMessage()).contains("MilvusUpgrade " + namespace + "/" + UPGRADE);
            assertThat(upgrade("second-upgrade").state()).isEmpty();

            kubelet.jobs((kind, attempt) -> Outcome.SUCCEED);
            awaitState("Succeeded");
            await("the second to run", () -> "Succeeded".equals(upgrade("second-upgrade").state()));
            assertThat(upgrade("second-upgrade").getStatus().getReplicasBeforeUprade()).as("recorded from a running Milvus, not zeros")
                    .containsEntry("proxy", 2).containsEntry("queryNode", 3);
        } finally {
            Files.writeString(policy, original);
        }
    }

    /** An upgrade in namespace ops of a Milvus in prod: the controller's own image changes pass the guard. */
    @Test
    void anUpgradeInAnotherNamespaceThanItsMilvusRunsToSucceeded() {
        String ops = namespace + "-ops";
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ops).endMetadata().build()).create();
        try (SimulatedKubelet opsKubelet = new SimulatedKubelet(admin, ops)) {
            createMilvus();
            MilvusUpgrade upgrade = Objects.upgrade("""
                    milvus:
                      name: my-release
                      namespace: %s
                    sourceVersion: "v2.1.4"
                    targetVersion: "v2.2.0"
                    """.formatted(namespace));
            upgrade.getMetadata().setNamespace(ops);
            admin.resource(upgrade).create();
            controller("solo");
            await("the upgrade in " + ops + " to succeed", () -> {
                MilvusUpgrade u = admin.resources(MilvusUpgrade.class).inNamespace(ops).withName(UPGRADE).get();
                return u != null && "Succeeded".equals(u.state());
            });
            assertThat(milvus().getSpec().getComponents().getImage()).isEqualTo("milvusdb/milvus:v2.2.0");
            assertThat(opsKubelet.jobsSeen()).contains("my-release-upgrade-backup-meta-0", "my-release-upgrade-update-meta-0");
        }
    }

    /**
     * Milvus Operator's own MilvusUpgrade reconciler got there first (its state, written before our
     * controller runs): ours says so in one condition and one Event and touches nothing else.
     */
    @Test
    void anUpgradeAnotherControllerStartedIsLeftToIt() {
        createMilvus();
        createUpgrade("");
        MilvusUpgrade theirs = upgrade();
        theirs.setStatus(new io.milvus.upgrade.api.v1beta1.MilvusUpgradeStatus());
        theirs.getStatus().setState("BackupMeta");
        theirs.getStatus().setReplicasBeforeUprade(java.util.Map.of("proxy", 2, "queryNode", 3));
        admin.resource(theirs).updateStatus();
        String milvusSpecBefore = io.milvus.upgrade.api.serialization.ApiSerialization.json().valueToTree(milvus().getSpec()).toString();

        controller("bystander");
        await("the ManagedByAnotherController condition", () -> condition(upgrade(), "ManagedByAnotherController") != null);

        MilvusUpgrade after = upgrade();
        UpgradeCondition said = condition(after, "ManagedByAnotherController");
        assertThat(said.getStatus()).isEqualTo("True");
        assertThat(said.getReason()).isEqualTo("StartedByAnotherController");
        assertThat(said.getMessage()).contains("'BackupMeta'", "--stop-reconcilers=milvusupgrade");
        assertThat(after.getStatus().getState()).isEqualTo("BackupMeta");
        assertThat(after.getStatus().getConditions()).extracting(UpgradeCondition::getType).containsExactly("ManagedByAnotherController");
        assertThat(after.getMetadata().getFinalizers()).doesNotContain(UpgradeReconciler.FINALIZER);
        assertThat(after.getMetadata().getAnnotations() == null ? java.util.Map.of() : after.getMetadata().getAnnotations())
                .doesNotContainKey("milvus.io/upgrade-record");
        await("its Event", () -> admin.v1().events().inNamespace(namespace).list().getItems().stream()
                .anyMatch(e -> "StartedByAnotherController".equals(e.getReason()) && "Warning".equals(e.getType())));
        assertThat(io.milvus.upgrade.api.serialization.ApiSerialization.json().valueToTree(milvus().getSpec()).toString())
                .isEqualTo(milvusSpecBefore);
        assertThat(jobNames()).isEmpty();
        assertThat(admin.configMaps().inNamespace(namespace).list().getItems())
                .noneMatch(c -> c.getMetadata().getName().startsWith(UPGRADE));
        assertThat(admin.persistentVolumeClaims().inNamespace(namespace).list().getItems()).isEmpty();
    }

    @Test
    void ofTwoControllersOnlyTheLeaderActsAndTheOtherTakesOverWhenItDies() {
        kubelet.jobs((kind, attempt) -> kind.equals("backup-meta") ? Outcome.RUN : Outcome.SUCCEED);
        createMilvus();
        createUpgrade("");
        ControllerProcess first = controller("first");
        await("the first to lead", () -> first.metrics().contains("milvus_upgrade_controller_leader 1.0"));
        ControllerProcess second = controller("second");
        awaitState("BackupMeta");
        await("the second to serve metrics", () -> !second.metrics().isEmpty());

        // The series exists from the start at 0 (ControllerMetrics), so no reconcile is a count of 0.
        assertThat(second.metrics()).contains("milvus_upgrade_controller_leader 0.0",
                "milvus_upgrade_controller_reconciles_total{result=\"success\"} 0.0");
        assertThat(admin.leases().inNamespace("milvus-upgrade-system").withName("milvus-upgrade-controller").get()
                .getSpec().getHolderIdentity()).isEqualTo("first");

        first.kill();
        kubelet.jobs((kind, attempt) -> Outcome.SUCCEED);
        awaitState("Succeeded");
        assertThat(second.metrics()).contains("milvus_upgrade_controller_leader 1.0");
        assertThat(jobNames()).containsExactlyInAnyOrder("my-release-upgrade-backup-meta-0", "my-release-upgrade-update-meta-0");
    }

    // --- helpers ---------------------------------------------------------------------------

    ControllerProcess controller(String identity) {
        ControllerProcess process = ControllerProcess.start(plane.controllerKubeconfig(), identity, logs);
        controllers.add(process);
        return process;
    }

    void createMilvus() {
        createMilvus("""
                mode: cluster
                components:
                  image: milvusdb/milvus:v2.1.4
                  proxy: {replicas: 2}
                  queryNode: {replicas: 3}
                dependencies:
                  etcd:
                    inCluster:
                      deletionPolicy: Delete
                config: {}
                """);
    }

    /** A cluster of eight Deployments (a grouped component's group Deployments stand in for its own), all ready. */
    void createMilvus(String spec) {
        Milvus milvus = Objects.milvus("my-release", spec);
        milvus.getMetadata().setNamespace(namespace);
        admin.resource(milvus).create();
        await("the Milvus Deployments to be ready", () -> admin.apps().deployments().inNamespace(namespace).list().getItems().size() == 8
                && admin.apps().deployments().inNamespace(namespace).list().getItems().stream()
                        .allMatch(d -> d.getStatus() != null && java.util.Objects.equals(d.getStatus().getReadyReplicas(), d.getSpec().getReplicas())));
    }

    void createUpgrade(String extraSpec) {
        createUpgrade(UPGRADE, extraSpec);
    }

    /** The guide's MilvusUpgrade as written; the mutating webhook fills in the defaults. */
    void createUpgrade(String name, String extraSpec) {
        admin.resource(upgradeObject(name, extraSpec)).create();
    }

    MilvusUpgrade upgradeObject(String name, String extraSpec) {
        MilvusUpgrade upgrade = Objects.upgrade("""
                milvus:
                  name: my-release
                sourceVersion: "v2.1.4"
                targetVersion: "v2.2.0"
                """ + extraSpec);
        upgrade.getMetadata().setNamespace(namespace);
        upgrade.getMetadata().setName(name);
        return upgrade;
    }

    void awaitState(String state) {
        await("state " + state, () -> {
            MilvusUpgrade upgrade = upgradeOrNull();
            return upgrade != null && upgrade.getStatus() != null && state.equals(upgrade.getStatus().getState());
        });
    }

    /** Waits for the state, then for its Event, which the controller records right after the status. */
    void awaitStateAndEvent(String state) {
        awaitState(state);
        await("the Event of state " + state, () -> {
            List<String> events = stateEvents();
            return !events.isEmpty() && events.getLast().equals(state);
        });
    }

    void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                MilvusUpgrade upgrade = upgradeOrNull();
                throw new AssertionError("timed out waiting for " + what + "; upgrade status: "
                        + (upgrade == null ? "gone" : io.milvus.upgrade.api.serialization.ApiSerialization.kubernetes().asJson(upgrade.getStatus()))
                        + "\nkubelet: " + kubelet.problems()
                        + "\ncontroller logs:\n" + controllers.stream().map(ControllerProcess::log).reduce("", String::concat));
            }
            pause();
        }
    }

    static void pause() {
        try {
            Thread.sleep(200); // polling interval of a deadline-bounded wait
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    MilvusUpgrade upgradeOrNull() {
        return admin.resources(MilvusUpgrade.class).inNamespace(namespace).withName(UPGRADE).get();
    }

    MilvusUpgrade upgrade(String name) {
        MilvusUpgrade upgrade = admin.resources(MilvusUpgrade.class).inNamespace(namespace).withName(name).get();
        assertThat(upgrade).isNotNull();
        return upgrade;
    }

    MilvusUpgrade upgrade() {
        MilvusUpgrade upgrade = upgradeOrNull();
        assertThat(upgrade).isNotNull();
        return upgrade;
    }

    Milvus milvus() {
        return admin.resources(Milvus.class).inNamespace(namespace).withName("my-release").get();
    }

    Job job(String name) {
        return admin.batch().v1().jobs().inNamespace(namespace).withName(name).get();
    }

    List<String> jobNames() {
        return admin.batch().v1().jobs().inNamespace(namespace).list().getItems().stream()
                .filter(j -> j.getMetadata().getDeletionTimestamp() == null)
                .map(j -> j.getMetadata().getName()).toList();
    }

    JsonNode migrationYaml(String configMap) {
        try {
            return new YAMLMapper().readTree(admin.configMaps().inNamespace(namespace).withName(configMap).get().getData().get("migration.yaml"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The state-change Events on the upgrade, oldest first: one per state entered. */
    List<String> stateEvents() {
        return admin.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> UPGRADE.equals(e.getInvolvedObject().getName()) && e.getMessage().contains(" -> "))
                .sorted(Comparator.comparing(Event::getFirstTimestamp).thenComparing(e -> e.getMetadata().getCreationTimestamp())
                        .thenComparing(e -> Long.parseLong(e.getMetadata().getResourceVersion())))
                .map(Event::getReason).toList();
    }

    static UpgradeCondition condition(MilvusUpgrade upgrade, String type) {
        return upgrade.getStatus() == null || upgrade.getStatus().getConditions() == null ? null
                : upgrade.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }
}
