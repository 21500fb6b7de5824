package io.milvus.upgrade.server;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.milvus.upgrade.admission.AdmissionEndpoint;
import io.milvus.upgrade.api.serialization.ApiSerialization;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;

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

    private final Javalin app;
    private final ServerConnector connector;
    private final Settings settings;
    private final Rotation rotation = new Rotation();
    private final ReviewMetrics metrics = new ReviewMetrics();
    private final MemoryBudget memory;

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
        ReviewMetrics.watchCertificate(tls);
        this.settings = settings;
        this.memory = new MemoryBudget(settings.reviewMemory());
        ReviewGate gate = new ReviewGate(memory, new BodyReader(MAX_BODY_BYTES), metrics, settings.answerWithin());
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
            Routes.register(config, endpoints, conversion, gate, rotation, metrics);
        });
        this.app.start();
        this.connector = holder[0];
        this.rotation.enter();
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

    /** Leaves rotation, then stops ({@link Rotation#leave}). */
    @Override
    public void close() {
        rotation.leave(settings.shutdownDelay(), settings.shutdownGrace(), app::stop);
    }
}
