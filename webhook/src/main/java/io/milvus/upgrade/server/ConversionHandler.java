package io.milvus.upgrade.server;

import io.javalin.http.Context;
import io.milvus.upgrade.admission.BadReviewException;
import java.io.IOException;
import java.io.OutputStream;

/** A ConversionReview in, the answer streamed out as the endpoint wrote it, and its log line. */
record ConversionHandler(ConversionEndpoint endpoint) implements ReviewHandler {

    @Override
    public ReviewMetrics.Verdict handle(Context ctx, byte[] body, long startNanos) throws IOException {
        ConversionEndpoint.Result outcome;
        try {
            outcome = endpoint.convert(body);
        } catch (BadReviewException e) {
            return Refusals.badRequest(ctx, ConversionEndpoint.PATH, e.getMessage());
        }
        ctx.contentType("application/json");
        try (OutputStream out = ctx.res().getOutputStream()) {
            outcome.writeTo(out);
        }
        ReviewLog.conversion(outcome, startNanos);
        return outcome.succeeded() ? ReviewMetrics.Verdict.CONVERTED : ReviewMetrics.Verdict.FAILED;
    }
}
