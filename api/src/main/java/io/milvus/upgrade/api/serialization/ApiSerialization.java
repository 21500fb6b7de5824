package io.milvus.upgrade.api.serialization;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The one JSON setup of the process: fabric8's Kubernetes serialization, on a Jackson mapper that
 * refuses absurd documents before they cost memory or stack.
 *
 * <p>Our resource types are listed in this module's {@code META-INF/services} file for
 * {@code KubernetesResource}, beside fabric8's own, rather than registered here: fabric8 reads those
 * lists only when something first decodes an object by its kind, and reading them cost a server
 * whose reviews never do that ~130 ms of CPU at start.
 */
public final class ApiSerialization {

    /** Kubernetes objects nest a dozen levels; far deeper input is an attack or a bug. */
    public static final int MAX_NESTING_DEPTH = 100;

    /** Label and annotation keys are at most 317 characters (a 253-character prefix, '/', 63). */
    public static final int MAX_NAME_LENGTH = 1024;
    /** The longest body the server reads: no string in it is longer. */
    public static final int MAX_DOCUMENT_LENGTH = 7 * 1024 * 1024;

    private static final ObjectMapper MAPPER = strict(new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(limits().maxDocumentLength(MAX_DOCUMENT_LENGTH).build())
            .build()));

    private static final KubernetesSerialization KUBERNETES = new KubernetesSerialization(MAPPER, true);

    /**
     * What the apiserver sends is not capped at a review's size: a LIST of 3,000 Deployments is
     * 8.8 MB, and a cap there stopped an informer's first sync (make bench-scale, N = 3,000). Each
     * object in it is still at most etcd's 1.5 MiB, so strings keep the review's limit.
     */
    private static final KubernetesSerialization CLUSTER = new KubernetesSerialization(
            strict(new ObjectMapper(JsonFactory.builder().streamReadConstraints(limits().build()).build())), true);

    private static StreamReadConstraints.Builder limits() {
        return StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNameLength(MAX_NAME_LENGTH)
                .maxNumberLength(100)
                .maxStringLength(MAX_DOCUMENT_LENGTH);
    }

    private ApiSerialization() {
    }

    /**
     * A scalar of another JSON type than the model's is refused rather than turned into it: the
     * apiserver never sends one (the CRD's schema types every field), and a webhook that read
     * {@code maxRetry: "3"} as 3, {@code rollbackIfFailed: 1} as true or an image given as 2 as
     * the image "2" would judge another object than the one stored.
     */
    private static ObjectMapper strict(ObjectMapper mapper) {
        refuse(mapper, LogicalType.Textual, CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean);
        refuse(mapper, LogicalType.Integer, CoercionInputShape.String, CoercionInputShape.Float, CoercionInputShape.Boolean);
        refuse(mapper, LogicalType.Float, CoercionInputShape.String, CoercionInputShape.Boolean);
        refuse(mapper, LogicalType.Boolean, CoercionInputShape.String, CoercionInputShape.Integer, CoercionInputShape.Float);
        return mapper;
    }

    private static void refuse(ObjectMapper mapper, LogicalType type, CoercionInputShape... from) {
        var config = mapper.coercionConfigFor(type);
        for (CoercionInputShape shape : from) config.setCoercion(shape, CoercionAction.Fail);
    }

    /** For objects a review carries, and copies of them. */
    public static KubernetesSerialization kubernetes() {
        return KUBERNETES;
    }

    /** For fabric8 clients ({@code new KubernetesClientBuilder().withKubernetesSerialization(..)}): the apiserver's answers, lists included. */
    public static KubernetesSerialization cluster() {
        return CLUSTER;
    }

    /** The mapper behind {@link #kubernetes()}, for trees and byte-level reads. */
    public static ObjectMapper json() {
        return MAPPER;
    }
}
