package io.milvus.upgrade.api.v1beta1;

import io.milvus.upgrade.api.PreservesUnknownFields;

/**
 * One deployment group of a component (Milvus Operator 1.3.8, {@code DeploymentGroup} in
 * apis/milvus.io/v1beta1/components_types.go): its own Deployment,
 * {@code <milvus>-milvus-<component>-<name>}, labelled {@code milvus.io/deployment-group=<name>}
 * beside the component's labels, running the component's image. {@code replicas} -1 leaves the
 * count to an HPA. Labels, env, affinity and the rest are kept untyped.
 */
public class DeploymentGroup extends PreservesUnknownFields {

    /** The replicas value that hands the count to an HPA. */
    public static final int HPA_MANAGED = -1;

    private String name;
    private Integer replicas;

    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
    public Integer getReplicas() { return replicas; }
    public void setReplicas(Integer replicas) { this.replicas = replicas; }
}
