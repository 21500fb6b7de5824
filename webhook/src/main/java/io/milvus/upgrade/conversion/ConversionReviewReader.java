package io.milvus.upgrade.conversion;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.milvus.upgrade.admission.BadReviewException;
import io.milvus.upgrade.admission.JsonShape;
import io.milvus.upgrade.admission.ReviewBody;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import java.io.IOException;
import java.util.function.Supplier;

/**
 * Reads a ConversionReview as a stream of tokens and hands each object to the request's listener
 * as soon as it has been read, so that no review is ever held as one tree. The apiserver sends the
 * desired version before the objects; objects that come first are counted, and read again by
 * {@link #readObjectsAgain} once the version is known.
 */
final class ConversionReviewReader {

    private static final ObjectMapper JSON = ApiSerialization.json();

    /** What one {@code request} says, fed to it as the parser meets it. */
    interface RequestListener {
        void desiredApiVersion(String apiVersion);

        void object(JsonNode object, int index) throws IOException;
    }

    /**
     * A request's facts besides its objects.
     *
     * @param desiredApiVersion null when the request names none
     * @param objectsBeforeVersion the objects came before the desired version and were only counted
     */
    record Request<L extends RequestListener>(String uid, String desiredApiVersion, boolean objectsAreAList, int objects,
                                              boolean objectsBeforeVersion, L listener) {
    }

    private ConversionReviewReader() {
    }

    /**
     * @param newRequest a listener for each {@code request} met (the last one counts)
     * @throws BadReviewException when the body is not a ConversionReview with a request and a uid
     */
    static <L extends RequestListener> Request<L> read(byte[] body, Supplier<L> newRequest) throws BadReviewException {
        return ReviewBody.read(body, "a " + ConversionReview.KIND, parser -> readReview(parser, newRequest));
    }

    /** The second pass over a review whose objects came before its desired version. */
    static void readObjectsAgain(byte[] body, RequestListener listener) throws BadReviewException {
        ReviewBody.read(body, "a " + ConversionReview.KIND, parser -> {
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
                            listener.object(JSON.readTree(parser), i);
                        }
                    } else {
                        parser.skipChildren();
                    }
                }
            }
            return listener;
        });
    }

    private static <L extends RequestListener> Request<L> readReview(JsonParser parser, Supplier<L> newRequest)
            throws IOException, BadReviewException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw notAReview();
        }
        String apiVersion = "";
        String kind = "";
        Request<L> request = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "apiVersion" -> apiVersion = scalarText(parser);
                case "kind" -> kind = scalarText(parser);
                case "request" -> request = value == JsonToken.START_OBJECT ? readRequest(parser, newRequest.get()) : skip(parser);
                default -> parser.skipChildren();
            }
        }
        if (!ConversionReview.KIND.equals(kind) || !ConversionReview.API_VERSION.equals(apiVersion)) {
            throw notAReview();
        }
        if (request == null) {
            throw new BadReviewException(ConversionReview.KIND + " has no request");
        }
        if (request.uid().isEmpty()) {
            throw new BadReviewException(ConversionReview.KIND + " request has no uid, so no response could be matched to it");
        }
        return request;
    }

    private static <L extends RequestListener> Request<L> readRequest(JsonParser parser, L listener) throws IOException, BadReviewException {
        String uid = "";
        String desired = null;
        boolean objectsFound = false;
        boolean objectsAreAList = false;
        boolean deferred = false;
        int count = 0;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String field = parser.currentName();
            JsonToken value = parser.nextToken();
            switch (field) {
                case "uid" -> {
                    if (value != JsonToken.VALUE_STRING && value != JsonToken.VALUE_NULL) {
                        throw new BadReviewException(ConversionReview.KIND + " request.uid must be a string, not " + JsonShape.typeOf(value));
                    }
                    uid = scalarText(parser);
                }
                case "desiredAPIVersion" -> {
                    if (desired != null) {
                        throw new BadReviewException(ConversionReview.KIND + " request has desiredAPIVersion twice");
                    }
                    desired = scalarText(parser);
                    listener.desiredApiVersion(desired);
                }
                case "objects" -> {
                    if (objectsFound) {
                        throw new BadReviewException(ConversionReview.KIND + " request has objects twice");
                    }
                    objectsFound = true;
                    objectsAreAList = value == JsonToken.START_ARRAY;
                    if (objectsAreAList && desired == null) {
                        deferred = true;
                        count = countElements(parser);
                    } else if (objectsAreAList) {
                        while (parser.nextToken() != JsonToken.END_ARRAY) {
                            listener.object(JSON.readTree(parser), count++);
                        }
                    } else {
                        parser.skipChildren();
                    }
                }
                default -> parser.skipChildren();
            }
        }
        return new Request<>(uid, desired, objectsAreAList, count, deferred, listener);
    }

    private static int countElements(JsonParser parser) throws IOException {
        int count = 0;
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            parser.skipChildren();
            count++;
        }
        return count;
    }

    /** A scalar's text ("" for null); an object or a list has none and is skipped whole. */
    private static String scalarText(JsonParser parser) throws IOException {
        String text = parser.getValueAsString("");
        parser.skipChildren();
        return text;
    }

    private static <T> T skip(JsonParser parser) throws IOException {
        parser.skipChildren();
        return null;
    }

    private static BadReviewException notAReview() {
        return new BadReviewException("expected kind " + ConversionReview.KIND + " with apiVersion " + ConversionReview.API_VERSION);
    }
}
