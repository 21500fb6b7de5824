package io.milvus.upgrade.controller.milvus;

import io.milvus.upgrade.milvus.MilvusImages;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusComponent;
import io.milvus.upgrade.api.v1beta1.MilvusComponents;
import io.milvus.upgrade.api.v1beta1.MilvusSpec;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Which components a Milvus runs, as the operator decides it: standalone unless the mode is
 * {@code cluster}; in cluster mode {@code mixCoord} replaces the four coordinators when set.
 * A component the spec does not mention still runs, with the operator's default of 1 replica.
 */
public final class MilvusTopology {

    public static final int DEFAULT_REPLICAS = 1;

    private static final Map<String, Slot> SLOTS = Map.of(
            "mixCoord", new Slot(MilvusComponents::getMixCoord, MilvusComponents::setMixCoord),
            "rootCoord", new Slot(MilvusComponents::getRootCoord, MilvusComponents::setRootCoord),
            "dataCoord", new Slot(MilvusComponents::getDataCoord, MilvusComponents::setDataCoord),
            "queryCoord", new Slot(MilvusComponents::getQueryCoord, MilvusComponents::setQueryCoord),
            "indexCoord", new Slot(MilvusComponents::getIndexCoord, MilvusComponents::setIndexCoord),
            "dataNode", new Slot(MilvusComponents::getDataNode, MilvusComponents::setDataNode),
            "queryNode", new Slot(MilvusComponents::getQueryNode, MilvusComponents::setQueryNode),
            "indexNode", new Slot(MilvusComponents::getIndexNode, MilvusComponents::setIndexNode),
            "proxy", new Slot(MilvusComponents::getProxy, MilvusComponents::setProxy),
            "standalone", new Slot(MilvusComponents::getStandalone, MilvusComponents::setStandalone));

    private MilvusTopology() {
    }

    /** The components {@code milvus} runs, in start order. */
    public static List<String> components(Milvus milvus) {
        return MilvusImages.runningComponents(milvus); // one definition, shared with the admission rules
    }

    /** The component's replicas as the operator reads them: unset means 1. */
    public static int replicas(Milvus milvus, String component) {
        MilvusComponent c = component(milvus, component);
        return c == null || c.getReplicas() == null ? DEFAULT_REPLICAS : c.getReplicas();
    }

    /** The component's spec, or null when the spec does not mention it. */
    public static MilvusComponent component(Milvus milvus, String component) {
        MilvusComponents components = milvus.getSpec() == null ? null : milvus.getSpec().getComponents();
        return components == null ? null : slot(component).get().apply(components);
    }

    /** The component's spec, created (empty) when the spec does not mention it yet. */
    static MilvusComponent componentForWrite(Milvus milvus, String component) {
        if (milvus.getSpec() == null) milvus.setSpec(new MilvusSpec());
        if (milvus.getSpec().getComponents() == null) milvus.getSpec().setComponents(new MilvusComponents());
        MilvusComponents components = milvus.getSpec().getComponents();
        MilvusComponent c = slot(component).get().apply(components);
        if (c == null) {
            c = new MilvusComponent();
            slot(component).set().accept(components, c);
        }
        return c;
    }

    private static Slot slot(String component) {
        Slot slot = SLOTS.get(component);
        if (slot == null) throw new IllegalArgumentException("unknown Milvus component " + component);
        return slot;
    }

    private record Slot(Function<MilvusComponents, MilvusComponent> get, BiConsumer<MilvusComponents, MilvusComponent> set) {
    }
}
