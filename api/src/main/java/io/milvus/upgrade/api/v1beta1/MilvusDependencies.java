package io.milvus.upgrade.api.v1beta1;

import io.milvus.upgrade.api.PreservesUnknownFields;

public class MilvusDependencies extends PreservesUnknownFields {

    private EtcdDependency etcd;
    /** {@code rocksmq}, {@code pulsar}, {@code kafka}, {@code natsmq}, {@code woodpecker}; the rest of the queue settings is kept untyped. */
    private String msgStreamType;

    public EtcdDependency getEtcd() { return etcd; }
    public void setEtcd(EtcdDependency etcd) { this.etcd = etcd; }
    public String getMsgStreamType() { return msgStreamType; }
    public void setMsgStreamType(String msgStreamType) { this.msgStreamType = msgStreamType; }
}
