package io.milvus.upgrade.stress;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.bench.BenchBodies;
import io.milvus.upgrade.cli.MilvusWebhooks;
import io.milvus.upgrade.server.ConversionEndpoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * Malformed and oversized reviews for every review path, by class, from a seed: the classes of
 * issue 27 (truncation, wrong JSON types, huge values, deep and wide objects, objects of another
 * kind, odd uids). Each case says what the server must not answer: an object the endpoint does
 * not judge never gets {@code allowed: true} (or a conversion {@code Success}), and a review whose
 * uid is no string never gets a 200. Used by the corpus test (bounded, in {@code make test}) and
 * by {@code FuzzMain} (the figures of the issue, against the jar).
 */
public final class MalformedReviews {

    /** What the answer must not be; every case must also get no 5xx other than a 503 for memory. */
    public enum Expect {
        /** A verdict or a 4xx, whichever. */
        ANY,
        /** Not {@code allowed: true}, not a conversion {@code Success}: the endpoint does not judge this object. */
        NOT_ALLOWED,
        /** A 4xx: the review is no review (its uid cannot be echoed). */
        REFUSED
    }

    public enum Shape {
        TRUNCATED, WRONG_TYPE, HUGE_STRING, HUGE_OBJECT, DEEP, WIDE, OTHER_KIND, ODD_UID
    }

    public record Case(String path, byte[] body, Shape shape, Expect expect, String description) {
        @Override
        public String toString() {
            return description + " (" + path + ", " + body.length + " bytes)";
        }
    }

    /** The four review paths, each with a valid review to break. */
    public enum Endpoint {
        MUTATE_UPGRADE(MilvusWebhooks.MUTATE_MILVUSUPGRADE, BenchBodies::mutateMilvusUpgrade),
        VALIDATE_UPGRADE(MilvusWebhooks.VALIDATE_MILVUSUPGRADE, BenchBodies::validateMilvusUpgrade),
        VALIDATE_MILVUS(MilvusWebhooks.VALIDATE_MILVUS, BenchBodies::validateMilvus),
        CONVERT(ConversionEndpoint.PATH, HostileBodies::smallConversion);

        public final String path;
        private final java.util.function.Supplier<byte[]> valid;

        Endpoint(String path, java.util.function.Supplier<byte[]> valid) {
            this.path = path;
            this.valid = valid;
        }

        boolean admission() {
            return this != CONVERT;
        }

        /** Where the judged object sits in the review. */
        String objectPointer() {
            return admission() ? "/request/object" : "/request/objects/0";
        }
    }

    private static final ObjectMapper MAPPER = ApiSerialization.json();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MIB = 1024 * 1024;

    private MalformedReviews() {
    }

    /**
     * {@code perEndpoint} cases for each path, the shapes taken in turn; {@code hugeBytes} bounds the
     * huge strings and objects (the server's body limit is 7 MiB; the corpus test keeps it lower
     * to stay fast, the fuzz run goes to the limit).
     */
    public static List<Case> generate(long seed, int perEndpoint, int hugeBytes) {
        List<Case> cases = new ArrayList<>();
        for (Endpoint endpoint : Endpoint.values()) cases.addAll(cases(seed, endpoint, perEndpoint, hugeBytes).toList());
        return cases;
    }

    /** The cases for one path, built as they are consumed (the huge ones take megabytes each). */
    public static Stream<Case> cases(long seed, Endpoint endpoint, int count, int hugeBytes) {
        Random random = new Random(seed * 31 + endpoint.ordinal());
        ObjectNode valid = HostileBodies.tree(endpoint.valid.get());
        Shape[] shapes = Shape.values();
        return IntStream.range(0, count).sequential().mapToObj(i ->
                build(random, endpoint, valid.deepCopy(), shapes[i % shapes.length], hugeBytes, "case " + i + " of seed " + seed + ": "));
    }

    private static Case build(Random random, Endpoint endpoint, ObjectNode review, Shape shape, int hugeBytes, String name) {
        ObjectNode object = (ObjectNode) review.at(endpoint.objectPointer());
        return switch (shape) {
            case TRUNCATED -> {
                byte[] body = HostileBodies.bytes(review);
                int at = random.nextInt(body.length);
                yield new Case(endpoint.path, Arrays.copyOf(body, at), shape, Expect.ANY, name + "truncated at " + at);
            }
            case WRONG_TYPE -> {
                String what = wrongType(random, endpoint, object);
                yield new Case(endpoint.path, HostileBodies.bytes(review), shape, Expect.NOT_ALLOWED, name + "wrong type: " + what);
            }
            case HUGE_STRING -> {
                int length = hugeBytes / 2 + random.nextInt(hugeBytes / 2);
                String where = hugeString(random, endpoint, object, length);
                yield new Case(endpoint.path, HostileBodies.bytes(review), shape, Expect.ANY, name + "a string of " + length + " bytes at " + where);
            }
            case HUGE_OBJECT -> {
                int bytes = hugeBytes / 4 + random.nextInt(hugeBytes / 4);
                ObjectNode components = object.withObject("/spec").withObject("/components");
                fill(random, components, bytes);
                yield new Case(endpoint.path, HostileBodies.bytes(review), shape, Expect.ANY, name + "spec.components of about " + bytes + " bytes");
            }
            case DEEP -> {
                int depth = 80 + random.nextInt(40);
                object.withObject("/spec").set("deep", HostileBodies.nested(depth));
                yield new Case(endpoint.path, HostileBodies.bytes(review), shape, Expect.ANY, name + "spec.deep nested " + depth + " levels");
            }
            case WIDE -> {
                int width = 10_000 + random.nextInt(hugeBytes / 16);
                ObjectNode wide = random.nextBoolean() ? object.withObject("/metadata").putObject("annotations") : object.withObject("/spec").putObject("wide");
                for (int i = 0; i < width; i++) wide.put("k" + i, i % 2 == 0 ? "" : "v");
                yield new Case(endpoint.path, HostileBodies.bytes(review), shape, Expect.ANY, name + width + " fields");
            }
            case OTHER_KIND -> {
                String what = otherKind(random, endpoint, review, object);
                yield new Case(endpoint.path, HostileBodies.bytes(review), shape, Expect.NOT_ALLOWED, name + "another kind: " + what);
            }
            case ODD_UID -> {
                JsonNode[] uids = {NODES.numberNode(7), NODES.booleanNode(true), NODES.objectNode().put("a", "b"), NODES.arrayNode().add("u"),
                        NODES.numberNode(1.5), NODES.nullNode(), NODES.textNode("")};
                JsonNode uid = uids[random.nextInt(uids.length)];
                ((ObjectNode) review.get("request")).set("uid", uid);
                yield new Case(endpoint.path, HostileBodies.bytes(review), shape, Expect.REFUSED, name + "uid " + uid);
            }
        };
    }

    private static String wrongType(Random random, Endpoint endpoint, ObjectNode object) {
        if (endpoint == Endpoint.CONVERT) {
            JsonNode[] labels = {NODES.objectNode().put("app", 1), NODES.objectNode().put("app", true), NODES.objectNode().set("app", NODES.objectNode()),
                    NODES.objectNode().set("app", NODES.arrayNode().add("x")), NODES.objectNode().putNull("app"), NODES.textNode("app=x"),
                    NODES.arrayNode().add("app"), NODES.numberNode(3), NODES.objectNode().put("app", 1.5)};
            JsonNode value = labels[random.nextInt(labels.length)];
            String field = random.nextInt(3) == 0 ? "annotations" : "labels";
            object.withObject("/metadata").set(field, value);
            return "metadata." + field + " " + value;
        }
        // Each field with its JSON type; the value put there is of any other.
        String[][] fields = endpoint == Endpoint.VALIDATE_MILVUS
                ? new String[][]{{"/spec/components/image", "string"}, {"/spec/components", "object"}, {"/spec/mode", "string"},
                {"/spec/components/enableRollingUpdate", "boolean"}, {"/metadata/labels", "object"}, {"/metadata/name", "string"}, {"/spec", "object"}}
                : new String[][]{{"/spec/maxRetry", "integer"}, {"/spec/rollbackIfFailed", "boolean"}, {"/spec/sourceVersion", "string"},
                {"/spec/targetVersion", "string"}, {"/spec/targetImage", "string"}, {"/spec/milvus", "object"}, {"/spec/milvus/name", "string"},
                {"/spec/operation", "string"}, {"/metadata/labels", "object"}, {"/spec", "object"}};
        String[] field = fields[random.nextInt(fields.length)];
        List<JsonNode> values = new ArrayList<>(List.of(NODES.textNode("3"), NODES.numberNode(3), NODES.booleanNode(true), NODES.arrayNode().add(1),
                NODES.objectNode().put("x", 1), NODES.numberNode(2.5), NODES.textNode("true")));
        values.removeIf(value -> typeOf(value).equals(field[1]));
        JsonNode value = values.get(random.nextInt(values.size()));
        String pointer = field[0];
        int at = pointer.lastIndexOf('/');
        ObjectNode parent = object.withObject(pointer.substring(0, at));
        parent.set(pointer.substring(at + 1), value);
        return pointer.substring(1).replace('/', '.') + " = " + value;
    }

    private static String typeOf(JsonNode value) {
        if (value.isTextual()) return "string";
        if (value.isIntegralNumber()) return "integer";
        if (value.isBoolean()) return "boolean";
        if (value.isObject()) return "object";
        return value.isArray() ? "array" : "number";
    }

    private static String hugeString(Random random, Endpoint endpoint, ObjectNode object, int length) {
        String text = "m".repeat(length);
        return switch (random.nextInt(3)) {
            case 0 -> {
                object.withObject("/spec").withObject("/components").put("image", text);
                yield "spec.components.image";
            }
            case 1 -> {
                object.withObject("/metadata").withObject("/annotations").put("a", text);
                yield "metadata.annotations.a";
            }
            default -> {
                object.withObject("/spec").put(endpoint.admission() ? "targetImage" : "note", text);
                yield "spec";
            }
        };
    }

    /** Components of the shapes a hostile client chooses: many small ones, long lists, long strings. */
    private static void fill(Random random, ObjectNode components, int bytes) {
        int written = 0;
        for (int i = 0; written < bytes; i++) {
            ObjectNode component = components.putObject("c" + i);
            switch (random.nextInt(3)) {
                case 0 -> {
                    ArrayNode list = component.putArray("env");
                    for (int j = 0; j < 100; j++) list.addObject().put("name", "N" + j).put("value", "v");
                    written += 2_500;
                }
                case 1 -> {
                    component.put("image", "milvusdb/milvus:v2.2." + i + "-" + "x".repeat(2_000));
                    written += 2_040;
                }
                default -> {
                    for (int j = 0; j < 50; j++) component.putArray("l" + j);
                    written += 400;
                }
            }
        }
    }

    private static String otherKind(Random random, Endpoint endpoint, ObjectNode review, ObjectNode object) {
        boolean milvus = endpoint == Endpoint.VALIDATE_MILVUS || endpoint == Endpoint.CONVERT;
        String own = milvus ? "Milvus" : "MilvusUpgrade";
        String[][] kinds = {{"apps/v1", "Deployment"}, {"v1", "ConfigMap"}, {"milvus.io/v1beta1", milvus ? "MilvusUpgrade" : "Milvus"},
                {"milvus.io/v1beta1", "MilvusCluster"}, {"example.com/v1beta1", own}, {"milvus.io/v9", own}};
        String[] kind = kinds[random.nextInt(kinds.length)];
        object.put("apiVersion", kind[0]).put("kind", kind[1]);
        String what = kind[0] + " " + kind[1];
        if (endpoint.admission()) {
            ObjectNode request = (ObjectNode) review.get("request");
            String[] operations = {"CREATE", "UPDATE", "DELETE", "CONNECT"};
            String operation = operations[random.nextInt(operations.length)];
            request.put("operation", operation);
            if (!operation.equals("CREATE")) request.set("oldObject", object.deepCopy());
            if (operation.equals("DELETE") && random.nextBoolean()) request.remove("object");
            what += " on " + operation;
        }
        return what;
    }

    /**
     * What is wrong with the answer {@code status}, {@code body} to {@code hostile}, or null when
     * nothing is: a 5xx other than a 503 (memory), an answer that is neither a verdict nor a 4xx
     * with a one-line reason, or one that breaks the case's {@link Expect}.
     */
    public static String violation(Case hostile, int status, String body) {
        if (status == 503) return null;
        if (status >= 500) return "HTTP " + status;
        if (status >= 400 && status < 500) {
            return !body.isBlank() && body.strip().lines().count() == 1 ? null : "a " + status + " without a one-line reason";
        }
        if (status != 200) return "HTTP " + status;
        if (hostile.expect() == Expect.REFUSED) return "HTTP 200 for a review whose uid is no string";
        JsonNode answer;
        try {
            answer = MAPPER.readTree(body).path("response");
        } catch (java.io.IOException e) {
            return "HTTP 200 whose body is no JSON";
        }
        if (answer.isMissingNode()) return "HTTP 200 without a response";
        if (hostile.expect() != Expect.NOT_ALLOWED) return null;
        if (hostile.path().equals(ConversionEndpoint.PATH)) {
            return "Success".equals(answer.path("result").path("status").asText()) ? "conversion Success" : null;
        }
        return answer.path("allowed").asBoolean(false) ? "allowed: true" : null;
    }
}
