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
import io.milvus.upgrade.conversion.ConversionWebhook;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
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
    public static final int MAX_BODY_BYTES = 7 * 1024 * 1024;
    /** How much of an oversized body is read and dropped so that the client gets its 413. */
    private static final long DRAIN_LIMIT_BYTES = 64L * 1024 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(WebhookServer.class);
    private static final String JSON = "application/json";

    private final Javalin app;
    private final ServerConnector connector;
    private final AtomicBoolean ready = new AtomicBoolean(false);
    private final AdmissionReviewCodec codec = new AdmissionReviewCodec();
    private final ReviewMetrics metrics = new ReviewMetrics();
    private final ConversionWebhook conversion;
    private final MemoryBudget memory;
    private final Duration memoryWait;

    /**
     * How many times its body a review holds while it is answered, at most (measured: a
     * conversion holds its body and its answer; an admission review its tree and typed objects).
     */
    private static final int CONVERSION_HELD_PER_BODY_BYTE = 3;
    private static final int ADMISSION_HELD_PER_BODY_BYTE = 8;
    /** How long a review waits for heap held by others; well within the apiserver's 10 s. */
    private static final Duration MEMORY_WAIT = Duration.ofSeconds(5);

    /**
     * @param bind         the address to listen on; {@code port} 0 picks a free port
     * @param reviewMemory the heap that reviews in flight may hold together, in bytes
     * @param memoryWait   how long a review waits for its share before it is answered 503
     */
    public record Settings(String bind, int port, Duration shutdownGrace, long reviewMemory, Duration memoryWait) {

        /** Half the heap for reviews in flight; the rest is the server's own and the collector's room. */
        public Settings(String bind, int port, Duration shutdownGrace) {
            this(bind, port, shutdownGrace, Runtime.getRuntime().maxMemory() / 2, MEMORY_WAIT);
        }
    }

    private WebhookServer(Settings settings, TlsContext tls, List<AdmissionEndpoint> endpoints, ConversionWebhook conversion) {
        this.conversion = conversion;
        this.memory = new MemoryBudget(settings.reviewMemory());
        this.memoryWait = settings.memoryWait();
        ServerConnector[] holder = new ServerConnector[1];
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            // A review can wait up to the lookup timeout on the apiserver; a virtual thread per
            // request makes such waits cheap, and the body cap bounds what each one holds.
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
                holder[0] = httpsConnector(server, http, tls, settings);
                return holder[0];
            });
            for (AdmissionEndpoint endpoint : endpoints) {
                config.routes.post(endpoint.path(), measured(endpoint.path(), ADMISSION_HELD_PER_BODY_BYTE, (ctx, body, start) -> admission(ctx, endpoint, body, start)));
            }
            config.routes.post(ConversionWebhook.PATH, measured(ConversionWebhook.PATH, CONVERSION_HELD_PER_BODY_BYTE, this::convert));
            config.routes.get("/healthz", ctx -> ctx.result("ok"));
            config.routes.get("/readyz", ctx -> {
                if (ready.get()) ctx.result("ok");
                else ctx.status(HttpStatus.SERVICE_UNAVAILABLE).result("shutting down");
            });
            config.routes.get("/metrics", ctx -> ctx.contentType(metrics.contentType()).result(metrics.scrape()));
            config.routes.exception(Exception.class, (e, ctx) -> internalError(ctx, e));
        });
        this.app.start();
        this.connector = holder[0];
        this.ready.set(true);
    }

    public static WebhookServer start(Settings settings, TlsContext tls, List<AdmissionEndpoint> endpoints, ConversionWebhook conversion) {
        return new WebhookServer(settings, tls, endpoints, conversion);
    }

    public int port() {
        return connector.getLocalPort();
    }

    private static ServerConnector httpsConnector(org.eclipse.jetty.server.Server server, HttpConfiguration base, TlsContext tls, Settings settings) {
        HttpConfiguration https = new HttpConfiguration(base);
        https.setSendServerVersion(false);
        // The apiserver connects by IP or service name; SNI host checks would only refuse it.
        https.addCustomizer(new SecureRequestCustomizer(false));
        HttpConnectionFactory http1 = new HttpConnectionFactory(https);
        HTTP2ServerConnectionFactory http2 = new HTTP2ServerConnectionFactory(https);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol(http1.getProtocol());
        SslConnectionFactory ssl = new SslConnectionFactory(tls.factory(), alpn.getProtocol());
        ServerConnector connector = new ServerConnector(server, ssl, alpn, http2, http1);
        connector.setHost(settings.bind());
        connector.setPort(settings.port());
        return connector;
    }

    /** A review handler: answers the request's body and says how it went, for the metrics. */
    @FunctionalInterface
    private interface ReviewHandler {
        ReviewMetrics.Verdict handle(Context ctx, byte[] body, long startNanos) throws IOException;
    }

    /**
     * Counts and times every request on a review path, including those that fail unexpectedly.
     * The heap a review will hold is reserved before its body is read, by its declared length:
     * bodies read first and reserved after ran a 64 MiB heap out with 16 conversions of 6 MB.
     * A client slow to send holds its share meanwhile, until the idle timeout drops it; the
     * apiserver, the one client, sends at once.
     */
    private Handler measured(String path, int heldPerBodyByte, ReviewHandler handler) {
        return ctx -> {
            long start = System.nanoTime();
            ReviewMetrics.Verdict verdict;
            try (MemoryBudget.Reservation reservation = memory.reserve(heldPerBodyByte * declaredLength(ctx), memoryWait)) {
                verdict = reservation == null ? busy(ctx, path) : read(ctx, path, handler, start);
            } catch (Exception e) {
                internalError(ctx, e);
                verdict = ReviewMetrics.Verdict.ERROR;
            }
            metrics.record(path, verdict, System.nanoTime() - start);
        };
    }

    private static ReviewMetrics.Verdict read(Context ctx, String path, ReviewHandler handler, long start) throws IOException {
        byte[] body = readBody(ctx, path);
        return body == null ? ReviewMetrics.Verdict.BAD_REQUEST : handler.handle(ctx, body, start);
    }

    /** A body of unknown length may be as long as any. */
    private static long declaredLength(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        return declared < 0 ? MAX_BODY_BYTES : Math.min(declared, MAX_BODY_BYTES);
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
        LOG.info("event=admission path={} uid={} kind={} namespace={} name={} operation={} user={} allowed={} code={} warnings={} latency_ms={}",
                endpoint.path(), request.getUid(), request.getKind() == null ? "" : request.getKind().getKind(), request.getNamespace(),
                request.getName(), request.getOperation(), request.getUserInfo() == null ? "" : request.getUserInfo().getUsername(),
                allowed, response.getStatus() == null ? 200 : response.getStatus().getCode(),
                response.getWarnings() == null ? 0 : response.getWarnings().size(), millisSince(start));
        return allowed ? ReviewMetrics.Verdict.ALLOWED : ReviewMetrics.Verdict.DENIED;
    }

    private ReviewMetrics.Verdict convert(Context ctx, byte[] body, long start) throws IOException {
        ConversionWebhook.Outcome outcome;
        try {
            outcome = conversion.convert(body);
        } catch (BadReviewException e) {
            return badRequest(ctx, ConversionWebhook.PATH, e.getMessage());
        }
        ctx.contentType(JSON);
        try (OutputStream out = ctx.res().getOutputStream()) {
            outcome.response().writeTo(out);
        }
        LOG.info("event=conversion uid={} objects={} desired={} succeeded={} message=\"{}\" latency_ms={}", outcome.uid(), outcome.objects(),
                outcome.desiredApiVersion(), outcome.succeeded(), outcome.message(), millisSince(start));
        return outcome.succeeded() ? ReviewMetrics.Verdict.CONVERTED : ReviewMetrics.Verdict.FAILED;
    }

    private ReviewMetrics.Verdict busy(Context ctx, String path) {
        String message = "server busy: the reviews in flight hold all of its " + memory.totalBytes() / (1024 * 1024) + " MiB for reviews; retry";
        ctx.status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "1").contentType("text/plain").result(message + "\n");
        LOG.warn("event=busy path={} reason=\"{}\"", path, message);
        return ReviewMetrics.Verdict.BUSY;
    }

    private static ReviewMetrics.Verdict badRequest(Context ctx, String path, String message) {
        ctx.status(HttpStatus.BAD_REQUEST).contentType("text/plain").result(message + "\n");
        LOG.info("event=bad_request path={} reason=\"{}\"", path, message);
        return ReviewMetrics.Verdict.BAD_REQUEST;
    }

    /** A bug or an unforeseen input: answered 500 with a short reason, and the server serves on. */
    private static void internalError(Context ctx, Exception e) {
        LOG.error("event=unexpected_error path={} error=\"{}\"", ctx.path(), e.toString(), e);
        ctx.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType("text/plain").result("internal error: " + e.getClass().getSimpleName() + "\n");
    }

    private static String millisSince(long startNanos) {
        return String.format("%.3f", (System.nanoTime() - startNanos) / 1e6);
    }

    /**
     * The body, or null after answering 413 for one over the cap. An oversized body is read on
     * and thrown away (up to a bound) before answering: a client still sending would otherwise
     * see a broken connection instead of the 413.
     */
    private static byte[] readBody(Context ctx, String path) throws IOException {
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length <= MAX_BODY_BYTES) {
                return body;
            }
            boolean drained = in.skip(DRAIN_LIMIT_BYTES) < DRAIN_LIMIT_BYTES;
            ctx.status(HttpStatus.CONTENT_TOO_LARGE).contentType("text/plain")
                    .result("request body is larger than " + MAX_BODY_BYTES + " bytes (7 MiB)\n");
            if (!drained) ctx.header("Connection", "close");
            LOG.info("event=bad_request path={} reason=\"body over {} bytes\"", path, MAX_BODY_BYTES);
            return null;
        }
    }

    /** Stops taking new work, lets reviews in flight finish (up to the grace period), then stops. */
    @Override
    public void close() {
        ready.set(false);
        app.stop();
        LOG.info("event=stopped");
    }
}
