package io.milvus.upgrade.api.v1beta1;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** Upgrades one Milvus across a metadata migration: stop, back up, migrate, start, roll back. */
@Group("milvus.io")
@Version("v1beta1")
@Kind("MilvusUpgrade")
@Plural("milvusupgrades")
@Singular("milvusupgrade")
@ShortNames("mup")
public class MilvusUpgrade extends CustomResource<MilvusUpgradeSpec, MilvusUpgradeStatus> implements Namespaced {
}
