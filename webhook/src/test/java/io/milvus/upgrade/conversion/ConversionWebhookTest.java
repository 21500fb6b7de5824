package io.milvus.upgrade.conversion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.milvus.upgrade.admission.BadReviewException;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConversionWebhookTest {

    static final String ALPHA = "milvus.io/v1alpha1";
    static final String BETA = "milvus.io/v1beta1";
    private final ConversionWebhook webhook = new ConversionWebhook();

    static ObjectNode json(String text) {
        try {
            return (ObjectNode) ApiSerialization.json().readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    static ObjectNode milvus(String apiVersion, String name, String spec) {
        return json("""
                {"apiVersion":"%s","kind":"Milvus","metadata":{"name":"%s","namespace":"default","uid":"u-%s","resourceVersion":"7",
                 "labels":{"app":"milvus"},"annotations":{"team":"search"}},
                 "spec":%s,"status":{"status":"Healthy","conditions":[{"type":"MilvusReady","status":"True"}],"endpoint":"x:19530"}}"""
                .formatted(apiVersion, name, name, spec));
    }

    private JsonNode review(String desired, List<ObjectNode> objects) throws BadReviewException {
        ObjectNode review = json("{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"ConversionReview\",\"request\":{\"uid\":\"r-1\"}}");
        ((ObjectNode) review.get("request")).put("desiredAPIVersion", desired);
        ArrayNode list = ((ObjectNode) review.get("request")).putArray("objects");
        objects.forEach(list::add);
        ConversionWebhook.Outcome outcome = webhook.convert(review.toString().getBytes(StandardCharsets.UTF_8));
        JsonNode response = outcome.response().tree().get("response");
        assertThat(response.get("uid").asText()).isEqualTo("r-1");
        return response;
    }

    private ObjectNode convert(ObjectNode object, String desired) throws BadReviewException {
        JsonNode response = review(desired, List.of(object));
        assertThat(response.at("/result/status").asText()).as(response.toString()).isEqualTo("Success");
        return (ObjectNode) response.at("/convertedObjects/0");
    }

    static List<String> betaSpecs() {
        return List.of(
                "{\"mode\":\"standalone\",\"components\":{\"standalone\":{\"replicas\":1,\"port\":19530,\"image\":\"milvusdb/milvus:v2.1.4\"}}}",
                "{\"mode\":\"standalone\",\"components\":{\"image\":\"milvusdb/milvus:v2.1.4\",\"standalone\":{\"replicas\":1}}}",
                "{\"mode\":\"cluster\",\"components\":{\"image\":\"milvusdb/milvus:v2.2.0\",\"mixCoord\":{\"replicas\":1},\"proxy\":{\"replicas\":2,\"image\":\"milvusdb/milvus:v2.2.1\"},"
                        + "\"queryNode\":{\"replicas\":3},\"dataNode\":{\"replicas\":2},\"indexNode\":{\"replicas\":1}},\"dependencies\":{\"etcd\":{\"endpoints\":[\"e1:2379\",\"e2:2379\"],\"external\":true}}}",
                "{\"mode\":\"cluster\",\"components\":{\"rootCoord\":{\"replicas\":1},\"dataCoord\":{\"replicas\":1},\"queryCoord\":{\"replicas\":1},\"indexCoord\":{\"replicas\":1},\"proxy\":{\"replicas\":1}}}",
                "{\"components\":{\"disableMetric\":true,\"standalone\":{\"serviceType\":\"NodePort\",\"serviceLabels\":{\"a\":\"b\"},\"ingress\":{\"hosts\":[\"h\"]},\"env\":[{\"name\":\"X\",\"value\":\"1\"}]}},"
                        + "\"dependencies\":{\"rocksmq\":{\"persistence\":{\"enabled\":true,\"pvcDeletion\":false}},\"storage\":{\"inCluster\":{}}},\"config\":{\"etcd\":{\"rootPath\":\"r\"}}}",
                "{\"mode\":\"standalone\",\"futureField\":{\"x\":[1,2]},\"components\":{\"standalone\":{\"unknownComponentField\":\"kept\"},\"futureComponent\":{}},\"hookConfig\":{\"a\":1}}",
                "{}",
                "{\"mode\":\"standalone\",\"components\":{\"standalone\":{\"port\":19531,\"dependencies\":\"collides with alpha's own field\"}}}");
    }

    @ParameterizedTest
    @MethodSource("betaSpecs")
    void betaToAlphaToBetaIsLossless(String spec) throws Exception {
        ObjectNode beta = milvus(BETA, "m", spec);
        ObjectNode alpha = convert(beta, ALPHA);
        assertThat(alpha.get("apiVersion").asText()).isEqualTo(ALPHA);
        assertThat(alpha.get("status")).isEqualTo(beta.get("status"));
        assertThat(alpha.at("/metadata/labels")).isEqualTo(beta.at("/metadata/labels"));
        assertThat(alpha.at("/metadata/annotations/team").asText()).isEqualTo("search");
        ObjectNode back = convert(alpha, BETA);
        assertThat(back).isEqualTo(beta);
    }

    static List<String> alphaSpecs() {
        return List.of(
                "{\"image\":\"milvusdb/milvus:v2.1.4\",\"replicas\":1}",
                "{\"image\":\"milvusdb/milvus:v2.1.4\",\"persistence\":{\"enabled\":true},\"dependencies\":{\"etcd\":{\"endpoints\":[\"e:2379\"]}},"
                        + "\"config\":{\"milvus\":{\"log\":{\"level\":\"debug\"}}},\"disableMetric\":false,\"serviceType\":\"LoadBalancer\",\"resources\":{\"limits\":{\"cpu\":\"2\"}}}",
                "{\"port\":19530}",
                "{\"dependencies\":{\"rocksmq\":{\"persistence\":{\"enabled\":true}}}}",
                "{\"persistence\":{\"enabled\":true},\"dependencies\":{\"rocksmq\":{\"persistence\":{\"enabled\":false},\"other\":1}}}",
                "{}",
                "{\"somethingNew\":{\"deep\":{\"er\":[null,true]}}}");
    }

    @ParameterizedTest
    @MethodSource("alphaSpecs")
    void alphaToBetaToAlphaIsLossless(String spec) throws Exception {
        ObjectNode alpha = milvus(ALPHA, "m", spec);
        ObjectNode beta = convert(alpha, BETA);
        assertThat(beta.get("apiVersion").asText()).isEqualTo(BETA);
        assertThat(beta.at("/spec/mode").asText()).isEqualTo("standalone");
        assertThat(convert(beta, ALPHA)).isEqualTo(alpha);
    }

    @Test
    void alphaMapsToTheStandaloneAsTheReferenceDoes() throws Exception {
        ObjectNode beta = convert(milvus(ALPHA, "m", """
                {"image":"milvusdb/milvus:v2.1.4","replicas":2,"persistence":{"enabled":true,"mountPath":"/var/lib/milvus"},
                 "disableMetric":true,"serviceType":"NodePort","dependencies":{"etcd":{"inCluster":{}}},"config":{"k":"v"}}"""), BETA);
        JsonNode spec = beta.get("spec");
        assertThat(spec.get("mode").asText()).isEqualTo("standalone");
        assertThat(spec.at("/components/standalone/image").asText()).isEqualTo("milvusdb/milvus:v2.1.4");
        assertThat(spec.at("/components/standalone/replicas").asInt()).isEqualTo(2);
        assertThat(spec.at("/components/standalone/serviceType").asText()).isEqualTo("NodePort");
        assertThat(spec.at("/components/standalone/port").asInt()).isEqualTo(19530);
        assertThat(spec.at("/components/disableMetric").asBoolean()).isTrue();
        assertThat(spec.at("/dependencies/rocksmq/persistence/mountPath").asText()).isEqualTo("/var/lib/milvus");
        assertThat(spec.at("/dependencies/etcd/inCluster").isObject()).isTrue();
        assertThat(spec.at("/config/k").asText()).isEqualTo("v");
        assertThat(beta.at("/metadata/annotations").has(LosslessConversion.ANNOTATION)).as("nothing lost, no annotation").isFalse();
    }

    @ParameterizedTest(name = "alpha with {0}")
    @ValueSource(strings = {"no spec", "spec: {}"})
    void anAlphaWithNoSpecIsAStandalone(String shape) throws Exception {
        ObjectNode alpha = milvus(ALPHA, "m", "{}");
        if (shape.equals("no spec")) alpha.remove("spec");
        ObjectNode beta = convert(alpha, BETA);
        assertThat(beta.at("/spec/mode").asText()).isEqualTo("standalone");
    }

    @Test
    void aPlainStandaloneNeedsNoAnnotationAndAClusterKeepsItsPartsInOne() throws Exception {
        ObjectNode plain = convert(milvus(BETA, "m", betaSpecs().get(0)), ALPHA);
        assertThat(plain.at("/metadata/annotations").has(LosslessConversion.ANNOTATION)).isFalse();
        ObjectNode cluster = convert(milvus(BETA, "m", betaSpecs().get(2)), ALPHA);
        assertThat(cluster.at("/metadata/annotations/" + LosslessConversion.ANNOTATION.replace("/", "~1")).asText()).contains("mixCoord");
    }

    @Test
    void anEditInTheOtherVersionIsKeptAndTheRestRestored() throws Exception {
        ObjectNode cluster = milvus(BETA, "m", betaSpecs().get(1));
        ObjectNode alpha = convert(cluster, ALPHA);
        ((ObjectNode) alpha.get("spec")).put("replicas", 5);
        ObjectNode back = convert(alpha, BETA);
        assertThat(back.at("/spec/components/standalone/replicas").asInt()).isEqualTo(5);
        assertThat(back.at("/spec/components/image").asText()).as("restored from the annotation").isEqualTo("milvusdb/milvus:v2.1.4");
        assertThat(back.at("/metadata/annotations").has(LosslessConversion.ANNOTATION)).isFalse();
    }

    @Test
    void manyObjectsOfMixedVersionsComeBackInOrder() throws Exception {
        Random random = new Random(42);
        List<ObjectNode> objects = new java.util.ArrayList<>();
        for (int i = 0; i < 200; i++) {
            boolean alpha = random.nextBoolean();
            objects.add(milvus(alpha ? ALPHA : BETA, "m" + i, alpha ? alphaSpecs().get(i % alphaSpecs().size()) : betaSpecs().get(i % betaSpecs().size())));
        }
        for (String desired : List.of(ALPHA, BETA)) {
            JsonNode response = review(desired, objects);
            assertThat(response.at("/result/status").asText()).isEqualTo("Success");
            JsonNode converted = response.get("convertedObjects");
            assertThat(converted).hasSize(200);
            for (int i = 0; i < 200; i++) {
                assertThat(converted.get(i).at("/metadata/name").asText()).isEqualTo("m" + i);
                assertThat(converted.get(i).at("/metadata/uid").asText()).isEqualTo("u-m" + i);
                assertThat(converted.get(i).get("apiVersion").asText()).isEqualTo(desired);
            }
        }
    }

    @Test
    void failuresAreForTheWholeReview() throws Exception {
        JsonNode wrongKind = review(BETA, List.of(milvus(ALPHA, "a", "{}"), json("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}")));
        assertThat(wrongKind.at("/result/status").asText()).isEqualTo("Failed");
        assertThat(wrongKind.at("/result/message").asText()).contains("objects[1]").contains("Pod");
        assertThat(wrongKind.has("convertedObjects")).isFalse();

        assertThat(review("milvus.io/v2", List.of(milvus(ALPHA, "a", "{}"))).at("/result/message").asText()).contains("not served");
        assertThat(review(BETA, List.of(milvus("milvus.io/v9", "a", "{}"))).at("/result/message").asText()).contains("milvus.io/v9");
        ObjectNode badSpec = milvus(ALPHA, "a", "{}");
        badSpec.put("spec", "text");
        assertThat(review(BETA, List.of(badSpec)).at("/result/message").asText()).contains("spec must be an object");
    }

    /**
     * Under a v1alpha1 schema with defaults the apiserver fills them into what we convert before
     * a client sees it: reading as v1alpha1 and writing back unchanged must leave the stored
     * v1beta1 object as it was, not add a standalone component made of defaults.
     */
    @ParameterizedTest
    @MethodSource("betaSpecs")
    void aRoundTripThroughADefaultingAlphaSchemaIsLossless(String spec) throws Exception {
        SchemaDefaults defaults = SchemaDefaults.of(json("""
                {"spec":{"group":"milvus.io","versions":[{"name":"v1alpha1","schema":{"openAPIV3Schema":{"properties":{"spec":
                 {"type":"object","properties":{"serviceType":{"type":"string","default":"ClusterIP"},
                  "persistence":{"type":"object","properties":{"enabled":{"type":"boolean","default":false}}}}}}}}}]}}"""));
        ConversionWebhook defaulting = new ConversionWebhook(() -> defaults);
        ObjectNode original = milvus(BETA, "m", spec);
        ObjectNode alpha = convertWith(defaulting, original.deepCopy(), ALPHA);
        alpha.set("spec", defaults.applied(ALPHA, (ObjectNode) alpha.get("spec"))); // what the apiserver does
        ObjectNode back = convertWith(defaulting, alpha, BETA);
        assertThat(back.get("spec")).isEqualTo(original.get("spec"));
        assertThat(back.get("metadata")).isEqualTo(original.get("metadata"));
    }

    private static ObjectNode convertWith(ConversionWebhook webhook, ObjectNode object, String desired) throws BadReviewException {
        ObjectNode review = json("{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"ConversionReview\",\"request\":{\"uid\":\"r-1\"}}");
        ((ObjectNode) review.get("request")).put("desiredAPIVersion", desired);
        ((ObjectNode) review.get("request")).putArray("objects").add(object);
        JsonNode response = webhook.convert(review.toString().getBytes(StandardCharsets.UTF_8)).response().tree().get("response");
        assertThat(response.at("/result/status").asText()).as(response.toString()).isEqualTo("Success");
        return (ObjectNode) response.at("/convertedObjects/0");
    }

    /**
     * Anyone who may edit a Milvus may edit the annotation: a damaged one must not fail the list
     * it is in. That object gets the plain mapping (and the damaged annotation is dropped); the
     * others convert as ever.
     */
    @ParameterizedTest
    @ValueSource(strings = {"{broken", "{\"spec\":[]}", "\"text\"", "{\"apiVersion\":1,\"digest\":\"d\",\"spec\":{}}"})
    void aDamagedOriginAnnotationFallsBackToThePlainMapping(String annotation) throws Exception {
        ObjectNode damaged = milvus(ALPHA, "damaged", "{\"image\":\"milvusdb/milvus:v2.1.4\"}");
        ((ObjectNode) damaged.at("/metadata/annotations")).put(LosslessConversion.ANNOTATION, annotation);
        JsonNode response = review(BETA, List.of(milvus(ALPHA, "fine", "{}"), damaged));
        assertThat(response.at("/result/status").asText()).as(response.toString()).isEqualTo("Success");
        JsonNode converted = response.at("/convertedObjects/1");
        assertThat(converted.at("/spec/components/standalone/image").asText()).isEqualTo("milvusdb/milvus:v2.1.4");
        assertThat(converted.at("/metadata/annotations").has(LosslessConversion.ANNOTATION)).isFalse();
        assertThat(converted.at("/metadata/annotations/team").asText()).isEqualTo("search");
        assertThat(response.at("/convertedObjects/0/metadata/name").asText()).isEqualTo("fine");
    }

    @Test
    void fieldsMayComeInAnyOrder() throws Exception {
        ObjectNode alpha = milvus(ALPHA, "m", alphaSpecs().get(1));
        ObjectNode expected = convert(alpha, BETA);
        String reordered = "{\"request\":{\"objects\":[" + alpha + "," + alpha + "],\"desiredAPIVersion\":\"" + BETA + "\",\"uid\":\"r-2\"},"
                + "\"kind\":\"ConversionReview\",\"apiVersion\":\"apiextensions.k8s.io/v1\"}";
        ConversionWebhook.Outcome outcome = webhook.convert(reordered.getBytes(StandardCharsets.UTF_8));
        JsonNode response = outcome.response().tree().get("response");
        assertThat(outcome.succeeded()).as(outcome.message()).isTrue();
        assertThat(outcome.objects()).isEqualTo(2);
        assertThat(response.get("uid").asText()).isEqualTo("r-2");
        assertThat(response.get("convertedObjects")).containsExactly(expected, expected);
    }

    @Test
    void objectsThatAreNoListFailTheReview() throws Exception {
        String head = "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"ConversionReview\",\"request\":{\"uid\":\"r\",\"desiredAPIVersion\":\"" + BETA + "\"";
        for (String request : List.of(head + "}}", head + ",\"objects\":{\"a\":1}}}", head + ",\"objects\":null}}")) {
            ConversionWebhook.Outcome outcome = webhook.convert(request.getBytes(StandardCharsets.UTF_8));
            assertThat(outcome.succeeded()).as(request).isFalse();
            assertThat(outcome.response().tree().at("/response/result/message").asText()).isEqualTo("request.objects must be a list");
        }
        ConversionWebhook.Outcome none = webhook.convert((head + ",\"objects\":[]}}").getBytes(StandardCharsets.UTF_8));
        assertThat(none.succeeded()).isTrue();
        assertThat(none.response().tree().at("/response/convertedObjects")).isEmpty();
    }

    /** Read as a stream, a review is still judged whole: what comes after an object counts. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"kind\":\"Pod\"},{\"kind\":                     | request body is not valid JSON",
            "{\"kind\":\"Pod\"},                                | request body is not valid JSON",
            "],\"objects\":[]}}                                   | objects twice",
            "],\"desiredAPIVersion\":\"milvus.io/v1alpha1\"}}  | desiredAPIVersion twice"})
    void whatFollowsTheObjectsCanMakeABadRequest(String rest, String reason) {
        String body = "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"ConversionReview\",\"request\":{\"uid\":\"r\",\"desiredAPIVersion\":\""
                + BETA + "\",\"objects\":[" + rest;
        assertThatThrownBy(() -> webhook.convert(body.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(BadReviewException.class).hasMessageContaining(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not json", "[]", "{\"kind\":\"ConversionReview\"}",
            "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"ConversionReview\"}",
            "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"ConversionReview\",\"request\":{\"desiredAPIVersion\":\"milvus.io/v1beta1\"}}"})
    void notAConversionReviewIsABadRequest(String body) {
        assertThatThrownBy(() -> webhook.convert(body.getBytes(StandardCharsets.UTF_8))).isInstanceOf(BadReviewException.class);
    }

    @Test
    void deeplyNestedInputIsABadRequest() {
        String deep = "{\"a\":".repeat(5000) + "1" + "}".repeat(5000);
        assertThatThrownBy(() -> webhook.convert(deep.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(BadReviewException.class).hasMessageContaining("nested deeper");
    }
}
