package io.milvus.upgrade.controller.migration;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
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
 * The objects an upgrade owns: per step a ConfigMap holding {@code migration.yaml} and a Job
 * running the meta-migration tool on it, and the backup PVC when the spec names none.
 *
 * <p>Jobs have {@code backoffLimit: 0}: the controller counts attempts itself against
 * {@code maxRetry}, one Job per attempt, so that the count survives a restart.
 */
public final class MigrationJobFactory {

    public static final String LABEL_UPGRADE = "milvus.io/upgrade";
    public static final String LABEL_TASK_KIND = "milvus.io/task-kind";
    public static final String LABEL_ATTEMPT = "milvus.io/attempt";
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
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_UPGRADE, ChildNames.label(owner.getMetadata().getName()));
        labels.put(LABEL_MANAGED_BY, MANAGER);
        return new PersistentVolumeClaimBuilder()
                .withMetadata(metadata(owner, name, labels))
                .withNewSpec()
                    .withAccessModes("ReadWriteOnce")
                    .withStorageClassName(settings.storageClass())
                    .withNewResources().addToRequests("storage", new Quantity(settings.backupSize())).endResources()
                .endSpec()
                .build();
    }

    /** Owned objects go when the MilvusUpgrade goes; the finalizer decides when that may happen. */
    public static OwnerReference ownerReference(MilvusUpgrade owner) {
        return new OwnerReferenceBuilder()
                .withApiVersion(owner.getApiVersion() == null ? "milvus.io/v1beta1" : owner.getApiVersion())
                .withKind("MilvusUpgrade")
                .withName(owner.getMetadata().getName())
                .withUid(owner.getMetadata().getUid())
                .withController(true)
                .withBlockOwnerDeletion(true)
                .build();
    }

    private static Map<String, String> taskLabels(MilvusUpgrade owner, TaskKind kind) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(LABEL_UPGRADE, ChildNames.label(owner.getMetadata().getName()));
        labels.put(LABEL_TASK_KIND, kind.label());
        labels.put(LABEL_MANAGED_BY, MANAGER);
        return labels;
    }

    private static ObjectMeta metadata(MilvusUpgrade owner, String name, Map<String, String> labels) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(owner.getMetadata().getNamespace())
                .withLabels(new LinkedHashMap<>(labels))
                .withOwnerReferences(ownerReference(owner))
                .build();
    }
}
