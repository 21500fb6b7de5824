package io.milvus.upgrade.api.v1beta1;

import io.milvus.upgrade.api.PreservesUnknownFields;

public class MilvusDependencies extends PreservesUnknownFields {

    private EtcdDependency etcd;

    public EtcdDependency getEtcd() { return etcd; }
    public void setEtcd(EtcdDependency etcd) { this.etcd = etcd; }
}
