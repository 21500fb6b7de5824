package io.milvus.upgrade.api.v1beta1;

import io.milvus.upgrade.api.PreservesUnknownFields;

/** The operator's view of one component's Deployment; only the image it runs is typed. */
public class ComponentDeployStatus extends PreservesUnknownFields {

    private String image;

    public String getImage() { return image; }
    public void setImage(String image) { this.image = image; }
}
