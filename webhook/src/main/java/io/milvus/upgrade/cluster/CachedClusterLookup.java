package io.milvus.upgrade.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.api.v1beta1.UpgradeTargetLabels;
import io.milvus.upgrade.config.TrimmingStore;
import io.milvus.upgrade.log.LogEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads whose cost does not grow with the cluster (issue 28): a review used to LIST every
 * MilvusUpgrade of every namespace to find the few of one Milvus.
 *
 * <ul>
 *   <li>A watch-backed cache (a fabric8 informer) of every MilvusUpgrade, indexed by the Milvus
 *       each targets, holds what no label finds: upgrades created before the mutating webhook
 *       labelled them, where it is not installed (the guard-only profile), or whose Milvus name
 *       is no valid label value.</li>
 *   <li>A cache may be behind, by the watch's delay or longer while its watch reconnects, and then
 *       a second upgrade of a Milvus whose first was created a moment ago would be allowed. So the
 *       upgrades labelled for that Milvus are read fresh on every lookup, by label selector (one
 *       LIST whose answer holds only them), and they win over the cache: one that the fresh read
 *       no longer returns is gone, one it returns is current.</li>
 *   <li>Until the cache has synced, and whenever its watch is down, the lookup reads every
 *       MilvusUpgrade as before: correct, only slower.</li>
 * </ul>
 * The Milvus itself is one GET by name, which costs the same whatever the cluster holds; caching
 * every Milvus (their {@code config} blocks can be large) would cost memory for nothing.
 */
public final class CachedClusterLookup implements ClusterLookup, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CachedClusterLookup.class);

    /** What the cache answers: whether it may be used at all, and the upgrades it holds for one Milvus. */
    interface UpgradeCache extends AutoCloseable {
        boolean serving();

        List<MilvusUpgrade> targeting(String namespace, String milvusName);

        @Override
        void close();
    }

    private final KubernetesClusterLookup live;
    private final UpgradeCache upgrades;

    /**
     * Starts the informer and returns at once; reviews read through until it has synced.
     *
     * @param client for the watch (the live lookup's client has a short request timeout, too short for a first LIST of thousands)
     */
    public CachedClusterLookup(KubernetesClient client, KubernetesClusterLookup live) {
        this(new InformerCache(client), live);
    }

    CachedClusterLookup(UpgradeCache upgrades, KubernetesClusterLookup live) {
        this.upgrades = upgrades;
        this.live = live;
    }

    @Override
    public Lookup<Milvus> milvus(String namespace, String name) {
        return live.milvus(namespace, name);
    }

    @Override
    public Lookup<List<MilvusUpgrade>> upgradesOf(String namespace, String milvusName) {
        if (!upgrades.serving()) return live.upgradesOf(namespace, milvusName);
        Lookup<List<MilvusUpgrade>> fresh = live.labelledUpgradesOf(namespace, milvusName);
        if (!(fresh instanceof Lookup.Found<List<MilvusUpgrade>> found)) return fresh;
        Map<String, MilvusUpgrade> byUid = new LinkedHashMap<>();
        for (MilvusUpgrade cached : upgrades.targeting(namespace, milvusName)) {
            // Labelled ones are the fresh read's to report: absent from it, they are gone.
            if (!UpgradeTargetLabels.carries(cached, namespace, milvusName)) byUid.put(cached.getMetadata().getUid(), cached);
        }
        for (MilvusUpgrade current : found.value()) {
            if (current.targets(namespace, milvusName)) byUid.put(current.getMetadata().getUid(), current);
        }
        return new Lookup.Found<>(List.copyOf(byUid.values()));
    }

    @Override
    public void close() {
        upgrades.close();
        live.close();
    }

    /** Every MilvusUpgrade, kept by a fabric8 informer, indexed by {@code namespace/name} of its Milvus. */
    private static final class InformerCache implements UpgradeCache {
        private static final String BY_TARGET = "milvus";
        private final SharedIndexInformer<MilvusUpgrade> informer;

        InformerCache(KubernetesClient client) {
            informer = client.resources(MilvusUpgrade.class).inAnyNamespace().runnableInformer(0);
            informer.itemStore(new TrimmingStore<>(InformerCache::trimmed));
            informer.addIndexers(Map.of(BY_TARGET, upgrade -> List.of(key(upgrade.milvusNamespace(), upgrade.milvusName()))));
            informer.start().whenComplete((ignored, failure) -> {
                if (failure != null) LogEvent.warn(LOG, "upgrade_cache_failed")
                        .addKeyValue("error", failure.toString())
                        .addKeyValue("action", "reviews read every MilvusUpgrade").log();
                else LogEvent.info(LOG, "upgrade_cache_synced").addKeyValue("upgrades", informer.getStore().list().size()).log();
            });
        }

        /**
         * What no rule reads goes, in place:
         * managed fields, annotations (the controller's record) and conditions. Untrimmed, 1,000
         * cached upgrades mid-upgrade grew the webhook's live heap by 11 MB (33.0 against 21.9 MB
         * without the cache, after a full GC): too much for 10,000 under a 64 MiB heap.
         */
        private static MilvusUpgrade trimmed(MilvusUpgrade upgrade) {
            upgrade.getMetadata().setManagedFields(null);
            upgrade.getMetadata().setAnnotations(null);
            if (upgrade.getStatus() != null) upgrade.getStatus().setConditions(null);
            return upgrade;
        }

        /** Synced, and its watch up: a cache whose watch is reconnecting may miss any change. */
        @Override
        public boolean serving() {
            return informer.hasSynced() && informer.isWatching();
        }

        @Override
        public List<MilvusUpgrade> targeting(String namespace, String milvusName) {
            return informer.getIndexer().byIndex(BY_TARGET, key(namespace, milvusName));
        }

        private static String key(String namespace, String name) {
            return namespace + "/" + name;
        }

        @Override
        public void close() {
            informer.stop();
        }
    }
}
