package io.milvus.upgrade.api.v1beta1;

import io.milvus.upgrade.api.PreservesUnknownFields;
import java.util.List;

/** External ({@code external: true}, endpoints given) or in-cluster (the operator's own etcd). */
public class EtcdDependency extends PreservesUnknownFields {

    private List<String> endpoints;
    private Boolean external;

    public List<String> getEndpoints() { return endpoints; }
    public void setEndpoints(List<String> endpoints) { this.endpoints = endpoints; }
    public Boolean getExternal() { return external; }
    public void setExternal(Boolean external) { this.external = external; }
}
