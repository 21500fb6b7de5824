package io.milvus.upgrade.admission;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.edge.LogValue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/** Reads AdmissionReview requests and writes responses, {@code admission.k8s.io/v1} or {@code v1beta1}. */
public final class AdmissionReviewCodec {

    public static final String V1 = "admission.k8s.io/v1";
    public static final String V1BETA1 = "admission.k8s.io/v1beta1";
    private static final Set<String> API_VERSIONS = Set.of(V1, V1BETA1);
    private static final String KIND = "AdmissionReview";
    private static final List<String> OPERATIONS = List.of("CREATE", "UPDATE", "DELETE", "CONNECT");

    private final ObjectMapper mapper = ApiSerialization.json();

    public ReviewRequest decode(byte[] body) throws BadReviewException {
        JsonNode review = ReviewBody.parse(body, "an AdmissionReview");
        if (!review.isObject()) {
            throw new BadReviewException("expected an AdmissionReview object, got JSON " + review.getNodeType().name().toLowerCase());
        }
        String apiVersion = review.path("apiVersion").asText("");
        String kind = review.path("kind").asText("");
        if (!KIND.equals(kind) || !API_VERSIONS.contains(apiVersion)) {
            throw new BadReviewException("expected kind AdmissionReview with apiVersion " + V1 + " or " + V1BETA1
                    + ", got kind '" + kind + "' apiVersion '" + apiVersion + "'");
        }
        JsonNode request = review.get("request");
        if (request == null || !request.isObject()) {
            throw new BadReviewException("AdmissionReview has no request");
        }
        JsonNode uid = request.path("uid");
        if (!uid.isTextual() && !uid.isMissingNode() && !uid.isNull()) {
            throw new BadReviewException("AdmissionReview request.uid must be a string, not " + JsonShape.typeOf(uid));
        }
        if (uid.asText("").isEmpty()) {
            throw new BadReviewException("AdmissionReview request has no uid, so no response could be matched to it");
        }
        String operation = request.path("operation").isTextual() ? request.get("operation").asText() : "";
        if (!OPERATIONS.contains(operation)) {
            throw new BadReviewException("AdmissionReview request.operation must be one of " + OPERATIONS + ", not " + LogValue.of(request.path("operation").toString()));
        }
        // The tree is this call's own: take the objects out in place rather than copy them.
        ObjectNode envelope = (ObjectNode) request;
        JsonNode object = nonNull(envelope.remove("object"));
        JsonNode oldObject = nonNull(envelope.remove("oldObject"));
        // No rule reads request.options (CreateOptions, UpdateOptions...), and fabric8 would decode
        // it by its kind, looking the kind up among every model type it has.
        envelope.remove("options");
        try {
            return new ReviewRequest(apiVersion, mapper.treeToValue(envelope, AdmissionRequest.class), object, oldObject);
        } catch (JacksonException e) {
            throw new BadReviewException("AdmissionReview request is malformed: " + e.getOriginalMessage());
        }
    }

    /** The response in the version the request came in; both versions share one shape. */
    public byte[] encode(String apiVersion, AdmissionResponse response) {
        try {
            return mapper.writeValueAsBytes(new ResponseReview(apiVersion, KIND, response));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The envelope of an answer, written straight from the response without an intermediate tree. */
    private record ResponseReview(String apiVersion, String kind, AdmissionResponse response) {
    }

    private static JsonNode nonNull(JsonNode node) {
        return node == null || node.isNull() ? null : node;
    }
}
