package io.milvus.upgrade.api.v1beta1;

import io.milvus.upgrade.api.PreservesUnknownFields;

/** One component: an image that overrides the global one, and its replicas; the rest is kept. */
public class MilvusComponent extends PreservesUnknownFields {

    private String image;
    private Integer replicas;

    public String getImage() { return image; }
    public void setImage(String image) { this.image = image; }
    public Integer getReplicas() { return replicas; }
    public void setReplicas(Integer replicas) { this.replicas = replicas; }
}
