package io.milvus.upgrade.controller.migration;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.milvus.upgrade.api.v1beta1.EtcdDependency;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.version.Version;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The meta-migration tool's {@code migration.yaml}: what to do, between which versions, and
 * where the metadata lives. All etcd endpoints go into one list (the reference writes one
 * {@code endpoints:} key per endpoint, so only the last one survives parsing).
 */
public record MigrationConfig(
        String command,
        String sourceVersion,
        String targetVersion,
        List<String> etcdEndpoints,
        String rootPath,
        String metaSubPath,
        String kvSubPath) {

    public static final String FILE_NAME = "migration.yaml";
    public static final String BACKUP_FILE = "/milvus/data/migration.bak";
    static final int IN_CLUSTER_ETCD_PORT = 2379;

    private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .build());

    public MigrationConfig {
        etcdEndpoints = List.copyOf(etcdEndpoints);
    }

    /**
     * The configuration for {@code kind} on {@code milvus}: its etcd endpoints (the given ones, or
     * the operator's in-cluster etcd service), and the paths of its {@code spec.config.etcd}.
     */
    public static MigrationConfig of(TaskKind kind, Version source, Version target, Milvus milvus) throws MissingEtcdException {
        Map<?, ?> etcdConfig = etcdConfig(milvus);
        return new MigrationConfig(kind.command(), source.toString(), target.toString(), etcdEndpoints(milvus),
                stringOr(etcdConfig, "rootPath", milvus.getMetadata().getName()),
                stringOr(etcdConfig, "metaSubPath", "meta"),
                stringOr(etcdConfig, "kvSubPath", "kv"));
    }

    public String toYaml() {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("cmd", Map.of("type", command));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("sourceVersion", sourceVersion);
        config.put("targetVersion", targetVersion);
        config.put("backupFilePath", BACKUP_FILE);
        document.put("config", config);
        document.put("metastore", Map.of("type", "etcd"));
        Map<String, Object> etcd = new LinkedHashMap<>();
        etcd.put("endpoints", etcdEndpoints);
        etcd.put("rootPath", rootPath);
        etcd.put("metaSubPath", metaSubPath);
        etcd.put("kvSubPath", kvSubPath);
        document.put("etcd", etcd);
        try {
            return YAML.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("maps of strings always serialize", e);
        }
    }

    /** The given endpoints; for the operator's in-cluster etcd, its service, as the reference's defaulting writes it. */
    static List<String> etcdEndpoints(Milvus milvus) throws MissingEtcdException {
        EtcdDependency etcd = milvus.getSpec() == null || milvus.getSpec().getDependencies() == null
                ? null : milvus.getSpec().getDependencies().getEtcd();
        List<String> given = etcd == null || etcd.getEndpoints() == null ? List.of()
                : etcd.getEndpoints().stream().filter(e -> e != null && !e.isBlank()).toList();
        if (!given.isEmpty()) {
            return given;
        }
        String name = milvus.getMetadata().getName();
        if (etcd != null && Boolean.TRUE.equals(etcd.getExternal())) {
            throw new MissingEtcdException("Milvus " + milvus.getMetadata().getNamespace() + "/" + name
                    + " uses an external etcd but spec.dependencies.etcd.endpoints is empty: the migration cannot reach its metadata");
        }
        return List.of(name + "-etcd." + milvus.getMetadata().getNamespace() + ":" + IN_CLUSTER_ETCD_PORT);
    }

    private static Map<?, ?> etcdConfig(Milvus milvus) {
        Map<String, Object> config = milvus.getSpec() == null ? null : milvus.getSpec().getConfig();
        return config != null && config.get("etcd") instanceof Map<?, ?> etcd ? etcd : Map.of();
    }

    private static String stringOr(Map<?, ?> values, String key, String fallback) {
        Object value = values.get(key);
        return value == null || value.toString().isBlank() ? fallback : value.toString();
    }

    /** The Milvus names no etcd the tool could reach. */
    public static final class MissingEtcdException extends Exception {
        public MissingEtcdException(String message) {
            super(message);
        }
    }
}
