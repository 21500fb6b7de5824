package io.milvus.upgrade.testing;

import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.cluster.Lookup;
import java.util.ArrayList;
import java.util.List;

/** An in-memory cluster for rule tests; {@link #unavailable} makes every lookup fail. */
public final class FakeCluster implements ClusterLookup {

    private final List<Milvus> milvuses = new ArrayList<>();
    private final List<MilvusUpgrade> upgrades = new ArrayList<>();
    private String unavailable;

    public FakeCluster with(Milvus milvus) {
        milvuses.add(milvus);
        return this;
    }

    public FakeCluster with(MilvusUpgrade upgrade) {
        upgrades.add(upgrade);
        return this;
    }

    public FakeCluster unavailable(String reason) {
        this.unavailable = reason;
        return this;
    }

    @Override
    public Lookup<Milvus> milvus(String namespace, String name) {
        if (unavailable != null) return new Lookup.Unavailable<>(unavailable);
        return milvuses.stream()
                .filter(m -> m.getMetadata().getNamespace().equals(namespace) && m.getMetadata().getName().equals(name))
                .findFirst().<Lookup<Milvus>>map(Lookup.Found::new).orElse(new Lookup.NotFound<>());
    }

    @Override
    public Lookup<List<MilvusUpgrade>> upgradesOf(String namespace, String milvusName) {
        if (unavailable != null) return new Lookup.Unavailable<>(unavailable);
        return new Lookup.Found<>(upgrades.stream()
                .filter(u -> u.targets(namespace, milvusName)) // in every namespace, as the apiserver lists them
                .toList());
    }
}
