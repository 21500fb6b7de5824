package io.milvus.upgrade.admission;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The JSON of a review request body, or a one-line reason why it is none (HTTP 400). */
public final class ReviewBody {

    private ReviewBody() {
    }

    /** Reads a body as it is parsed, token by token; gets the same reasons as {@link #parse}. */
    @FunctionalInterface
    public interface Reader<T> {
        T read(JsonParser parser) throws IOException, BadReviewException;
    }

    /** @param expected what the body should be, for the messages: "an AdmissionReview" */
    public static JsonNode parse(byte[] body, String expected) throws BadReviewException {
        return read(body, expected, parser -> {
            JsonNode tree = ApiSerialization.json().readTree(parser);
            if (tree == null || tree.isMissingNode()) {
                throw empty(expected);
            }
            if (parser.nextToken() != null) {
                throw new BadReviewException("request body has data after its JSON value");
            }
            return tree;
        });
    }

    /**
     * What the body holds, counted without building it, to know what it will cost; refuses what
     * no apiserver sends (data after the JSON, a number no double holds) with the reason.
     */
    public static JsonShape shape(byte[] body, String expected) throws BadReviewException {
        return read(body, expected, parser -> JsonShape.scan(parser, body.length));
    }

    /** @param expected what the body should be, for the messages: "a ConversionReview" */
    public static <T> T read(byte[] body, String expected, Reader<T> reader) throws BadReviewException {
        if (body.length == 0) {
            throw empty(expected);
        }
        try (JsonParser parser = ApiSerialization.json().createParser(body)) {
            return reader.read(parser);
        } catch (StreamConstraintsException e) {
            throw new BadReviewException(limit(e));
        } catch (JacksonException e) {
            throw new BadReviewException("request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Which of the parse limits the body broke, said the way a user reads it. */
    private static String limit(StreamConstraintsException e) {
        String message = String.valueOf(e.getOriginalMessage());
        if (message.contains("nesting depth")) return "request body is nested deeper than " + ApiSerialization.MAX_NESTING_DEPTH + " levels";
        if (message.contains("Name length")) return "request body has a field name longer than " + ApiSerialization.MAX_NAME_LENGTH + " characters";
        if (message.contains("Number value length")) return "request body has a number longer than 100 digits";
        return "request body is too large to parse: " + message.lines().findFirst().orElse("").replaceAll(" \\(.*", "");
    }

    private static BadReviewException empty(String expected) {
        return new BadReviewException("request body is empty; expected " + expected);
    }
}
