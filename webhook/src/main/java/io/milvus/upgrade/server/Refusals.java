package io.milvus.upgrade.server;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.milvus.upgrade.edge.LogValue;

/**
 * The answers for a review the server will not judge: a status that says why and a one-line
 * plain-text reason, logged once. A denial is the endpoints' business; these are the HTTP layer's.
 */
final class Refusals {

    private Refusals() {
    }

    /**
     * The reason may quote the request (a decoder's message does), so the answer is escaped and
     * cut like a log value: one short line. The log is given the message as it is; each format escapes it its way.
     */
    static ReviewMetrics.Verdict badRequest(Context ctx, String path, String message) {
        ctx.status(HttpStatus.BAD_REQUEST).contentType("text/plain").result(LogValue.of(message) + "\n");
        ReviewLog.badRequest(path, message);
        return ReviewMetrics.Verdict.BAD_REQUEST;
    }

    static ReviewMetrics.Verdict refuse(Context ctx, String path, HttpStatus status, String message) {
        ctx.status(status).contentType("text/plain").result(message + "\n");
        ReviewLog.badRequest(path, status.getCode(), message);
        return ReviewMetrics.Verdict.BAD_REQUEST;
    }

    static ReviewMetrics.Verdict tooLarge(Context ctx, String path, int maxBytes) {
        return refuse(ctx, path, HttpStatus.CONTENT_TOO_LARGE, "request body is larger than " + maxBytes + " bytes (7 MiB)");
    }

    static ReviewMetrics.Verdict tooSlow(Context ctx, String path, long withinMillis) {
        return refuse(ctx, path, HttpStatus.REQUEST_TIMEOUT, "request body did not arrive within " + withinMillis + " ms");
    }

    /** More than all the memory for reviews: it would run the heap out however long it waited. */
    static ReviewMetrics.Verdict tooCostly(Context ctx, String path, long cost, long budget) {
        return refuse(ctx, path, HttpStatus.CONTENT_TOO_LARGE, "request body holds too many JSON nodes: decoding it would take about "
                + mib(cost) + " MiB, more than the " + mib(budget) + " MiB this server has for reviews");
    }

    static ReviewMetrics.Verdict busy(Context ctx, String path, long budget) {
        String message = "server busy: the reviews in flight hold all of its " + mib(budget) + " MiB for reviews; retry";
        ctx.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1").contentType("text/plain").result(message + "\n");
        ReviewLog.busy(path, message);
        return ReviewMetrics.Verdict.BUSY;
    }

    /** A bug or an unforeseen input: answered 500 with a short reason, and the server serves on. */
    static ReviewMetrics.Verdict internalError(Context ctx, Exception e) {
        ReviewLog.unexpectedError(ctx.path(), e);
        ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType("text/plain").result("internal error: " + e.getClass().getSimpleName() + "\n");
        return ReviewMetrics.Verdict.ERROR;
    }

    /** HTTP/1.1 only: an HTTP/2 stream ends by itself, and the connection carries others. */
    static void closeConnectionAfter(Context ctx) {
        if ("HTTP/1.1".equals(ctx.req().getProtocol())) ctx.header("Connection", "close");
    }

    private static long mib(long bytes) {
        return bytes / (1024 * 1024);
    }
}
