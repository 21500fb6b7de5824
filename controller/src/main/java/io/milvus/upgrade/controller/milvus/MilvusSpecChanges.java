package io.milvus.upgrade.controller.milvus;

import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.api.v1beta1.Component;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.components.MilvusTopology;
import io.milvus.upgrade.version.Version;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The Milvus spec changes of an upgrade, each a pure function from the observed Milvus to the
 * wanted one: stop every component, start the new (or the old) images with the recorded
 * replicas. Applying a result twice changes nothing the second time.
 */
public final class MilvusSpecChanges {

    private MilvusSpecChanges() {
    }

    /** Every running component's replicas, as the operator reads them; recorded once before anything changes. */
    public static Map<String, Integer> replicas(Milvus milvus) {
        Map<String, Integer> replicas = new LinkedHashMap<>();
        for (Component component : MilvusTopology.components(milvus)) {
            replicas.put(component.field(), MilvusTopology.replicas(milvus, component));
        }
        return replicas;
    }

    /** Every component and every deployment group at 0 replicas. */
    public static Milvus stopped(Milvus milvus) {
        Milvus wanted = copy(milvus);
        for (Component component : MilvusTopology.components(wanted)) {
            MilvusTopology.componentForWrite(wanted, component).setReplicas(0);
        }
        GroupReplicas.stop(wanted);
        return wanted;
    }

    /** Whether the spec asks every component and every deployment group for 0 replicas. */
    public static boolean isStopped(Milvus milvus) {
        return MilvusTopology.components(milvus).stream().allMatch(c -> MilvusTopology.replicas(milvus, c) == 0)
                && GroupReplicas.isStopped(milvus);
    }

    /** The new version: {@code targetImage} wherever {@link ComponentImages#moveToTarget} moves it, and the recorded replicas. */
    public static Milvus upgraded(Milvus milvus, String targetImage, Version sourceVersion, Map<String, Integer> replicas,
                                  Map<String, Integer> groups) {
        Milvus wanted = copy(milvus);
        ComponentImages.moveToTarget(wanted, targetImage, sourceVersion);
        restoreReplicas(wanted, replicas);
        GroupReplicas.restore(wanted, groups);
        return wanted;
    }

    /** Back to the old version: the recorded image fields exactly, and the recorded replicas. */
    public static Milvus rolledBack(Milvus milvus, RecordedImages images, Map<String, Integer> replicas, Map<String, Integer> groups) {
        Milvus wanted = copy(milvus);
        ComponentImages.restore(wanted, images);
        restoreReplicas(wanted, replicas);
        GroupReplicas.restore(wanted, groups);
        return wanted;
    }

    /** Whether applying {@code wanted} would change {@code observed}'s spec. */
    public static boolean differs(Milvus observed, Milvus wanted) {
        return !Objects.equals(ApiSerialization.json().valueToTree(observed.getSpec()),
                ApiSerialization.json().valueToTree(wanted.getSpec()));
    }

    /**
     * What a healthy Milvus reports ready: the recorded replicas of every component, a grouped
     * one's through its groups (the operator ignores a component's own replicas while it has groups).
     */
    public static int total(Map<String, Integer> replicas, Map<String, Integer> groups) {
        return replicas.entrySet().stream().filter(e -> !GroupReplicas.grouped(groups, e.getKey())).mapToInt(Map.Entry::getValue).sum()
                + GroupReplicas.total(groups);
    }

    private static void restoreReplicas(Milvus wanted, Map<String, Integer> replicas) {
        replicas.forEach((field, count) -> Component.byField(field)
                .filter(MilvusTopology.components(wanted)::contains)
                .ifPresent(component -> MilvusTopology.componentForWrite(wanted, component).setReplicas(count)));
    }

    private static Milvus copy(Milvus milvus) {
        return ApiSerialization.kubernetes().clone(milvus);
    }
}
