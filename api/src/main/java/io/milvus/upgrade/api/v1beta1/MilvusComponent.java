package io.milvus.upgrade.api.v1beta1;

import io.milvus.upgrade.api.PreservesUnknownFields;
import java.util.List;

/**
 * One component: an image that overrides the global one, its replicas, and (queryNode, dataNode,
 * proxy, streamingNode; operator 1.3.8) its deployment groups; the rest is kept.
 */
public class MilvusComponent extends PreservesUnknownFields {

    private String image;
    private Integer replicas;
    private List<DeploymentGroup> groups;

    public List<DeploymentGroup> getGroups() { return groups; }
    public void setGroups(List<DeploymentGroup> groups) { this.groups = groups; }

    public String getImage() { return image; }
    public void setImage(String image) { this.image = image; }
    public Integer getReplicas() { return replicas; }
    public void setReplicas(Integer replicas) { this.replicas = replicas; }
}
