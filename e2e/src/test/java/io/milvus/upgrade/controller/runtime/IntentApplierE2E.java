package io.milvus.upgrade.controller.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.MilvusUpgradeStatus;
import io.milvus.upgrade.controller.config.ControllerSettings;
import io.milvus.upgrade.controller.migration.MigrationConfig;
import io.milvus.upgrade.controller.migration.MigrationJobFactory;
import io.milvus.upgrade.controller.migration.TaskKind;
import io.milvus.upgrade.controller.milvus.RecordedImages;
import io.milvus.upgrade.controller.reconcile.Action;
import io.milvus.upgrade.controller.reconcile.Intent;
import io.milvus.upgrade.controller.reconcile.UpgradeEvent;
import io.milvus.upgrade.controller.reconcile.UpgradeReconciler;
import io.milvus.upgrade.controller.reconcile.UpgradeRecord;
import io.milvus.upgrade.localstack.LocalStack;
import io.milvus.upgrade.localstack.LocalStackExtension;
import io.milvus.upgrade.testing.Objects;
import io.milvus.upgrade.version.Version;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link IntentApplier} against a real kube-apiserver: what it writes, in which order, and what a stale intent does. */
@ExtendWith(LocalStackExtension.class)
class IntentApplierE2E {

    static final AtomicInteger NAMESPACES = new AtomicInteger();
    static KubernetesClient admin;
    String namespace;
    IntentApplier applier;
    final MigrationJobFactory factory = new MigrationJobFactory(ControllerSettings.defaults());

    @BeforeAll
    static void client(LocalStack stack) {
        admin = stack.client();
    }

    @BeforeEach
    void namespace() {
        namespace = "applier-" + NAMESPACES.incrementAndGet();
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        Milvus milvus = Objects.milvus("my-release", "components: {image: milvusdb/milvus:v2.1.4}");
        milvus.getMetadata().setNamespace(namespace);
        admin.resource(milvus).create();
        applier = new IntentApplier(admin);
    }

    MilvusUpgrade create(String name) {
        MilvusUpgrade upgrade = Objects.upgrade("milvus: {name: my-release}\nsourceVersion: v2.1.4\ntargetVersion: v2.2.0\n");
        upgrade.getMetadata().setNamespace(namespace);
        upgrade.getMetadata().setName(name);
        return admin.resource(upgrade).create();
    }

    MilvusUpgrade read(String name) {
        return admin.resources(MilvusUpgrade.class).inNamespace(namespace).withName(name).get();
    }

    static MilvusUpgradeStatus state(String state) {
        MilvusUpgradeStatus status = new MilvusUpgradeStatus();
        status.setState(state);
        return status;
    }

    static final UpgradeRecord RECORD = UpgradeRecord.EMPTY.withImages(new RecordedImages("milvusdb/milvus:v2.1.4", Map.of()));

    @Test
    void theRecordTheStatusTheActionsAndTheEventsAreAllWritten() throws Exception {
        MilvusUpgrade upgrade = create("my-release-upgrade");
        applier.apply(upgrade, new Intent(RECORD, state("OldVersionStopping"), List.of(new Action.AddFinalizer()),
                List.of(UpgradeEvent.normal("OldVersionStopping", "upgrading")), Optional.empty()));

        MilvusUpgrade stored = read("my-release-upgrade");
        assertThat(UpgradeRecord.of(stored)).isEqualTo(RECORD);
        assertThat(stored.state()).isEqualTo("OldVersionStopping");
        assertThat(stored.getMetadata().getFinalizers()).contains(UpgradeReconciler.FINALIZER);
        assertThat(admin.v1().events().inNamespace(namespace).list().getItems())
                .anyMatch(e -> e.getReason().equals("OldVersionStopping") && e.getInvolvedObject().getUid().equals(upgrade.getMetadata().getUid()));
    }

    @Test
    void aStaleIntentFailsAtItsFirstWriteBeforeItActs() {
        MilvusUpgrade seen = create("my-release-upgrade");
        admin.resources(MilvusUpgrade.class).inNamespace(namespace).withName("my-release-upgrade").edit(u -> {
            u.getMetadata().getLabels().put("touched", "by-someone");
            return u;
        });
        Intent intent = new Intent(RECORD, state("BackupMeta"), List.of(new Action.CreateBackupPvc(factory.backupPvc(seen, "my-release-upgrade"))),
                List.of(), Optional.empty());

        assertThatThrownBy(() -> applier.apply(seen, intent)).isInstanceOfSatisfying(KubernetesClientException.class,
                e -> assertThat(e.getCode()).isEqualTo(409));
        assertThat(read("my-release-upgrade").state()).isEmpty();
        assertThat(admin.persistentVolumeClaims().inNamespace(namespace).withName("my-release-upgrade").get()).isNull();
    }

    @Test
    void anUnreadableRecordIsLeftAsItIsForAPersonToRepair() {
        MilvusUpgrade upgrade = create("my-release-upgrade");
        MilvusUpgrade damaged = admin.resources(MilvusUpgrade.class).inNamespace(namespace).withName("my-release-upgrade").edit(u -> {
            u.getMetadata().getAnnotations().put(UpgradeRecord.ANNOTATION, "{damaged");
            return u;
        });
        applier.apply(damaged, new Intent(RECORD, state(""), List.of(), List.of(), Optional.empty()).keepingStoredRecord());
        assertThat(read("my-release-upgrade").getMetadata().getAnnotations()).containsEntry(UpgradeRecord.ANNOTATION, "{damaged");
        assertThat(upgrade.getMetadata().getUid()).isEqualTo(read("my-release-upgrade").getMetadata().getUid());
    }

    @Test
    void creatingWhatExistsAndDeletingWhatIsGoneCountAsDone() throws Exception {
        MilvusUpgrade upgrade = create("my-release-upgrade");
        var config = MigrationConfig.of(TaskKind.BACKUP, Version.of("2.1.4"), Version.of("2.2.0"), Objects.milvus("my-release", ""));
        Action run = new Action.RunTask(factory.configMap(upgrade, TaskKind.BACKUP, config),
                factory.job(upgrade, TaskKind.BACKUP, 0, "milvusdb/meta-migration:v2.2.0", "my-release-upgrade"));
        Intent twice = new Intent(null, null, List.of(run, run, new Action.CreateBackupPvc(factory.backupPvc(upgrade, "my-release-upgrade"))),
                List.of(), Optional.empty());
        applier.apply(upgrade, twice);
        applier.apply(upgrade, twice);
        assertThat(admin.batch().v1().jobs().inNamespace(namespace).list().getItems()).hasSize(1);

        Intent cleanUp = new Intent(null, null, List.of(new Action.DeleteJob("my-release-upgrade-backup-meta-0"),
                new Action.DeleteConfigMap("my-release-upgrade-backup-meta-config"), new Action.DeleteBackupPvc("my-release-upgrade")),
                List.of(), Optional.empty());
        applier.apply(upgrade, cleanUp);
        applier.apply(upgrade, cleanUp);
        assertThat(admin.configMaps().inNamespace(namespace).withName("my-release-upgrade-backup-meta-config").get()).isNull();
        var pvc = admin.persistentVolumeClaims().inNamespace(namespace).withName("my-release-upgrade").get();
        assertThat(pvc == null || pvc.getMetadata().getDeletionTimestamp() != null).isTrue();
    }

    /** Item 10 of issue 14: an upgrade name of 253 characters still gets its ConfigMaps and Events. */
    @Test
    void theLongestUpgradeNameStillGetsItsConfigMapAndEvents() throws Exception {
        String name = "u" + "-x".repeat(126);
        assertThat(name).hasSize(253);
        MilvusUpgrade upgrade = create(name);
        var config = MigrationConfig.of(TaskKind.ROLLBACK, Version.of("2.1.4"), Version.of("2.2.0"), Objects.milvus("my-release", ""));
        applier.apply(upgrade, new Intent(null, null, List.of(new Action.RunTask(factory.configMap(upgrade, TaskKind.ROLLBACK, config),
                factory.job(upgrade, TaskKind.ROLLBACK, 0, "milvusdb/meta-migration:v2.2.0", name))), List.of(), Optional.empty()));
        applier.record(upgrade, UpgradeEvent.normal("Probe", "a long name"));

        assertThat(admin.configMaps().inNamespace(namespace).withLabel(MigrationJobFactory.LABEL_UPGRADE_UID, upgrade.getMetadata().getUid())
                .list().getItems()).hasSize(1);
        assertThat(admin.v1().events().inNamespace(namespace).list().getItems()).anyMatch(e -> e.getReason().equals("Probe"));
    }
}
