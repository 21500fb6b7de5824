package io.milvus.upgrade.api.v1beta1;

import io.milvus.upgrade.api.Extensible;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The global image and the per-component settings. */
public class MilvusComponents extends Extensible {

    /** Cluster-mode components, in the order the operator starts them; then standalone. */
    public static final List<String> COMPONENT_NAMES = List.of(
            "mixCoord", "rootCoord", "dataCoord", "queryCoord", "indexCoord",
            "dataNode", "queryNode", "indexNode", "proxy", "standalone");

    private String image;
    private MilvusComponent mixCoord;
    private MilvusComponent rootCoord;
    private MilvusComponent dataCoord;
    private MilvusComponent queryCoord;
    private MilvusComponent indexCoord;
    private MilvusComponent dataNode;
    private MilvusComponent queryNode;
    private MilvusComponent indexNode;
    private MilvusComponent proxy;
    private MilvusComponent standalone;

    public String getImage() { return image; }
    public void setImage(String image) { this.image = image; }
    public MilvusComponent getMixCoord() { return mixCoord; }
    public void setMixCoord(MilvusComponent mixCoord) { this.mixCoord = mixCoord; }
    public MilvusComponent getRootCoord() { return rootCoord; }
    public void setRootCoord(MilvusComponent rootCoord) { this.rootCoord = rootCoord; }
    public MilvusComponent getDataCoord() { return dataCoord; }
    public void setDataCoord(MilvusComponent dataCoord) { this.dataCoord = dataCoord; }
    public MilvusComponent getQueryCoord() { return queryCoord; }
    public void setQueryCoord(MilvusComponent queryCoord) { this.queryCoord = queryCoord; }
    public MilvusComponent getIndexCoord() { return indexCoord; }
    public void setIndexCoord(MilvusComponent indexCoord) { this.indexCoord = indexCoord; }
    public MilvusComponent getDataNode() { return dataNode; }
    public void setDataNode(MilvusComponent dataNode) { this.dataNode = dataNode; }
    public MilvusComponent getQueryNode() { return queryNode; }
    public void setQueryNode(MilvusComponent queryNode) { this.queryNode = queryNode; }
    public MilvusComponent getIndexNode() { return indexNode; }
    public void setIndexNode(MilvusComponent indexNode) { this.indexNode = indexNode; }
    public MilvusComponent getProxy() { return proxy; }
    public void setProxy(MilvusComponent proxy) { this.proxy = proxy; }
    public MilvusComponent getStandalone() { return standalone; }
    public void setStandalone(MilvusComponent standalone) { this.standalone = standalone; }

    /** The components that are set, by name, in {@link #COMPONENT_NAMES} order. */
    public Map<String, MilvusComponent> present() {
        Map<String, MilvusComponent> all = new LinkedHashMap<>();
        put(all, "mixCoord", mixCoord);
        put(all, "rootCoord", rootCoord);
        put(all, "dataCoord", dataCoord);
        put(all, "queryCoord", queryCoord);
        put(all, "indexCoord", indexCoord);
        put(all, "dataNode", dataNode);
        put(all, "queryNode", queryNode);
        put(all, "indexNode", indexNode);
        put(all, "proxy", proxy);
        put(all, "standalone", standalone);
        return all;
    }

    private static void put(Map<String, MilvusComponent> all, String name, MilvusComponent component) {
        if (component != null) all.put(name, component);
    }
}
