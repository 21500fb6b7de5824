package io.milvus.upgrade.admission;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import io.milvus.upgrade.api.ApiSerialization;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The JSON of a review request body, or a one-line reason why it is none (HTTP 400). */
public final class ReviewBody {

    private ReviewBody() {
    }

    /** @param expected what the body should be, for the messages: "an AdmissionReview" */
    public static JsonNode parse(byte[] body, String expected) throws BadReviewException {
        try {
            JsonNode tree = body.length == 0 ? null : ApiSerialization.json().readTree(body);
            if (tree == null || tree.isMissingNode()) {
                throw new BadReviewException("request body is empty; expected " + expected);
            }
            return tree;
        } catch (StreamConstraintsException e) {
            throw new BadReviewException("request body is nested deeper than " + ApiSerialization.MAX_NESTING_DEPTH + " levels");
        } catch (JacksonException e) {
            throw new BadReviewException("request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
