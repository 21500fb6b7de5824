package io.milvus.upgrade.conversion;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.milvus.upgrade.admission.BadReviewException;
import io.milvus.upgrade.admission.ReviewBody;
import io.milvus.upgrade.api.ApiSerialization;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converts Milvus objects between v1alpha1 and v1beta1 for the apiserver (ConversionReview v1),
 * hub and spoke: every served version converts to and from v1beta1.
 */
public final class ConversionWebhook {

    public static final String PATH = "/convert";
    /** The versions the Milvus CRD serves; each must have a converter. */
    public static final List<String> SERVED_VERSIONS = List.of(MilvusConverters.V1BETA1, MilvusConverters.V1ALPHA1);

    private static final String REVIEW_API_VERSION = "apiextensions.k8s.io/v1";
    private static final String KIND = "Milvus";

    private final ObjectMapper mapper = ApiSerialization.json();
    private final Map<String, SpokeConverter> converters = new LinkedHashMap<>();

    public ConversionWebhook() {
        MilvusConverters.all().forEach(c -> converters.put(c.apiVersion(), c));
        for (String served : SERVED_VERSIONS) {
            if (!converters.containsKey(served)) {
                throw new IllegalStateException("served version " + served + " has no converter");
            }
        }
    }

    /**
     * What the server needs to answer and to log.
     *
     * @param response the ConversionReview to send back; a tree, so that it is written straight to
     *                 the client rather than held a second time as a megabytes-long document
     */
    public record Outcome(String uid, int objects, String desiredApiVersion, boolean succeeded, String message, ObjectNode response) {
    }

    /**
     * Answers a ConversionReview; a review whose objects cannot be converted gets
     * {@code result.status: Failed} with a message.
     *
     * @throws BadReviewException when the body is not a ConversionReview at all (HTTP 400)
     */
    public Outcome convert(byte[] body) throws BadReviewException {
        JsonNode review = ReviewBody.parse(body, "a ConversionReview");
        if (!review.isObject() || !"ConversionReview".equals(review.path("kind").asText()) || !REVIEW_API_VERSION.equals(review.path("apiVersion").asText())) {
            throw new BadReviewException("expected kind ConversionReview with apiVersion " + REVIEW_API_VERSION);
        }
        JsonNode request = review.get("request");
        if (request == null || !request.isObject()) {
            throw new BadReviewException("ConversionReview has no request");
        }
        String uid = request.path("uid").asText("");
        if (uid.isEmpty()) {
            throw new BadReviewException("ConversionReview request has no uid, so no response could be matched to it");
        }
        String desired = request.path("desiredAPIVersion").asText("");
        JsonNode objects = request.path("objects");
        int count = objects.isArray() ? objects.size() : 0;
        try {
            ArrayNode converted = convertAll(desired, objects);
            return new Outcome(uid, count, desired, true, "", respond(uid, converted, null));
        } catch (LosslessConversion.ConversionException e) {
            return new Outcome(uid, count, desired, false, e.getMessage(), respond(uid, null, e.getMessage()));
        }
    }

    private ArrayNode convertAll(String desired, JsonNode objects) throws LosslessConversion.ConversionException {
        SpokeConverter target = converters.get(desired);
        if (target == null) {
            throw new LosslessConversion.ConversionException("desiredAPIVersion '" + desired + "' is not served; served: " + SERVED_VERSIONS);
        }
        if (!objects.isArray()) {
            throw new LosslessConversion.ConversionException("request.objects must be a list");
        }
        ArrayNode converted = mapper.createArrayNode();
        for (int i = 0; i < objects.size(); i++) {
            converted.add(convertOne(objects.get(i), i, target));
        }
        return converted;
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
            return target.fromHub(source.toHub(object));
        } catch (LosslessConversion.ConversionException e) {
            String name = object.path("metadata").path("name").asText("");
            throw new LosslessConversion.ConversionException("objects[" + index + "]" + (name.isEmpty() ? "" : " (" + name + ")") + ": " + e.getMessage());
        }
    }

    private ObjectNode respond(String uid, ArrayNode converted, String failure) {
        ObjectNode review = mapper.createObjectNode();
        review.put("apiVersion", REVIEW_API_VERSION);
        review.put("kind", "ConversionReview");
        ObjectNode response = review.putObject("response");
        response.put("uid", uid);
        ObjectNode result = response.putObject("result");
        if (failure == null) {
            result.put("status", "Success");
            response.set("convertedObjects", converted);
        } else {
            // The spec's word; the apiserver treats every status other than Success as a failure.
            result.put("status", "Failed");
            result.put("message", failure);
        }
        return review;
    }
}
