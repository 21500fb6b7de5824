package io.milvus.upgrade.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.core.JacksonException;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.admission.v1.AdmissionRequest;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.edge.LogValue;
import java.util.Locale;
import java.util.stream.Collectors;

/** What both endpoint kinds share: the context of a request and decoding its objects. */
final class TypedReview {

    private static final ObjectMapper MAPPER = ApiSerialization.json();

    private TypedReview() {
    }

    static AdmissionContext context(AdmissionRequest request) {
        var user = request.getUserInfo();
        Operation operation;
        try {
            operation = Operation.valueOf(String.valueOf(request.getOperation()).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            operation = Operation.CONNECT;
        }
        return new AdmissionContext(
                request.getUid(),
                operation,
                request.getNamespace(),
                request.getName(),
                user == null ? "" : user.getUsername(),
                user == null ? null : user.getGroups(),
                Boolean.TRUE.equals(request.getDryRun()));
    }

    /**
     * Why the review carries an object this endpoint does not judge, whatever the operation, or
     * null when each object it carries is of the endpoint's type: an endpoint that answered for
     * an object it did not read would say yes to what it did not understand.
     */
    static String foreignObject(ReviewRequest review, ResourceType<?> type) {
        String object = review.object() == null ? null : notOfType(review.object(), type, "request.object");
        if (object != null) return object;
        return review.oldObject() == null ? null : notOfType(review.oldObject(), type, "request.oldObject");
    }

    private static String notOfType(JsonNode raw, ResourceType<?> type, String what) {
        if (!raw.isObject()) {
            return what + " is not a " + type.kind() + " object but " + JsonShape.typeOf(raw);
        }
        String kind = raw.path("kind").isTextual() ? raw.get("kind").asText() : "";
        String apiVersion = raw.path("apiVersion").isTextual() ? raw.get("apiVersion").asText() : "";
        if (!type.kind().equals(kind)) {
            return what + " is " + (kind.isEmpty() ? "an object without kind" : "a " + LogValue.of(kind)) + ", not a " + type.kind();
        }
        if (!type.apiVersion().equals(apiVersion)) {
            return what + " has apiVersion '" + LogValue.of(apiVersion) + "', not " + type.apiVersion()
                    + "; this webhook reviews " + type.kind() + " as " + type.apiVersion();
        }
        return null;
    }

    /** The object as {@code T}; the message says which field could not be read and why. */
    static <T extends HasMetadata> T decode(JsonNode raw, ResourceType<T> type, String what) throws UndecodableException {
        String foreign = notOfType(raw, type, what);
        if (foreign != null) {
            throw new UndecodableException(foreign);
        }
        try {
            return MAPPER.treeToValue(raw, type.type());
        } catch (MismatchedInputException e) {
            String field = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                    .collect(Collectors.joining(".")).replace(".[", "[");
            throw new UndecodableException(what + " is not a valid " + type.kind() + ": "
                    + (field.isEmpty() ? "" : field + ": ") + "wrong type (" + e.getOriginalMessage().split("\n")[0] + ")");
        } catch (JacksonException | IllegalArgumentException e) {
            throw new UndecodableException(what + " is not a valid " + type.kind() + ": " + e.getMessage().split("\n")[0]);
        }
    }

    static JsonNode tree(Object value) {
        return MAPPER.valueToTree(value);
    }

    static final class UndecodableException extends Exception {
        UndecodableException(String message) {
            super(message);
        }
    }
}
