package io.milvus.upgrade.api.v1beta1;

import io.milvus.upgrade.api.PreservesUnknownFields;
import java.util.List;
import java.util.Map;

/**
 * What the operator reports: {@code status} is Healthy, Unhealthy, Pending or Deleting. Newer
 * operators also publish the image that runs: {@code currentImage} once a rollout finished, and
 * per component the image of its Deployment.
 */
public class MilvusStatus extends PreservesUnknownFields {

    public static final String HEALTHY = "Healthy";

    private String status;
    private List<Map<String, Object>> conditions;
    private String currentImage;
    private Map<String, ComponentDeployStatus> componentsDeployStatus;
    /** Per component (lowercase) and group name, as componentsDeployStatus (operator 1.3.8). */
    private Map<String, Map<String, ComponentDeployStatus>> deploymentGroupsDeployStatus;

    public Map<String, Map<String, ComponentDeployStatus>> getDeploymentGroupsDeployStatus() { return deploymentGroupsDeployStatus; }
    public void setDeploymentGroupsDeployStatus(Map<String, Map<String, ComponentDeployStatus>> status) { this.deploymentGroupsDeployStatus = status; }

    public String getStatus() { return status; }
    public void setStatus(String status) { this.status = status; }
    public List<Map<String, Object>> getConditions() { return conditions; }
    public void setConditions(List<Map<String, Object>> conditions) { this.conditions = conditions; }
    public String getCurrentImage() { return currentImage; }
    public void setCurrentImage(String currentImage) { this.currentImage = currentImage; }
    public Map<String, ComponentDeployStatus> getComponentsDeployStatus() { return componentsDeployStatus; }
    public void setComponentsDeployStatus(Map<String, ComponentDeployStatus> status) { this.componentsDeployStatus = status; }
}
