package io.milvus.upgrade.api.v1beta1;

import io.milvus.upgrade.api.PreservesUnknownFields;
import java.util.EnumMap;
import java.util.Map;

/**
 * The global image and the per-component settings, one field per {@link Component}, plus the
 * operator's update settings the upgrade rules read. Everything else ({@code rollingMode},
 * {@code streamingMode}, {@code toolImage}, ...) is carried through untouched.
 */
public class MilvusComponents extends PreservesUnknownFields {

    /** The value of {@link #getImageUpdateMode()} that declares a downgrade. */
    public static final String ROLLING_DOWNGRADE = "rollingDowngrade";

    private String image;
    /** The version the operator assumes when the image tag is not one. */
    private String version;
    /** {@code rollingUpgrade} (the operator's default), {@code rollingDowngrade}, {@code all}. */
    private String imageUpdateMode;
    private Boolean enableRollingUpdate;
    private MilvusComponent mixCoord;
    private MilvusComponent rootCoord;
    private MilvusComponent dataCoord;
    private MilvusComponent queryCoord;
    private MilvusComponent indexCoord;
    private MilvusComponent dataNode;
    private MilvusComponent queryNode;
    private MilvusComponent indexNode;
    private MilvusComponent streamingNode;
    private MilvusComponent proxy;
    private MilvusComponent standalone;
    private MilvusComponent cdc;

    public String getImage() { return image; }
    public void setImage(String image) { this.image = image; }
    public String getVersion() { return version; }
    public void setVersion(String version) { this.version = version; }
    public String getImageUpdateMode() { return imageUpdateMode; }
    public void setImageUpdateMode(String imageUpdateMode) { this.imageUpdateMode = imageUpdateMode; }
    public Boolean getEnableRollingUpdate() { return enableRollingUpdate; }
    public void setEnableRollingUpdate(Boolean enableRollingUpdate) { this.enableRollingUpdate = enableRollingUpdate; }
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
    public MilvusComponent getStreamingNode() { return streamingNode; }
    public void setStreamingNode(MilvusComponent streamingNode) { this.streamingNode = streamingNode; }
    public MilvusComponent getProxy() { return proxy; }
    public void setProxy(MilvusComponent proxy) { this.proxy = proxy; }
    public MilvusComponent getStandalone() { return standalone; }
    public void setStandalone(MilvusComponent standalone) { this.standalone = standalone; }
    public MilvusComponent getCdc() { return cdc; }
    public void setCdc(MilvusComponent cdc) { this.cdc = cdc; }

    /** The spec of {@code component}, or null when the spec does not mention it. */
    public MilvusComponent get(Component component) {
        return switch (component) {
            case MIX_COORD -> mixCoord;
            case ROOT_COORD -> rootCoord;
            case DATA_COORD -> dataCoord;
            case QUERY_COORD -> queryCoord;
            case INDEX_COORD -> indexCoord;
            case DATA_NODE -> dataNode;
            case QUERY_NODE -> queryNode;
            case INDEX_NODE -> indexNode;
            case STREAMING_NODE -> streamingNode;
            case PROXY -> proxy;
            case STANDALONE -> standalone;
            case CDC -> cdc;
        };
    }

    public void set(Component component, MilvusComponent value) {
        switch (component) {
            case MIX_COORD -> mixCoord = value;
            case ROOT_COORD -> rootCoord = value;
            case DATA_COORD -> dataCoord = value;
            case QUERY_COORD -> queryCoord = value;
            case INDEX_COORD -> indexCoord = value;
            case DATA_NODE -> dataNode = value;
            case QUERY_NODE -> queryNode = value;
            case INDEX_NODE -> indexNode = value;
            case STREAMING_NODE -> streamingNode = value;
            case PROXY -> proxy = value;
            case STANDALONE -> standalone = value;
            case CDC -> cdc = value;
        }
    }

    /** The components that are set, in {@link Component} order. */
    public Map<Component, MilvusComponent> present() {
        Map<Component, MilvusComponent> all = new EnumMap<>(Component.class);
        for (Component component : Component.values()) {
            MilvusComponent value = get(component);
            if (value != null) all.put(component, value);
        }
        return all;
    }
}
