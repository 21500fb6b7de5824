package io.milvus.upgrade.conversion;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.milvus.upgrade.admission.BadReviewException;
import io.milvus.upgrade.admission.ReviewBody;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.server.ConversionEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Converts Milvus objects between v1alpha1 and v1beta1 for the apiserver (ConversionReview v1),
 * hub and spoke: every served version converts to and from v1beta1.
 *
 * <p>A review is read as a stream of tokens and each object is converted as soon as it has been
 * read, straight into the bytes of the answer: held as one tree, a 1,000-object review (2 MB)
 * takes 13 MB of heap, and a server given several at once spends its time collecting garbage.
 * The answer is only sent once every object has converted: the apiserver takes all or none.
 */
public final class ConversionWebhook implements ConversionEndpoint {

    /** The versions the Milvus CRD serves; each must have a converter. */
    public static final List<String> SERVED_VERSIONS = List.of(MilvusConverters.V1BETA1, MilvusConverters.V1ALPHA1);

    private static final String REVIEW_API_VERSION = "apiextensions.k8s.io/v1";
    private static final String REVIEW_KIND = "ConversionReview";
    private static final String KIND = "Milvus";

    private final ObjectMapper mapper = ApiSerialization.json();
    private final Map<String, SpokeConverter> converters = new LinkedHashMap<>();

    private final Supplier<SchemaDefaults> defaults;

    /** A webhook that knows no schema defaults (offline, tests). */
    public ConversionWebhook() {
        this(SchemaDefaults::none);
    }

    /** @param defaults the served CRD's schema defaults as last read; asked once per review, so it must not block */
    public ConversionWebhook(Supplier<SchemaDefaults> defaults) {
        this.defaults = defaults;
        MilvusConverters.all().forEach(c -> converters.put(c.apiVersion(), c));
        for (String served : SERVED_VERSIONS) {
            if (!converters.containsKey(served)) {
                throw new IllegalStateException("served version " + served + " has no converter");
            }
        }
    }

    /** What the server needs to answer and to log. */
    public record Outcome(String uid, int objects, String desiredApiVersion, boolean succeeded, String message, Answer response)
            implements ConversionEndpoint.Result {
        @Override
        public void writeTo(OutputStream out) throws IOException {
            response.writeTo(out);
        }
    }

    /** The ConversionReview to send back, already serialized. */
    public static final class Answer {
        private final ByteArrayOutputStream json;

        private Answer(ByteArrayOutputStream json) {
            this.json = json;
        }

        public void writeTo(OutputStream out) throws IOException {
            json.writeTo(out);
        }

        public JsonNode tree() {
            try {
                return ApiSerialization.json().readTree(json.toByteArray());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Answers a ConversionReview; a review whose objects cannot be converted gets
     * {@code result.status: Failed} with a message.
     *
     * @throws BadReviewException when the body is not a ConversionReview at all (HTTP 400)
     */
    @Override
    public Outcome convert(byte[] body) throws BadReviewException {
        Conversion conversion = ReviewBody.read(body, "a " + REVIEW_KIND, parser -> readReview(parser, body.length));
        if (conversion.deferred && conversion.target != null) {
            ReviewBody.read(body, "a " + REVIEW_KIND, parser -> convertDeferred(parser, conversion));
        }
        return conversion.outcome();
    }

    private Conversion readReview(JsonParser parser, int bodyLength) throws IOException, BadReviewException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw notAReview();
        }
        String apiVersion = "";
        String kind = "";
        Conversion conversion = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "apiVersion" -> apiVersion = scalarText(parser);
                case "kind" -> kind = scalarText(parser);
                case "request" -> conversion = value == JsonToken.START_OBJECT ? readRequest(parser, bodyLength) : skip(parser);
                default -> parser.skipChildren();
            }
        }
        if (!REVIEW_KIND.equals(kind) || !REVIEW_API_VERSION.equals(apiVersion)) {
            throw notAReview();
        }
        if (conversion == null) {
            throw new BadReviewException(REVIEW_KIND + " has no request");
        }
        if (conversion.uid.isEmpty()) {
            throw new BadReviewException(REVIEW_KIND + " request has no uid, so no response could be matched to it");
        }
        return conversion;
    }

    private Conversion readRequest(JsonParser parser, int bodyLength) throws IOException, BadReviewException {
        Conversion conversion = new Conversion(bodyLength);
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "uid" -> conversion.uid = scalarText(parser);
                case "desiredAPIVersion" -> conversion.desire(scalarText(parser));
                case "objects" -> {
                    conversion.objectsFound(value == JsonToken.START_ARRAY);
                    if (value == JsonToken.START_ARRAY && conversion.desired == null) {
                        // Objects before the desired version (the apiserver never sends them so)
                        // are read again once it is known, rather than held as trees meanwhile.
                        conversion.deferred = true;
                        conversion.count = countElements(parser);
                    } else if (value == JsonToken.START_ARRAY) {
                        while (parser.nextToken() != JsonToken.END_ARRAY) {
                            conversion.accept(mapper.readTree(parser));
                        }
                    } else {
                        parser.skipChildren();
                    }
                }
                default -> parser.skipChildren();
            }
        }
        return conversion;
    }

    private static int countElements(JsonParser parser) throws IOException {
        int count = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            parser.skipChildren();
            count++;
        }
        return count;
    }

    /** The second pass over a review whose objects came before its desired version. */
    private Conversion convertDeferred(JsonParser parser, Conversion conversion) throws IOException {
        parser.nextToken();
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            if (parser.nextToken() != JsonToken.START_OBJECT || !field.equals("request")) {
                parser.skipChildren();
                continue;
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String inner = parser.currentName();
                if (parser.nextToken() == JsonToken.START_ARRAY && inner.equals("objects")) {
                    for (int i = 0; parser.nextToken() != JsonToken.END_ARRAY; i++) {
                        conversion.convert(mapper.readTree(parser), i);
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }
        return conversion;
    }

    /** A scalar's text ("" for null); an object or a list has none and is skipped whole. */
    private static String scalarText(JsonParser parser) throws IOException {
        String text = parser.getValueAsString("");
        parser.skipChildren();
        return text;
    }

    private static Conversion skip(JsonParser parser) throws IOException {
        parser.skipChildren();
        return null;
    }

    private static BadReviewException notAReview() {
        return new BadReviewException("expected kind " + REVIEW_KIND + " with apiVersion " + REVIEW_API_VERSION);
    }

    private ObjectNode convertOne(JsonNode node, int index, SpokeConverter target) throws LosslessConversion.ConversionException {
        if (!(node instanceof ObjectNode object)) {
            throw new LosslessConversion.ConversionException("objects[" + index + "] is not an object");
        }
        String apiVersion = object.path("apiVersion").asText("");
        String kind = object.path("kind").asText("");
        if (!KIND.equals(kind)) {
            throw new LosslessConversion.ConversionException("objects[" + index + "] is a " + (kind.isEmpty() ? "object without kind" : kind) + ", not a Milvus");
        }
        SpokeConverter source = converters.get(apiVersion);
        if (source == null) {
            throw new LosslessConversion.ConversionException("objects[" + index + "] has apiVersion '" + apiVersion + "', which is not served; served: " + SERVED_VERSIONS);
        }
        if (object.has("spec") && !object.get("spec").isObject()) {
            throw new LosslessConversion.ConversionException("objects[" + index + "]: spec must be an object");
        }
        if (source == target) {
            return object;
        }
        try {
            SchemaDefaults schema = defaults.get();
            return target.fromHub(source.toHub(object, schema), schema);
        } catch (LosslessConversion.ConversionException e) {
            String name = object.path("metadata").path("name").asText("");
            throw new LosslessConversion.ConversionException("objects[" + index + "]" + (name.isEmpty() ? "" : " (" + name + ")") + ": " + e.getMessage());
        }
    }

    /**
     * One review's request, fed its fields as the parser meets them. The apiserver sends the
     * desired version before the objects; objects that come first wait for it, as trees.
     */
    private final class Conversion {
        private String uid = "";
        private String desired;
        private SpokeConverter target;
        private boolean objectsFound;
        private boolean objectsAreAList;
        private int count;
        private boolean deferred;
        private String objectFailure;
        private final ByteArrayOutputStream answer;
        private final JsonGenerator out;

        Conversion(int bodyLength) throws IOException {
            // The answer is about as long as the review: sized once rather than grown by doubling.
            answer = new ByteArrayOutputStream(bodyLength + 1024);
            out = mapper.createGenerator(answer);
            writeHead(out);
            out.writeArrayFieldStart("convertedObjects");
        }

        void desire(String apiVersion) throws IOException, BadReviewException {
            if (desired != null) {
                throw new BadReviewException(REVIEW_KIND + " request has desiredAPIVersion twice");
            }
            desired = apiVersion;
            target = converters.get(apiVersion);
        }

        void objectsFound(boolean list) throws BadReviewException {
            if (objectsFound) {
                throw new BadReviewException(REVIEW_KIND + " request has objects twice");
            }
            objectsFound = true;
            objectsAreAList = list;
        }

        void accept(JsonNode object) throws IOException {
            convert(object, count++);
        }

        private void convert(JsonNode object, int index) throws IOException {
            if (target == null || objectFailure != null) {
                return;
            }
            try {
                out.writeTree(convertOne(object, index, target));
            } catch (LosslessConversion.ConversionException e) {
                objectFailure = e.getMessage();
            }
        }

        Outcome outcome() {
            try {
                if (desired == null) {
                    desired = ""; // the objects waited for a version that never came
                }
                String failure = failure();
                return new Outcome(uid, count, desired, failure == null, failure == null ? "" : failure,
                        failure == null ? converted() : failed(failure));
            } catch (IOException e) {
                throw new UncheckedIOException(e); // written to memory: cannot happen
            }
        }

        private String failure() {
            if (target == null) {
                return "desiredAPIVersion '" + desired + "' is not served; served: " + SERVED_VERSIONS;
            }
            if (!objectsAreAList) {
                return "request.objects must be a list";
            }
            return objectFailure;
        }

        private Answer converted() throws IOException {
            out.writeEndArray();
            writeTail(out, uid, null);
            return new Answer(answer);
        }

        private Answer failed(String failure) throws IOException {
            out.close(); // what it wrote is dropped
            ByteArrayOutputStream json = new ByteArrayOutputStream(256);
            try (JsonGenerator failed = mapper.createGenerator(json)) {
                writeHead(failed);
                writeTail(failed, uid, failure);
            }
            return new Answer(json);
        }
    }

    private static void writeHead(JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeStringField("apiVersion", REVIEW_API_VERSION);
        out.writeStringField("kind", REVIEW_KIND);
        out.writeObjectFieldStart("response");
    }

    private static void writeTail(JsonGenerator out, String uid, String failure) throws IOException {
        out.writeStringField("uid", uid);
        out.writeObjectFieldStart("result");
        if (failure == null) {
            out.writeStringField("status", "Success");
        } else {
            // The spec's word; the apiserver treats every status other than Success as a failure.
            out.writeStringField("status", "Failed");
            out.writeStringField("message", failure);
        }
        out.writeEndObject();
        out.writeEndObject();
        out.writeEndObject();
        out.close();
    }
}
