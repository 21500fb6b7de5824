package io.milvus.upgrade.server;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.milvus.upgrade.admission.BadReviewException;
import io.milvus.upgrade.admission.ReviewDeadline;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;

/**
 * What every request on a review path passes before a handler sees it, and what is counted after:
 * the body is read against the memory budget, its decoding cost is estimated and reserved, and
 * the handler runs under the review's deadline. Every step has its deadline within
 * {@code answerWithin}, so that no client, however slow, keeps others waiting past it: a review
 * that cannot be answered in time is refused with a status that says why.
 */
final class ReviewGate {

    private final MemoryBudget memory;
    private final BodyReader bodies;
    private final ReviewMetrics metrics;
    private final Duration answerWithin;

    ReviewGate(MemoryBudget memory, BodyReader bodies, ReviewMetrics metrics, Duration answerWithin) {
        this.memory = memory;
        this.bodies = bodies;
        this.metrics = metrics;
        this.answerWithin = answerWithin;
    }

    /** The Javalin handler for a review path: the gate, then {@code handler}, counted and timed however it ends. */
    Handler guard(String path, ReviewCost cost, ReviewHandler handler) {
        return ctx -> {
            long start = System.nanoTime();
            ReviewMetrics.Verdict verdict;
            try (MemoryBudget.Reservation reservation = memory.open()) {
                verdict = pass(ctx, path, cost, handler, reservation, start);
            } catch (IOException e) {
                // The client reset the stream or went away: nobody is left to answer.
                ReviewLog.clientGone(path, e);
                verdict = ReviewMetrics.Verdict.ABANDONED;
            } catch (Exception e) {
                verdict = Refusals.internalError(ctx, e);
            }
            metrics.record(path, verdict, System.nanoTime() - start);
        };
    }

    private ReviewMetrics.Verdict pass(Context ctx, String path, ReviewCost cost, ReviewHandler handler,
                                       MemoryBudget.Reservation reservation, long start) throws IOException, InterruptedException {
        long within = answerWithin.toNanos();
        return switch (bodies.read(ServletContextRequest.getServletContextRequest(ctx.req()), reservation, start + within / 2)) {
            case BodyReader.Body body -> {
                long bytes;
                try {
                    bytes = cost.of(body.bytes());
                } catch (BadReviewException e) {
                    yield Refusals.badRequest(ctx, path, e.getMessage());
                }
                if (bytes > memory.totalBytes()) yield Refusals.tooCostly(ctx, path, bytes, memory.totalBytes());
                if (!reservation.growTo(bytes, start + within * 3 / 4)) yield Refusals.busy(ctx, path, memory.totalBytes());
                yield ReviewDeadline.within(start + within, () -> run(handler, ctx, body.bytes(), start));
            }
            case BodyReader.TooLarge large -> {
                if (!large.drained()) Refusals.closeConnectionAfter(ctx);
                yield Refusals.tooLarge(ctx, path, bodies.maxBytes());
            }
            case BodyReader.TooSlow ignored -> {
                Refusals.closeConnectionAfter(ctx);
                yield Refusals.tooSlow(ctx, path, answerWithin.toMillis() / 2);
            }
            case BodyReader.NoMemory ignored -> Refusals.busy(ctx, path, memory.totalBytes());
        };
    }

    private static ReviewMetrics.Verdict run(ReviewHandler handler, Context ctx, byte[] body, long start) {
        try {
            return handler.handle(ctx, body, start);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
