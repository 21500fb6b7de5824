package io.milvus.upgrade.api.v1alpha1;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.milvus.upgrade.api.v1beta1.MilvusStatus;

/** The old standalone-only shape, still served; converted to and from the v1beta1 hub. */
@Group("milvus.io")
@Version(value = "v1alpha1", storage = false)
@Kind("Milvus")
@Plural("milvuses")
@Singular("milvus")
public class Milvus extends CustomResource<MilvusSpec, MilvusStatus> implements Namespaced {
}
