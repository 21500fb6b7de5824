package io.milvus.upgrade.controller.milvus;

import io.milvus.upgrade.api.v1beta1.Component;
import io.milvus.upgrade.api.v1beta1.DeploymentGroup;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.components.MilvusTopology;
import java.util.List;
import java.util.Map;

/**
 * The replicas of a Milvus's deployment groups (operator 1.3.8 {@code groups[]} under queryNode,
 * dataNode, proxy and streamingNode), by {@code component/group}. Each group is its own
 * Deployment ({@code <milvus>-milvus-<component>-<group>}, with the Milvus's instance label, so
 * the stop and health waits see it), and the operator ignores the component's own replicas while
 * it has groups. Recorded before the stop, set to 0 with the components, restored with them.
 *
 * <p>A group at -1 is an HPA's to scale. An HPA does not scale a Deployment at 0 replicas, so a
 * group restored to -1 would stay stopped: it starts at 1 replica, and the controller says so.
 */
public final class GroupReplicas {

    /** What an HPA-managed group restarts with. */
    public static final int HPA_RESTART = 1;

    private GroupReplicas() {
    }

    public static Map<String, Integer> record(Milvus milvus) {
        return MilvusTopology.groupReplicas(milvus);
    }

    static void stop(Milvus wanted) {
        forEachGroup(wanted, (key, group) -> group.setReplicas(0));
    }

    static boolean isStopped(Milvus milvus) {
        return MilvusTopology.groupReplicas(milvus).values().stream().allMatch(replicas -> replicas == 0);
    }

    /** Each recorded group back to its replicas; an HPA-managed one (-1) to {@link #HPA_RESTART}. */
    static void restore(Milvus wanted, Map<String, Integer> recorded) {
        forEachGroup(wanted, (key, group) -> {
            Integer replicas = recorded.get(key);
            if (replicas != null) group.setReplicas(restarted(replicas));
        });
    }

    /** The groups an HPA scaled before the upgrade, for the messages that say they restart at 1. */
    public static List<String> hpaManaged(Map<String, Integer> recorded) {
        return recorded.entrySet().stream().filter(e -> e.getValue() == DeploymentGroup.HPA_MANAGED).map(Map.Entry::getKey).toList();
    }

    /** What a healthy Milvus runs in its groups once restored. */
    static int total(Map<String, Integer> recorded) {
        return recorded.values().stream().mapToInt(GroupReplicas::restarted).sum();
    }

    /** Whether {@code component} has recorded groups, whose Deployments stand in for its own. */
    static boolean grouped(Map<String, Integer> recorded, String component) {
        return recorded.keySet().stream().anyMatch(key -> key.startsWith(component + "/"));
    }

    private static int restarted(int replicas) {
        return replicas == DeploymentGroup.HPA_MANAGED ? HPA_RESTART : replicas;
    }

    private static void forEachGroup(Milvus milvus, java.util.function.BiConsumer<String, DeploymentGroup> action) {
        for (Component component : MilvusTopology.components(milvus)) {
            MilvusTopology.groupsOf(milvus, component).forEach(group -> action.accept(MilvusTopology.groupKey(component, group.getName()), group));
        }
    }
}
