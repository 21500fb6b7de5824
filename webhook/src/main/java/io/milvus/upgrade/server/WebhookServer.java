package io.milvus.upgrade.server;

import io.fabric8.kubernetes.api.model.admission.v1.AdmissionResponse;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpStatus;
import io.milvus.upgrade.admission.AdmissionEndpoint;
import io.milvus.upgrade.admission.AdmissionReviewCodec;
import io.milvus.upgrade.admission.BadReviewException;
import io.milvus.upgrade.admission.ReviewRequest;
import io.milvus.upgrade.admission.JsonShape;
import io.milvus.upgrade.admission.LogValue;
import io.milvus.upgrade.admission.ReviewBody;
import io.milvus.upgrade.admission.ReviewDeadline;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import java.io.UncheckedIOException;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTPS server: admission paths, {@code /convert}, health, readiness and metrics. It knows
 * nothing about Milvus; the endpoints it is given do.
 *
 * <p>The request's Content-Type is not checked: the apiserver always sends JSON, a body that is
 * not JSON gets its 400 from the decoder anyway, and a 415 would only trip up {@code curl -d}.
 */
public final class WebhookServer implements AutoCloseable {

    /** The apiserver sends at most 3 MiB objects; old and new together, with the envelope, fit in 7. */
    public static final int MAX_BODY_BYTES = ApiSerialization.MAX_DOCUMENT_LENGTH;

    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
    private static final String JSON = "application/json";

    /**
     * How much heap a review holds per node of its JSON beyond the body, as trees: an admission
     * review holds the request tree, the typed objects and the defaulted tree for the patch; a
     * conversion holds one object's tree and its converted copy at a time, and the answer.
     */
    private static final int ADMISSION_TREES = 3;
    private static final int CONVERSION_TREES = 2;

    private final Javalin app;
    private final ServerConnector connector;
    private final Settings settings;
    private final AtomicBoolean ready = new AtomicBoolean(false);
    private final AdmissionReviewCodec codec = new AdmissionReviewCodec();
    private final ReviewMetrics metrics = new ReviewMetrics();
    private final ConversionEndpoint conversion;
    private final MemoryBudget memory;
    private final BodyReader bodies = new BodyReader(MAX_BODY_BYTES);

    /**
     * @param bind           the address to listen on; {@code port} 0 picks a free port
     * @param shutdownDelay  on close, how long the server goes on serving while not ready, so that
     *                       load balancers and endpoints take it out of rotation first
     * @param shutdownGrace  then, how long reviews in flight may take to finish
     * @param reviewMemory   the heap that reviews in flight may hold together, in bytes
     * @param answerWithin   every review is answered within this time of its arrival: its body
     *                       must have arrived by half of it, its memory been found by three
     *                       quarters, and its cluster lookups end by then; well inside the
     *                       apiserver's timeout (5 s in our webhook configurations)
     * @param maxConnections connections held open at once
     */
    public record Settings(String bind, int port, Duration shutdownDelay, Duration shutdownGrace, long reviewMemory,
                           Duration answerWithin, int maxConnections) {

        public static final Duration ANSWER_WITHIN = Duration.ofSeconds(4);
        public static final int MAX_CONNECTIONS = 256;

        /** Half the heap for reviews in flight; the rest is the server's own and the collector's room. */
        public Settings(String bind, int port, Duration shutdownGrace) {
            this(bind, port, Duration.ZERO, shutdownGrace, Runtime.getRuntime().maxMemory() / 2, ANSWER_WITHIN, MAX_CONNECTIONS);
        }

        public Settings withShutdownDelay(Duration delay) {
            return new Settings(bind, port, delay, shutdownGrace, reviewMemory, answerWithin, maxConnections);
        }

        public Settings withReviewMemory(long bytes) {
            return new Settings(bind, port, shutdownDelay, shutdownGrace, bytes, answerWithin, maxConnections);
        }

        public Settings withAnswerWithin(Duration within) {
            return new Settings(bind, port, shutdownDelay, shutdownGrace, reviewMemory, within, maxConnections);
        }

        public Settings withMaxConnections(int max) {
            return new Settings(bind, port, shutdownDelay, shutdownGrace, reviewMemory, answerWithin, max);
        }
    }

    private WebhookServer(Settings settings, TlsContext tls, List<AdmissionEndpoint> endpoints, ConversionEndpoint conversion) {
        this.settings = settings;
        this.conversion = conversion;
        this.memory = new MemoryBudget(settings.reviewMemory());
        ServerConnector[] holder = new ServerConnector[1];
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            // A review can wait up to the lookup timeout on the apiserver; a virtual thread per
            // request makes such waits cheap, and the budget bounds what each one holds.
            config.concurrency.useVirtualThreads = true;
            config.http.prefer405over404 = true;
            config.http.maxRequestSize = MAX_BODY_BYTES;
            // The apiserver asks for gzip, but on a cluster network the CPU is dearer than the
            // bytes: gzip takes ~16 ms for a 1,000-object conversion answer (2.9 MB), half
            // again the conversion's own time, to save a few ms of transfer at 10 Gbit/s.
            config.http.compressionStrategy = CompressionStrategy.NONE;
            config.jetty.modifyServer(server -> server.setStopTimeout(settings.shutdownGrace().toMillis()));
            // Graceful stop waits for requests in flight instead of cutting them off.
            config.jetty.modifyServletContextHandler(context -> context.insertHandler(new GracefulHandler()));
            config.jetty.addConnector((server, http) -> {
                holder[0] = ServerLimits.httpsConnector(server, http, tls, settings);
                return holder[0];
            });
            for (AdmissionEndpoint endpoint : endpoints) {
                config.routes.post(endpoint.path(), measured(endpoint.path(), ADMISSION_TREES, (ctx, body, start) -> admission(ctx, endpoint, body, start)));
            }
            config.routes.post(ConversionEndpoint.PATH, measured(ConversionEndpoint.PATH, CONVERSION_TREES, this::convert));
            config.routes.get("/healthz", ctx -> ctx.result("ok"));
            config.routes.get("/readyz", ctx -> {
                if (ready.get()) ctx.result("ok");
                else ctx.status(HttpStatus.SERVICE_UNAVAILABLE).result("shutting down");
            });
            config.routes.get("/metrics", ctx -> ctx.contentType(metrics.contentType()).result(metrics.scrape()));
            config.routes.after(ctx -> {
                // While leaving rotation, HTTP/1.1 clients are told to reconnect, which takes them
                // to another replica; HTTP/2 clients get a GOAWAY when the server stops.
                if (!ready.get()) closeAfter(ctx);
            });
            config.routes.exception(Exception.class, (e, ctx) -> internalError(ctx, e));
        });
        this.app.start();
        this.connector = holder[0];
        this.ready.set(true);
    }

    public static WebhookServer start(Settings settings, TlsContext tls, List<AdmissionEndpoint> endpoints, ConversionEndpoint conversion) {
        return new WebhookServer(settings, tls, endpoints, conversion);
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The heap the reviews in flight hold now, from the memory budget; 0 when none is. */
    long reviewMemoryHeld() {
        return memory.heldBytes();
    }

    /** A review handler: answers the request's body and says how it went, for the metrics. */
    @FunctionalInterface
    private interface ReviewHandler {
        ReviewMetrics.Verdict handle(Context ctx, byte[] body, long startNanos) throws IOException;
    }

    /**
     * Counts and times every request on a review path, including those that fail unexpectedly.
     * The review's memory is charged as it goes: its body as it arrives, then what its JSON will
     * cost to decode, counted before it is decoded. Every step has its deadline within
     * {@link Settings#answerWithin()}, so that no client, however slow, keeps others waiting
     * past it: a review that cannot be answered in time is refused with a status that says why.
     */
    private Handler measured(String path, int trees, ReviewHandler handler) {
        return ctx -> {
            long start = System.nanoTime();
            long within = settings.answerWithin().toNanos();
            ReviewMetrics.Verdict verdict;
            try (MemoryBudget.Reservation reservation = memory.open()) {
                verdict = switch (bodies.read(ServletContextRequest.getServletContextRequest(ctx.req()), reservation, start + within / 2)) {
                    case BodyReader.Body body -> {
                        Long cost = cost(ctx, path, body.bytes(), trees);
                        if (cost == null) yield ReviewMetrics.Verdict.BAD_REQUEST;
                        if (cost > memory.totalBytes()) yield tooCostly(ctx, path, cost);
                        if (!reservation.growTo(cost, start + within * 3 / 4)) yield busy(ctx, path);
                        yield ReviewDeadline.within(start + within, () -> handle(handler, ctx, body.bytes(), start));
                    }
                    case BodyReader.TooLarge large -> {
                        if (!large.drained()) closeAfter(ctx);
                        yield refuse(ctx, path, HttpStatus.CONTENT_TOO_LARGE, "request body is larger than " + MAX_BODY_BYTES + " bytes (7 MiB)");
                    }
                    case BodyReader.TooSlow ignored -> closeAfter(ctx) ? null : refuse(ctx, path, HttpStatus.REQUEST_TIMEOUT,
                            "request body did not arrive within " + settings.answerWithin().toMillis() / 2 + " ms");
                    case BodyReader.NoMemory ignored -> busy(ctx, path);
                };
            } catch (IOException e) {
                // The client reset the stream or went away: nobody is left to answer.
                LOG.info("event=client_gone path={} error=\"{}\"", path, LogValue.of(e.getMessage()));
                verdict = ReviewMetrics.Verdict.ABANDONED;
            } catch (Exception e) {
                internalError(ctx, e);
                verdict = ReviewMetrics.Verdict.ERROR;
            }
            metrics.record(path, verdict, System.nanoTime() - start);
        };
    }

    private static ReviewMetrics.Verdict handle(ReviewHandler handler, Context ctx, byte[] body, long start) {
        try {
            return handler.handle(ctx, body, start);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the review will hold while it is answered, or null after answering 400 for a body that is no JSON. */
    private static Long cost(Context ctx, String path, byte[] body, int trees) {
        JsonShape shape;
        try {
            shape = ReviewBody.shape(body, "a review");
        } catch (BadReviewException e) {
            badRequest(ctx, path, e.getMessage());
            return null;
        }
        long held = 2L * body.length;
        return trees == CONVERSION_TREES
                ? held + body.length + CONVERSION_TREES * shape.largestElementTreeBytes()
                : held + ADMISSION_TREES * shape.treeBytes();
    }

    private ReviewMetrics.Verdict admission(Context ctx, AdmissionEndpoint endpoint, byte[] body, long start) {
        ReviewRequest review;
        try {
            review = codec.decode(body);
        } catch (BadReviewException e) {
            return badRequest(ctx, endpoint.path(), e.getMessage());
        }
        AdmissionResponse response = endpoint.review(review);
        ctx.contentType(JSON).result(codec.encode(review.apiVersion(), response));
        boolean allowed = Boolean.TRUE.equals(response.getAllowed());
        var request = review.request();
        LOG.info("event=admission path={} uid=\"{}\" kind={} namespace=\"{}\" name=\"{}\" operation={} user=\"{}\" allowed={} code={} warnings={} latency_ms={}",
                endpoint.path(), LogValue.of(request.getUid()), LogValue.of(request.getKind() == null ? "" : request.getKind().getKind()),
                LogValue.of(request.getNamespace()), LogValue.of(request.getName()), LogValue.of(request.getOperation()),
                LogValue.of(request.getUserInfo() == null ? "" : request.getUserInfo().getUsername()),
                allowed, response.getStatus() == null ? 200 : response.getStatus().getCode(),
                response.getWarnings() == null ? 0 : response.getWarnings().size(), millisSince(start));
        return allowed ? ReviewMetrics.Verdict.ALLOWED : ReviewMetrics.Verdict.DENIED;
    }

    private ReviewMetrics.Verdict convert(Context ctx, byte[] body, long start) throws IOException {
        ConversionEndpoint.Result outcome;
        try {
            outcome = conversion.convert(body);
        } catch (BadReviewException e) {
            return badRequest(ctx, ConversionEndpoint.PATH, e.getMessage());
        }
        ctx.contentType(JSON);
        try (OutputStream out = ctx.res().getOutputStream()) {
            outcome.writeTo(out);
        }
        LOG.info("event=conversion uid=\"{}\" objects={} desired=\"{}\" succeeded={} message=\"{}\" latency_ms={}", LogValue.of(outcome.uid()),
                outcome.objects(), LogValue.of(outcome.desiredApiVersion()), outcome.succeeded(), LogValue.of(outcome.message()), millisSince(start));
        return outcome.succeeded() ? ReviewMetrics.Verdict.CONVERTED : ReviewMetrics.Verdict.FAILED;
    }

    private ReviewMetrics.Verdict busy(Context ctx, String path) {
        String message = "server busy: the reviews in flight hold all of its " + memory.totalBytes() / (1024 * 1024) + " MiB for reviews; retry";
        ctx.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1").contentType("text/plain").result(message + "\n");
        LOG.warn("event=busy path={} reason=\"{}\"", path, message);
        return ReviewMetrics.Verdict.BUSY;
    }

    /** More than all the memory for reviews: it would run the heap out however long it waited. */
    private ReviewMetrics.Verdict tooCostly(Context ctx, String path, long cost) {
        return refuse(ctx, path, HttpStatus.CONTENT_TOO_LARGE, "request body holds too many JSON nodes: decoding it would take about "
                + cost / (1024 * 1024) + " MiB, more than the " + memory.totalBytes() / (1024 * 1024) + " MiB this server has for reviews");
    }

    private static ReviewMetrics.Verdict refuse(Context ctx, String path, HttpStatus status, String message) {
        ctx.status(status).contentType("text/plain").result(message + "\n");
        LOG.info("event=bad_request path={} status={} reason=\"{}\"", path, status.getCode(), message);
        return ReviewMetrics.Verdict.BAD_REQUEST;
    }

    /** HTTP/1.1 only: an HTTP/2 stream ends by itself, and the connection carries others. */
    private static boolean closeAfter(Context ctx) {
        if ("HTTP/1.1".equals(ctx.req().getProtocol())) ctx.header("Connection", "close");
        return false;
    }

    /** The reason may quote the request (a decoder's message does), so it is escaped and cut like a log value: one short line. */
    private static ReviewMetrics.Verdict badRequest(Context ctx, String path, String message) {
        String reason = LogValue.of(message);
        ctx.status(HttpStatus.BAD_REQUEST).contentType("text/plain").result(reason + "\n");
        LOG.info("event=bad_request path={} reason=\"{}\"", path, reason);
        return ReviewMetrics.Verdict.BAD_REQUEST;
    }

    /** A bug or an unforeseen input: answered 500 with a short reason, and the server serves on. */
    private static void internalError(Context ctx, Exception e) {
        LOG.error("event=unexpected_error path={} error=\"{}\"", LogValue.of(ctx.path()), LogValue.of(e.toString()), e);
        ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType("text/plain").result("internal error: " + e.getClass().getSimpleName() + "\n");
    }

    private static String millisSince(long startNanos) {
        return String.format("%.3f", (System.nanoTime() - startNanos) / 1e6);
    }

    /**
     * Leaves rotation, then stops: readiness goes false at once, the server serves on for the
     * shutdown delay (while endpoints and load balancers stop sending it reviews), then stops
     * taking new requests and lets those in flight finish, up to the grace period.
     */
    @Override
    public void close() {
        ready.set(false);
        LOG.info("event=stopping delay_ms={} grace_ms={}", settings.shutdownDelay().toMillis(), settings.shutdownGrace().toMillis());
        try {
            Thread.sleep(settings.shutdownDelay());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.stop();
        LOG.info("event=stopped");
    }
}
