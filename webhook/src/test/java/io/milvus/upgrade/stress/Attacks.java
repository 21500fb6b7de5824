package io.milvus.upgrade.stress;

import io.milvus.upgrade.bench.BenchBodies;
import io.milvus.upgrade.cli.MilvusWebhooks;
import io.milvus.upgrade.localstack.HttpsClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.jetty.http2.api.Session;

/**
 * The attacks of issue 15, each against the server on 127.0.0.1 until a deadline, with a bounded
 * number of connections and threads; each has closed everything it opened when it returns.
 * What an attack managed to do (connections, frames, answers it got) is counted in {@link #volume}.
 */
final class Attacks {

    /** One attack: what it needs is made first (bodies, clients), then it runs until a deadline. */
    @FunctionalInterface
    interface Attack {
        Running prepare(Attacks attacks) throws Exception;
    }

    @FunctionalInterface
    interface Running {
        void run(long deadlineNanos) throws Exception;
    }

    static final Map<String, Attack> ALL = new java.util.LinkedHashMap<>();

    static {
        ALL.put("idle-tls", a -> deadline -> a.idleTls(deadline, 3000, 16));
        ALL.put("idle-after-request", a -> deadline -> a.idleAfterRequest(deadline, 1000, 16));
        ALL.put("slowloris-headers", a -> deadline -> a.slowloris(deadline, 1000));
        ALL.put("trickled-bodies", a -> deadline -> a.trickledBodies(deadline, 200));
        ALL.put("big-declared-lengths", a -> {
            RawHttp2 h2 = new RawHttp2(a.ca, a.port);
            return deadline -> a.bigDeclaredLengths(deadline, h2, 48);
        });
        ALL.put("json-corpus", a -> {
            List<HostileBodies.Case> corpus = HostileBodies.corpus();
            return deadline -> a.corpus(deadline, corpus, 4);
        });
        ALL.put("h2-rapid-reset", a -> {
            RawHttp2 h2 = new RawHttp2(a.ca, a.port);
            return deadline -> a.rapidReset(deadline, h2, 4);
        });
        ALL.put("h2-window-update-flood", a -> {
            RawHttp2 h2 = new RawHttp2(a.ca, a.port);
            return deadline -> a.windowUpdateFlood(deadline, h2, 4);
        });
        ALL.put("log-injection", a -> deadline -> a.logInjection(deadline, 4));
    }

    private final Path ca;
    private final int port;
    private final SSLSocketFactory sockets;
    private final Map<String, AtomicLong> volume = new TreeMap<>();

    Attacks(Path ca, int port) {
        this.ca = ca;
        this.port = port;
        this.sockets = HttpsClient.trusting(ca).getSocketFactory();
    }

    /** What the attack did, e.g. {@code connections=3000}. */
    synchronized String volume() {
        StringBuilder text = new StringBuilder();
        volume.forEach((name, count) -> text.append(text.isEmpty() ? "" : " ").append(name).append('=').append(count.get()));
        return text.toString();
    }

    private void count(String what) {
        AtomicLong counter;
        synchronized (this) {
            counter = volume.computeIfAbsent(what, k -> new AtomicLong());
        }
        counter.incrementAndGet();
    }

    private SSLSocket handshaken() throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        SSLSocket socket = (SSLSocket) sockets.createSocket(plain, "127.0.0.1", port, true);
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        return socket;
    }

    private static boolean before(long deadline) {
        return System.nanoTime() < deadline;
    }

    /** Runs {@code workers} copies of {@code work} on virtual threads until the deadline, then waits for them. */
    private void workers(long deadline, int workers, Worker work) throws InterruptedException {
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < workers; i++) {
                threads.submit(() -> {
                    while (before(deadline)) {
                        try {
                            work.run(deadline);
                        } catch (Exception | LinkageError e) {
                            count("client-errors");
                            if (System.getenv("STRESS_DEBUG") != null) e.printStackTrace();
                        }
                    }
                    return null;
                });
            }
            threads.shutdown();
            if (!threads.awaitTermination(TimeUnit.NANOSECONDS.toSeconds(deadline - System.nanoTime()) + 30, TimeUnit.SECONDS)) {
                threads.shutdownNow();
            }
        }
    }

    @FunctionalInterface
    private interface Worker {
        void run(long deadline) throws Exception;
    }

    /** Keeps up to {@code held} TLS connections that never send a request, opening new ones as fast as the handshakes go. */
    void idleTls(long deadline, int held, int openers) throws InterruptedException {
        Deque<SSLSocket> open = new ArrayDeque<>();
        try {
            workers(deadline, openers, d -> {
                SSLSocket socket = handshaken();
                count("connections");
                keep(open, socket, held);
            });
        } finally {
            closeAll(open);
        }
    }

    /** Keeps {@code socket} open among the newest {@code held}, closing the oldest beyond that. */
    private static void keep(Deque<SSLSocket> open, SSLSocket socket, int held) throws IOException {
        SSLSocket oldest = null;
        synchronized (open) {
            open.addLast(socket);
            if (open.size() > held) oldest = open.removeFirst();
        }
        if (oldest != null) oldest.close();
    }

    /** Connections that each complete one request and then sit idle, so that they count as served ones. */
    void idleAfterRequest(long deadline, int held, int openers) throws InterruptedException {
        Deque<SSLSocket> open = new ArrayDeque<>();
        try {
            workers(deadline, openers, d -> {
                SSLSocket socket = handshaken();
                socket.getOutputStream().write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                if (readSome(socket.getInputStream()).startsWith("HTTP/1.1 200")) count("served-then-idle");
                keep(open, socket, held);
            });
        } finally {
            closeAll(open);
        }
    }

    /** Request headers sent a byte every 500 ms, on up to {@code connections} connections, reopened when cut off. */
    void slowloris(long deadline, int connections) throws InterruptedException {
        byte[] start = ("POST " + MilvusWebhooks.VALIDATE_MILVUSUPGRADE + " HTTP/1.1\r\nHost: 127.0.0.1\r\n").getBytes(StandardCharsets.US_ASCII);
        workers(deadline, connections, d -> trickle(d, start, "X-Slow: ".getBytes(StandardCharsets.US_ASCII), 500));
    }

    /** Complete headers declaring 4 MB, then a body byte every 200 ms. */
    void trickledBodies(long deadline, int connections) throws InterruptedException {
        byte[] start = ("POST " + MilvusWebhooks.VALIDATE_MILVUSUPGRADE + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 4000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        workers(deadline, connections, d -> trickle(d, start, "[".getBytes(StandardCharsets.US_ASCII), 200));
    }

    private void trickle(long deadline, byte[] start, byte[] unit, long everyMillis) throws Exception {
        try (SSLSocket socket = handshaken()) {
            count("connections");
            OutputStream out = socket.getOutputStream();
            out.write(start);
            out.flush();
            while (before(deadline)) {
                Thread.sleep(everyMillis); // the attack's pace, not synchronisation
                try {
                    out.write(unit[0]);
                    out.flush();
                } catch (IOException e) {
                    count("cut-off");
                    return;
                }
                count("bytes-trickled");
                if (socket.getInputStream().available() > 0) {
                    count("answered");
                    return;
                }
            }
        }
    }

    /**
     * Bodies declared large: 7 MiB declared with 1 MiB sent and then nothing (HTTP/1.1), a length
     * no body may have (1 TiB), and HTTP/2 streams declaring 7 MiB that send 16 KiB and stall.
     */
    void bigDeclaredLengths(long deadline, RawHttp2 h2, int clients) throws Exception {
        byte[] mib = new byte[1024 * 1024];
        java.util.Arrays.fill(mib, (byte) ' ');
        AtomicLong turn = new AtomicLong();
        try (h2) {
            workers(deadline, clients, d -> {
                switch ((int) (turn.getAndIncrement() % 3)) {
                    case 0 -> {
                        try (SSLSocket socket = handshaken()) {
                            socket.getOutputStream().write(("POST /convert HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: " + (7 * 1024 * 1024)
                                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                            socket.getOutputStream().write(mib);
                            socket.getOutputStream().flush();
                            count("h1-7MiB-declared:" + status(readSome(socket.getInputStream())));
                        }
                    }
                    case 1 -> {
                        try (SSLSocket socket = handshaken()) {
                            socket.getOutputStream().write(("POST " + MilvusWebhooks.VALIDATE_MILVUSUPGRADE + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                                    + (1L << 40) + "\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
                            socket.getOutputStream().flush();
                            count("h1-1TiB-declared:" + status(readSome(socket.getInputStream())));
                        }
                    }
                    default -> {
                        Session session = h2.connect();
                        try {
                            RawHttp2.stalled(session, "/convert", 7 * 1024 * 1024, 16 * 1024).status().get(10, TimeUnit.SECONDS);
                            count("h2-7MiB-declared:answered");
                        } finally {
                            session.close(0, "done", org.eclipse.jetty.util.Callback.NOOP);
                        }
                    }
                }
            });
        }
    }

    /** The pathological corpus, sent over and over by {@code clients} clients each with its own HTTP/2 connection. */
    void corpus(long deadline, List<HostileBodies.Case> corpus, int clients) throws InterruptedException {
        workers(deadline, clients, new Worker() {
            private final HttpClient client = ReviewLoad.newClient(ca);
            private int next;

            @Override
            public void run(long d) throws Exception {
                HostileBodies.Case hostile = corpus.get(next++ % corpus.size());
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + hostile.path()))
                        .timeout(java.time.Duration.ofSeconds(20)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofByteArray(hostile.body())).build(), HttpResponse.BodyHandlers.discarding());
                count("status-" + response.statusCode());
            }
        });
    }

    /** POST streams declaring 100 kB that send 1 kB and are reset, as fast as they go; a connection closed by the server is reopened. */
    void rapidReset(long deadline, RawHttp2 h2, int connections) throws Exception {
        try (h2) {
            workers(deadline, connections, d -> {
                Session session = h2.connect();
                count("connections");
                try {
                    while (before(d)) {
                        RawHttp2.resetMidBody(session, MilvusWebhooks.VALIDATE_MILVUSUPGRADE, 100_000, 1_000);
                        count("resets");
                    }
                } finally {
                    session.close(0, "done", org.eclipse.jetty.util.Callback.NOOP);
                }
            });
        }
    }

    void windowUpdateFlood(long deadline, RawHttp2 h2, int connections) throws Exception {
        try (h2) {
            workers(deadline, connections, d -> {
                Session session = h2.connect();
                count("connections");
                try {
                    while (before(d)) {
                        RawHttp2.windowUpdates(session, 1000);
                        volume("window-updates", 1000);
                    }
                } finally {
                    session.close(0, "done", org.eclipse.jetty.util.Callback.NOOP);
                }
            });
        }
    }

    private void volume(String what, long n) {
        AtomicLong counter;
        synchronized (this) {
            counter = volume.computeIfAbsent(what, k -> new AtomicLong());
        }
        counter.addAndGet(n);
    }

    /** The log marker a forged line would start with; {@link StressMain} looks for it in the server's log. */
    static final String FORGED = "event=forged";

    /** Reviews whose uid, name and user carry line breaks and escapes meant to forge log lines, and a 6 MiB uid. */
    void logInjection(long deadline, int clients) throws InterruptedException {
        String valid = new String(BenchBodies.mutateMilvusUpgrade(), StandardCharsets.UTF_8);
        String[] evil = {"\\n" + FORGED + " uid=\\\"x\\\"", "\\r\\n" + FORGED, "\\u2028" + FORGED, "\\u001b[2K\\r" + FORGED};
        workers(deadline, clients, new Worker() {
            private final HttpClient client = ReviewLoad.newClient(ca);
            private int next;

            @Override
            public void run(long d) throws Exception {
                int n = next++;
                String injected = n % 50 == 49 ? "u".repeat(6 * 1024 * 1024) : "u" + n + evil[n % evil.length];
                String body = valid.replaceFirst("\"uid\":\"[^\"]*\"", "\"uid\":\"" + injected + "\"")
                        .replaceFirst("\"name\":\"([^\"]*)\"", "\"name\":\"$1" + evil[(n + 1) % evil.length] + "\"");
                HttpResponse<Void> response = client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + MilvusWebhooks.MUTATE_MILVUSUPGRADE))
                        .timeout(java.time.Duration.ofSeconds(20)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding());
                count("status-" + response.statusCode());
            }
        });
    }

    private static String readSome(InputStream in) throws IOException {
        byte[] buffer = new byte[512];
        int n = in.read(buffer);
        return n < 0 ? "" : new String(buffer, 0, n, StandardCharsets.US_ASCII);
    }

    private static String status(String answer) {
        return answer.startsWith("HTTP/1.1 ") && answer.length() >= 12 ? answer.substring(9, 12) : "closed";
    }

    private static void closeAll(Deque<SSLSocket> open) {
        synchronized (open) {
            for (SSLSocket socket : open) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing is all that is left to do
                }
            }
            open.clear();
        }
    }
}
