package io.milvus.upgrade.controller.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.controller.migration.MigrationJobFactory;
import io.milvus.upgrade.controller.milvus.MilvusHealth;
import io.milvus.upgrade.controller.runtime.UpgradeController.Key;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Which MilvusUpgrades an event on a watched object wakes, looked up in the upgrades the cache
 * holds at that moment (not remembered: an upgrade created after its Milvus must still be found).
 */
final class ReconcileTriggers {

    /** The cached upgrades by the Milvus they target ({@code namespace/name}) and by uid; see {@link #targetKey}. */
    interface UpgradeIndex {
        List<MilvusUpgrade> targeting(String milvusKey);

        List<MilvusUpgrade> withUid(String uid);
    }

    private final UpgradeIndex upgrades;

    ReconcileTriggers(UpgradeIndex upgrades) {
        this.upgrades = upgrades;
    }

    /** Over a plain list, each lookup a scan: for tests, and the meaning the informer's indexes keep. */
    static ReconcileTriggers scanning(Supplier<List<MilvusUpgrade>> upgrades) {
        return new ReconcileTriggers(new UpgradeIndex() {
            @Override
            public List<MilvusUpgrade> targeting(String milvusKey) {
                return upgrades.get().stream().filter(u -> targetKey(u).equals(milvusKey)).toList();
            }

            @Override
            public List<MilvusUpgrade> withUid(String uid) {
                return upgrades.get().stream().filter(u -> Objects.equals(uid, u.getMetadata().getUid())).toList();
            }
        });
    }

    /** The index key of the Milvus an upgrade targets. */
    static String targetKey(MilvusUpgrade upgrade) {
        return targetKey(upgrade.milvusNamespace(), upgrade.milvusName());
    }

    static String targetKey(String namespace, String milvus) {
        return namespace + "/" + milvus;
    }

    /** The upgrade and every other of its Milvus: one upgrade's end may let the next one start. */
    List<Key> ofUpgrade(MilvusUpgrade upgrade) {
        List<Key> keys = new ArrayList<>(List.of(Key.of(upgrade)));
        targeting(upgrade.milvusNamespace(), upgrade.milvusName()).stream().filter(k -> !keys.contains(k)).forEach(keys::add);
        return keys;
    }

    List<Key> ofMilvus(Milvus milvus) {
        return targeting(milvus.getMetadata().getNamespace(), milvus.getMetadata().getName());
    }

    /** A Deployment of a Milvus, by the instance label the operator puts on it. */
    List<Key> ofDeployment(Deployment deployment) {
        var labels = deployment.getMetadata().getLabels();
        return targeting(deployment.getMetadata().getNamespace(), labels == null ? null : labels.get(MilvusHealth.INSTANCE_LABEL));
    }

    /** The upgrade that created {@code object}, by the uid label: names may be reused, uids are not. */
    List<Key> ofCreated(HasMetadata object) {
        var labels = object.getMetadata().getLabels();
        String uid = labels == null ? null : labels.get(MigrationJobFactory.LABEL_UPGRADE_UID);
        if (uid == null) return List.of();
        return upgrades.withUid(uid).stream().map(Key::of).toList();
    }

    private List<Key> targeting(String namespace, String milvus) {
        if (milvus == null || namespace == null) return List.of();
        return upgrades.targeting(targetKey(namespace, milvus)).stream().map(Key::of).toList();
    }
}
