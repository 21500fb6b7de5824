package io.milvus.upgrade.stress;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.bench.BenchBodies;
import io.milvus.upgrade.cli.MilvusWebhooks;
import io.milvus.upgrade.server.ConversionEndpoint;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Hostile request bodies for the webhook's review paths: a fixed corpus of pathological JSON
 * (each once ran a 64 MiB heap out of memory, issue 15) and a fuzz generator that mutates the
 * valid reviews of {@link BenchBodies} from a seed, so that a failing case can be replayed.
 * Every body is at most {@link #FUZZ_MAX_BYTES} (the fuzz) or 7 MiB (the corpus).
 */
public final class HostileBodies {

    /** One request: where it goes, what it carries, and a short description for a failure message. */
    public record Case(String path, byte[] body, String description) {
        @Override
        public String toString() {
            return description + " (" + path + ", " + body.length + " bytes)";
        }
    }

    /** Bounds each fuzz body, so that 300 cases run in seconds. */
    public static final int FUZZ_MAX_BYTES = 512 * 1024;

    private static final ObjectMapper MAPPER = ApiSerialization.json();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String ENVELOPE_START = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":{\"uid\":\"u\",\"junk\":";

    private HostileBodies() {
    }

    /** The pathological corpus of issue 15, item 3: small or legal bodies whose trees cost 30-65x their size. */
    public static List<Case> corpus() {
        return List.of(
                new Case(MilvusWebhooks.VALIDATE_MILVUSUPGRADE, envelope("[" + "{},".repeat(300_000) + "{}]"), "900 KB of [{},{},...]"),
                new Case(MilvusWebhooks.VALIDATE_MILVUSUPGRADE, labels(200_000), "200k labels"),
                new Case(MilvusWebhooks.VALIDATE_MILVUSUPGRADE, longString(7 * 1024 * 1024 - 4096), "a 7 MiB string"),
                new Case(ConversionEndpoint.PATH, objectsBeforeDesiredVersion(100_000), "100k conversion objects before desiredAPIVersion"),
                new Case(MilvusWebhooks.VALIDATE_MILVUSUPGRADE, envelope("[" + "\"\",".repeat(1_000_000) + "\"\"]"), "1M strings"),
                new Case(MilvusWebhooks.VALIDATE_MILVUSUPGRADE, envelope("[" + "[],".repeat(1_000_000) + "[]]"), "1M lists"));
    }

    private static byte[] envelope(String junk) {
        return (ENVELOPE_START + junk + "}}").getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] labels(int count) {
        ObjectNode review = tree(BenchBodies.validateMilvusUpgrade());
        ObjectNode labels = ((ObjectNode) review.at("/request/object/metadata")).putObject("labels");
        for (int i = 0; i < count; i++) labels.put("l" + i, "v");
        return bytes(review);
    }

    private static byte[] longString(int length) {
        ObjectNode review = tree(BenchBodies.validateMilvusUpgrade());
        ((ObjectNode) review.at("/request/object/metadata")).putObject("annotations").put("a", "x".repeat(length));
        return bytes(review);
    }

    private static byte[] objectsBeforeDesiredVersion(int count) {
        String objects = "{\"kind\":\"Milvus\"},".repeat(count - 1) + "{\"kind\":\"Milvus\"}";
        return ("{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"ConversionReview\",\"request\":{\"uid\":\"u\",\"objects\":["
                + objects + "],\"desiredAPIVersion\":\"milvus.io/v1alpha1\"}}").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code count} fuzz cases from {@code seed}: the same seed gives the same bodies. */
    public static List<Case> fuzz(long seed, int count) {
        Random random = new Random(seed);
        List<Map.Entry<String, byte[]>> valid = valid();
        List<Case> cases = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Map.Entry<String, byte[]> base = valid.get(random.nextInt(valid.size()));
            cases.add(mutate(random, base.getKey(), base.getValue(), "case " + i + " of seed " + seed));
        }
        return cases;
    }

    /** The admission bodies of the benchmark, and a conversion of a few objects. */
    private static List<Map.Entry<String, byte[]>> valid() {
        List<Map.Entry<String, byte[]>> valid = new ArrayList<>();
        for (Map.Entry<String, byte[]> body : BenchBodies.all().entrySet()) {
            if (!body.getKey().equals("convert")) valid.add(Map.entry("/" + body.getKey(), body.getValue()));
        }
        valid.add(Map.entry(ConversionEndpoint.PATH, smallConversion()));
        return valid;
    }

    private static Case mutate(Random random, String path, byte[] valid, String name) {
        ObjectNode review = tree(valid);
        List<String> done = new ArrayList<>();
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) done.add(mutateTree(random, review));
        byte[] body = bytes(review);
        if (random.nextInt(5) == 0) {
            Mutated mutated = mutateBytes(random, body);
            done.add(mutated.description());
            body = mutated.body();
        }
        if (body.length > FUZZ_MAX_BYTES) body = Arrays.copyOf(body, FUZZ_MAX_BYTES);
        return new Case(path, body, name + ": " + String.join(", ", done));
    }

    /** Where a node hangs: its parent and its field name or index. */
    private record Slot(JsonNode parent, String field, int index) {
        void set(JsonNode value) {
            if (parent instanceof ObjectNode object) object.set(field, value);
            else ((ArrayNode) parent).set(index, value);
        }

        void remove() {
            if (parent instanceof ObjectNode object) object.remove(field);
            else ((ArrayNode) parent).remove(index);
        }

        String where() {
            return field != null ? field : "[" + index + "]";
        }
    }

    private static String mutateTree(Random random, ObjectNode review) {
        List<Slot> slots = new ArrayList<>();
        collect(review, slots);
        Slot slot = slots.get(random.nextInt(slots.size()));
        switch (random.nextInt(8)) {
            case 0 -> {
                slot.remove();
                return "removed " + slot.where();
            }
            case 1 -> {
                slot.set(hostileString(random));
                return "hostile string at " + slot.where();
            }
            case 2 -> {
                slot.set(hostileNumber(random));
                return "hostile number at " + slot.where();
            }
            case 3 -> {
                slot.set(nested(random.nextInt(150) + 1));
                return "nesting at " + slot.where();
            }
            case 4 -> {
                ArrayNode wide = NODES.arrayNode();
                int width = random.nextInt(20_000);
                for (int i = 0; i < width; i++) wide.add(random.nextBoolean() ? NODES.objectNode() : NODES.arrayNode());
                slot.set(wide);
                return width + " empty containers at " + slot.where();
            }
            case 5 -> {
                JsonNode[] other = {NODES.nullNode(), NODES.booleanNode(true), NODES.numberNode(7), NODES.textNode("7"), NODES.arrayNode(), NODES.objectNode()};
                slot.set(other[random.nextInt(other.length)]);
                return "another type at " + slot.where();
            }
            case 6 -> {
                String[] contract = {"/apiVersion", "/kind", "/request/operation", "/request/kind/kind", "/request/uid", "/request/desiredAPIVersion"};
                String[] values = {"", "CONNECT", "DELETE", "EXPLODE", "AdmissionReview", "ConversionReview", "v2", "milvus.io/v9", "admission.k8s.io/v1beta1"};
                String pointer = contract[random.nextInt(contract.length)];
                int at = pointer.lastIndexOf('/');
                JsonNode parent = review.at(pointer.substring(0, at));
                if (parent instanceof ObjectNode object) object.put(pointer.substring(at + 1), values[random.nextInt(values.length)]);
                return "contract field " + pointer;
            }
            default -> {
                JsonNode parent = slot.parent();
                String field = random.nextBoolean() ? "x".repeat(1 + random.nextInt(2000)) : hostileString(random).asText();
                if (parent instanceof ObjectNode object) object.put(field, 1);
                return "unknown field of " + Math.min(field.length(), 2000) + " chars";
            }
        }
    }

    private static void collect(JsonNode node, List<Slot> slots) {
        if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                slots.add(new Slot(object, field.getKey(), -1));
                collect(field.getValue(), slots);
            }
        } else if (node instanceof ArrayNode array) {
            for (int i = 0; i < array.size(); i++) {
                slots.add(new Slot(array, null, i));
                collect(array.get(i), slots);
            }
        }
    }

    private static JsonNode hostileString(Random random) {
        String[] pieces = {"\n", "\r\n", "\u0000", "\u001b[31m", "\"", "\\", "\u2028", "\uFEFF", "\uD83D\uDE00", "\uD800", "event=forged ", "%s", "${jndi:x}", "é"};
        StringBuilder text = new StringBuilder();
        int parts = random.nextInt(40);
        for (int i = 0; i < parts; i++) text.append(pieces[random.nextInt(pieces.length)]);
        if (random.nextInt(10) == 0) text.append("y".repeat(random.nextInt(100_000)));
        return NODES.textNode(text.toString());
    }

    private static JsonNode hostileNumber(Random random) {
        String[] numbers = {"1e999", "-1e999", "1e400", "-0", "0.0000000000000000000001", "9223372036854775808", "-9223372036854775809",
                "1" + "0".repeat(99), "123456789012345678901234567890.5", "4.9e-324", "NaN"};
        String number = numbers[random.nextInt(numbers.length)];
        return number.equals("NaN") ? NODES.numberNode(Double.NaN) : NODES.numberNode(new BigDecimal(number));
    }

    static JsonNode nested(int depth) {
        JsonNode node = NODES.textNode("deep");
        for (int i = 0; i < depth; i++) node = i % 2 == 0 ? NODES.arrayNode().add(node) : NODES.objectNode().set("d", node);
        return node;
    }

    private record Mutated(byte[] body, String description) {
    }

    private static Mutated mutateBytes(Random random, byte[] body) {
        switch (random.nextInt(4)) {
            case 0 -> {
                int at = random.nextInt(Math.max(1, body.length));
                return new Mutated(Arrays.copyOf(body, at), "truncated at " + at);
            }
            case 1 -> {
                byte[] flipped = body.clone();
                int at = random.nextInt(Math.max(1, flipped.length));
                if (flipped.length > 0) flipped[at] = (byte) random.nextInt(256);
                return new Mutated(flipped, "byte " + at + " replaced");
            }
            case 2 -> {
                return new Mutated(concat(body, " {\"trailing\":true}".getBytes(StandardCharsets.UTF_8)), "trailing data");
            }
            default -> {
                // The first field of the envelope given twice.
                String text = new String(body, StandardCharsets.UTF_8);
                byte[] twice = text.replaceFirst("\\{\"apiVersion\":(\"[^\"]*\")", "{\"apiVersion\":$1,\"apiVersion\":$1").getBytes(StandardCharsets.UTF_8);
                return new Mutated(twice, "apiVersion twice");
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] joined = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, joined, a.length, b.length);
        return joined;
    }

    /** The benchmark's conversion cut down to three objects. */
    static byte[] smallConversion() {
        ObjectNode conversion = tree(BenchBodies.convert());
        ArrayNode objects = (ArrayNode) conversion.at("/request/objects");
        while (objects.size() > 3) objects.remove(objects.size() - 1);
        return bytes(conversion);
    }

    static ObjectNode tree(byte[] json) {
        try {
            return (ObjectNode) MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(JsonNode tree) {
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
