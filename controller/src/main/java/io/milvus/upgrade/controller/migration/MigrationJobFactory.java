package io.milvus.upgrade.controller.migration;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.controller.config.ControllerSettings;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The objects an upgrade creates: per step a ConfigMap holding {@code migration.yaml} and a Job
 * running the meta-migration tool on it, and the backup PVC when the spec names none.
 *
 * <p>Jobs have {@code backoffLimit: 0}: the controller counts attempts itself against
 * {@code maxRetry}, one Job per attempt, so that the count survives a restart.
 *
 * <p>None of them carries an owner reference: a foreground deletion of the MilvusUpgrade
 * ({@code kubectl delete --cascade=foreground}, Argo CD's prune) would have the garbage collector
 * delete the backup and the Jobs while the finalizer still holds the upgrade for its rollback.
 * They are found by the {@link #LABEL_UPGRADE_UID} label instead, and the controller deletes them
 * itself just before it releases the finalizer.
 */
public final class MigrationJobFactory {

    // Not milvus.io/upgrade and milvus.io/task-kind: Milvus Operator's own MilvusUpgrade reconciler
    // finds its task pods by exactly those two labels, and would take our Jobs' pods for its own.
    public static final String LABEL_UPGRADE = "milvus-upgrade.io/upgrade";
    /** The creating MilvusUpgrade's uid: a re-created upgrade of the same name owns none of its predecessor's objects. */
    public static final String LABEL_UPGRADE_UID = "milvus-upgrade.io/upgrade-uid";
    public static final String LABEL_TASK_KIND = "milvus-upgrade.io/task-kind";
    public static final String LABEL_ATTEMPT = "milvus-upgrade.io/attempt";
    public static final String LABEL_MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "milvus-upgrade-controller";

    public static final String TOOL = "/milvus/bin/meta-migration";
    public static final String CONFIG_DIR = "/milvus/configs";
    public static final String DATA_DIR = "/milvus/data";
    static final String BACKUP_VOLUME = "backup";
    static final String CONFIG_VOLUME = "config";

    private final ControllerSettings settings;

    public MigrationJobFactory(ControllerSettings settings) {
        this.settings = settings;
    }

    public ConfigMap configMap(MilvusUpgrade owner, TaskKind kind, MigrationConfig config) {
        return new ConfigMapBuilder()
                .withMetadata(metadata(owner, ChildNames.configMap(owner.getMetadata().getName(), kind), taskLabels(owner, kind)))
                .withData(Map.of(MigrationConfig.FILE_NAME, config.toYaml()))
                .build();
    }

    /** Attempt {@code attempt} (0 first) of {@code kind}, with {@code toolImage}, on the backup PVC {@code backupPvc}. */
    public Job job(MilvusUpgrade owner, TaskKind kind, int attempt, String toolImage, String backupPvc) {
        String upgrade = owner.getMetadata().getName();
        Map<String, String> labels = taskLabels(owner, kind);
        labels.put(LABEL_ATTEMPT, Integer.toString(attempt));
        return new JobBuilder()
                .withMetadata(metadata(owner, ChildNames.job(upgrade, kind, attempt), labels))
                .withNewSpec()
                    .withBackoffLimit(0)
                    .withActiveDeadlineSeconds(settings.jobDeadline().toSeconds())
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).endMetadata()
                        .withNewSpec()
                            .withRestartPolicy("Never")
                            .addNewContainer()
                                .withName(kind.label())
                                .withImage(toolImage)
                                .withCommand(TOOL)
                                .withArgs("-config", CONFIG_DIR + "/" + MigrationConfig.FILE_NAME)
                                .addNewVolumeMount().withName(BACKUP_VOLUME).withMountPath(DATA_DIR).endVolumeMount()
                                .addNewVolumeMount()
                                    .withName(CONFIG_VOLUME)
                                    .withMountPath(CONFIG_DIR + "/" + MigrationConfig.FILE_NAME)
                                    .withSubPath(MigrationConfig.FILE_NAME)
                                .endVolumeMount()
                            .endContainer()
                            .addNewVolume().withName(BACKUP_VOLUME)
                                .withNewPersistentVolumeClaim().withClaimName(backupPvc).endPersistentVolumeClaim()
                            .endVolume()
                            .addNewVolume().withName(CONFIG_VOLUME)
                                .withNewConfigMap().withName(ChildNames.configMap(upgrade, kind)).endConfigMap()
                            .endVolume()
                        .endSpec()
                    .endTemplate()
                .endSpec()
                .build();
    }

    /** The backup PVC named after the upgrade: ReadWriteOnce, the configured size and storage class. */
    public PersistentVolumeClaim backupPvc(MilvusUpgrade owner, String name) {
        return new PersistentVolumeClaimBuilder()
                .withMetadata(metadata(owner, name, ownLabels(owner)))
                .withNewSpec()
                    .withAccessModes("ReadWriteOnce")
                    .withStorageClassName(settings.storageClass())
                    .withNewResources().addToRequests("storage", new Quantity(settings.backupSize())).endResources()
                .endSpec()
                .build();
    }

    /** Whether {@code object} was created by {@code upgrade} (this very one, not an earlier one of the same name). */
    public static boolean createdBy(HasMetadata object, MilvusUpgrade upgrade) {
        Map<String, String> labels = object.getMetadata().getLabels();
        String uid = upgrade.getMetadata().getUid();
        return labels != null && uid != null && uid.equals(labels.get(LABEL_UPGRADE_UID));
    }

    private static Map<String, String> ownLabels(MilvusUpgrade owner) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_UPGRADE, ChildNames.label(owner.getMetadata().getName()));
        labels.put(LABEL_UPGRADE_UID, owner.getMetadata().getUid());
        labels.put(LABEL_MANAGED_BY, MANAGER);
        return labels;
    }

    private static Map<String, String> taskLabels(MilvusUpgrade owner, TaskKind kind) {
        Map<String, String> labels = ownLabels(owner);
        labels.put(LABEL_TASK_KIND, kind.label());
        return labels;
    }

    private static ObjectMeta metadata(MilvusUpgrade owner, String name, Map<String, String> labels) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(owner.getMetadata().getNamespace())
                .withLabels(new LinkedHashMap<>(labels))
                .build();
    }
}
