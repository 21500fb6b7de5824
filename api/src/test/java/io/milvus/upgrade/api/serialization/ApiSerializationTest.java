package io.milvus.upgrade.api.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.apps.DeploymentList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiSerializationTest {

    /** Decoded by kind alone, as a client's watch or a manifest is: our types come from the services file. */
    @ParameterizedTest
    @CsvSource({
            "milvus.io/v1beta1, Milvus, io.milvus.upgrade.api.v1beta1.Milvus",
            "milvus.io/v1alpha1, Milvus, io.milvus.upgrade.api.v1alpha1.Milvus",
            "milvus.io/v1beta1, MilvusUpgrade, io.milvus.upgrade.api.v1beta1.MilvusUpgrade",
            "apps/v1, Deployment, io.fabric8.kubernetes.api.model.apps.Deployment",
    })
    void everyKindDecodesIntoItsOwnType(String apiVersion, String kind, Class<?> type) {
        Object decoded = ApiSerialization.kubernetes().unmarshal("{\"apiVersion\": \"" + apiVersion + "\", \"kind\": \"" + kind
                + "\", \"metadata\": {\"name\": \"a\"}}");

        assertThat(decoded).isExactlyInstanceOf(type);
    }

    /** 3,000 Deployments of make bench-scale were an 8.8 MB LIST: a review's cap there stopped the controller's first sync. */
    @Test
    void anApiserverListIsNotCappedAtAReviewsSizeButAReviewIs() {
        String deployment = "{\"metadata\": {\"name\": \"m-%05d\", \"labels\": {\"app.kubernetes.io/instance\": \"%s\"}}}";
        String list = IntStream.range(0, 3_000).mapToObj(i -> deployment.formatted(i, "x".repeat(3_000)))
                .collect(Collectors.joining(",", "{\"apiVersion\": \"apps/v1\", \"kind\": \"DeploymentList\", \"items\": [", "]}"));
        assertThat(list.length()).isGreaterThan(ApiSerialization.MAX_DOCUMENT_LENGTH);

        assertThat(ApiSerialization.cluster().unmarshal(list, DeploymentList.class).getItems()).hasSize(3_000);
        assertThatThrownBy(() -> ApiSerialization.kubernetes().unmarshal(list, DeploymentList.class)).hasStackTraceContaining("Document length");
    }
}
