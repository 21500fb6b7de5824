package io.milvus.upgrade.cluster;

import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import java.util.List;

/**
 * What admission reads from the cluster. Every answer is bounded in time: a slow or unreachable
 * apiserver yields {@link Lookup.Unavailable}, and the caller allows with a warning rather than
 * failing the review.
 */
public interface ClusterLookup {

    Lookup<Milvus> milvus(String namespace, String name);

    /** Every MilvusUpgrade, in any namespace, whose {@code spec.milvus} names this Milvus, finished or not. */
    Lookup<List<MilvusUpgrade>> upgradesOf(String namespace, String milvusName);

    /** No cluster: the offline review CLI, or a server started without a kubeconfig. */
    static ClusterLookup none() {
        return new ClusterLookup() {
            @Override
            public Lookup<Milvus> milvus(String namespace, String name) {
                return new Lookup.Unavailable<>("no cluster connection is configured");
            }

            @Override
            public Lookup<List<MilvusUpgrade>> upgradesOf(String namespace, String milvusName) {
                return new Lookup.Unavailable<>("no cluster connection is configured");
            }
        };
    }
}
