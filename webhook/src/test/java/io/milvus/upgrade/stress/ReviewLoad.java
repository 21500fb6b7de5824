package io.milvus.upgrade.stress;

import io.milvus.upgrade.bench.BenchBodies;
import io.milvus.upgrade.localstack.HttpsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Valid admission reviews at a fixed rate, as a control plane of three apiservers sends them:
 * each over its one HTTP/2 connection, in turn; a call failed if it is not answered 200 within
 * the apiserver's 5 s timeout. (One JDK client alone fails calls past the server's 64 streams,
 * where Go's client would open another connection.)
 * Latency is counted from when a review was due, not when it was sent, so that a stalled sender
 * does not hide the stall.
 */
public final class ReviewLoad implements AutoCloseable {

    /** The apiserver's timeout in our webhook configurations ({@code timeoutSeconds: 5}). */
    public static final Duration APISERVER_TIMEOUT = Duration.ofSeconds(5);

    public record Result(int answered, int failed, double p99Millis, double maxMillis, Map<String, Integer> failures) {
        public String failureSummary() {
            return failures.isEmpty() ? "-" : failures.toString();
        }
    }

    private static final List<Map.Entry<String, byte[]>> BODIES = BenchBodies.all().entrySet().stream()
            .filter(body -> !body.getKey().equals("convert"))
            .map(body -> Map.entry("/" + body.getKey(), body.getValue())).toList();

    private static final int APISERVERS = 3;

    private final List<HttpClient> clients;
    private final String base;
    private final int perSecond;
    private final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    private final Map<String, Integer> failures = new TreeMap<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final List<CompletableFuture<?>> inFlight = new ArrayList<>();
    private volatile boolean running = true;
    private final Thread sender;

    public ReviewLoad(Path caCertificate, int port, int perSecond) {
        this.clients = java.util.stream.IntStream.range(0, APISERVERS).mapToObj(i -> newClient(caCertificate)).toList();
        this.base = "https://127.0.0.1:" + port;
        this.perSecond = perSecond;
        clients.forEach(this::connect);
        this.sender = Thread.ofPlatform().name("review-load").start(this::send);
    }

    /**
     * One review first, alone: the JDK's client opens a connection for each request sent before
     * its first HTTP/2 connection is up, where the apiserver dials one and multiplexes on it.
     */
    private void connect(HttpClient client) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                if (answered(client.send(review(base, 0), HttpResponse.BodyHandlers.ofString()))) return;
            } catch (java.io.IOException e) {
                if (System.nanoTime() > deadline) throw new java.io.UncheckedIOException("no valid review answered within 30 s", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (System.nanoTime() > deadline) throw new IllegalStateException("no valid review answered within 30 s");
        }
    }

    public static HttpClient newClient(Path caCertificate) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).sslContext(HttpsClient.trusting(caCertificate))
                .connectTimeout(APISERVER_TIMEOUT).build();
    }

    /** One valid review, the {@code n}th of the rotation over the admission paths. */
    public static HttpRequest review(String base, int n) {
        Map.Entry<String, byte[]> body = BODIES.get(Math.floorMod(n, BODIES.size()));
        return HttpRequest.newBuilder(URI.create(base + body.getKey())).timeout(APISERVER_TIMEOUT)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body.getValue())).build();
    }

    /** Whether an answer is what the apiserver needs: 200 with a review response in it. */
    public static boolean answered(HttpResponse<String> response) {
        return response.statusCode() == 200 && response.body().contains("\"response\"");
    }

    private void send() {
        long period = TimeUnit.SECONDS.toNanos(1) / perSecond;
        long due = System.nanoTime();
        for (int n = 0; running; n++) {
            long wait = due - System.nanoTime();
            if (wait > 0) LockSupport.parkNanos(wait);
            long scheduled = due;
            CompletableFuture<?> call = clients.get(n % APISERVERS).sendAsync(review(base, n), HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
                long nanos = System.nanoTime() - scheduled;
                if (error == null && answered(response) && nanos <= APISERVER_TIMEOUT.toNanos()) {
                    answered.incrementAndGet();
                    latencies.add(nanos);
                } else {
                    fail(error != null ? reason(error) : nanos > APISERVER_TIMEOUT.toNanos() ? "over 5 s" : "status " + response.statusCode());
                }
                return null;
            });
            synchronized (inFlight) {
                inFlight.add(call);
                inFlight.removeIf(CompletableFuture::isDone);
            }
            due += period;
        }
    }

    private synchronized void fail(String reason) {
        failures.merge(reason, 1, Integer::sum);
    }

    private static String reason(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        String message = cause.getMessage() == null ? "" : ": " + cause.getMessage();
        return (cause.getClass().getSimpleName() + message).replaceAll("\\s+", " ").substring(0, Math.min(80, (cause.getClass().getSimpleName() + message).length()));
    }

    /** Stops sending, waits for the calls in flight (each ends within the timeout) and sums up. */
    public Result finish() throws InterruptedException {
        running = false;
        sender.join();
        List<CompletableFuture<?>> pending;
        synchronized (inFlight) {
            pending = List.copyOf(inFlight);
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(APISERVER_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
        } catch (Exception e) {
            fail("never completed");
        }
        long[] sorted = latencies.stream().mapToLong(Long::longValue).sorted().toArray();
        double p99 = sorted.length == 0 ? Double.NaN : sorted[Math.max(0, (int) Math.ceil(sorted.length * 0.99) - 1)] / 1e6;
        double max = sorted.length == 0 ? Double.NaN : sorted[sorted.length - 1] / 1e6;
        synchronized (this) {
            int failed = failures.values().stream().mapToInt(Integer::intValue).sum();
            return new Result(answered.get(), failed, p99, max, Map.copyOf(failures));
        }
    }

    @Override
    public void close() {
        running = false;
        clients.forEach(HttpClient::close);
    }
}
