package io.milvus.upgrade.components;

import io.milvus.upgrade.api.v1beta1.Component;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusComponent;
import io.milvus.upgrade.api.v1beta1.MilvusComponents;
import io.milvus.upgrade.api.v1beta1.MilvusSpec;
import io.milvus.upgrade.api.v1beta1.DeploymentGroup;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which components a Milvus runs, as the operator decides it: {@code standalone} unless the mode
 * is {@code cluster}; in cluster mode {@code mixCoord} stands in for the four coordinators when
 * the spec has one. A component the spec does not mention still runs, with the global image and
 * the operator's default of 1 replica; {@code cdc} runs only when the spec asks for it.
 */
public final class MilvusTopology {

    public static final int DEFAULT_REPLICAS = 1;

    private static final List<Component> NODES_AND_PROXY = List.of(Component.DATA_NODE, Component.QUERY_NODE, Component.INDEX_NODE, Component.PROXY);

    private MilvusTopology() {
    }

    /** The components {@code milvus} runs, in start order. */
    public static List<Component> components(Milvus milvus) {
        MilvusSpec spec = milvus == null ? null : milvus.getSpec();
        MilvusComponents declared = spec == null ? null : spec.getComponents();
        List<Component> running = new ArrayList<>();
        if (spec == null || !MilvusSpec.MODE_CLUSTER.equals(spec.getMode())) {
            running.add(Component.STANDALONE);
        } else {
            boolean mixCoord = declared != null && declared.getMixCoord() != null;
            running.addAll(mixCoord ? List.of(Component.MIX_COORD) : Component.SEPARATE_COORDINATORS);
            running.addAll(NODES_AND_PROXY);
            if (declared != null && declared.getStreamingNode() != null) running.add(running.size() - 1, Component.STREAMING_NODE);
        }
        if (declared != null && declared.getCdc() != null) running.add(Component.CDC);
        return running;
    }

    /** In cluster mode with rootCoord, dataCoord, queryCoord and indexCoord rather than mixCoord. */
    public static boolean runsSeparateCoordinators(Milvus milvus) {
        return components(milvus).contains(Component.ROOT_COORD);
    }

    /** The component's replicas as the operator reads them: unset means 1. */
    public static int replicas(Milvus milvus, Component component) {
        MilvusComponent c = component(milvus, component);
        return c == null || c.getReplicas() == null ? DEFAULT_REPLICAS : c.getReplicas();
    }

    /**
     * Every deployment group of a running component, by {@code component/group} (e.g.
     * {@code queryNode/zone-a}), with its replicas: -1 where an HPA decides, unset as 1.
     */
    public static Map<String, Integer> groupReplicas(Milvus milvus) {
        Map<String, Integer> groups = new LinkedHashMap<>();
        for (Component component : components(milvus)) {
            groupsOf(milvus, component).forEach(group -> groups.put(groupKey(component, group.getName()),
                    group.getReplicas() == null ? DEFAULT_REPLICAS : group.getReplicas()));
        }
        return groups;
    }

    /** The component's deployment groups; empty when it has none or cannot have any. */
    public static List<DeploymentGroup> groupsOf(Milvus milvus, Component component) {
        MilvusComponent c = Component.GROUPED.contains(component) ? component(milvus, component) : null;
        return c == null || c.getGroups() == null ? List.of() : c.getGroups();
    }

    /** {@code queryNode/zone-a}. */
    public static String groupKey(Component component, String group) {
        return component.field() + "/" + group;
    }

    /** The component's spec, or null when the spec does not mention it. */
    public static MilvusComponent component(Milvus milvus, Component component) {
        MilvusComponents components = milvus.getSpec() == null ? null : milvus.getSpec().getComponents();
        return components == null ? null : components.get(component);
    }

    /** The component's spec, created (empty) when the spec does not mention it yet. */
    public static MilvusComponent componentForWrite(Milvus milvus, Component component) {
        if (milvus.getSpec() == null) milvus.setSpec(new MilvusSpec());
        if (milvus.getSpec().getComponents() == null) milvus.getSpec().setComponents(new MilvusComponents());
        MilvusComponents components = milvus.getSpec().getComponents();
        MilvusComponent c = components.get(component);
        if (c == null) {
            c = new MilvusComponent();
            components.set(component, c);
        }
        return c;
    }
}
