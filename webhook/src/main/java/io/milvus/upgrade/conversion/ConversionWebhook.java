package io.milvus.upgrade.conversion;

import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.upgrade.admission.BadReviewException;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import io.milvus.upgrade.server.ConversionEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.function.Supplier;

/**
 * Converts Milvus objects between v1alpha1 and v1beta1 for the apiserver (ConversionReview v1),
 * hub and spoke: every served version converts to and from v1beta1.
 *
 * <p>A review is read as a stream of tokens ({@link ConversionReviewReader}) and each object is
 * converted ({@link MilvusObjectMapper}) as soon as it has been read, straight into the bytes of
 * the answer ({@link ConversionResponseWriter}): held as one tree, a 1,000-object review (2 MB)
 * takes 13 MB of heap, and a server given several at once spends its time collecting garbage.
 */
public final class ConversionWebhook implements ConversionEndpoint {

    /** The versions the Milvus CRD serves; each must have a converter. */
    public static final List<String> SERVED_VERSIONS = List.of(MilvusConverters.V1BETA1, MilvusConverters.V1ALPHA1);

    private final MilvusObjectMapper mapper;

    /** A webhook that knows no schema defaults (offline, tests). */
    public ConversionWebhook() {
        this(SchemaDefaults::none);
    }

    /** @param defaults the served CRD's schema defaults as last read; asked per converted object, so it must not block */
    public ConversionWebhook(Supplier<SchemaDefaults> defaults) {
        this.mapper = new MilvusObjectMapper(SERVED_VERSIONS, defaults);
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

        Answer(ByteArrayOutputStream json) {
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
        var request = ConversionReviewReader.read(body, () -> new Conversion(new ConversionResponseWriter(body.length)));
        Conversion conversion = request.listener();
        if (request.objectsBeforeVersion() && conversion.target != null) {
            ConversionReviewReader.readObjectsAgain(body, conversion);
        }
        String desired = request.desiredApiVersion() == null ? "" : request.desiredApiVersion();
        String failure = conversion.target == null ? "desiredAPIVersion '" + desired + "' is not served; served: " + SERVED_VERSIONS
                : !request.objectsAreAList() ? "request.objects must be a list"
                : conversion.objectFailure;
        return new Outcome(request.uid(), request.objects(), desired, failure == null, failure == null ? "" : failure,
                failure == null ? conversion.answer.succeeded(request.uid()) : conversion.answer.failed(request.uid(), failure));
    }

    /** One request's objects on their way to the desired version; the first that cannot convert stops the rest. */
    private final class Conversion implements ConversionReviewReader.RequestListener {
        private final ConversionResponseWriter answer;
        private SpokeConverter target;
        private String objectFailure;

        Conversion(ConversionResponseWriter answer) {
            this.answer = answer;
        }

        @Override
        public void desiredApiVersion(String apiVersion) {
            target = mapper.converterTo(apiVersion).orElse(null);
        }

        @Override
        public void object(JsonNode object, int index) throws IOException {
            if (target == null || objectFailure != null) {
                return;
            }
            try {
                answer.add(mapper.convert(object, index, target));
            } catch (LosslessConversion.ConversionException e) {
                objectFailure = e.getMessage();
            }
        }
    }
}
