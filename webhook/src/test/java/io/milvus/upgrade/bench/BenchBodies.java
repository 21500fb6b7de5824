package io.milvus.upgrade.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The request bodies both benchmarks send, compact as the apiserver sends them: the upgrade
 * guide's MilvusUpgrade (as created, and as defaulted for validation), a Milvus update that moves
 * the image within 2.2.x, and a ConversionReview of 1,000 stored Milvus objects to v1alpha1 (the
 * direction that loses fields and so writes the origin annotation).
 *
 * <p>{@code main(dir)} writes them to {@code dir} for the load test, one file per endpoint path.
 */
public final class BenchBodies {

    public static final int CONVERSION_OBJECTS = 1000;

    private static final ObjectMapper MAPPER = ApiSerialization.json();

    private BenchBodies() {
    }

    public static byte[] mutateMilvusUpgrade() {
        return compact(resource("milvusupgrade-create-review.json"));
    }

    public static byte[] validateMilvusUpgrade() {
        return compact(resource("milvusupgrade-defaulted-review.json"));
    }

    public static byte[] validateMilvus() {
        return compact(resource("milvus-update-review.json"));
    }

    public static byte[] convert() {
        JsonNode stored = resource("milvus-stored.json");
        ObjectNode review = MAPPER.createObjectNode();
        review.put("apiVersion", "apiextensions.k8s.io/v1");
        review.put("kind", "ConversionReview");
        ObjectNode request = review.putObject("request");
        request.put("uid", "5d1e2f3a-4b5c-4d6e-8f7a-8b9c0d1e2f3a");
        request.put("desiredAPIVersion", "milvus.io/v1alpha1");
        ArrayNode objects = request.putArray("objects");
        for (int i = 0; i < CONVERSION_OBJECTS; i++) {
            ObjectNode object = stored.deepCopy();
            ObjectNode metadata = (ObjectNode) object.get("metadata");
            metadata.put("name", "release-" + i);
            metadata.put("uid", String.format("3c9d5e7f-1a2b-4c3d-8e9f-%012d", i));
            metadata.put("resourceVersion", String.valueOf(184467 + i));
            objects.add(object);
        }
        return compact(review);
    }

    /** Endpoint path → body. */
    public static Map<String, byte[]> all() {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("mutate-milvus-io-v1beta1-milvusupgrade", mutateMilvusUpgrade());
        bodies.put("validate-milvus-io-v1beta1-milvusupgrade", validateMilvusUpgrade());
        bodies.put("validate-milvus-io-v1beta1-milvus", validateMilvus());
        bodies.put("convert", convert());
        return bodies;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: BenchBodies DIR");
            System.exit(2);
        }
        Path dir = Files.createDirectories(Path.of(args[0]));
        for (Map.Entry<String, byte[]> body : all().entrySet()) {
            Files.write(dir.resolve(body.getKey() + ".json"), body.getValue());
        }
    }

    private static JsonNode resource(String name) {
        try (InputStream in = BenchBodies.class.getResourceAsStream("/bench/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource bench/" + name);
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] compact(JsonNode tree) {
        try {
            return MAPPER.writeValueAsBytes(tree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
