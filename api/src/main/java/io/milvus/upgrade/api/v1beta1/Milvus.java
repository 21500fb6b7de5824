package io.milvus.upgrade.api.v1beta1;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** The Milvus resource, storage (hub) version. Only what upgrades need is typed; the rest is kept. */
@Group("milvus.io")
@Version(value = "v1beta1", storage = true)
@Kind("Milvus")
@Plural("milvuses")
@Singular("milvus")
public class Milvus extends CustomResource<MilvusSpec, MilvusStatus> implements Namespaced {
}
