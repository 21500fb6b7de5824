package io.milvus.upgrade.server;

import io.milvus.upgrade.admission.BadReviewException;
import java.io.IOException;
import java.io.OutputStream;

/**
 * A conversion webhook as the server sees it: the request body in, an answer to stream out and
 * what to log. Which resource it converts is the wiring's business (the CLI passes Milvus's).
 */
@FunctionalInterface
public interface ConversionEndpoint {

    /** Where the CRDs' {@code conversion.webhook.clientConfig} sends ConversionReviews. */
    String PATH = "/convert";

    /** @throws BadReviewException when the body is not a ConversionReview at all (HTTP 400) */
    Result convert(byte[] body) throws BadReviewException;

    /** The answer, already serialized, and the facts of the one log line. */
    interface Result {
        String uid();

        int objects();

        String desiredApiVersion();

        boolean succeeded();

        String message();

        void writeTo(OutputStream out) throws IOException;
    }
}
