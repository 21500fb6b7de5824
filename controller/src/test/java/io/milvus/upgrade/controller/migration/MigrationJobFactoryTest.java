package io.milvus.upgrade.controller.migration;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.controller.config.ControllerSettings;
import io.milvus.upgrade.testing.Objects;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class MigrationJobFactoryTest {

    static final ControllerSettings SETTINGS = ControllerSettings.defaults().withStorageClass("fast");
    final MigrationJobFactory factory = new MigrationJobFactory(SETTINGS);

    static MilvusUpgrade owner() {
        MilvusUpgrade upgrade = Objects.upgrade("milvus: {name: my-release}");
        upgrade.getMetadata().setUid("uid-7");
        return upgrade;
    }

    @Test
    void theJobRunsTheToolOnceWithItsConfigAndTheBackupVolume() {
        Job job = factory.job(owner(), TaskKind.UPDATE, 2, "milvusdb/meta-migration:v2.2.0", "backup-pvc");

        assertThat(job.getMetadata().getName()).isEqualTo("my-release-upgrade-update-meta-2");
        assertThat(job.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(job.getMetadata().getLabels()).containsEntry("milvus-upgrade.io/upgrade", "my-release-upgrade")
                .containsEntry("milvus-upgrade.io/task-kind", "update-meta").containsEntry("milvus-upgrade.io/attempt", "2");
        // Found by its creator's uid; no owner reference a foreground deletion would follow while the rollback needs it.
        assertThat(job.getMetadata().getLabels()).containsEntry("milvus-upgrade.io/upgrade-uid", "uid-7");
        assertThat(job.getMetadata().getOwnerReferences()).isEmpty();
        assertThat(MigrationJobFactory.createdBy(job, owner())).isTrue();
        assertThat(job.getSpec().getBackoffLimit()).isZero();
        assertThat(job.getSpec().getActiveDeadlineSeconds()).isEqualTo(Duration.ofHours(1).toSeconds());
        var pod = job.getSpec().getTemplate().getSpec();
        assertThat(pod.getRestartPolicy()).isEqualTo("Never");
        var container = pod.getContainers().get(0);
        assertThat(container.getImage()).isEqualTo("milvusdb/meta-migration:v2.2.0");
        assertThat(container.getCommand()).containsExactly("/milvus/bin/meta-migration");
        assertThat(container.getArgs()).containsExactly("-config", "/milvus/configs/migration.yaml");
        assertThat(container.getVolumeMounts()).extracting(VolumeMount::getMountPath, VolumeMount::getSubPath)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("/milvus/data", null),
                        org.assertj.core.groups.Tuple.tuple("/milvus/configs/migration.yaml", "migration.yaml"));
        assertThat(pod.getVolumes()).extracting(v -> v.getPersistentVolumeClaim() == null ? null : v.getPersistentVolumeClaim().getClaimName())
                .containsExactly("backup-pvc", null);
        assertThat(pod.getVolumes()).extracting(Volume::getConfigMap).last()
                .satisfies(cm -> assertThat(cm.getName()).isEqualTo("my-release-upgrade-update-meta-config"));
    }

    /** The operator's reconciler lists its task pods by milvus.io/upgrade + milvus.io/task-kind, and names its ConfigMaps <upgrade>-<kind>. */
    @Test
    void nothingOfOursMatchesWhatTheOperatorsReconcilerLooksFor() throws Exception {
        for (TaskKind kind : TaskKind.values()) {
            Job job = factory.job(owner(), kind, 0, "milvusdb/meta-migration:v2.2.0", "backup-pvc");
            var config = MigrationConfig.of(kind, io.milvus.upgrade.version.Version.of("2.1.4"),
                    io.milvus.upgrade.version.Version.of("2.2.0"), Objects.milvus("my-release", ""));
            var configMap = factory.configMap(owner(), kind, config);
            for (var labels : java.util.List.of(job.getMetadata().getLabels(), job.getSpec().getTemplate().getMetadata().getLabels(),
                    configMap.getMetadata().getLabels())) {
                assertThat(labels).doesNotContainKeys("milvus.io/upgrade", "milvus.io/task-kind");
            }
            assertThat(configMap.getMetadata().getName()).isNotEqualTo("my-release-upgrade-" + kind.label());
            assertThat(job.getMetadata().getName()).isNotEqualTo("my-release-upgrade-" + kind.label());
        }
    }

    @Test
    void theConfigMapHoldsMigrationYamlUnderTheStepsName() throws Exception {
        var config = MigrationConfig.of(TaskKind.BACKUP, io.milvus.upgrade.version.Version.of("2.1.4"),
                io.milvus.upgrade.version.Version.of("2.2.0"), Objects.milvus("my-release", ""));
        var configMap = factory.configMap(owner(), TaskKind.BACKUP, config);
        assertThat(configMap.getMetadata().getName()).isEqualTo("my-release-upgrade-backup-meta-config");
        assertThat(configMap.getMetadata().getLabels()).containsEntry("milvus-upgrade.io/task-kind", "backup-meta");
        assertThat(configMap.getData()).containsOnlyKeys("migration.yaml").containsValue(config.toYaml());
    }

    @Test
    void theBackupPvcIsReadWriteOnceTenGibInTheConfiguredClass() {
        PersistentVolumeClaim pvc = factory.backupPvc(owner(), "my-release-upgrade");
        assertThat(pvc.getSpec().getAccessModes()).containsExactly("ReadWriteOnce");
        assertThat(pvc.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("10Gi");
        assertThat(pvc.getSpec().getStorageClassName()).isEqualTo("fast");
        assertThat(pvc.getMetadata().getOwnerReferences()).isEmpty();
        assertThat(MigrationJobFactory.createdBy(pvc, owner())).isTrue();
        MilvusUpgrade recreated = owner();
        recreated.getMetadata().setUid("uid-8");
        assertThat(MigrationJobFactory.createdBy(pvc, recreated)).as("a re-created upgrade of the same name").isFalse();
        assertThat(new MigrationJobFactory(ControllerSettings.defaults()).backupPvc(owner(), "x").getSpec().getStorageClassName()).isNull();
    }

    @Test
    void longUpgradeNamesStillGiveValidJobNamesAndLabels() {
        String name = "a".repeat(120);
        String job = ChildNames.job(name, TaskKind.ROLLBACK, 10);
        assertThat(job).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        assertThat(ChildNames.job(name + "b", TaskKind.ROLLBACK, 10)).isNotEqualTo(job);
        assertThat(ChildNames.label(name)).hasSizeLessThanOrEqualTo(63);
        assertThat(ChildNames.label("short")).isEqualTo("short");
    }
}
