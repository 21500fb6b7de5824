package io.milvus.upgrade.api.v1beta1;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Every Milvus component the operator knows, in the order it starts them: the one catalog of
 * their names. The spec names a component in camelCase ({@code spec.components.queryNode}); the
 * operator reports it in {@code status.componentsDeployStatus} under the lowercase name
 * ({@code querynode}).
 */
public enum Component {
    MIX_COORD("mixCoord"),
    ROOT_COORD("rootCoord"),
    DATA_COORD("dataCoord"),
    QUERY_COORD("queryCoord"),
    INDEX_COORD("indexCoord"),
    DATA_NODE("dataNode"),
    QUERY_NODE("queryNode"),
    INDEX_NODE("indexNode"),
    STREAMING_NODE("streamingNode"),
    PROXY("proxy"),
    STANDALONE("standalone"),
    CDC("cdc");

    /** The four coordinators that {@link #MIX_COORD} stands in for. */
    public static final List<Component> SEPARATE_COORDINATORS = List.of(ROOT_COORD, DATA_COORD, QUERY_COORD, INDEX_COORD);

    private final String field;

    Component(String field) {
        this.field = field;
    }

    /**
     * The components that may be split into deployment groups ({@code groups[]}, Milvus Operator
     * 1.3.8: apis/milvus.io/v1beta1/components_types.go, MilvusQueryNode, MilvusDataNode,
     * MilvusProxy, MilvusStreamingNode).
     */
    public static final List<Component> GROUPED = List.of(DATA_NODE, QUERY_NODE, STREAMING_NODE, PROXY);

    /** The field under {@code spec.components}, e.g. {@code queryNode}. */
    public String field() {
        return field;
    }

    /** The key the operator reports it under in {@code status.componentsDeployStatus}, e.g. {@code querynode}. */
    public String statusKey() {
        return field.toLowerCase(Locale.ROOT);
    }

    /** {@code spec.components.queryNode.image}. */
    public String imageField() {
        return "spec.components." + field + ".image";
    }

    public static Optional<Component> byField(String field) {
        return Arrays.stream(values()).filter(c -> c.field.equals(field)).findFirst();
    }

    /** The component named {@code field}; an unknown name is a programming error. */
    public static Component named(String field) {
        return byField(field).orElseThrow(() -> new IllegalArgumentException("unknown Milvus component " + field));
    }

    @Override
    public String toString() {
        return field;
    }
}
