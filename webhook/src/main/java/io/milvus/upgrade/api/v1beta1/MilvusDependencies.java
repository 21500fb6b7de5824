package io.milvus.upgrade.api.v1beta1;

import io.milvus.upgrade.api.Extensible;

public class MilvusDependencies extends Extensible {

    private EtcdDependency etcd;

    public EtcdDependency getEtcd() { return etcd; }
    public void setEtcd(EtcdDependency etcd) { this.etcd = etcd; }
}
