package io.milvus.upgrade.conversion;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Round trips over generated objects: random trees built from the field names the mapping looks
 * at (so that they turn up in every place, wanted or not) and odd values (nulls, the standalone
 * port, empty maps, wrong types). Seeded, so a failure repeats.
 */
class GeneratedRoundTripTest {

    private static final int OBJECTS_PER_VERSION = 400;
    private static final String ALPHA = "milvus.io/v1alpha1";
    private static final String BETA = "milvus.io/v1beta1";
    private static final List<String> KEYS = List.of("mode", "components", "standalone", "mixCoord", "proxy", "image", "port",
            "replicas", "dependencies", "rocksmq", "persistence", "config", "disableMetric", "etcd", "newField");
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<JsonNode> LEAVES = List.of(NODES.textNode("standalone"), NODES.textNode("cluster"),
            NODES.textNode("milvusdb/milvus:v2.2.13"), NODES.numberNode(19530), NODES.numberNode(8080), NODES.numberNode(0),
            NODES.booleanNode(true), NODES.booleanNode(false), NODES.nullNode(), NODES.objectNode());

    private final ConversionWebhook webhook = new ConversionWebhook();

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {ALPHA, BETA})
    void everyGeneratedObjectSurvivesTheRoundTrip(String version) throws Exception {
        Random random = new Random(version.hashCode());
        String other = version.equals(ALPHA) ? BETA : ALPHA;
        for (int i = 0; i < OBJECTS_PER_VERSION; i++) {
            ObjectNode original = generate(random, version);
            ObjectNode there = convert(original, other);
            ObjectNode back = convert(there, version);
            assertThat(back).as("object %d: %s%n  converted: %s", i, original, there).isEqualTo(expectedBack(original, version));
        }
    }

    /**
     * The original, except that an object with no spec comes back with the spec an empty alpha
     * spec has: a v1alpha1 Milvus is a standalone with or without a spec, so its spec on the way
     * to the hub is {@code mode: standalone} either way (issue 22).
     */
    private ObjectNode expectedBack(ObjectNode original, String version) throws Exception {
        if (original.has("spec")) return original;
        ObjectNode expected = original.deepCopy();
        ObjectNode emptyAlpha = NODES.objectNode().put("apiVersion", ALPHA).put("kind", "Milvus");
        emptyAlpha.putObject("metadata").put("name", "m").put("namespace", "default");
        emptyAlpha.putObject("spec");
        expected.set("spec", version.equals(ALPHA) ? NODES.objectNode() : convert(emptyAlpha, BETA).get("spec"));
        return expected;
    }

    private ObjectNode convert(ObjectNode object, String desired) throws Exception {
        ObjectNode review = NODES.objectNode().put("apiVersion", "apiextensions.k8s.io/v1").put("kind", "ConversionReview");
        review.putObject("request").put("uid", "g").put("desiredAPIVersion", desired).putArray("objects").add(object);
        JsonNode answer = webhook.convert(review.toString().getBytes(StandardCharsets.UTF_8)).response().tree().get("response");
        assertThat(answer.at("/result/status").asText()).as(answer.toString()).isEqualTo("Success");
        return (ObjectNode) answer.at("/convertedObjects/0");
    }

    private static ObjectNode generate(Random random, String version) {
        ObjectNode milvus = NODES.objectNode().put("apiVersion", version).put("kind", "Milvus");
        ObjectNode metadata = milvus.putObject("metadata").put("name", "m").put("namespace", "default");
        if (random.nextInt(6) > 0) {
            milvus.set("spec", version.equals(BETA) ? betaSpec(random) : tree(random, 3));
        }
        if (random.nextBoolean()) milvus.set("status", tree(random, 2));
        switch (random.nextInt(4)) {
            case 0 -> metadata.putObject("annotations");
            case 1 -> metadata.putObject("annotations").put("note", "x");
            default -> { }
        }
        if (random.nextBoolean()) metadata.putObject("labels").put("app", "milvus");
        return milvus;
    }

    /** A random tree, half the time with a standalone and rocksmq persistence where v1alpha1 looks for them. */
    private static ObjectNode betaSpec(Random random) {
        ObjectNode spec = tree(random, 4);
        if (random.nextBoolean()) {
            ObjectNode standalone = tree(random, 3);
            if (random.nextBoolean()) standalone.put("port", 19530);
            spec.put("mode", random.nextBoolean() ? "standalone" : "cluster");
            spec.putObject("components").set("standalone", standalone);
            spec.putObject("dependencies").putObject("rocksmq").set("persistence", tree(random, 2));
        }
        return spec;
    }

    private static ObjectNode tree(Random random, int depth) {
        ObjectNode object = NODES.objectNode();
        int fields = random.nextInt(depth == 0 ? 2 : 5);
        for (int i = 0; i < fields; i++) {
            object.set(KEYS.get(random.nextInt(KEYS.size())), value(random, depth - 1));
        }
        return object;
    }

    private static JsonNode value(Random random, int depth) {
        int pick = random.nextInt(10);
        if (depth <= 0 || pick < 4) return LEAVES.get(random.nextInt(LEAVES.size())).deepCopy();
        if (pick == 4) {
            ArrayNode array = NODES.arrayNode();
            array.add(LEAVES.get(random.nextInt(LEAVES.size())).deepCopy());
            array.add(tree(random, depth - 1));
            return array;
        }
        return tree(random, depth);
    }
}
