package io.milvus.upgrade.conversion;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class SchemaDefaultsTest {

    private static final SchemaDefaults DEFAULTS = SchemaDefaults.of(ConversionWebhookTest.json("""
            {"spec":{"group":"milvus.io","versions":[
              {"name":"v1alpha1","schema":{"openAPIV3Schema":{"properties":{"spec":{"type":"object","properties":{
                "serviceType":{"type":"string","default":"ClusterIP"},
                "maybe":{"type":"string","nullable":true,"default":"x"},
                "persistence":{"type":"object","default":{},"properties":{"enabled":{"type":"boolean","default":false}}},
                "env":{"type":"array","items":{"type":"object","properties":{"value":{"type":"string","default":""}}}},
                "components":{"type":"object","additionalProperties":{"type":"object","properties":{"replicas":{"type":"integer","default":1}}}}
              }}}}}},
              {"name":"v1beta1","schema":{"openAPIV3Schema":{"properties":{"spec":{"type":"object"}}}}}]}}"""));

    @Test
    void missingAndNullFieldsGetTheirDefaultsThenEveryValueItsOwn() {
        ObjectNode spec = ConversionWebhookTest.json("""
                {"maybe":null,"env":[{"name":"A"},{"name":"B","value":"b"}],"components":{"proxy":{},"queryNode":{"replicas":3}}}""");
        ObjectNode defaulted = DEFAULTS.applied("milvus.io/v1alpha1", spec);
        assertThat(defaulted).isEqualTo(ConversionWebhookTest.json("""
                {"maybe":null,"env":[{"name":"A","value":""},{"name":"B","value":"b"}],"components":{"proxy":{"replicas":1},"queryNode":{"replicas":3}},
                 "serviceType":"ClusterIP","persistence":{"enabled":false}}"""));
        assertThat(spec.has("serviceType")).as("the input is left alone").isFalse();
    }

    @Test
    void aVersionWithoutDefaultsOrWithoutSchemaIsUnchanged() {
        ObjectNode spec = ConversionWebhookTest.json("{\"a\":1}");
        assertThat(DEFAULTS.applied("milvus.io/v1beta1", spec)).isEqualTo(spec);
        assertThat(DEFAULTS.applied("milvus.io/v2", spec)).isEqualTo(spec);
        assertThat(SchemaDefaults.none().applied("milvus.io/v1alpha1", spec)).isEqualTo(spec);
    }
}
