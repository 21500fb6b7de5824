package io.milvus.upgrade.api.v1beta1;

import io.milvus.upgrade.api.PreservesUnknownFields;

/** The Milvus a MilvusUpgrade acts on; the namespace defaults to the MilvusUpgrade's own. */
public class MilvusReference extends PreservesUnknownFields {

    private String namespace;
    private String name;

    public MilvusReference() {
    }

    public MilvusReference(String namespace, String name) {
        this.namespace = namespace;
        this.name = name;
    }

    public String getNamespace() { return namespace; }
    public void setNamespace(String namespace) { this.namespace = namespace; }
    public String getName() { return name; }
    public void setName(String name) { this.name = name; }
}
