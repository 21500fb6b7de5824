package io.milvus.upgrade.conversion;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.log.LogEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a round trip between two versions exact where the field mapping alone would lose
 * something (v1beta1's global image and cluster components have no place in v1alpha1).
 *
 * <p>After mapping, the result is mapped back; if that does not give the original spec, the
 * original spec is kept in an annotation on the result, with a digest of the spec as converted.
 * Converting back restores the original only while that digest still matches: a user who edited
 * the object in the other version keeps the edit, and only the parts that version cannot express
 * are taken from the annotation.
 */
final class LosslessConversion {

    static final String ANNOTATION = "milvus.io/conversion-origin";

    private static final ObjectMapper JSON = ApiSerialization.json();
    private static final Logger LOG = LoggerFactory.getLogger(LosslessConversion.class);

    private LosslessConversion() {
    }

    /**
     * Converts {@code object} (whose apiVersion is {@code from}) to {@code to} in place, mapping
     * its spec with {@code forward}; {@code backward} is the reverse mapping, used to detect loss.
     * In place, because each object of a review is decoded for this conversion alone: a copy
     * would double what a 1,000-object review allocates.
     *
     * <p>The digest is of the converted spec as a client of {@code to} sees it, with that
     * version's schema defaults applied, and an arriving spec is compared with its defaults
     * applied too: a client that reads and writes back an object unchanged returns the
     * apiserver's defaults with it, and that is no edit.
     */
    static ObjectNode convert(ObjectNode object, String from, String to, UnaryOperator<ObjectNode> forward,
                              UnaryOperator<ObjectNode> backward, OriginOverlay overlay, SchemaDefaults defaults) throws ConversionException {
        ObjectNode result = object;
        ObjectNode spec = object.get("spec") instanceof ObjectNode s ? s : null;
        result.put("apiVersion", to);
        Origin origin = takeOrigin(result);
        if (spec == null) {
            return result; // nothing to map: metadata and status only
        }
        ObjectNode converted;
        if (origin != null && origin.apiVersion().equals(to) && origin.digest().equals(digest(defaults.applied(from, spec)))) {
            converted = origin.spec(); // untouched since we converted it: restore exactly
        } else {
            converted = forward.apply(spec);
            if (origin != null && origin.apiVersion().equals(to)) {
                overlay.apply(origin.spec(), converted); // edited meanwhile: keep the edit, restore what it cannot express
            }
        }
        result.set("spec", converted);
        // Loss is judged on what clients see, each version with the apiserver's defaults applied:
        // a default that comes back is no loss, one that would be added on the way is.
        ObjectNode roundTrip = backward.apply(defaults.applied(to, converted));
        if (!defaults.applied(from, roundTrip).equals(defaults.applied(from, spec))) {
            putOrigin(result, new Origin(from, spec, digest(defaults.applied(to, converted))));
        }
        return result;
    }

    /** Puts back, from the original spec, the parts that the other version cannot express. */
    @FunctionalInterface
    interface OriginOverlay {
        void apply(ObjectNode original, ObjectNode converted);
    }

    record Origin(String apiVersion, ObjectNode spec, String digest) {
    }

    private static Origin takeOrigin(ObjectNode object) {
        if (!(object.path("metadata").get("annotations") instanceof ObjectNode annotations) || !annotations.has(ANNOTATION)) {
            return null;
        }
        String text = annotations.remove(ANNOTATION).asText();
        try {
            JsonNode origin = JSON.readTree(text);
            if (annotations.isEmpty() && origin.path("annotationsAdded").asBoolean()) {
                ((ObjectNode) object.get("metadata")).remove("annotations"); // the map was ours alone
            }
            if (origin.get("spec") instanceof ObjectNode spec && origin.path("apiVersion").isTextual() && origin.path("digest").isTextual()) {
                return new Origin(origin.get("apiVersion").asText(), spec, origin.get("digest").asText());
            }
        } catch (IOException e) {
            // fall through: a damaged annotation is reported below
        }
        // Anyone who may edit the object may edit the annotation: failing here would fail every
        // list the object is in. The plain mapping is what the object would get without it.
        JsonNode metadata = object.path("metadata");
        LogEvent.warn(LOG, "conversion_origin_damaged")
                .addKeyValue("namespace", metadata.path("namespace").asText())
                .addKeyValue("name", metadata.path("name").asText())
                .addKeyValue("annotation", ANNOTATION)
                .addKeyValue("action", "plain_mapping").log();
        return null;
    }

    private static void putOrigin(ObjectNode object, Origin origin) {
        ObjectNode metadata = object.get("metadata") instanceof ObjectNode m ? m : object.putObject("metadata");
        boolean added = !(metadata.get("annotations") instanceof ObjectNode);
        ObjectNode annotations = metadata.get("annotations") instanceof ObjectNode a ? a : metadata.putObject("annotations");
        ObjectNode value = JsonNodeFactory.instance.objectNode();
        if (added) value.put("annotationsAdded", true);
        value.put("apiVersion", origin.apiVersion());
        value.put("digest", origin.digest());
        value.set("spec", origin.spec());
        annotations.put(ANNOTATION, value.toString());
    }

    /**
     * SHA-256 of the spec's canonical JSON (object fields sorted by name, no white space), streamed
     * into the digest rather than built as a document first.
     */
    static String digest(JsonNode spec) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (JsonGenerator out = JSON.getFactory().createGenerator(new DigestOutputStream(OutputStream.nullOutputStream(), sha256))) {
                writeCanonical(spec, out);
            }
            return HexFormat.of().formatHex(sha256.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeCanonical(JsonNode node, JsonGenerator out) throws IOException {
        if (node.isObject()) {
            out.writeStartObject();
            TreeSet<String> names = new TreeSet<>();
            node.fieldNames().forEachRemaining(names::add);
            for (String name : names) {
                out.writeFieldName(name);
                writeCanonical(node.get(name), out);
            }
            out.writeEndObject();
        } else if (node.isArray()) {
            out.writeStartArray();
            for (JsonNode element : node) {
                writeCanonical(element, out);
            }
            out.writeEndArray();
        } else {
            JSON.writeTree(out, node);
        }
    }

    static final class ConversionException extends Exception {
        ConversionException(String message) {
            super(message);
        }
    }
}
