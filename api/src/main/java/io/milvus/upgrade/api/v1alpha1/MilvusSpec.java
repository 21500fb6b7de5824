package io.milvus.upgrade.api.v1alpha1;

import io.milvus.upgrade.api.PreservesUnknownFields;
import java.util.Map;

/**
 * The standalone's component fields sit at the top level (image, replicas, resources, env,
 * serviceType, ...), beside {@code dependencies}, {@code config}, {@code persistence} (rocksmq's)
 * and {@code disableMetric}. The component fields this project does not need stay untyped.
 */
public class MilvusSpec extends PreservesUnknownFields {

    private String image;
    private Integer replicas;
    private Map<String, Object> dependencies;
    private Map<String, Object> config;
    private Map<String, Object> persistence;
    private Boolean disableMetric;

    public String getImage() { return image; }
    public void setImage(String image) { this.image = image; }
    public Integer getReplicas() { return replicas; }
    public void setReplicas(Integer replicas) { this.replicas = replicas; }
    public Map<String, Object> getDependencies() { return dependencies; }
    public void setDependencies(Map<String, Object> dependencies) { this.dependencies = dependencies; }
    public Map<String, Object> getConfig() { return config; }
    public void setConfig(Map<String, Object> config) { this.config = config; }
    public Map<String, Object> getPersistence() { return persistence; }
    public void setPersistence(Map<String, Object> persistence) { this.persistence = persistence; }
    public Boolean getDisableMetric() { return disableMetric; }
    public void setDisableMetric(Boolean disableMetric) { this.disableMetric = disableMetric; }
}
