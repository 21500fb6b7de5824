package io.milvus.upgrade.review;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.cluster.Lookup;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The objects as they are now ({@code --old}: files or directories, e.g. what is deployed, or
 * the main branch), by kind, namespace and name; a document of the input that matches one is
 * reviewed as an update, any other as a create. They also stand in for the cluster that the
 * rules reading it would ask (the Milvus an upgrade names, its other upgrades).
 */
public final class PreviousVersions {

    private final Map<ObjectKey, ManifestEntry.Parsed> byKey = new HashMap<>();
    private final List<ManifestEntry.Unreadable> problems = new ArrayList<>();
    private final boolean given;

    public PreviousVersions(List<ManifestEntry> entries, String defaultNamespace) {
        this(entries, defaultNamespace, true);
    }

    private PreviousVersions(List<ManifestEntry> entries, String defaultNamespace, boolean given) {
        this.given = given;
        for (ManifestEntry entry : entries) {
            switch (entry) {
                case ManifestEntry.Unreadable unreadable -> problems.add(new ManifestEntry.Unreadable(unreadable.ref(), "--old: " + unreadable.reason()));
                case ManifestEntry.Parsed parsed -> {
                    ObjectKey key = ObjectKey.of(parsed.object(), defaultNamespace);
                    if (key.name().isEmpty()) continue; // generateName: nothing can match it
                    ManifestEntry.Parsed earlier = byKey.putIfAbsent(key, parsed);
                    if (earlier != null) {
                        problems.add(new ManifestEntry.Unreadable(parsed.ref(),
                                "--old: a second previous version of " + key + " (the first is in " + earlier.ref() + ")"));
                    }
                }
            }
        }
    }

    public static PreviousVersions none() {
        return new PreviousVersions(List.of(), "default", false);
    }

    /**
     * The cluster as {@code --old} describes it; without {@code --old}, every read is
     * unavailable, so the rules that need the cluster are skipped with a warning.
     */
    public ClusterLookup asCluster() {
        return new ClusterLookup() {
            @Override
            public Lookup<Milvus> milvus(String namespace, String name) {
                if (!given) return notGiven();
                ManifestEntry.Parsed parsed = byKey.get(new ObjectKey("Milvus", namespace, name));
                if (parsed == null) return new Lookup.NotFound<>();
                try {
                    return new Lookup.Found<>(ApiSerialization.json().treeToValue(parsed.object(), Milvus.class));
                } catch (JacksonException | IllegalArgumentException e) {
                    return new Lookup.Unavailable<>("the previous version in " + parsed.ref() + " is not a valid Milvus");
                }
            }

            @Override
            public Lookup<List<MilvusUpgrade>> upgradesOf(String namespace, String milvusName) {
                if (!given) return notGiven();
                List<MilvusUpgrade> upgrades = new ArrayList<>();
                for (var entry : byKey.entrySet()) {
                    if (!entry.getKey().kind().equals("MilvusUpgrade")) continue;
                    try {
                        MilvusUpgrade upgrade = ApiSerialization.json().treeToValue(entry.getValue().object(), MilvusUpgrade.class);
                        if (upgrade.getMetadata().getNamespace() == null) upgrade.getMetadata().setNamespace(entry.getKey().namespace());
                        if (upgrade.targets(namespace, milvusName)) upgrades.add(upgrade);
                    } catch (JacksonException | IllegalArgumentException e) {
                        return new Lookup.Unavailable<>("the previous version in " + entry.getValue().ref() + " is not a valid MilvusUpgrade");
                    }
                }
                return new Lookup.Found<>(upgrades);
            }

            private static <T> Lookup<T> notGiven() {
                return new Lookup.Unavailable<>("not checked offline; pass --old with the objects as deployed to check it");
            }
        };
    }

    /** The previous version of {@code key}, or null for a create. */
    public ObjectNode find(ObjectKey key) {
        ManifestEntry.Parsed parsed = byKey.get(key);
        return parsed == null ? null : parsed.object().deepCopy();
    }

    /** {@code --old} documents that could not be read, or that name the same object twice. */
    public List<ManifestEntry.Unreadable> problems() {
        return List.copyOf(problems);
    }
}
