package io.milvus.upgrade.api.serialization;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.milvus.upgrade.api.v1beta1.Milvus;
import io.milvus.upgrade.api.v1beta1.MilvusUpgrade;

/**
 * The one JSON setup of the process: fabric8's Kubernetes serialization with our resource types
 * registered (so that AdmissionReviews and API responses decode into them), on a Jackson mapper
 * that refuses absurd documents before they cost memory or stack.
 */
public final class ApiSerialization {

    /** Kubernetes objects nest a dozen levels; far deeper input is an attack or a bug. */
    public static final int MAX_NESTING_DEPTH = 100;

    private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .build())
            .build());

    private static final KubernetesSerialization KUBERNETES = create();

    private ApiSerialization() {
    }

    private static KubernetesSerialization create() {
        KubernetesSerialization serialization = new KubernetesSerialization(MAPPER, true);
        serialization.registerKubernetesResource(MilvusUpgrade.class);
        serialization.registerKubernetesResource(Milvus.class);
        serialization.registerKubernetesResource(io.milvus.upgrade.api.v1alpha1.Milvus.class);
        return serialization;
    }

    /** For fabric8 clients ({@code new KubernetesClientBuilder().withKubernetesSerialization(..)}). */
    public static KubernetesSerialization kubernetes() {
        return KUBERNETES;
    }

    /** The mapper behind {@link #kubernetes()}, for trees and byte-level reads. */
    public static ObjectMapper json() {
        return MAPPER;
    }
}
