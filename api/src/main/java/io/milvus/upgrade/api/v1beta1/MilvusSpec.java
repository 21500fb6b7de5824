package io.milvus.upgrade.api.v1beta1;

import io.milvus.upgrade.api.PreservesUnknownFields;
import java.util.Map;

public class MilvusSpec extends PreservesUnknownFields {

    public static final String MODE_STANDALONE = "standalone";
    public static final String MODE_CLUSTER = "cluster";

    private String mode;
    private MilvusComponents components;
    private MilvusDependencies dependencies;
    /** Milvus's own configuration (milvus.yaml overrides); {@code etcd.rootPath} et al. live here. */
    private Map<String, Object> config;

    public String getMode() { return mode; }
    public void setMode(String mode) { this.mode = mode; }
    public MilvusComponents getComponents() { return components; }
    public void setComponents(MilvusComponents components) { this.components = components; }
    public MilvusDependencies getDependencies() { return dependencies; }
    public void setDependencies(MilvusDependencies dependencies) { this.dependencies = dependencies; }
    public Map<String, Object> getConfig() { return config; }
    public void setConfig(Map<String, Object> config) { this.config = config; }
}
