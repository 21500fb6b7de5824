package io.milvus.upgrade.server;

import io.javalin.http.Context;
import java.io.IOException;

/** Answers a review whose body has been read and whose memory is reserved, and says how it went, for the metrics. */
@FunctionalInterface
interface ReviewHandler {
    ReviewMetrics.Verdict handle(Context ctx, byte[] body, long startNanos) throws IOException;
}
