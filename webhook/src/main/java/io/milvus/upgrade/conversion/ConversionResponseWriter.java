package io.milvus.upgrade.conversion;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writes the ConversionReview answer while the review is read: each converted object goes
 * straight into its bytes. The answer is only sent once every object has converted, since the
 * apiserver takes all or none; a failure replaces what was written with the message alone.
 */
final class ConversionResponseWriter {

    private static final ObjectMapper JSON = ApiSerialization.json();

    private final ByteArrayOutputStream answer;
    private final JsonGenerator out;

    ConversionResponseWriter(int bodyLength) {
        // The answer is about as long as the review: sized once rather than grown by doubling.
        answer = new ByteArrayOutputStream(bodyLength + 1024);
        out = inMemory(() -> {
            JsonGenerator generator = JSON.createGenerator(answer);
            writeHead(generator);
            generator.writeArrayFieldStart("convertedObjects");
            return generator;
        });
    }

    void add(ObjectNode converted) throws IOException {
        out.writeTree(converted);
    }

    ConversionWebhook.Answer succeeded(String uid) {
        return inMemory(() -> {
            out.writeEndArray();
            writeTail(out, uid, null);
            return new ConversionWebhook.Answer(answer);
        });
    }

    ConversionWebhook.Answer failed(String uid, String failure) {
        return inMemory(() -> {
            out.close(); // what it wrote is dropped
            ByteArrayOutputStream json = new ByteArrayOutputStream(256);
            try (JsonGenerator failed = JSON.createGenerator(json)) {
                writeHead(failed);
                writeTail(failed, uid, failure);
            }
            return new ConversionWebhook.Answer(json);
        });
    }

    private static void writeHead(JsonGenerator out) throws IOException {
        out.writeStartObject();
        out.writeStringField("apiVersion", ConversionReview.API_VERSION);
        out.writeStringField("kind", ConversionReview.KIND);
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

    private interface Write<T> {
        T run() throws IOException;
    }

    /** Written to memory: an IOException cannot happen. */
    private static <T> T inMemory(Write<T> write) {
        try {
            return write.run();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
