package io.milvus.upgrade.admission;

import io.milvus.upgrade.cli.MilvusWebhooks;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.fabric8.zjsonpatch.JsonPatch;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.cluster.ClusterLookup;
import io.milvus.upgrade.policy.PolicySource;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The defaulting patch, end to end through the generic endpoint, from raw review JSON. */
class MutatingEndpointTest {

    private final MilvusWebhooks endpoints = MilvusWebhooks.create(PolicySource.builtIn(), ClusterLookup.none());
    private final AdmissionReviewCodec codec = new AdmissionReviewCodec();

    static String review(String objectJson) {
        return """
                {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
                  "uid":"4b5c","kind":{"group":"milvus.io","version":"v1beta1","kind":"MilvusUpgrade"},
                  "resource":{"group":"milvus.io","version":"v1beta1","resource":"milvusupgrades"},
                  "name":"my-release-upgrade","namespace":"default","operation":"CREATE",
                  "userInfo":{"username":"alice"},"object":%s}}""".formatted(objectJson);
    }

    static String upgradeJson(String specJson) {
        return """
                {"apiVersion":"milvus.io/v1beta1","kind":"MilvusUpgrade",
                 "metadata":{"name":"my-release-upgrade","namespace":"default"},"spec":%s}""".formatted(specJson);
    }

    private JsonNode patchOf(AdmissionResponse response) throws Exception {
        assertThat(response.getPatchType()).isEqualTo("JSONPatch");
        return ApiSerialization.json().readTree(new String(Base64.getDecoder().decode(response.getPatch()), StandardCharsets.UTF_8));
    }

    private AdmissionResponse mutate(String objectJson) throws Exception {
        return endpoints.mutateMilvusUpgrade().review(codec.decode(review(objectJson).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void theGuidesExampleIsDefaultedByAnAddOnlyPatch() throws Exception {
        String object = upgradeJson("{\"milvus\":{\"name\":\"my-release\"},\"sourceVersion\":\"v2.1.4\",\"targetVersion\":\"v2.2.0\"}");
        AdmissionResponse response = mutate(object);
        assertThat(response.getAllowed()).isTrue();
        assertThat(response.getUid()).isEqualTo("4b5c");
        JsonNode patch = patchOf(response);
        assertThat(StreamSupport.stream(patch.spliterator(), false).map(op -> op.get("op").asText())).containsOnly("add");
        JsonNode defaulted = JsonPatch.apply(patch, ApiSerialization.json().readTree(object));
        JsonNode spec = defaulted.get("spec");
        assertThat(spec.get("milvus").get("namespace").asText()).isEqualTo("default");
        assertThat(spec.get("targetImage").asText()).isEqualTo("milvusdb/milvus:v2.2.0");
        assertThat(spec.get("toolImage").asText()).isEqualTo("milvusdb/meta-migration:v2.2.0-bugfix-20230112");
        assertThat(spec.get("operation").asText()).isEqualTo("upgrade");
        assertThat(spec.get("rollbackIfFailed").asBoolean()).isTrue();
        assertThat(spec.get("maxRetry").asInt()).isEqualTo(3);
        assertThat(defaulted.has("status")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"rollbackIfFailed\":false", "\"maxRetry\":0", "\"rollbackIfFailed\":false,\"maxRetry\":0"})
    void explicitFalseAndZeroSurvive(String field) throws Exception {
        String object = upgradeJson("{\"milvus\":{\"name\":\"my-release\"},\"sourceVersion\":\"2.1.4\",\"targetVersion\":\"2.2.0\"," + field + "}");
        JsonNode patch = patchOf(mutate(object));
        JsonNode raw = ApiSerialization.json().readTree(object);
        JsonNode defaulted = JsonPatch.apply(patch, raw);
        assertUserValuesKept(raw, defaulted, "");
        java.util.List<String> userPaths = new java.util.ArrayList<>();
        leafPaths(raw, "", userPaths);
        assertThat(patch).isNotEmpty();
        for (JsonNode op : patch) {
            String path = op.get("path").asText();
            assertThat(op.get("op").asText()).as(op.toString()).isEqualTo("add");
            // Neither a value the user wrote nor an object holding one is (re)written.
            assertThat(userPaths).as(op.toString()).noneMatch(user -> user.equals(path) || user.startsWith(path + "/"));
        }
        assertThat(defaulted.at("/spec/rollbackIfFailed").asBoolean(true)).isEqualTo(raw.at("/spec/rollbackIfFailed").asBoolean(true));
        assertThat(defaulted.at("/spec/maxRetry").asInt(3)).isEqualTo(raw.at("/spec/maxRetry").asInt(3));
    }

    @Test
    void aMissingSpecIsAddedWithWhatNeedsNoInput() throws Exception {
        String object = "{\"apiVersion\":\"milvus.io/v1beta1\",\"kind\":\"MilvusUpgrade\",\"metadata\":{\"name\":\"u\",\"namespace\":\"default\"}}";
        JsonNode patch = patchOf(mutate(object));
        JsonNode defaulted = JsonPatch.apply(patch, ApiSerialization.json().readTree(object));
        assertThat(defaulted.at("/spec/milvus/namespace").asText()).isEqualTo("default");
        assertThat(defaulted.at("/spec/operation").asText()).isEqualTo("upgrade");
        assertThat(defaulted.at("/spec/targetImage").isMissingNode()).isTrue();
        assertThat(defaulted.has("status")).isFalse();
    }

    /** Every value the user wrote is still there, unchanged; defaults may only sit beside them. */
    static void assertUserValuesKept(JsonNode raw, JsonNode defaulted, String path) {
        if (raw.isObject()) {
            assertThat(defaulted.isObject()).as(path).isTrue();
            raw.fields().forEachRemaining(e -> assertUserValuesKept(e.getValue(), defaulted.get(e.getKey()), path + "/" + e.getKey()));
        } else {
            assertThat(defaulted).as(path).isEqualTo(raw);
        }
    }

    private static void leafPaths(JsonNode node, String path, java.util.List<String> into) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> leafPaths(e.getValue(), path + "/" + e.getKey(), into));
        } else {
            into.add(path);
        }
    }

    @Test
    void fieldsTheModelDoesNotKnowAreNeverTouched() throws Exception {
        String object = """
                {"apiVersion":"milvus.io/v1beta1","kind":"MilvusUpgrade",
                 "metadata":{"name":"u","namespace":"default","labels":{"a":"b"},"annotations":{"x":"y"}},
                 "spec":{"milvus":{"name":"my-release","extra":1},"sourceVersion":"2.1.4","targetVersion":"2.2.0",
                         "futureField":{"nested":[1,2,{"k":null}]},"maxRetry":5},
                 "status":{"state":"","custom":"kept"}}""";
        JsonNode patch = patchOf(mutate(object));
        JsonNode raw = ApiSerialization.json().readTree(object);
        JsonNode defaulted = JsonPatch.apply(patch, raw);
        assertThat(defaulted.get("spec").get("futureField")).isEqualTo(raw.get("spec").get("futureField"));
        assertThat(defaulted.get("spec").get("milvus").get("extra").asInt()).isEqualTo(1);
        assertThat(defaulted.get("spec").get("maxRetry").asInt()).isEqualTo(5);
        assertThat(defaulted.get("status")).isEqualTo(raw.get("status"));
        assertThat(defaulted.get("metadata").get("annotations")).isEqualTo(raw.get("metadata").get("annotations"));
        assertThat(defaulted.get("metadata").get("labels").properties()).map(e -> e.getKey() + "=" + e.getValue().asText())
                .as("the user's label, and the target labels added beside it").containsExactly("a=b",
                        "milvus-upgrade.io/milvus-name=my-release", "milvus-upgrade.io/milvus-namespace=default");
        assertThat(StreamSupport.stream(patch.spliterator(), false).map(op -> op.get("op").asText())).containsOnly("add");
    }

    @Test
    void nothingToAddMeansNoPatch() throws Exception {
        String object = upgradeJson("""
                {"milvus":{"name":"m","namespace":"default"},"sourceVersion":"2.1.4","targetVersion":"2.2.0",
                 "targetImage":"milvusdb/milvus:v2.2.0","toolImage":"t:1","operation":"upgrade","rollbackIfFailed":true,"maxRetry":3}""");
        object = object.replace("\"namespace\":\"default\"},\"spec\"",
                "\"namespace\":\"default\",\"labels\":{\"milvus-upgrade.io/milvus-name\":\"m\",\"milvus-upgrade.io/milvus-namespace\":\"default\"}},\"spec\"");
        AdmissionResponse response = mutate(object);
        assertThat(response.getAllowed()).isTrue();
        assertThat(response.getPatch()).isNull();
    }

    @Test
    void undecodableObjectsAreDeniedWithTheField() throws Exception {
        AdmissionResponse response = mutate(upgradeJson("{\"maxRetry\":\"many\"}"));
        assertThat(response.getAllowed()).isFalse();
        assertThat(response.getStatus().getCode()).isEqualTo(400);
        assertThat(response.getStatus().getMessage()).contains("spec.maxRetry");
    }
}
