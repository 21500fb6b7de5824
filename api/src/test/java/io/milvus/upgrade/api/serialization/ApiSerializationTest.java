package io.milvus.upgrade.api.serialization;

import static org.assertj.core.api.Assertions.assertThat;

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
}
